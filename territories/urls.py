from django.urls import path

from territories import views

app_name = "territories"

urlpatterns = [
    path("territoires/", views.TerritoryListView.as_view(), name="territory-list"),
    path("territoires/<slug:slug>/", views.TerritoryDetailView.as_view(), name="territory-detail"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("territoires-d-industrie/", views.IndustryLabelListView.as_view(), name="label-list"),
    path(
        "territoires-d-industrie/<slug:slug>/",
        views.IndustryLabelDetailView.as_view(),
        name="label-detail",
    ),
    path("carte/", views.LabelMapView.as_view(), name="label-map"),
    path(
        "suggestions/territoires/",
        views.TerritorySuggestionsView.as_view(),
        name="territory-suggestions",
    ),
    path(
        "suggestions/organisations/",
        views.OrganisationSuggestionsView.as_view(),
        name="organisation-suggestions",
    ),
]
