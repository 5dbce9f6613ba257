"""django-simple-history's admin views, with a 404 for an address that names no record."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """``…/<id>/history/`` and ``…/<id>/history/<version>/`` for any text in the address.

    simple-history passes both parts of the path to the ORM as they come: ``history/abc/``
    raised a ``ValueError`` (a 500) where Django's own admin views answer 404.
    """

    def _check_history_address(self, object_id: str, version_id: str | None = None) -> None:
        manager = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        history_pk = manager.model._meta.pk
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            if version_id is not None:
                history_pk.to_python(version_id)
        except ValidationError as error:
            raise Http404 from error

    def history_view(self, request, object_id, extra_context=None):
        self._check_history_address(object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_history_address(object_id, version_id)
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )
