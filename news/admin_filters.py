"""List filters of the import history's change lists."""

from django.utils.translation import gettext_lazy as _

from news.models import ImportRun
from territories.admin_filters import MAX_PK, DropdownFilter

RUNS_OFFERED = 30


class ImportFileRunFilter(DropdownFilter):
    """The files of one import, chosen among the latest in a drop-down list.

    Its parameter is the one Django's related-field filter used (``run__id__exact``), so the
    addresses the work queue and the import pages build keep working; an older import is
    still offered when the address names it.
    """

    title = _("import")
    parameter_name = "run__id__exact"

    def _pk(self) -> int | None:
        value = self.value()
        if value is None or not value.isdigit() or not 0 < int(value) <= MAX_PK:
            return None
        return int(value)

    def lookups(self, request, model_admin):
        runs = list(ImportRun.objects.order_by("-started_at", "-pk")[:RUNS_OFFERED])
        pk = self._pk()
        if pk is not None and pk not in {run.pk for run in runs}:
            runs += list(ImportRun.objects.filter(pk=pk))
        return [(str(run.pk), str(run)) for run in runs]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        pk = self._pk()
        return queryset.none() if pk is None else queryset.filter(run_id=pk)
