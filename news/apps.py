from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "news"
    verbose_name = _("Actualités")

    def ready(self):
        from news.search import register_sqlite_functions
        from news.versioning import connect_signals

        # The SQLite search fallback folds case and accents in SQL (see news/search.py).
        connection_created.connect(register_sqlite_functions, dispatch_uid="news_sqlite_fold")
        # Any write to public content gives the public caches a new version.
        connect_signals()
