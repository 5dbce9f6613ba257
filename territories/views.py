"""Public pages of territories, organisations and Territoires d'industrie, and the map."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import JsonResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from news import selectors as news
from news.caching import cached_per_version, per_version
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
        # The folded name sorts "Évin-Malmaison" among the E on every database.
        return Territory.objects.order_by("normalized_name", "code")

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


class TerritoryDetailView(PublicPageMixin, ArticleBlockMixin, DetailView):
    """Any territory: where it lies, what it contains, its labels, articles and organisations."""

    template_name = "territories/territory_detail.html"
    context_object_name = "territory"

    def get_queryset(self):
        return Territory.objects.select_related("region", "departement", "epci")

    def get_articles(self):
        return news.articles_in_territory(self.object)

    def get_article_counts(self):
        if self.object.kind != TerritoryKind.REGION:
            return None
        return region_counts(self.request).get(self.object.pk, NO_ARTICLES)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        territory = self.object
        context.update(
            ancestors=territory.ancestors(),
            # Read only when the side panels are rendered: the template keeps them for the
            # content version, and a région's organisations take a while to count.
            children=SimpleLazyObject(lambda: list(selectors.territory_children(territory))),
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
            includes_inside=territory.kind != TerritoryKind.COMMUNE,
        )
        return context


class OrganisationListView(PublicPageMixin, BoundFilterMixin, FilterView):
    filterset_class = OrganisationFilter
    template_name = "territories/organisation_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.organisations_with_counts(selectors.organisations_with_content()).order_by(
            "name"
        )


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
            .order_by("region__name", "name")
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
    """JSON suggestions for the text inputs of the article filters (progressive enhancement)."""

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
        kinds = [kind for kind, _label in TerritoryKind.choices]
        matches = (
            Territory.objects.filter(normalized_name__contains=key, is_obsolete=False)
            .annotate(
                closeness=Case(
                    When(normalized_name=key, then=Value(0)),
                    When(normalized_name__startswith=key, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                ),
                level=Case(
                    *(When(kind=kind, then=Value(i)) for i, kind in enumerate(kinds)),
                    output_field=IntegerField(),
                ),
            )
            .only("slug", "name", "kind", "code")
            .order_by("closeness", "level", "-population", "name")[:SUGGESTION_COUNT]
        )
        return [{"value": t.slug, "label": f"{t} — {t.get_kind_display()}"} for t in matches]


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
            .order_by("name")[:SUGGESTION_COUNT]
        )
        return [{"value": o.slug, "label": f"{o.name} — {o.get_kind_display()}"} for o in matches]
