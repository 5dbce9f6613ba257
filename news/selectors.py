"""Reads of published articles shared by the public views, feeds and sitemaps.

Everything here starts from ``Article.objects.published()``, the one definition of what the
public may see, and reads an article's links through ``public()`` (``LinkQuerySet``): only
confirmed links reach readers, a suggestion stays in the back-office. The ``public_*``
attributes that ``public_links()`` prefetches are what templates, JSON-LD and related articles
read; ``article.territories`` and its siblings hold every link, suggestions included, and are
for the back-office only. Hierarchy-aware filters use ``EXISTS`` subqueries rather than joins
so that counts stay plain ``COUNT(*)`` and no ``DISTINCT`` is needed.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, When
from taggit.models import Tag

from news.models import (
    Article,
    ArticleIndustryLabel,
    ArticleOrganisation,
    ArticlePerson,
    ArticleTerritory,
    LinkStatus,
    TaggedArticle,
)
from news.pagination import latest
from territories.models import (
    IndustryLabel,
    Organisation,
    Territory,
    TerritoryKind,
    TerritoryQuerySet,
)

# Fields an article card needs: the body stays in the database.
CARD_FIELDS = (
    "pk",
    "title",
    "slug",
    "kicker",
    "lead",
    "published_on",
    "date_precision",
    "is_brief",
)
RELATED_LIMIT = 4


def date_ordering():
    """Newest first, undated articles last, a stable tie-breaker."""
    return (F("published_on").desc(nulls_last=True), F("created_at").desc(), F("pk").desc())


def published_articles() -> QuerySet:
    return Article.objects.published()


def tags_with_content() -> QuerySet:
    """Tags of at least one published article: a tag only drafts carry is not public."""
    return Tag.objects.filter(pk__in=published_articles().values("tagged_items__tag"))


def through_public_links(link_relation: str, **lookups) -> Q:
    """``lookups`` through an article's links (``link_relation`` being ``territory_links``,
    ``organisation_links`` or ``label_links``), restricted to confirmed links.

    One ``Q`` for one ``filter()`` call: the status and the other lookups then test the same
    link row (two ``filter()`` calls would join the link table twice and accept an article
    whose territory is only suggested because another of its links is confirmed).
    """
    return Q(
        **{f"{link_relation}__status": LinkStatus.CONFIRMED},
        **{f"{link_relation}__{name}": value for name, value in lookups.items()},
    )


def public_links(relation: str, queryset: QuerySet, to_attr: str) -> Prefetch:
    """The targets of an article's confirmed links, prefetched as the list ``to_attr``.

    The status filter and the prefetch's own join on the link table are one join (Django
    makes the prefetch's filter reuse the queryset's joins), so each article gets only the
    targets of its own confirmed links, in the target's order.
    """
    return Prefetch(
        relation,
        queryset=queryset.filter(article_links__status=LinkStatus.CONFIRMED),
        to_attr=to_attr,
    )


def card_territories() -> Prefetch:
    """The territories an article card names (``article.public_territories``)."""
    return public_links(
        "territories",
        Territory.objects.only("pk", "name", "slug", "kind", "code"),
        "public_territories",
    )


def with_card_data(queryset: QuerySet) -> QuerySet:
    """Only the columns of an article card.

    Its territories are read by ``{% article_cards %}``, in one query for the cards it has not
    rendered yet in this content version (none, most of the time).
    """
    return queryset.only(*CARD_FIELDS)


def in_territory(territory: Territory) -> Exists:
    """Articles about ``territory`` or anything inside it (an EPCI's communes, a région's…).

    PostgreSQL hashes the territories inside once (``territory_id IN (SELECT …)``); SQLite would
    probe that list for every article (a région's 4,000 territories times every article), so
    there each link's territory is joined and tested instead.
    """
    links = ArticleTerritory.objects.public().filter(article=OuterRef("pk"))
    if connection.vendor == "sqlite":
        return Exists(links.filter(TerritoryQuerySet.within_q(territory, prefix="territory__")))
    return Exists(links.filter(territory__in=Territory.objects.within(territory).values("pk")))


def about_organisation(organisation: Organisation) -> Exists:
    return Exists(
        ArticleOrganisation.objects.public().filter(
            article=OuterRef("pk"), organisation=organisation
        )
    )


def about_label(label: IndustryLabel) -> Exists:
    return Exists(ArticleIndustryLabel.objects.public().filter(article=OuterRef("pk"), label=label))


def about_label_territories(label: IndustryLabel) -> Exists:
    """Articles about one of the label's member territories or inside them."""
    members = label.territories.values("pk")
    return Exists(
        ArticleTerritory.objects.public()
        .filter(article=OuterRef("pk"))
        .filter(Q(territory__in=members) | Q(territory__epci__in=members))
    )


def tagged(tag) -> Exists:
    return Exists(TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag=tag))


def region_article_counts() -> dict[int, dict]:
    """``{région id: {"total": …, "dated": …}}``: the published articles about each région or
    anything inside it (``in_territory``), for every région in one pass over the links.

    A région's count reads some 5,000 articles' links; the eighteen of them cost one such read
    together (kept per content version by the callers).
    """
    # The status is tested in the same expression as the territory, so on the same link.
    confirmed = Q(territory_links__status=LinkStatus.CONFIRMED)
    region = Case(
        When(
            confirmed & Q(territory_links__territory__kind=TerritoryKind.REGION),
            then="territory_links__territory",
        ),
        When(confirmed, then="territory_links__territory__region"),
        default=None,
    )
    rows = (
        published_articles()
        .annotate(region=region)
        .filter(region__isnull=False)
        .order_by()
        .values("region")
        .annotate(
            total=Count("pk", distinct=True),
            dated=Count("pk", distinct=True, filter=Q(published_on__isnull=False)),
        )
    )
    return {row["region"]: {"total": row["total"], "dated": row["dated"]} for row in rows}


def articles_in_territory(territory: Territory) -> QuerySet:
    return published_articles().filter(in_territory(territory)).order_by(*date_ordering())


def articles_about_organisation(organisation: Organisation) -> QuerySet:
    return published_articles().filter(about_organisation(organisation)).order_by(*date_ordering())


def articles_about_label(label: IndustryLabel) -> QuerySet:
    return published_articles().filter(about_label(label)).order_by(*date_ordering())


def articles_tagged(tag) -> QuerySet:
    return published_articles().filter(tagged(tag)).order_by(*date_ordering())


def article_detail_queryset(*, include_drafts: bool = False) -> QuerySet:
    """Articles with everything the detail page shows, prefetched in a fixed number of queries:
    the confirmed links only (``public_territories``, ``public_organisations``,
    ``public_labels``, ``public_person_links``), drafts previewed by an editor included, so that
    a preview shows what readers will see."""
    queryset = Article.objects.all() if include_drafts else published_articles()
    return queryset.defer("source_text", "search_vector").prefetch_related(
        public_links(
            "territories",
            Territory.objects.select_related("region", "departement", "epci"),
            "public_territories",
        ),
        public_links(
            "organisations",
            Organisation.objects.select_related("home_territory"),
            "public_organisations",
        ),
        public_links(
            "industry_labels",
            IndustryLabel.objects.select_related("region"),
            "public_labels",
        ),
        "tags",
        Prefetch(
            "person_links",
            queryset=ArticlePerson.objects.public()
            .select_related("person")
            .order_by("person__name"),
            to_attr="public_person_links",
        ),
    )


def related_articles(article: Article, limit: int = RELATED_LIMIT) -> list[Article]:
    """Latest published articles sharing a territory or an organisation with ``article``.

    Uses the confirmed territories and organisations already prefetched on ``article``
    (``article_detail_queryset``); only confirmed links of the others count.
    """
    territory_ids = [territory.pk for territory in article.public_territories]
    organisation_ids = [organisation.pk for organisation in article.public_organisations]
    if not territory_ids and not organisation_ids:
        return []
    shared = Q(
        pk__in=ArticleTerritory.objects.public()
        .filter(territory__in=territory_ids)
        .values("article")
    ) | Q(
        pk__in=ArticleOrganisation.objects.public()
        .filter(organisation__in=organisation_ids)
        .values("article")
    )
    return latest(
        published_articles().filter(shared).exclude(pk=article.pk).only(*CARD_FIELDS), limit
    )
