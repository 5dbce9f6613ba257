"""A paginator for the admin's big tables (articles, territories).

``SELECT COUNT(*)`` reads the whole table on PostgreSQL (MVCC keeps no row count), which is
what makes the admin change list slow on large tables. For an unfiltered list, the planner's
estimate (``pg_class.reltuples``, kept current by autovacuum) is enough to draw the page
links; filtered lists and small tables keep the exact count.
"""

from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet


def estimated_row_count(queryset: QuerySet) -> int | None:
    """The planner's estimate of the rows of the queryset's table, or None if unknown."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    # reltuples is -1 for a table never vacuumed nor analysed.
    if row is None or row[0] is None or row[0] < 0:
        return None
    return int(row[0])


def is_unfiltered(queryset: QuerySet) -> bool:
    query = queryset.query
    return not query.where and not query.distinct and not query.is_sliced


class EstimatedCountPaginator(Paginator):
    """Exact counts below ``exact_below`` rows or when filtered; the estimate above."""

    exact_below = 10_000

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet) and is_unfiltered(self.object_list):
            estimate = estimated_row_count(self.object_list)
            if estimate is not None and estimate >= self.exact_below:
                return estimate
        return super().count
