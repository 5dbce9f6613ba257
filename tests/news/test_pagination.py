import datetime

import pytest

from news.pagination import NewestFirstPaginator, latest
from news.selectors import published_articles
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    """Three dated articles and two undated ones (the second created last)."""
    for day in (1, 3, 2):
        make_article(title=f"le {day}", published_on=datetime.date(2024, 5, day))
    make_article(title="sans date 1", published_on=None)
    make_article(title="sans date 2", published_on=None)
    make_article(title="brouillon", published_on=datetime.date(2024, 6, 1), status="draft")


def titles(page):
    return [article.title for article in page.object_list]


def test_pages_run_newest_first_with_undated_articles_last(articles):
    paginator = NewestFirstPaginator(published_articles(), 2)

    assert paginator.count == 5
    assert paginator.num_pages == 3
    assert titles(paginator.page(1)) == ["le 3", "le 2"]
    assert titles(paginator.page(2)) == ["le 1", "sans date 2"]  # where both parts meet
    assert titles(paginator.page(3)) == ["sans date 1"]


def test_orphans_join_the_last_page(articles):
    paginator = NewestFirstPaginator(published_articles(), 2, orphans=1)
    assert paginator.num_pages == 2
    assert titles(paginator.page(2)) == ["le 1", "sans date 2", "sans date 1"]


def test_latest_tops_up_with_undated_articles(articles):
    assert [a.title for a in latest(published_articles(), 2)] == ["le 3", "le 2"]
    assert [a.title for a in latest(published_articles(), 4)] == [
        "le 3",
        "le 2",
        "le 1",
        "sans date 2",
    ]


def test_a_page_costs_one_query_and_one_count(articles, django_assert_num_queries):
    paginator = NewestFirstPaginator(published_articles(), 2)
    with django_assert_num_queries(2):
        list(paginator.page(1).object_list)
