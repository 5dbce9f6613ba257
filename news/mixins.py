"""Behaviour shared by the public views of both apps."""

from __future__ import annotations

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.utils.translation import gettext as _

from news.caching import cached_per_version
from news.pagination import NewestFirstPaginator
from news.selectors import region_article_counts, with_card_data
from news.seo import absolute_url
from news.versioning import current_version


class PublicPageMixin:
    """The canonical address of a page: ``SITE_URL`` + path, plus its page number if any."""

    def get_canonical_url(self) -> str:
        page = self.request.GET.get(getattr(self, "page_kwarg", "page"), "")
        suffix = f"?page={page}" if page.isdigit() and page != "1" else ""
        return absolute_url(self.request.path) + suffix

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("canonical_url", self.get_canonical_url())
        return context


NO_ARTICLES = {"total": 0, "dated": 0}


def region_counts(request) -> dict[int, dict]:
    """Every région's article counts (``region_article_counts``), once per content version."""
    return cached_per_version("region-counts", (), current_version(request), region_article_counts)


def paginate(
    queryset,
    request,
    per_page: int,
    page_kwarg: str = "page",
    paginator_class=Paginator,
    **paginator_kwargs,
):
    """A page of ``queryset`` from the query string; an invalid page number is a 404."""
    paginator = paginator_class(queryset, per_page, **paginator_kwargs)
    number = request.GET.get(page_kwarg) or 1
    try:
        page = paginator.page(number)
    except InvalidPage as error:
        raise Http404(_("Cette page n’existe pas.")) from error
    page.object_list = list(page.object_list)
    return page


class ArticleBlockMixin:
    """A paginated list of published article cards under a territory, organisation or label.

    Subclasses return the published articles in ``get_articles()``, shown newest first; the
    counts, the page and the cards' territories take four queries whatever the page size.
    """

    articles_per_page = 20
    page_kwarg = "page"

    def get_articles(self):
        raise NotImplementedError

    def get_article_counts(self) -> dict | None:
        """``{"total": …, "dated": …}`` when already known, else they are counted."""
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = paginate(
            with_card_data(self.get_articles()),
            self.request,
            self.articles_per_page,
            paginator_class=NewestFirstPaginator,
            counts=self.get_article_counts(),
            # The counts are kept for the content version: a région's are costly.
            version=current_version(self.request),
            count_key=(type(self).__name__, self.object.pk),
        )
        context.update(
            articles=page.object_list,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.paginator.num_pages > 1,
            article_count=page.paginator.count,
        )
        return context
