"""Sitemaps of territories and organisations with published content, and of every label."""

from news.sitemaps import PublicSitemap
from territories.models import IndustryLabel, Organisation, Territory
from territories.selectors import with_published_articles


class TerritorySitemap(PublicSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return (
            with_published_articles(Territory.objects.all(), "territory_links__territory")
            .only("pk", "slug")
            .order_by("pk")
        )


class OrganisationSitemap(PublicSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (
            with_published_articles(Organisation.objects.all(), "organisation_links__organisation")
            .only("pk", "slug", "updated_at")
            .order_by("pk")
        )


class IndustryLabelSitemap(PublicSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return IndustryLabel.objects.only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, label):
        return label.updated_at
