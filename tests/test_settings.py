"""Settings built from the environment: pure functions first, then the real modules in a fresh
interpreter where only a reload shows the behaviour (start-up failures, .env, logging)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks.security.base import _check_secret_key
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from config import environment

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = environment.generate_secret_key()

# Variables that would make the subprocesses depend on the machine running the tests.
_MACHINE_VARIABLES = {
    "SECRET_KEY",
    "DEBUG",
    "ENV_FILE",
    "REDIS_URL",
    "DATABASE_REPLICA_URL",
    "ALLOWED_HOSTS",
    "LOG_LEVEL",
}


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    """``code`` in a fresh interpreter, from the project root, with the given environment."""
    clean = {k: v for k, v in os.environ.items() if k not in _MACHINE_VARIABLES}
    clean.setdefault("ENV_FILE", "")
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def run_settings(**env) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh interpreter with the given environment."""
    code = (
        "import config.settings.base as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.SESSION_COOKIE_SECURE)"
    )
    return run_python(code, **env)


def test_language_and_time_zone_are_french():
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"


# SECRET_KEY -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "",
        "x" * 50,  # one distinct character
        "abcd" * 20,  # four
        "a1b2c3d4e5" * 4 + "f6g7h8i9",  # 48 characters
        "django-insecure-" + STRONG_KEY,
        "test-secret-key-not-for-production-0123456789abcdef",
        STRONG_KEY,
        "abcde" * 10,
    ],
)
def test_the_secret_key_rule_is_djangos_own(key):
    assert environment.secret_key_is_strong(key) is _check_secret_key(key)


def test_production_refuses_a_missing_or_weak_secret_key():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        environment.secret_key({}, debug=False, dev_key="dev")
    for weak in ("x" * 50, "django-insecure-" + STRONG_KEY, STRONG_KEY[:49]):
        with pytest.raises(ImproperlyConfigured, match="insecure"):
            environment.secret_key({"SECRET_KEY": weak}, debug=False, dev_key="dev")
    assert environment.secret_key({"SECRET_KEY": STRONG_KEY}, debug=False, dev_key="d") == (
        STRONG_KEY
    )


def test_development_falls_back_on_the_development_key():
    assert environment.secret_key({}, debug=True, dev_key="dev") == "dev"
    assert environment.secret_key({"SECRET_KEY": "short"}, debug=True, dev_key="dev") == "short"


def test_generated_keys_are_strong_and_new():
    assert environment.secret_key_is_strong(environment.generate_secret_key())
    assert environment.generate_secret_key() != environment.generate_secret_key()


def test_production_refuses_to_start_without_secret():
    result = run_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_key_djangos_check_calls_weak():
    result = run_settings(DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "insecure" in result.stderr


def test_production_with_a_real_secret_has_secure_cookies():
    result = run_settings(DEBUG="0", SECRET_KEY=STRONG_KEY, DATABASE_URL="")
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


# check --deploy with the README's production variables ----------------------------------------


def readme_production_variables() -> dict[str, str]:
    """The ``export NAME=value`` lines of the README's "Deploying" section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deploying", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\s+export ([A-Z_]+)=(\S*)$", section, flags=re.MULTILINE))


def test_readme_lists_the_production_variables():
    variables = readme_production_variables()
    assert variables["DEBUG"] == "0"
    assert {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SITE_URL",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
    } <= set(variables)


def test_check_deploy_is_clean_with_the_readme_production_variables():
    variables = {**readme_production_variables(), "SECRET_KEY": STRONG_KEY}
    code = (
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    result = run_python(code, DJANGO_SETTINGS_MODULE="config.settings.base", **variables)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# .env -------------------------------------------------------------------------------------------


def test_env_file_is_read_with_comments_quotes_and_export(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# local settings\n\nDEBUG=1\nexport SITE_NAME='Actu locale'\nEMPTY=\nnot a pair\n"
        'SECRET_KEY="a=b"\n',
        encoding="utf-8",
    )
    assert environment.read_env_file(env_file) == {
        "DEBUG": "1",
        "SITE_NAME": "Actu locale",
        "EMPTY": "",
        "SECRET_KEY": "a=b",
    }
    assert environment.read_env_file(tmp_path / "missing") == {}


def test_real_environment_variables_win_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSITE_NAME=fichier\n", encoding="utf-8")
    merged = environment.merged_environment({"DEBUG": "0"}, env_file)
    assert merged["DEBUG"] == "0"
    assert merged["SITE_NAME"] == "fichier"
    assert environment.merged_environment({"A": "1"}, "") == {"A": "1"}


def test_new_env_file_is_for_development_with_a_strong_key(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(environment.new_env_file_text(), encoding="utf-8")
    values = environment.read_env_file(env_file)
    assert values["DEBUG"] == "1"
    assert environment.secret_key_is_strong(values["SECRET_KEY"])
    assert environment.new_env_file_text() != environment.new_env_file_text()


def test_settings_read_the_env_file_under_the_environment(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"DEBUG=0\nSECRET_KEY={STRONG_KEY}\nSITE_NAME=fichier\n")
    code = "import config.settings.base as s; print(s.DEBUG, s.SITE_NAME)"
    assert run_python(code, ENV_FILE=str(env_file)).stdout.split() == ["False", "fichier"]
    shell_wins = run_python(code, ENV_FILE=str(env_file), DEBUG="1", SITE_NAME="shell")
    assert shell_wins.stdout.split() == ["True", "shell"]


def test_test_settings_ignore_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "DEBUG=1\nSECRET_KEY=short\nDATABASE_URL=sqlite:////nowhere/db.sqlite3\n"
        "REDIS_URL=redis://127.0.0.1:1/0\nSITE_URL=https://dev.example\n"
    )
    code = (
        "import config.settings.test as s;"
        "print(s.DEBUG, s.SECRET_KEY, s.DATABASES['default']['NAME'],"
        " s.CACHES['default']['BACKEND'], s.SITE_URL)"
    )
    without = run_python(code)
    with_file = run_python(code, ENV_FILE=str(env_file))
    assert without.returncode == 0, without.stderr
    assert with_file.stdout == without.stdout
    assert "locmem" in without.stdout


# Databases and cache ------------------------------------------------------------------------


def test_without_redis_each_process_caches_in_memory():
    caches = environment.cache_settings({})
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert environment.cache_settings({"REDIS_URL": ""}) == caches


def test_redis_url_selects_djangos_redis_cache():
    caches = environment.cache_settings({"REDIS_URL": "redis://cache.internal:6379/2"})
    assert caches["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
        "KEY_PREFIX": "territoires",
    }


def test_without_a_replica_there_is_one_database_and_no_router(tmp_path):
    databases = environment.database_settings({}, sqlite_path=tmp_path / "db.sqlite3")
    assert list(databases) == ["default"]
    assert databases["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert databases["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert environment.database_routers(databases) == []


def test_a_replica_url_adds_the_replica_and_its_router(tmp_path):
    databases = environment.database_settings(
        {
            "DATABASE_URL": "postgres://app@primary.internal:5432/actu",
            "DATABASE_REPLICA_URL": "postgres://app@replica.internal:5432/actu",
        },
        sqlite_path=tmp_path / "db.sqlite3",
    )
    assert databases["default"]["HOST"] == "primary.internal"
    assert databases["replica"]["HOST"] == "replica.internal"
    # The test runner reuses the primary's test database rather than creating another.
    assert databases["replica"]["TEST"] == {"MIRROR": "default"}
    assert environment.database_routers(databases) == ["config.routers.PrimaryReplicaRouter"]


def test_a_whole_number_setting_refuses_other_text():
    with pytest.raises(ImproperlyConfigured, match="SECURE_HSTS_SECONDS"):
        environment.env_int({"SECURE_HSTS_SECONDS": "un an"}, "SECURE_HSTS_SECONDS", 0)


# Logging ----------------------------------------------------------------------------------------


def test_each_log_event_is_written_once_on_one_line():
    code = (
        "import django, logging; django.setup();"
        "logging.getLogger('django.request').warning('Not Found: /absente/');"
        "logging.getLogger('news').error('first line\\nsecond line')"
    )
    for debug in ("1", "0"):
        result = run_python(
            code,
            DJANGO_SETTINGS_MODULE="config.settings.base",
            DEBUG=debug,
            SECRET_KEY=STRONG_KEY,
        )
        lines = result.stderr.splitlines()
        assert len(lines) == 2, result.stderr
        assert lines[0].endswith("WARNING django.request Not Found: /absente/")
        assert lines[1].endswith("ERROR news first line\\nsecond line")
