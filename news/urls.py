from django.urls import path

from news import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("flux/rss/", feeds.LatestArticlesFeed(), name="feed-rss"),
    path("flux/atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("flux/territoires/<slug:slug>/rss/", feeds.TerritoryFeed(), name="territory-feed-rss"),
    path(
        "flux/territoires/<slug:slug>/atom/",
        feeds.TerritoryAtomFeed(),
        name="territory-feed-atom",
    ),
    path(
        "flux/organisations/<slug:slug>/rss/",
        feeds.OrganisationFeed(),
        name="organisation-feed-rss",
    ),
    path(
        "flux/organisations/<slug:slug>/atom/",
        feeds.OrganisationAtomFeed(),
        name="organisation-feed-atom",
    ),
    # Tag slugs may keep accented letters (taggit's unicode slugs).
    path("flux/etiquettes/<str:slug>/rss/", feeds.TagFeed(), name="tag-feed-rss"),
    path("flux/etiquettes/<str:slug>/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
]
