from django.urls import path

from news import feeds, views
from news.caching import public_page

app_name = "news"

urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("articles/", public_page(views.ArticleListView.as_view()), name="article-list"),
    path(
        "articles/<slug:slug>/",
        public_page(views.ArticleDetailView.as_view()),
        name="article-detail",
    ),
    path("flux/rss/", public_page(feeds.LatestArticlesFeed()), name="feed-rss"),
    path("flux/atom/", public_page(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path(
        "flux/territoires/<slug:slug>/rss/",
        public_page(feeds.TerritoryFeed()),
        name="territory-feed-rss",
    ),
    path(
        "flux/territoires/<slug:slug>/atom/",
        public_page(feeds.TerritoryAtomFeed()),
        name="territory-feed-atom",
    ),
    path(
        "flux/organisations/<slug:slug>/rss/",
        public_page(feeds.OrganisationFeed()),
        name="organisation-feed-rss",
    ),
    path(
        "flux/organisations/<slug:slug>/atom/",
        public_page(feeds.OrganisationAtomFeed()),
        name="organisation-feed-atom",
    ),
    # Tag slugs may keep accented letters (taggit's unicode slugs).
    path("flux/etiquettes/<str:slug>/rss/", public_page(feeds.TagFeed()), name="tag-feed-rss"),
    path(
        "flux/etiquettes/<str:slug>/atom/", public_page(feeds.TagAtomFeed()), name="tag-feed-atom"
    ),
]
