"""Newest-first pages of articles that PostgreSQL serves from its date index.

Readers expect the newest articles first and the undated ones last. ``ORDER BY published_on DESC
NULLS LAST`` says exactly that, but PostgreSQL cannot read it from the ``(status, published_on
DESC)`` index (a descending index keeps NULLs first), so with 50,000 articles every page would
sort the whole table (~40 ms). Dated and undated articles are read as two index-ordered
querysets instead, one after the other: each page costs one query (two where they meet) and the
counts one more.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, prefetch_related_objects
from django.utils.functional import cached_property

from news.caching import cached_per_version


def dated(queryset: QuerySet) -> QuerySet:
    return queryset.filter(published_on__isnull=False).order_by(
        "-published_on", "-created_at", "-pk"
    )


def undated(queryset: QuerySet) -> QuerySet:
    return queryset.filter(published_on__isnull=True).order_by("-created_at", "-pk")


def _concatenate(queryset: QuerySet, parts) -> list:
    """The rows of the sliced ``parts`` of ``queryset``, its prefetches made once for all rows."""
    lookups = queryset._prefetch_related_lookups
    rows = [row for part in parts for row in part.prefetch_related(None)]
    prefetch_related_objects(rows, *lookups)
    return rows


def latest(queryset: QuerySet, limit: int) -> list:
    """The ``limit`` newest articles of ``queryset``, undated ones last.

    One query, two when there are fewer dated articles than ``limit``; then one per prefetch.
    """
    rows = list(dated(queryset).prefetch_related(None)[:limit])
    if len(rows) < limit:
        rows += undated(queryset).prefetch_related(None)[: limit - len(rows)]
    prefetch_related_objects(rows, *queryset._prefetch_related_lookups)
    return rows


class NewestFirstPaginator(Paginator):
    """Pages of ``object_list`` (articles), newest first, undated articles after the others.

    ``counts`` (``{"total": …, "dated": …}``), when already known, saves the count query;
    with a content ``version`` and the ``count_key`` that tells the list apart, the counts are
    kept in the cache for that version (a région's count reads 5,000 articles' links: once per
    version, not on every page).
    """

    def __init__(
        self,
        object_list,
        per_page,
        orphans=0,
        allow_empty_first_page=True,
        *,
        counts=None,
        version=None,
        count_key=None,
    ):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.dated = dated(object_list)
        self.undated = undated(object_list)
        self.version = version
        self.count_key = count_key
        if counts is not None:
            self._counts = counts

    @cached_property
    def _counts(self) -> dict:
        def count() -> dict:
            # One pass for both: COUNT(published_on) skips the NULLs.
            return self.object_list.order_by().aggregate(
                total=Count("*"), dated=Count("published_on")
            )

        if self.version is None or self.count_key is None:
            return count()
        return cached_per_version("article-counts", self.count_key, self.version, count)

    @cached_property
    def dated_count(self) -> int:
        return self._counts["dated"]

    @cached_property
    def count(self) -> int:
        return self._counts["total"]

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        parts = []
        if bottom < self.dated_count:
            parts.append(self.dated[bottom : min(top, self.dated_count)])
        if top > self.dated_count:
            parts.append(self.undated[max(bottom - self.dated_count, 0) : top - self.dated_count])
        return self._get_page(_concatenate(self.object_list, parts), number, self)


class OrderedIdsPaginator(Paginator):
    """Pages of a filtered, ordered queryset that is costly to run twice (count, then page).

    Its ids are read once, in order: their number is the count, a slice of them the page, whose
    rows then come from ``rows(ids)`` (with whatever annotations the page shows). The territory
    directory filters ~37,000 rows through a semi-join on the article links: once, not twice.
    """

    def __init__(
        self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, rows, ids=None
    ):
        # ``ids``, when already known (from a cache), saves reading them.
        ids = list(object_list.values_list("pk", flat=True)) if ids is None else ids
        super().__init__(ids, per_page, orphans, allow_empty_first_page)
        self.rows = rows

    def page(self, number):
        page = super().page(number)
        by_id = {row.pk: row for row in self.rows(page.object_list)}
        page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]
        return page
