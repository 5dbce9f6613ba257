"""Reading the environment into settings: pure functions of a mapping, so tests need no reload.

``config/settings/base.py`` calls them with ``os.environ`` merged over the local ``.env`` file;
tests call them with plain dictionaries.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path

import dj_database_url
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
REPLICA = "replica"


# The .env file -------------------------------------------------------------------------------


def read_env_file(path: Path | str) -> dict[str, str]:
    """``NAME=value`` lines of a ``.env`` file; a missing file is an empty mapping.

    Blank lines and ``#`` comments are skipped, ``export NAME=value`` is accepted and one pair
    of surrounding quotes is removed. No interpolation, no multi-line values: the file only
    holds a few development switches.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return {}
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        name = name.removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in {"'", '"'}:
            value = value[1:-1]
        if name:
            values[name] = value
    return values


def merged_environment(environ: Mapping[str, str], env_file: Path | str | None) -> dict[str, str]:
    """The ``.env`` values under the real environment: a variable set in the shell wins."""
    values = read_env_file(env_file) if env_file else {}
    values.update(environ)
    return values


def new_env_file_text() -> str:
    """The ``.env`` that ``make install`` writes when there is none: development, a fresh key."""
    return (
        "# Local development settings, read by config/settings/base.py (never commit this file).\n"
        "# A variable set in the shell wins over this file.\n"
        "DEBUG=1\n"
        f"SECRET_KEY={generate_secret_key()}\n"
        "ALLOWED_HOSTS=localhost,127.0.0.1,[::1]\n"
    )


# Typed values --------------------------------------------------------------------------------


def env_bool(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = env.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_VALUES


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    value = (env.get(name) or "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error


def env_float(
    env: Mapping[str, str], name: str, default: float, *, low: float = 0.0, high: float = 1.0
) -> float:
    """A number between ``low`` and ``high`` (a share, a confidence)."""
    value = (env.get(name) or "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from error
    if not low <= number <= high:
        raise ImproperlyConfigured(f"{name} must be between {low} and {high}, not {value!r}.")
    return number


def env_list(env: Mapping[str, str], name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env.get(name, default).split(",") if item.strip()]


# The secret key ------------------------------------------------------------------------------


def generate_secret_key() -> str:
    """A key that passes Django's own check (50 characters or more, many distinct)."""
    return secrets.token_urlsafe(48)


def secret_key_is_strong(key: str) -> bool:
    """Django's rule (``security.W009`` of ``check --deploy``), applied at start-up."""
    return (
        len(key) >= SECRET_KEY_MIN_LENGTH
        and len(set(key)) >= SECRET_KEY_MIN_UNIQUE_CHARACTERS
        and not key.startswith(SECRET_KEY_INSECURE_PREFIX)
    )


def secret_key(env: Mapping[str, str], *, debug: bool, dev_key: str) -> str:
    """The configured key; with ``DEBUG`` off a missing or weak key stops the site."""
    key = env.get("SECRET_KEY", "")
    if debug:
        return key or dev_key
    if not key:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (export SECRET_KEY=… or DEBUG=1)."
        )
    if not secret_key_is_strong(key):
        raise ImproperlyConfigured(
            f"SECRET_KEY is insecure: with DEBUG off it needs at least {SECRET_KEY_MIN_LENGTH} "
            f"characters, {SECRET_KEY_MIN_UNIQUE_CHARACTERS} of them distinct, and no "
            f"{SECRET_KEY_INSECURE_PREFIX!r} prefix. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return key


# Databases and cache -------------------------------------------------------------------------


def _database(url: str, env: Mapping[str, str]) -> dict:
    config = dj_database_url.parse(
        url, conn_max_age=env_int(env, "CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the site read while an import writes; the timeout waits for the writer's lock.
        config.setdefault("OPTIONS", {}).update(
            {
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            }
        )
    return config


def database_settings(env: Mapping[str, str], *, sqlite_path: Path | str) -> dict:
    """``DATABASES``: ``DATABASE_URL`` or the SQLite file, plus ``replica`` when
    ``DATABASE_REPLICA_URL`` is set (see ``config.routers``)."""
    databases = {"default": _database(env.get("DATABASE_URL") or f"sqlite:///{sqlite_path}", env)}
    replica_url = env.get("DATABASE_REPLICA_URL")
    if replica_url:
        replica = _database(replica_url, env)
        # The test runner must not create a second test database: the replica mirrors it.
        replica["TEST"] = {"MIRROR": "default"}
        databases[REPLICA] = replica
    return databases


def database_routers(databases: Mapping[str, dict]) -> list[str]:
    return ["config.routers.PrimaryReplicaRouter"] if REPLICA in databases else []


def cache_settings(env: Mapping[str, str]) -> dict:
    """``CACHES``: Redis (Django's own backend) from ``REDIS_URL``, shared by every worker and
    server; otherwise each process keeps its own memory cache."""
    redis_url = env.get("REDIS_URL")
    if redis_url:
        default = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": env.get("CACHE_KEY_PREFIX", "territoires"),
        }
    else:
        default = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "territoires-industrie",
        }
    return {"default": default}
