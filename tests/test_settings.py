import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def run_settings(**env):
    """Import the production settings in a fresh interpreter with the given environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    clean.update(env)
    code = (
        "import config.settings.base as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.SESSION_COOKIE_SECURE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_language_and_time_zone_are_french():
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"


def test_production_refuses_to_start_without_secret():
    result = run_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_an_insecure_secret():
    result = run_settings(DEBUG="0", SECRET_KEY="django-insecure-abc")
    assert result.returncode != 0
    assert "insecure" in result.stderr


def test_production_with_a_real_secret_has_secure_cookies():
    result = run_settings(DEBUG="0", SECRET_KEY="x" * 50, DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False", "True"]


def test_database_url_selects_postgresql():
    result = run_settings(DEBUG="1", DATABASE_URL="postgres://user@127.0.0.1:5432/db")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_the_suite_runs_on_the_backend_the_environment_asks_for():
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected
