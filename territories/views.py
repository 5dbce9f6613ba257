"""Public pages of territories, organisations and Territoires d'industrie, and the map."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import JsonResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from news import selectors as news
from news.caching import cached_per_version, per_version
from news.filters import departement_choices, load_choices_cached
from news.mixins import NO_ARTICLES, ArticleBlockMixin, PublicPageMixin, region_counts
from news.pagination import OrderedIdsPaginator, latest
from news.versioning import current_version
from territories import selectors
from territories.filters import (
    IndustryLabelFilter,
    LabelMapFilter,
    OrganisationFilter,
    TerritoryFilter,
)
from territories.lookup import ranked
from territories.maps import shape_map
from territories.models import IndustryLabel, LabelPhase, Territory, TerritoryKind
from territories.naming import fold, organisation_key

SUGGESTION_COUNT = 10


class BoundFilterMixin:
    """Binds the FilterSet even to an empty query string, so its defaults always apply."""

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET
        return kwargs


class TerritoryListView(PublicPageMixin, BoundFilterMixin, FilterView):
    filterset_class = TerritoryFilter
    template_name = "territories/territory_list.html"
    paginate_by = 50

    def get_queryset(self):
        # The collation key sorts "Évin-Malmaison" among the E and "CA du Pays de Saint-Omer"
        # under P, the same way on every database.
        return Territory.objects.order_by("sort_name", "code")

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return OrderedIdsPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            rows=lambda ids: selectors.territories_with_counts(
                Territory.objects.filter(pk__in=ids)
            ),
        )


@dataclass
class Surrounding:
    """What happens around a territory, one block of its page: a containing territory or a
    label, its article count (the one its own page shows) and its latest other articles."""

    kind: str
    target: Territory | IndustryLabel
    article_count: int
    articles: list
    filter_url: str


class TerritoryDetailView(PublicPageMixin, ArticleBlockMixin, DetailView):
    """Any territory: where it lies, what it contains, its labels, articles and organisations.

    Below its own articles, a commune's or an intercommunalité's page rolls up: the latest
    articles of its intercommunalité, of its Territoires d'industrie and of its département,
    each in its own section with the count its page shows.
    """

    template_name = "territories/territory_detail.html"
    context_object_name = "territory"
    surrounding_articles = 3

    def get_queryset(self):
        return Territory.objects.select_related("region", "departement", "epci")

    def get_articles(self):
        return news.articles_in_territory(self.object)

    def get_article_counts(self):
        if self.object.kind != TerritoryKind.REGION:
            return None
        return region_counts(self.request).get(self.object.pk, NO_ARTICLES)

    def get_surroundings(self, shown: list[int]) -> list[Surrounding]:
        """The roll-up of a commune or an intercommunalité: its intercommunalité, labels and
        département, each with its latest articles not already on the page (``shown``)."""
        territory = self.object
        if territory.kind not in (TerritoryKind.COMMUNE, TerritoryKind.EPCI):
            return []
        containers = [
            ("epci", territory.epci if territory.kind == TerritoryKind.COMMUNE else None),
            ("departement", territory.departement),
        ]
        containers = [(kind, parent) for kind, parent in containers if parent is not None]
        counts = selectors.territory_article_counts(parent.pk for _kind, parent in containers)
        labels = list(
            selectors.labels_with_counts(selectors.labels_for_territory(territory)).defer(
                "perimeter"
            )
        )
        targets = [(kind, parent, counts.get(parent.pk, 0)) for kind, parent in containers]
        # The labels come between the intercommunalité and the wider département.
        targets[1:1] = [("label", label, label.article_count) for label in labels]
        articles_url = reverse("news:article-list")
        surroundings, shown = [], list(shown)
        for kind, target, count in targets:
            if kind == "label":
                articles = news.published_articles().filter(news.about_label(target))
                filter_url = f"{articles_url}?{urlencode({'label': target.slug})}"
            else:
                articles = news.published_articles().filter(news.in_territory(target))
                filter_url = f"{articles_url}?{urlencode({'territoire': target.slug})}"
            # One query whatever is left once the page's articles are set aside (``latest``
            # reads the undated ones apart when the dated ones run short).
            latest_articles = (
                list(
                    articles.exclude(pk__in=shown)
                    .only(*news.CARD_FIELDS)
                    .order_by(*news.date_ordering())[: self.surrounding_articles]
                )
                if count
                else []
            )
            shown += [article.pk for article in latest_articles]
            surroundings.append(Surrounding(kind, target, count, latest_articles, filter_url))
        return surroundings

    @staticmethod
    def get_region_legend(area) -> list[tuple[str, str, int]]:
        """Each phase drawn on a région's map, with how many of its labels it has there."""
        if not area:
            return []
        counts = Counter(shape.phase for shape in area.shapes)
        return [
            (value, label, counts[value]) for value, label in LabelPhase.choices if counts[value]
        ]

    def get_children(self) -> list[Territory]:
        """The next level down, each with the count its own page shows."""
        children = list(selectors.territory_children(self.object))
        counts = selectors.territory_article_counts(child.pk for child in children)
        for child in children:
            child.article_count = counts.get(child.pk, 0)
        return children

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        territory = self.object
        first_page = context["page_obj"].number == 1
        context.update(
            ancestors=territory.ancestors(),
            surroundings=(
                self.get_surroundings([article.pk for article in context["articles"]])
                if first_page
                else []
            ),
            # Read only when the side panels are rendered: the template keeps them for the
            # content version, and a région's organisations take a while to count.
            children=SimpleLazyObject(self.get_children),
            labels=SimpleLazyObject(
                lambda: list(selectors.labels_for_territory(territory).defer("perimeter"))
            ),
            organisations=SimpleLazyObject(lambda: selectors.organisations_in(territory)),
            region_map=SimpleLazyObject(
                lambda: (
                    selectors.region_area_map(territory, context["children"])
                    if territory.kind == TerritoryKind.REGION
                    else None
                )
            ),
            region_legend=SimpleLazyObject(lambda: self.get_region_legend(context["region_map"])),
            includes_inside=territory.kind != TerritoryKind.COMMUNE,
        )
        return context


class OrganisationListView(PublicPageMixin, BoundFilterMixin, FilterView):
    filterset_class = OrganisationFilter
    template_name = "territories/organisation_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.organisations_with_counts(selectors.organisations_with_content()).order_by(
            "sort_name", "pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Most organisations come from articles that do not say where they are based: the
        # column only shows when one of the page's rows knows it.
        context["shows_home"] = any(row.home_territory_id for row in context["object_list"])
        return context


class OrganisationDetailView(PublicPageMixin, ArticleBlockMixin, DetailView):
    template_name = "territories/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return selectors.organisations_with_content().select_related(
            "home_territory__region", "home_territory__departement"
        )

    def get_articles(self):
        return news.articles_about_organisation(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        website = self.object.website
        context.update(
            territories=selectors.territories_of_organisation(self.object),
            # Imported rows skip form validation: only ever link to a web address.
            website=website if urlsplit(website).scheme in {"http", "https"} else "",
        )
        return context


class IndustryLabelListView(PublicPageMixin, BoundFilterMixin, FilterView):
    """Every label, grouped by région; no pagination (a few hundred at most)."""

    filterset_class = IndustryLabelFilter
    template_name = "territories/industrylabel_list.html"

    def get_queryset(self):
        # Both phases, without the perimeters (a few hundred kilobytes the list never shows).
        return (
            selectors.labels_with_counts()
            .defer("perimeter")
            .order_by("region__sort_name", "sort_name")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["phases"] = dict(LabelPhase.choices)
        context["programme_phases"] = selectors.programme_phase_counts()
        return context


class IndustryLabelDetailView(PublicPageMixin, ArticleBlockMixin, DetailView):
    template_name = "territories/industrylabel_detail.html"
    context_object_name = "label"
    nearby_count = 5

    def get_queryset(self):
        return IndustryLabel.objects.select_related("region")

    def get_articles(self):
        return news.articles_about_label(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        label = self.object
        shown = [article.pk for article in context["articles"]]
        area = cached_per_version(
            "label-area-map",
            label.pk,
            current_version(self.request),
            lambda: selectors.label_area_map(label),
        )
        member_groups = selectors.label_member_groups(label)
        context.update(
            members=[member for _kind, rows in member_groups for member in rows],
            member_groups=member_groups,
            counterparts=selectors.label_counterparts(label),
            other_phase_label=LabelPhase(
                LabelPhase.FIRST if label.phase == LabelPhase.SECOND else LabelPhase.SECOND
            ).label,
            area_map=area,
            # A perimeter with no région to show it in is drawn alone.
            shape=None if area else shape_map(label.perimeter),
            territory_articles=latest(
                news.published_articles()
                .filter(news.about_label_territories(label))
                .exclude(pk__in=shown)
                .only(*news.CARD_FIELDS),
                self.nearby_count,
            ),
        )
        return context


class LabelMapView(PublicPageMixin, TemplateView):
    template_name = "territories/industrylabel_map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = current_version(self.request)
        filterset = LabelMapFilter(self.request.GET or None, queryset=IndustryLabel.objects.none())
        # An unknown phase shows both, as no phase does.
        phase = filterset.form.cleaned_data.get("phase", "") if filterset.is_valid() else ""
        counts = per_version("label-phase-counts", version, selectors.label_phase_counts)
        # Computed once per content version and phase (the SVG is cached in the template).
        context.update(
            map=per_version(
                f"label-map:{phase}", version, lambda: selectors.label_map(phase=phase)
            ),
            map_list=per_version(
                f"label-map-list:{phase}", version, lambda: selectors.label_map_list(phase)
            ),
            phase=phase,
            phase_switch=[
                (value, label, sum(counts.values()) if not value else counts.get(value, 0))
                for value, label in [("", _("Les deux phases")), *LabelPhase.choices]
            ],
            legend=[
                (value, label, counts.get(value, 0))
                for value, label in LabelPhase.choices
                if not phase or value == phase
            ],
        )
        return context


class SuggestionsView(View):
    """JSON suggestions for the text inputs of the article filters (progressive enhancement).

    Each result is ``{"value": the name the input shows and keeps, "label": a description,
    "slug": the row's slug}``: static/js/suggest.js submits the slug in a hidden field, and
    the name alone resolves too (the page works without JavaScript).
    """

    min_length = 2

    def get(self, request):
        query = request.GET.get("q", "").strip()[:100]
        if len(fold(query)) < self.min_length:
            return JsonResponse({"results": []})
        return JsonResponse({"results": self.suggest(query)[:SUGGESTION_COUNT]})

    def suggest(self, query: str) -> list[dict]:
        raise NotImplementedError


class TerritorySuggestionsView(SuggestionsView):
    def suggest(self, query):
        key = fold(query)
        matches = ranked(
            Territory.objects.filter(normalized_name__contains=key, is_obsolete=False).only(
                "slug", "name", "kind", "code"
            ),
            query,
        )[:SUGGESTION_COUNT]
        return [
            {"value": str(t), "label": f"{t} — {t.get_kind_display()}", "slug": t.slug}
            for t in matches
        ]


class OrganisationSuggestionsView(SuggestionsView):
    def suggest(self, query):
        key = organisation_key(query) or fold(query)
        matches = (
            selectors.organisations_with_content()
            .filter(
                Q(normalized_name__contains=key)
                | Q(acronym__iexact=query)
                | Q(name__icontains=query)
            )
            .only("slug", "name", "kind")
            .order_by("sort_name")[:SUGGESTION_COUNT]
        )
        return [
            {"value": o.name, "label": f"{o.name} — {o.get_kind_display()}", "slug": o.slug}
            for o in matches
        ]


class LabelSuggestionsView(SuggestionsView):
    """Territoires d'industrie by name, of both phases, names that start so first."""

    def suggest(self, query):
        key = fold(query)
        matches = (
            IndustryLabel.objects.filter(Q(sort_name__contains=key) | Q(code__iexact=query))
            .annotate(
                closeness=Case(
                    When(sort_name__startswith=key, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .select_related("region")
            .only("slug", "name", "phase", "region__name")
            .order_by("closeness", "sort_name", "pk")[:SUGGESTION_COUNT]
        )
        return [
            {
                "value": label.name,
                "label": " — ".join(
                    part
                    for part in (
                        label.name,
                        label.get_phase_display(),
                        getattr(label.region, "name", ""),
                    )
                    if part
                ),
                "slug": label.slug,
            }
            for label in matches
        ]


class DepartementOptionsView(View):
    """The départements of a région as JSON ``{"results": [{"value", "label"}]}``: what
    static/js/dependent_selects.js puts in the article filters' département select once a
    région is chosen (every département for no région)."""

    def get(self, request):
        region = request.GET.get("region", "")[:120]
        if region:
            options = departement_choices(region, request)
        else:
            options = [
                option
                for _group, group_options in load_choices_cached(request)["departement"]
                for option in group_options
            ]
        return JsonResponse({"results": [{"value": v, "label": label} for v, label in options]})
