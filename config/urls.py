from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

from config.views import favicon, health
from news.caching import public_page
from news.sitemaps import ArticleSitemap, StaticPagesSitemap, sitemap_index
from territories.sitemaps import IndustryLabelSitemap, OrganisationSitemap, TerritorySitemap

sitemaps = {
    "pages": StaticPagesSitemap,
    "articles": ArticleSitemap,
    "territoires": TerritorySitemap,
    "organisations": OrganisationSitemap,
    "territoires-d-industrie": IndustryLabelSitemap,
}

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sante/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("sitemap.xml", public_page(sitemap_index), {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("", include("territories.urls")),
    path("", include("news.urls")),
]
