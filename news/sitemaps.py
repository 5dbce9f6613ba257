"""Sitemaps of the public site; addresses are absolute under ``SITE_URL``."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.template.response import TemplateResponse
from django.urls import reverse

from news.selectors import published_articles
from news.seo import absolute_url


class PublicSitemap(Sitemap):
    """Uses ``SITE_URL`` rather than the host of the request (no sites framework here)."""

    limit = 5000

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"


class ArticleSitemap(PublicSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return published_articles().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class StaticPagesSitemap(PublicSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return [
            "news:home",
            "news:article-list",
            "territories:territory-list",
            "territories:organisation-list",
            "territories:label-list",
            "territories:label-map",
        ]

    def location(self, name):
        return reverse(name)


@x_robots_tag
def sitemap_index(request, sitemaps, sitemap_url_name="sitemap-section"):
    """Django's sitemap index, but with addresses under ``SITE_URL`` like the sitemaps."""
    entries = []
    for section, sitemap in sitemaps.items():
        sitemap = sitemap() if callable(sitemap) else sitemap
        location = absolute_url(reverse(sitemap_url_name, kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{location}?p={page}", lastmod))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
