"""Reads behind the public territory, organisation and Territoire d'industrie pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from news.models import ArticleTerritory, LinkStatus
from news.selectors import published_articles, through_public_links
from territories import outlines
from territories.maps import TOLERANCE, AreaMap, CountryMap, MapItem, area_map, country_map
from territories.models import (
    IndustryLabel,
    LabelPhase,
    Organisation,
    Territory,
    TerritoryKind,
)
from territories.naming import fold
from territories.reference import label_key

MAP_CACHE_VERSION = 1
MAP_CACHE_TIMEOUT = 24 * 3600
# A coarser drawing for the small map of the home page (a third of the weight).
OVERVIEW_TOLERANCE = 1.8


def _split(relation: str) -> tuple[str, str]:
    """``"territory_links__territory"`` → ``("territory_links", "territory")``."""
    link_relation, _, target = relation.partition("__")
    return link_relation, target


def _published_count(relation: str) -> Coalesce:
    """The number of published articles linked to the outer row through ``relation``
    (``territory_links__territory``…) by a confirmed link: suggestions are not public.

    Written from the article side (a join on the link table's foreign-key index) rather than
    ``article_id IN (published ids)``, which SQLite would probe for every outer row.
    """
    link_relation, target = _split(relation)
    counts = (
        published_articles()
        .filter(through_public_links(link_relation, **{target: OuterRef("pk")}))
        .order_by()
        .values(relation)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def with_published_articles(queryset: QuerySet, relation: str) -> QuerySet:
    """Rows that at least one published article is linked to through ``relation`` by a
    confirmed link: a row only suggestions point to has no public article.

    A semi-join on the linked ids (one pass over the links, hashed) rather than an EXISTS
    probe for each of the ~37,000 territories: the directory's filter and count both use it.
    """
    link_relation, _target = _split(relation)
    linked = published_articles().filter(through_public_links(link_relation)).values(relation)
    return queryset.filter(pk__in=linked)


# Territories -------------------------------------------------------------------------------


# What contains the territory of an article's link, seen from the link: the relations of
# ``TerritoryQuerySet.within_q`` read the other way. An article about Béthune is about its
# EPCI, its département, its région and the groupings of the commune or of its EPCI too.
CONTAINERS = (
    "territory",
    "territory__region",
    "territory__departement",
    "territory__departements",
    "territory__epci",
    "territory__groupings",
    "territory__epci__groupings",
)


def _public_territory_links() -> QuerySet:
    return ArticleTerritory.objects.public().filter(article__in=published_articles().values("pk"))


def territory_article_counts(territory_ids) -> dict[int, int]:
    """``{territory id: n}``, the published articles about each territory *or anything inside
    it*: the number its page shows (``news.selectors.in_territory``), for many territories in
    one query. Territories without any article are absent.

    The distinct (territory, article) pairs of every containing relation (a ``UNION``): an
    article about Béthune and about its EPCI counts once for the EPCI.
    """
    ids = list(territory_ids)
    if not ids:
        return {}
    links = _public_territory_links()
    parts = [
        links.filter(**{f"{container}__in": ids}).values_list(container, "article")
        for container in CONTAINERS
    ]
    pairs = parts[0].union(*parts[1:])
    return dict(Counter(container for container, _article in pairs))


def territories_with_counts(queryset: QuerySet | None = None) -> list[Territory]:
    """The territories with ``article_count``, their ``territory_article_counts``."""
    queryset = Territory.objects.all() if queryset is None else queryset
    rows = list(queryset.select_related("region", "departement"))
    counts = territory_article_counts(row.pk for row in rows)
    for row in rows:
        row.article_count = counts.get(row.pk, 0)
    return rows


def territories_with_content(queryset: QuerySet | None = None) -> QuerySet:
    """Territories that at least one published article is about, or about something inside
    them: those whose ``territory_article_counts`` is not zero.

    One semi-join per containing relation (each list of ids read once and hashed), not an
    ``EXISTS`` probe for each of the ~37,000 territories.
    """
    queryset = Territory.objects.all() if queryset is None else queryset
    links = _public_territory_links()
    condition = Q()
    for container in CONTAINERS:
        condition |= Q(pk__in=links.values(container))
    return queryset.filter(condition)


def territory_children(territory: Territory) -> QuerySet:
    """The next level down: a région's départements, a département's EPCIs, an EPCI's communes."""
    children = Territory.objects.filter(is_obsolete=False).only(
        "pk", "name", "slug", "kind", "code", "population"
    )
    match territory.kind:
        case TerritoryKind.REGION:
            return children.filter(kind=TerritoryKind.DEPARTEMENT, region=territory).order_by(
                "code"
            )
        case TerritoryKind.DEPARTEMENT:
            return children.filter(kind=TerritoryKind.EPCI, departements=territory)
        case TerritoryKind.EPCI:
            return children.filter(kind=TerritoryKind.COMMUNE, epci=territory)
        case TerritoryKind.GROUPING:
            return children.filter(groupings=territory)
    return children.none()


def labels_for_territory(territory: Territory) -> QuerySet:
    """Labels held by the territory, by what contains it, or by what lies inside it."""
    around = [territory.pk, *(parent.pk for parent in territory.ancestors())]
    inside = Territory.objects.within(territory).values("pk")
    members = IndustryLabel.territories.through.objects.filter(industrylabel=OuterRef("pk"))
    return (
        IndustryLabel.objects.filter(
            Exists(members.filter(territory__in=around))
            | Exists(members.filter(territory__in=inside))
        )
        .select_related("region")
        .order_by("sort_name")
    )


def organisations_in(territory: Territory, limit: int = 30) -> list[Organisation]:
    """Organisations based in the territory that a published article names."""
    based_there = Organisation.objects.filter(
        home_territory__in=Territory.objects.within(territory).values("pk")
    )
    return list(
        organisations_with_counts(organisations_with_content(based_there)).order_by("sort_name")[
            :limit
        ]
    )


# Organisations -----------------------------------------------------------------------------


def organisations_with_counts(queryset: QuerySet | None = None) -> QuerySet:
    queryset = Organisation.objects.all() if queryset is None else queryset
    return queryset.select_related("home_territory").annotate(
        article_count=_published_count("organisation_links__organisation")
    )


def organisations_with_content(queryset: QuerySet | None = None) -> QuerySet:
    """Organisations a published article names: the only public ones (pages, lists,
    suggestions, feeds, filters). One only drafts name stays private."""
    queryset = Organisation.objects.all() if queryset is None else queryset
    return with_published_articles(queryset, "organisation_links__organisation")


def territories_of_organisation(organisation: Organisation, limit: int = 12) -> list[Territory]:
    """The territories its published articles are most often about (confirmed links both
    ways)."""
    articles = published_articles().filter(
        through_public_links("organisation_links", organisation=organisation)
    )
    return list(
        Territory.objects.filter(
            article_links__article__in=articles.values("pk"),
            article_links__status=LinkStatus.CONFIRMED,
        )
        .annotate(mentions=Count("article_links"))
        .order_by("-mentions", "sort_name")[:limit]
    )


# Territoires d'industrie -------------------------------------------------------------------


def labels_with_counts(queryset: QuerySet | None = None) -> QuerySet:
    queryset = IndustryLabel.objects.all() if queryset is None else queryset
    return queryset.select_related("region").annotate(
        article_count=_published_count("label_links__label")
    )


def label_members(label: IndustryLabel) -> QuerySet:
    return label.territories.select_related("departement").order_by("sort_name")


def programme_phase_counts() -> dict[str, int]:
    """How many territories each phase of the programme has (the ANCT lists, not the labels
    only articles know): ``{"first": 149, "second": 183}``."""
    counts = dict(
        IndustryLabel.objects.filter(is_reference=True)
        .order_by()
        .values_list("phase")
        .annotate(n=Count("pk"))
        .values_list("phase", "n")
    )
    return {"first": counts.get(LabelPhase.FIRST, 0), "second": counts.get(LabelPhase.SECOND, 0)}


def label_member_groups(label: IndustryLabel) -> list[tuple[str, list[Territory]]]:
    """The members by kind, intercommunalités first: ``[(kind, members)]``, one query."""
    members = list(label_members(label))
    order = [TerritoryKind.EPCI, TerritoryKind.GROUPING, TerritoryKind.COMMUNE]
    groups = [(kind, [m for m in members if m.kind == kind]) for kind in order]
    others = [m for m in members if m.kind not in order]
    return [(kind, rows) for kind, rows in groups if rows] + (
        [(others[0].kind, others)] if others else []
    )


def label_counterparts(label: IndustryLabel) -> list[IndustryLabel]:
    """The same territory in the other phase: labels of the other phase with the same name,
    then those sharing members with it (most shared first). Each has ``shared``, the number
    of members in common, and ``same_name``. One query over the other phase's labels."""
    key = label_key(label.name)
    others = (
        IndustryLabel.objects.exclude(phase=label.phase)
        .only("pk", "name", "slug", "phase")
        .annotate(
            shared=Count(
                "territories",
                filter=Q(territories__in=label.territories.values("pk")),
            )
        )
    )
    result = []
    for other in others:
        other.same_name = label_key(other.name) == key
        if other.same_name or other.shared:
            result.append(other)
    return sorted(result, key=lambda other: (not other.same_name, -other.shared, fold(other.name)))


def _map_fingerprint() -> str:
    state = IndustryLabel.objects.aggregate(count=Count("pk"), last=Max("updated_at"))
    last = state["last"].timestamp() if state["last"] else 0
    return f"label-map:{MAP_CACHE_VERSION}:{state['count']}:{last}"


def _map_rows(labels: QuerySet) -> list[tuple]:
    return list(
        labels.order_by("name").values_list(
            "slug", "name", "region__name", "perimeter", "phase", "region__code", "region__slug"
        )
    )


def _map_items(rows: list[tuple]) -> list[MapItem]:
    return [
        MapItem(slug=slug, name=name, group=region or "", geometry=perimeter, phase=phase)
        for slug, name, region, perimeter, phase, *_ in rows
    ]


def label_phase_counts() -> dict[str, int]:
    """How many labels each phase has (drawn or not): the map's legend."""
    return dict(IndustryLabel.objects.order_by().values_list("phase").annotate(n=Count("pk")))


def label_map(tolerance: float = TOLERANCE, phase: str = "") -> CountryMap:
    """The map of every label (of one ``phase``, or both) over the régions, computed once
    and cached until a label changes."""
    key = f"{_map_fingerprint()}:{tolerance}:{phase}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    labels = IndustryLabel.objects.all()
    if phase:
        labels = labels.filter(phase=phase)
    rows = _map_rows(labels)
    # The régions' pages, read with the labels (one query): every région holds labels.
    slugs = {code: slug for *_, code, slug in rows if code}
    result = country_map(_map_items(rows), tolerance, regions=outlines.regions(slugs))
    cache.set(key, result, MAP_CACHE_TIMEOUT)
    return result


def label_map_list(phase: str = "") -> list[dict]:
    """The labels of the map as a list grouped by région (its text alternative)."""
    labels = IndustryLabel.objects.all()
    if phase:
        labels = labels.filter(phase=phase)
    phases = dict(LabelPhase.choices)
    rows = [
        {"slug": slug, "name": name, "region": region or "", "phase_label": phases.get(value)}
        for slug, name, region, value in labels.values_list("slug", "name", "region__name", "phase")
    ]
    return sorted(rows, key=lambda row: (not row["region"], fold(row["region"]), fold(row["name"])))


def label_area_map(label: IndustryLabel) -> AreaMap | None:
    """A label's perimeter within its région: the région's départements as context (named,
    not linked) and the région's other labels of the same phase, faint."""
    if not label.perimeter or label.region is None:
        return None
    region = outlines.region(label.region.code, label.region.slug)
    if region is None:
        return None
    neighbours = IndustryLabel.objects.filter(region=label.region, phase=label.phase)
    item = MapItem(label.slug, label.name, label.region.name, label.perimeter, label.phase)
    return area_map(
        region,
        outlines.departements(region.code),
        _map_items(_map_rows(neighbours.exclude(pk=label.pk))),
        highlight=item,
    )


def region_area_map(region: Territory, departements: Iterable[Territory] = ()) -> AreaMap | None:
    """A région, its départements (linked to the pages of ``departements``) and every label
    whose perimeter lies there, both phases."""
    outline = outlines.region(region.code, region.slug)
    if outline is None:
        return None
    slugs = {departement.code: departement.slug for departement in departements}
    return area_map(
        outline,
        outlines.departements(outline.code, slugs),
        _map_items(_map_rows(IndustryLabel.objects.filter(region=region))),
    )
