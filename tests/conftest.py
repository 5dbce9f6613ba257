import pytest
from django.core.management import call_command
from pytest_django.plugin import blocking_manager_key

from territories.services import reference_is_loaded


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the full official reference once: the importer resolves names against it."""
    with django_db_blocker.unblock():
        call_command("loadterritories", verbosity=0)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (``live_server``, ``transaction=True``) ends with every table
    flushed, after all its fixtures are torn down: put the reference back for the next tests."""
    result = yield
    # After the last test the session's databases are already gone: nothing to put back.
    if nextitem is not None and "transactional_db" in getattr(item, "fixturenames", ()):
        blocker = item.config.stash[blocking_manager_key]
        with blocker.unblock():
            if not reference_is_loaded():
                call_command("loadterritories", verbosity=0)
    return result


def forget_cached_pages():
    """Empty the cache and what this process keeps per content version: the next request
    builds its page as if nobody had asked for it yet."""
    from django.core.cache import cache

    from news import caching

    cache.clear()
    caching.clear_local()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Public pages are cached under the content version, a database row that each test's
    rollback puts back: a page one test cached must not answer the next one."""
    forget_cached_pages()


@pytest.fixture
def cold():
    """``cold()`` before a request measures the page nobody has asked for yet."""
    return forget_cached_pages
