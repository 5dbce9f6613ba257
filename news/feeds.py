"""RSS and Atom feeds of the latest published articles: all, or of a territory, an organisation
or a tag. Addresses are absolute under ``SITE_URL``."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from news import selectors
from news.models import TaggedArticle
from news.pagination import latest
from news.seo import absolute_url
from territories.models import Organisation, Territory
from territories.selectors import organisations_with_content

FEED_SIZE = 30
# A feed item carries the start of the lead, not a whole imported text.
DESCRIPTION_LENGTH = 1_000


class LatestArticlesFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "fr"
    url_name = "news:feed-rss"
    title = _("Territoires d’industrie — les dernières actualités")
    description = _("Les derniers articles publiés sur les territoires d’industrie.")

    def link(self, obj=None):
        return absolute_url(reverse("news:article-list"))

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.url_name, kwargs=self.url_kwargs(obj)))

    def url_kwargs(self, obj):
        return {}

    def articles(self, obj):
        return selectors.published_articles()

    def items(self, obj=None):
        articles = self.articles(obj).defer("source_text", "body", "search_vector")
        # Through the tagged items rather than taggit's manager, whose prefetch builds a
        # queryset per article (two thirds of the feed's time).
        tagged = Prefetch("tagged_items", queryset=TaggedArticle.objects.select_related("tag"))
        return latest(articles.prefetch_related(tagged), FEED_SIZE)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """The lead as plain text. RSS descriptions and Atom summaries (``type="html"``) are
        read as HTML by feed readers: the lead is escaped here, then once more as XML, so that
        markup from a source (``<img onerror=…>``) shows as text and never runs."""
        return escape(Truncator(item.lead).chars(DESCRIPTION_LENGTH))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        if item.published_on:
            midnight = datetime.datetime.combine(item.published_on, datetime.time())
            return timezone.make_aware(midnight)
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [tagged.tag.name for tagged in item.tagged_items.all()]

    def item_author_name(self, item):
        return item.publisher or None


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    url_name = "news:feed-atom"
    subtitle = LatestArticlesFeed.description


class _ObjectFeedMixin:
    """A feed of the articles about one object found by its slug."""

    model = None
    object_url_name = ""

    def public_objects(self):
        return self.model.objects.all()

    def get_object(self, request, slug):
        return get_object_or_404(self.public_objects(), slug=slug)

    def url_kwargs(self, obj):
        return {"slug": obj.slug}

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())


class TerritoryFeed(_ObjectFeedMixin, LatestArticlesFeed):
    model = Territory
    url_name = "news:territory-feed-rss"

    def title(self, obj):
        return _("%(name)s — actualités") % {"name": obj.name}

    def description(self, obj):
        return _("Les derniers articles sur %(name)s et les territoires qui en font partie.") % {
            "name": obj.name
        }

    def articles(self, obj):
        return selectors.articles_in_territory(obj)


class TerritoryAtomFeed(TerritoryFeed):
    feed_type = Atom1Feed
    url_name = "news:territory-feed-atom"

    def subtitle(self, obj):
        return self.description(obj)


class OrganisationFeed(_ObjectFeedMixin, LatestArticlesFeed):
    model = Organisation
    url_name = "news:organisation-feed-rss"

    def public_objects(self):
        # An organisation only a draft names is not public, nor is its feed.
        return organisations_with_content()

    def title(self, obj):
        return _("%(name)s — actualités") % {"name": obj.name}

    def description(self, obj):
        return _("Les derniers articles qui citent %(name)s.") % {"name": obj.name}

    def articles(self, obj):
        return selectors.articles_about_organisation(obj)


class OrganisationAtomFeed(OrganisationFeed):
    feed_type = Atom1Feed
    url_name = "news:organisation-feed-atom"

    def subtitle(self, obj):
        return self.description(obj)


class TagFeed(_ObjectFeedMixin, LatestArticlesFeed):
    model = Tag
    url_name = "news:tag-feed-rss"

    def public_objects(self):
        return selectors.tags_with_content()

    def link(self, obj=None):
        query = urlencode({"etiquette": obj.slug})
        return absolute_url(f"{reverse('news:article-list')}?{query}")

    def title(self, obj):
        return _("Étiquette « %(name)s » — actualités") % {"name": obj.name}

    def description(self, obj):
        return _("Les derniers articles avec l’étiquette « %(name)s ».") % {"name": obj.name}

    def articles(self, obj):
        return selectors.articles_tagged(obj)


class TagAtomFeed(TagFeed):
    feed_type = Atom1Feed
    url_name = "news:tag-feed-atom"

    def subtitle(self, obj):
        return self.description(obj)
