import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the full official reference once: the importer resolves names against it."""
    with django_db_blocker.unblock():
        call_command("loadterritories", verbosity=0)


@pytest.fixture
def reload_reference_after(django_db_blocker):
    """For transactional tests: their teardown empties every table, reload the reference."""
    yield
    with django_db_blocker.unblock():
        call_command("loadterritories", verbosity=0)
