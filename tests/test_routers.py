"""Reads from the replica only in an anonymous reader's GET; everything else on the primary."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from config.middleware import ReplicaReadsMiddleware, reads_from_replica
from config.routers import PrimaryReplicaRouter, replica_reads, replica_reads_enabled
from news.models import Article

router = PrimaryReplicaRouter()
factory = RequestFactory()


def test_outside_a_request_reads_and_writes_go_to_the_primary():
    # Management commands (loadseeds, loadterritories, exportdata), the shell, migrations.
    assert router.db_for_read(Article) == "default"
    assert router.db_for_write(Article) == "default"


def test_reads_go_to_the_replica_only_where_allowed_and_writes_never_do():
    with replica_reads():
        assert router.db_for_read(Article) == "replica"
        assert router.db_for_write(Article) == "default"
        with replica_reads(False):
            assert router.db_for_read(Article) == "default"
        assert router.db_for_read(Article) == "replica"
    assert router.db_for_read(Article) == "default"


def test_only_the_primary_is_migrated_and_relations_cross_aliases():
    assert router.allow_migrate("default", "news")
    assert not router.allow_migrate("replica", "news")
    assert router.allow_relation(Article(), Article())


@pytest.mark.parametrize(
    ("method", "path", "cookies", "expected"),
    [
        ("get", "/articles/", {}, True),
        ("head", "/territoires/bethune-62/", {}, True),
        ("get", "/flux/rss/", {"csrftoken": "x"}, True),
        ("post", "/articles/", {}, False),
        ("get", "/admin/", {}, False),
        ("get", "/admin/news/article/", {}, False),
        ("get", "/articles/", {settings.SESSION_COOKIE_NAME: "editor-session"}, False),
    ],
)
def test_which_requests_may_read_from_the_replica(method, path, cookies, expected):
    request = getattr(factory, method)(path)
    request.COOKIES.update(cookies)
    assert reads_from_replica(request) is expected


def test_the_middleware_allows_replica_reads_for_the_request_only():
    seen = []

    def view(request):
        seen.append(replica_reads_enabled())
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(view)
    middleware(factory.get("/articles/"))
    middleware(factory.post("/articles/"))
    assert seen == [True, False]
    assert not replica_reads_enabled()
