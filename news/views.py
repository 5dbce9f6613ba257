"""Public pages of the news: home, article list with filters and search, article detail."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from news import search
from news.caching import cached_per_version, fragments, per_version
from news.filters import ArticleFilter, SortOrder, active_filters, territory_choice
from news.mixins import NO_ARTICLES, PublicPageMixin, region_counts
from news.pagination import NewestFirstPaginator, OrderedIdsPaginator, latest
from news.search import article_snippets
from news.selectors import (
    article_detail_queryset,
    date_ordering,
    published_articles,
    related_articles,
    with_card_data,
)
from news.seo import absolute_url, article_json_ld, summary
from news.versioning import current_version
from territories.models import IndustryLabel, LabelPhase, Territory, TerritoryKind
from territories.selectors import OVERVIEW_TOLERANCE, label_map, programme_phase_counts


class HomeView(PublicPageMixin, TemplateView):
    template_name = "news/home.html"
    latest_count = 7

    def get_regions(self) -> list[Territory]:
        """The régions, each with ``article_count``: the published articles about it or inside
        it, the number its page and the territory list show (``region_counts``)."""
        counts = region_counts(self.request)
        regions = list(
            Territory.objects.filter(kind=TerritoryKind.REGION, is_obsolete=False)
            .only("pk", "name", "slug", "code")
            .order_by("sort_name")
        )
        for region in regions:
            region.article_count = counts.get(region.pk, NO_ARTICLES)["total"]
        return regions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        phases = dict(
            IndustryLabel.objects.order_by()
            .values_list("phase")
            .annotate(n=Count("pk"))
            .values_list("phase", "n")
        )
        context.update(
            latest_articles=latest(with_card_data(published_articles()), self.latest_count),
            regions=self.get_regions(),
            label_phases=[
                (phase, phase_label, phases.get(phase, 0))
                for phase, phase_label in LabelPhase.choices
            ],
            label_count=sum(phases.values()),
            # The programme's own figures (the ANCT lists), not the labels only articles know.
            programme_phases=programme_phase_counts(),
            # Computed once per content version (the SVG is cached in the template).
            map=per_version(
                f"label-map:{OVERVIEW_TOLERANCE}",
                current_version(self.request),
                lambda: label_map(OVERVIEW_TOLERANCE),
            ),
        )
        return context


class ArticleListView(PublicPageMixin, FilterView):
    """Published articles, filtered and searched through ``ArticleFilter`` (all in the URL)."""

    filterset_class = ArticleFilter
    template_name = "news/article_list.html"
    paginate_by = 20

    def get_queryset(self):
        return with_card_data(published_articles().order_by(*date_ordering()))

    def get_paginator(self, queryset, *args, **kwargs):
        results = self.filterset.search_results
        version = current_version(self.request)
        identity = self.filterset.cache_identity
        if self.filterset.sort_order == SortOrder.NEWEST:
            if results is not None:
                kwargs["counts"] = {"total": results.total, "dated": results.dated}
            elif (region := self.filterset.region_alone) is not None:
                # A région alone, the commonest costly list: all régions are counted at once.
                kwargs["counts"] = region_counts(self.request).get(region.pk, NO_ARTICLES)
            return NewestFirstPaginator(
                queryset, *args, version=version, count_key=identity, **kwargs
            )
        if results is not None:
            # Ranking reads the search vector of every candidate: the ranked ids are read
            # once per content version, then each page reads its twenty rows.
            ids = cached_per_version(
                "search-order",
                identity,
                version,
                lambda: list(queryset.values_list("pk", flat=True)),
            )
            # The rows by primary key only: the template needs no rank.
            rows = self.get_queryset().order_by()
            return OrderedIdsPaginator(
                queryset, *args, ids=ids, rows=lambda page: rows.filter(pk__in=page), **kwargs
            )
        return super().get_paginator(queryset, *args, **kwargs)

    def get_canonical_url(self):
        # Filtered variants are the same page seen through a filter: one canonical address.
        return absolute_url(self.request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        articles = list(context["object_list"])
        if page is not None:
            page.object_list = articles
        query = self.filterset.search_query
        result_count = page.paginator.count if page is not None else len(articles)
        if query and articles:
            snippets = self.get_snippets(articles, query)
            for article in articles:
                article.snippet = snippets.get(article.pk)
        context.update(
            articles=articles,
            result_count=result_count,
            search_capped=bool(query) and result_count > search.SEARCH_LIMIT,
            search_limit=search.SEARCH_LIMIT,
            search_query=query,
            sort_order=self.filterset.sort_order,
            active_filters=active_filters(self.filterset, self.request.path),
            territory_choice=territory_choice(
                self.filterset, self.request.path, empty=not articles
            ),
            filters_invalid=self.filterset.is_bound and not self.filterset.is_valid(),
            feeds=self.get_feeds(),
        )
        return context

    def get_snippets(self, articles, query: str) -> dict:
        """The highlighted extracts of the articles: read once per content version and query
        (``ts_headline`` reads each article's whole text)."""
        version = current_version(self.request)
        keys = {article.pk: f"snippet:{query}:{article.pk}" for article in articles}
        known = fragments.get_many(version, keys.values())
        missing = [pk for pk, key in keys.items() if key not in known]
        if missing:
            for pk, snippet in article_snippets(published_articles(), missing, query).items():
                fragments.set(version, keys[pk], snippet)
                known[keys[pk]] = snippet
        return {pk: known.get(key) for pk, key in keys.items()}

    def get_feeds(self) -> tuple[str, str]:
        """The feed matching the list: of the chosen place, organisation or tag, or of all."""
        data = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        places = self.filterset.places
        choices = [
            ("territory-feed", data.get("territoire")),
            ("territory-feed", places.get(data.get("departement"))),
            ("territory-feed", places.get(data.get("region"))),
            ("organisation-feed", data.get("organisation")),
            ("tag-feed", data.get("etiquette")),
        ]
        for prefix, obj in choices:
            if obj:
                return (
                    reverse(f"news:{prefix}-rss", kwargs={"slug": obj.slug}),
                    reverse(f"news:{prefix}-atom", kwargs={"slug": obj.slug}),
                )
        return reverse("news:feed-rss"), reverse("news:feed-atom")


class ArticleDetailView(PublicPageMixin, DetailView):
    """A published article; staff with the view permission also see drafts, flagged as such."""

    template_name = "news/article_detail.html"
    context_object_name = "article"

    def can_preview_drafts(self) -> bool:
        user = self.request.user
        return user.is_authenticated and user.is_staff and user.has_perm("news.view_article")

    def get_queryset(self):
        return article_detail_queryset(include_drafts=self.can_preview_drafts())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        canonical = absolute_url(article.get_absolute_url())
        context.update(
            canonical_url=canonical,
            meta_description=summary(article.lead or article.title),
            is_preview=not article.is_published,
            related_articles=related_articles(article),
            json_ld=article_json_ld(article, url=canonical) if article.is_published else None,
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            # A draft seen by an editor must never be cached or indexed.
            response["X-Robots-Tag"] = "noindex, nofollow"
            patch_cache_control(response, private=True, no_cache=True, no_store=True)
        return response
