"""Settings driven by the environment.

With no ``DATABASE_URL`` the project runs on an embedded SQLite file so that a new user
needs no server; ``DATABASE_URL=postgres://…`` runs the same code on PostgreSQL (psycopg 3).
With ``DEBUG`` off (the default) the site refuses to start on a missing or weak secret.
Values come from the environment, then from the local ``.env`` file; the pure functions that
turn them into settings live in ``config/environment.py``. README.md lists every variable.
"""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config import environment
from config.environment import env_bool, env_float, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# The local ``.env`` (written by ``make install``) under the real environment: a variable set
# in the shell wins. ``ENV_FILE`` names another file; empty, no file is read (the test
# settings do this, so the suite behaves the same with or without a developer's ``.env``).
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
_env = environment.merged_environment(os.environ, ENV_FILE)

DEBUG = env_bool(_env, "DEBUG")

# A development key is only ever used with DEBUG on; production must provide a strong one
# (Django's own rule, the one ``check --deploy`` applies).
DEV_SECRET_KEY = "django-insecure-dev-only-do-not-use-in-production"
SECRET_KEY = environment.secret_key(_env, debug=DEBUG, dev_key=DEV_SECRET_KEY)

ALLOWED_HOSTS = env_list(_env, "ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list(_env, "CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.apps.EditorsAdminConfig",  # django.contrib.admin with the work queue
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_filters",
    "config.apps.TagsConfig",  # taggit, named "Étiquettes" in the admin
    "simple_history",
    "territories",
    "news",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (compressed, with far-future caching) before any other work.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL byte or an over-long parameter gets a 400 here, before any view or filter.
    "config.middleware.RejectMalformedRequestsMiddleware",
    "config.middleware.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "news.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

SQLITE_PATH = Path(_env.get("SQLITE_PATH") or BASE_DIR / "db.sqlite3")
# DATABASE_URL (or the SQLite file), and a read replica when DATABASE_REPLICA_URL is set.
DATABASES = environment.database_settings(_env, sqlite_path=SQLITE_PATH)
DATABASE_ROUTERS = environment.database_routers(DATABASES)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(_env.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed copies made by collectstatic and served by WhiteNoise.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Redis (REDIS_URL) when several processes or servers must share it, else local memory.
CACHES = environment.cache_settings(_env)

# Security: every flag can be switched on from the environment behind HTTPS.
SESSION_COOKIE_SECURE = env_bool(_env, "SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool(_env, "CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool(_env, "SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env_int(_env, "SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(_env, "SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool(_env, "SECURE_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool(_env, "SECURE_PROXY_SSL_HEADER"):
    # Only behind a proxy that sets X-Forwarded-Proto itself and strips the client's.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SITE_NAME = _env.get("SITE_NAME", "Territoires d’industrie — actualités")
SITE_URL = _env.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

TAGGIT_CASE_INSENSITIVE = True

# The importer refuses a file larger than this many bytes (8 MiB by default): a scraped page is
# a few kilobytes, so a bigger "text" is a dump or a mistake, and it is never read into memory.
IMPORT_MAX_FILE_BYTES = env_int(_env, "IMPORT_MAX_FILE_BYTES", 8 * 1024 * 1024)
# Publishing an import (loadseeds --publish) confirms the links whose confidence is at least
# this (0–1); the others stay suggestions, hidden from readers until an editor confirms them.
# Calibrated on the importer's evaluation pages (make eval, README "Publishing an import").
IMPORT_CONFIRM_THRESHOLD = env_float(_env, "IMPORT_CONFIRM_THRESHOLD", 0.8)
# "Importer un lot" in the admin: what one upload may weigh, sent and once decompressed
# (32 MiB by default; the texts are held in memory while they are imported), and how many
# entries one .zip may hold. The upload handler stops reading files past the first limit.
IMPORT_MAX_UPLOAD_BYTES = env_int(_env, "IMPORT_MAX_UPLOAD_BYTES", 32 * 1024 * 1024)
IMPORT_MAX_ARCHIVE_MEMBERS = env_int(_env, "IMPORT_MAX_ARCHIVE_MEMBERS", 500)
FILE_UPLOAD_HANDLERS = [
    "news.upload_handlers.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOG_LEVEL = _env.get("LOG_LEVEL", "WARNING").upper()
# One handler, on the root logger, one line per event. Django's defaults give the "django"
# logger a console handler of its own (with DEBUG on) while it also propagates to the root
# one: every line was written twice. Naming "django" here with no handler removes it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "()": "config.logging.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # runserver's request lines.
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
