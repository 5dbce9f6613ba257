from django.urls import path

from news.caching import public_page
from territories import views

app_name = "territories"

urlpatterns = [
    path("territoires/", public_page(views.TerritoryListView.as_view()), name="territory-list"),
    path(
        "territoires/<slug:slug>/",
        public_page(views.TerritoryDetailView.as_view()),
        name="territory-detail",
    ),
    path(
        "organisations/",
        public_page(views.OrganisationListView.as_view()),
        name="organisation-list",
    ),
    path(
        "organisations/<slug:slug>/",
        public_page(views.OrganisationDetailView.as_view()),
        name="organisation-detail",
    ),
    path(
        "territoires-d-industrie/",
        public_page(views.IndustryLabelListView.as_view()),
        name="label-list",
    ),
    path(
        "territoires-d-industrie/<slug:slug>/",
        public_page(views.IndustryLabelDetailView.as_view()),
        name="label-detail",
    ),
    path("carte/", public_page(views.LabelMapView.as_view()), name="label-map"),
    path(
        "suggestions/territoires/",
        public_page(views.TerritorySuggestionsView.as_view()),
        name="territory-suggestions",
    ),
    path(
        "suggestions/territoires-d-industrie/",
        public_page(views.LabelSuggestionsView.as_view()),
        name="label-suggestions",
    ),
    path(
        "suggestions/departements/",
        public_page(views.DepartementOptionsView.as_view()),
        name="departement-options",
    ),
    path(
        "suggestions/organisations/",
        public_page(views.OrganisationSuggestionsView.as_view()),
        name="organisation-suggestions",
    ),
]
