"""The admin paginator that avoids a full COUNT on PostgreSQL's big tables."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from territories.models import Territory, TerritoryKind
from territories.pagination import EstimatedCountPaginator, estimated_row_count

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's"
)


def count_queries(queries) -> int:
    return sum("COUNT(" in query["sql"].upper() for query in queries)


@on_postgresql
def test_unfiltered_big_table_uses_the_planner_estimate_without_counting():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE territories_territory")
    exact = Territory.objects.count()
    paginator = EstimatedCountPaginator(Territory.objects.order_by("pk"), 100)
    with CaptureQueriesContext(connection) as queries:
        estimate = paginator.count
    assert count_queries(queries) == 0
    assert abs(estimate - exact) < exact * 0.1
    assert paginator.page(2).object_list[0].pk > 0


def test_filtered_lists_and_small_tables_are_counted_exactly():
    communes = Territory.objects.filter(kind=TerritoryKind.COMMUNE, code__startswith="62")
    with CaptureQueriesContext(connection) as queries:
        count = EstimatedCountPaginator(communes, 100).count
    assert count == communes.count()
    assert count_queries(queries) == 1
    regions = Territory.objects.filter(kind=TerritoryKind.REGION)
    assert EstimatedCountPaginator(regions, 10).count == regions.count()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite and others only")
def test_there_is_no_estimate_outside_postgresql():
    assert estimated_row_count(Territory.objects.all()) is None
    assert EstimatedCountPaginator(Territory.objects.all(), 10).count == Territory.objects.count()
