"""Test settings: the same environment-driven settings with a throw-away secret.

A developer's ``.env`` (``DEBUG=1``, their own database…) is never read: the suite behaves the
same on a fresh clone, on CI and on a working copy. Real environment variables still apply
(``DATABASE_URL`` selects PostgreSQL).
"""

import os
import tempfile
from pathlib import Path

os.environ["ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")

from config.environment import cache_settings  # noqa: E402

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: concurrent-import tests need connections that wait for each other.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"territoires-test-{os.getpid()}.sqlite3")
    }
elif os.environ.get("TEST_DATABASE_NAME"):
    # Two suites on one PostgreSQL server (two checkouts, two developers) need two databases.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test process keeps its own cache, whatever REDIS_URL says.
CACHES = cache_settings({})
# No collectstatic before the tests: WhiteNoise serves the source files (as with DEBUG on).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
