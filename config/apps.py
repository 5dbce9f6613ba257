"""Third-party apps configured for the editors (named in INSTALLED_APPS instead of theirs)."""

from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from taggit.apps import TaggitAppConfig


class EditorsAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the editors' site: the work queue on the index."""

    default_site = "news.admin_site.EditorsAdminSite"


class TagsConfig(TaggitAppConfig):
    """django-taggit under the editors' word for it: "Étiquettes", not "Taggit"."""

    verbose_name = _("Étiquettes")
