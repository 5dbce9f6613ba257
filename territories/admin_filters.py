"""List filters and search conditions shared by the territories' and the articles' admin.

Filters through multi-valued relations use ``IN``/``EXISTS`` subqueries rather than joins so
that the change list never needs ``DISTINCT`` (slow on big tables, and it breaks ordering).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from territories.models import IndustryLabel, Territory, TerritoryKind
from territories.naming import ABBREVIATIONS, fold, name_tokens

KIND_ORDER = [
    TerritoryKind.REGION,
    TerritoryKind.DEPARTEMENT,
    TerritoryKind.EPCI,
    TerritoryKind.GROUPING,
    TerritoryKind.COMMUNE,
]


def search_tokens(term: str) -> list[str]:
    """The folded words of a search term: "St-Omer" -> ["saint", "omer"]."""
    return name_tokens(term) or fold(term).split()


def tokens_condition(field: str, tokens: list[str]) -> Q:
    """Every token appears in ``field`` (a folded column, so ``contains`` uses the trigram
    index on PostgreSQL where ``icontains`` would not)."""
    condition = Q()
    for token in tokens:
        condition &= Q(**{f"{field}__contains": token})
    return condition


def relevance_ordering(queryset: QuerySet, term: str, *, with_kind: bool = True) -> QuerySet:
    """Exact names first, then names starting with the term, larger territories first."""
    folded = fold(term)
    # "St-Omer" is exactly "saint omer".
    expanded = " ".join(ABBREVIATIONS.get(word, word) for word in folded.split())
    rank = Case(
        When(normalized_name__in={folded, expanded}, then=Value(0)),
        When(
            Q(normalized_name__startswith=folded) | Q(normalized_name__startswith=expanded),
            then=Value(1),
        ),
        default=Value(2),
        output_field=IntegerField(),
    )
    ordering = ["_search_rank"]
    queryset = queryset.annotate(_search_rank=rank)
    if with_kind:
        queryset = queryset.annotate(
            _kind_rank=Case(
                *[When(kind=kind, then=Value(i)) for i, kind in enumerate(KIND_ORDER)],
                default=Value(len(KIND_ORDER)),
                output_field=IntegerField(),
            )
        )
        ordering += ["_kind_rank", F("population").desc(nulls_last=True)]
    return queryset.order_by(*ordering, "name", "pk")


# Primary keys are 64-bit: a larger number from the query string names no row, and SQLite
# cannot even bind it ("Python int too large to convert to SQLite INTEGER").
MAX_PK = 2**63 - 1


def _territory_pk(value) -> int | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk <= MAX_PK else None


class DropdownFilter(admin.SimpleListFilter):
    """A list filter shown as a labelled drop-down list with a "Filtrer" button.

    For long lists (101 départements, 180 Territoires d'industrie, every tag…) where one link
    per choice made the sidebar taller than 8,000 px. The choice is sent by a small GET form
    that carries the other filters along; no script is needed, and the empty choice
    ("Tous") clears the filter.
    """

    template = "admin/filters/dropdown.html"

    def __init__(self, request, params, model, model_admin):
        # "Tous" submits the parameter empty: no filter, not "no row".
        if params.get(self.parameter_name) in ([""], ""):
            params.pop(self.parameter_name)
        self.hidden_params = [
            (name, value)
            for name, values in request.GET.lists()
            if name not in (self.parameter_name, PAGE_VAR, ERROR_FLAG)
            for value in values
        ]
        super().__init__(request, params, model, model_admin)

    @property
    def field_id(self) -> str:
        return f"changelist-filter-{self.parameter_name}"

    def choices(self, changelist):
        value = self.value()
        yield {"selected": value is None, "value": "", "display": _("Tous")}
        for lookup, title in self.lookup_choices:
            yield {"selected": value == str(lookup), "value": str(lookup), "display": title}


class TerritoryScopeFilter(admin.SimpleListFilter):
    """Rows about a région or département, or about anything inside it.

    Subclasses say which kind of territory is offered and how to restrict their queryset to
    what lies within the chosen territory (``filter_within``).
    """

    kind: str

    def territory(self) -> Territory | None:
        pk = _territory_pk(self.value())
        if pk is None:
            return None
        return Territory.objects.filter(pk=pk, kind=self.kind).first()

    def choices_queryset(self):
        return Territory.objects.filter(kind=self.kind, is_obsolete=False).order_by("code")

    def lookups(self, request, model_admin):
        return [(str(place.pk), self.choice_label(place)) for place in self.choices_queryset()]

    def choice_label(self, place: Territory) -> str:
        return place.name

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        territory = self.territory()
        if territory is None:
            return queryset.none()
        return self.filter_within(queryset, territory)

    def filter_within(self, queryset: QuerySet, territory: Territory) -> QuerySet:
        raise NotImplementedError


class RegionScopeFilter(TerritoryScopeFilter):
    title = _("région")
    parameter_name = "region"
    kind = TerritoryKind.REGION


class DepartementScopeFilter(DropdownFilter, TerritoryScopeFilter):
    """Départements, narrowed to the chosen région's when a région is chosen too."""

    title = _("département")
    parameter_name = "departement"
    kind = TerritoryKind.DEPARTEMENT
    region_parameter = "region"

    def __init__(self, request, params, model, model_admin):
        # The région filter has already consumed its parameter from ``params``.
        self.region_pk = _territory_pk(request.GET.get(self.region_parameter))
        super().__init__(request, params, model, model_admin)

    def choices_queryset(self):
        queryset = super().choices_queryset()
        if self.region_pk is not None:
            queryset = queryset.filter(region_id=self.region_pk)
        return queryset

    def choice_label(self, place: Territory) -> str:
        return f"{place.code} – {place.name}"


class IndustryLabelScopeFilter(DropdownFilter):
    """Rows about a Territoire d'industrie; the labels offered are narrowed to the chosen
    région's when one is chosen.

    Subclasses say how to restrict their queryset to the chosen label (``filter_label``).
    """

    title = _("territoire d'industrie")
    parameter_name = "label"
    region_parameter = "region"

    def __init__(self, request, params, model, model_admin):
        # The région filter has already consumed its parameter from ``params``.
        self.region_pk = _territory_pk(request.GET.get(self.region_parameter))
        super().__init__(request, params, model, model_admin)

    def label(self) -> IndustryLabel | None:
        pk = _territory_pk(self.value())
        return None if pk is None else IndustryLabel.objects.filter(pk=pk).first()

    def lookups(self, request, model_admin):
        labels = IndustryLabel.objects.order_by("name")
        if self.region_pk is not None:
            labels = labels.filter(region_id=self.region_pk)
        return [(str(label.pk), label.name) for label in labels.only("pk", "name")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        label = self.label()
        if label is None:
            return queryset.none()
        return self.filter_label(queryset, label)

    def filter_label(self, queryset: QuerySet, label: IndustryLabel) -> QuerySet:
        raise NotImplementedError


class TerritoryRegionFilter(RegionScopeFilter):
    def filter_within(self, queryset, territory):
        return queryset.filter(Territory.objects.within_q(territory))


class TerritoryDepartementFilter(DepartementScopeFilter):
    def filter_within(self, queryset, territory):
        # within() follows the départements M2M of EPCIs: a subquery avoids duplicate rows.
        return queryset.filter(pk__in=Territory.objects.within(territory).values("pk"))


class TerritoryIndustryLabelFilter(IndustryLabelScopeFilter):
    """Member territories of a label and the communes of its member intercommunalités."""

    def filter_label(self, queryset, label):
        members = label.territories.values("pk")
        return queryset.filter(Q(pk__in=members) | Q(epci__in=members))


class YesNoListFilter(admin.SimpleListFilter):
    """A yes/no filter on one condition: "yes" keeps the rows that meet it, "no" the others."""

    def lookups(self, request, model_admin):
        return [("yes", _("Oui")), ("no", _("Non"))]

    def condition(self) -> Q:
        raise NotImplementedError

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition())
        if self.value() == "no":
            return queryset.exclude(self.condition())
        return queryset


class EditedByEditorFilter(YesNoListFilter):
    """Rows an editor has changed (``edited_at`` set): imports leave them alone."""

    title = _("modifié par un éditeur")
    parameter_name = "edited"

    def condition(self):
        return Q(edited_at__isnull=False)
