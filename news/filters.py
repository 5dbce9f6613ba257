"""The filters of the public article list, bound from the query string by django-filter.

Every filter lives in the URL under a short French name (``?territoire=bethune-62&du=…``) so a
filtered list can be shared and bookmarked. Places, organisations and tags are chosen by slug
through a text input (with suggestions) rather than a 40,000-option ``<select>``; a typed exact
name is accepted too when it designates a single row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse_lazy
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from news import selectors
from news.caching import cached_per_version, per_version
from news.search import QUERY_MAX_LENGTH, search_articles
from news.versioning import current_version
from news.widgets import QuickSelect
from territories.models import IndustryLabel, LabelPhase, Territory, TerritoryKind
from territories.naming import fold, organisation_key
from territories.selectors import organisations_with_content


class SortOrder:
    NEWEST = "recent"
    OLDEST = "ancien"
    RELEVANCE = "pertinence"

    choices = [
        (NEWEST, _("Les plus récents d'abord")),
        (OLDEST, _("Les plus anciens d'abord")),
        (RELEVANCE, _("Pertinence (avec une recherche)")),
    ]


class SlugOrNameField(forms.ModelChoiceField):
    """A row chosen by its slug, or by its exact name when that name designates only one row."""

    default_error_messages = {
        "invalid_choice": _("Aucun résultat pour « %(value)s » : choisissez dans la liste."),
        "ambiguous": _("Plusieurs résultats pour « %(value)s » : choisissez dans la liste."),
    }

    def __init__(self, *args, name_lookup=None, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)
        self.name_lookup = name_lookup

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()[:200]
        found = self.queryset.filter(slug=value).first()
        if found is not None:
            return found
        condition = self.name_lookup(value) if self.name_lookup else None
        if condition is not None:
            matches = list(self.queryset.filter(condition)[:2])
            if len(matches) == 1:
                return matches[0]
            if matches:
                raise ValidationError(
                    self.error_messages["ambiguous"], code="ambiguous", params={"value": value}
                )
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class SlugOrNameFilter(django_filters.ModelChoiceFilter):
    field_class = SlugOrNameField


_COMMUNE_WITH_DEPARTEMENT_RE = re.compile(r"^(?P<name>.+?)\s*\((?P<code>[0-9][0-9AB][0-9]?)\)$")


def territory_name_lookup(value: str) -> Q | None:
    """ "Béthune" or "Béthune (62)", the way a territory is displayed."""
    match = _COMMUNE_WITH_DEPARTEMENT_RE.match(value)
    if match:
        return Q(
            normalized_name=fold(match["name"]),
            kind=TerritoryKind.COMMUNE,
            code__startswith=match["code"].upper(),
        )
    key = fold(value)
    return Q(normalized_name=key) if key else None


def organisation_name_lookup(value: str) -> Q | None:
    key = organisation_key(value) or fold(value)
    return Q(normalized_name=key) if key else None


def tag_name_lookup(value: str) -> Q | None:
    return Q(name__iexact=value)


def _search_widget(placeholder, suggest_url=None):
    attrs = {"placeholder": placeholder, "autocomplete": "off"}
    if suggest_url is not None:
        attrs["data-suggest-url"] = suggest_url
    return forms.TextInput(attrs=attrs)


class SharedChoiceField(django_filters.fields.ChoiceField):
    """A choice field whose copies share its choices rather than each copying them.

    Every form deep-copies its fields, and a choice field its choices: the hundred
    départements were copied twice per page. They are only ever read (the content version's
    régions, départements and labels), so sharing them is safe.
    """

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result


class SharedChoiceFilter(django_filters.ChoiceFilter):
    field_class = SharedChoiceField


def load_choices() -> dict:
    """Régions, départements and labels for the selects of ``ArticleFilter``: two queries.

    The rows are kept to filter by them (``filter_place``, ``filter_label``) without reading
    them again.
    """
    places = Territory.objects.filter(
        kind__in=[TerritoryKind.REGION, TerritoryKind.DEPARTEMENT], is_obsolete=False
    ).only("pk", "slug", "name", "kind", "code", "region_id")
    places = {place.slug: place for place in places}
    regions = sorted(
        (p for p in places.values() if p.kind == TerritoryKind.REGION),
        key=lambda p: fold(p.name),
    )
    region_names = {region.pk: region.name for region in regions}
    departements = defaultdict(list)
    for place in sorted(places.values(), key=lambda p: p.code or ""):
        if place.kind == TerritoryKind.DEPARTEMENT:
            group = region_names.get(place.region_id, "")
            departements[group].append((place.slug, f"{place.code} – {place.name}"))

    labels = IndustryLabel.objects.only("pk", "slug", "name", "phase").order_by("name")
    labels = {label.slug: label for label in labels}
    phases = []
    for phase, phase_label in LabelPhase.choices:
        options = [(lbl.slug, lbl.name) for lbl in labels.values() if lbl.phase == phase]
        if options:
            phases.append((phase_label, options))
    return {
        "places": places,
        "labels": labels,
        "region": [(r.slug, r.name) for r in regions],
        "departement": sorted(departements.items(), key=lambda item: fold(item[0])),
        "label": phases,
    }


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        max_length=QUERY_MAX_LENGTH,
        # Applied last, in filter_queryset(): the search limit applies to the filtered articles.
        method="filter_keep",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("réindustrialisation, hydrogène…")}
        ),
    )
    region = SharedChoiceFilter(
        label=_("Région"),
        method="filter_place",
        empty_label=_("Toutes les régions"),
        widget=QuickSelect,
    )
    departement = SharedChoiceFilter(
        label=_("Département"),
        method="filter_place",
        empty_label=_("Tous les départements"),
        widget=QuickSelect,
    )
    territoire = SlugOrNameFilter(
        label=_("Territoire"),
        queryset=Territory.objects.all(),
        name_lookup=territory_name_lookup,
        method="filter_territory",
        help_text=_("Commune, intercommunalité, département… (ses communes sont incluses)"),
        widget=_search_widget(
            _("Béthune, CA de Lens-Liévin…"), reverse_lazy("territories:territory-suggestions")
        ),
    )
    organisation = SlugOrNameFilter(
        label=_("Organisation"),
        # Only public rows: a draft-only organisation or tag must not be found by its slug.
        queryset=organisations_with_content(),
        name_lookup=organisation_name_lookup,
        method="filter_organisation",
        widget=_search_widget(
            _("Entreprise, chambre consulaire…"),
            reverse_lazy("territories:organisation-suggestions"),
        ),
    )
    label = SharedChoiceFilter(
        label=_("Territoire d'industrie"),
        method="filter_label",
        empty_label=_("Tous les territoires d'industrie"),
        widget=QuickSelect,
    )
    etiquette = SlugOrNameFilter(
        label=_("Étiquette"),
        queryset=selectors.tags_with_content(),
        name_lookup=tag_name_lookup,
        method="filter_tag",
        widget=_search_widget(_("industrie, emploi…")),
    )
    du = django_filters.DateFilter(
        label=_("Publié depuis le"),
        field_name="published_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    au = django_filters.DateFilter(
        label=_("Publié jusqu'au"),
        field_name="published_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    tri = SharedChoiceFilter(
        label=_("Trier"),
        choices=SortOrder.choices,
        method="filter_keep",
        empty_label=_("Par défaut"),
        widget=QuickSelect,
    )

    # Not filters: sorting is applied once the filters have run.
    not_filters = frozenset({"tri"})
    # Set by filter_queryset() when there is a search: the articles found and their counts.
    search_results = None

    # The selects whose options are rendered once per content version (see QuickSelect).
    quick_selects = ("region", "departement", "label", "tri")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Régions, départements and labels change with the content only: read and sorted
        # once per content version and process, not on every page.
        self._choices = per_version(
            f"article-filter-choices:{get_language()}",
            current_version(self.request),
            load_choices,
        )
        self.places = self._choices["places"]
        self.labels = self._choices["labels"]
        for name in ("region", "departement", "label"):
            self.filters[name].extra["choices"] = self._choices[name]

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name in self.quick_selects:
                widget = form.fields[name].widget
                rendered = self._choices.get(f"{name}:options")
                if rendered is None:
                    rendered = self._choices[f"{name}:options"] = widget.options_html(name)
                widget.rendered_options = rendered
        return self._form

    # Filter methods -----------------------------------------------------------------------

    def filter_place(self, queryset, name, value):
        return queryset.filter(selectors.in_territory(self.places[value]))

    def filter_territory(self, queryset, name, value):
        return queryset.filter(selectors.in_territory(value))

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(selectors.about_organisation(value))

    def filter_label(self, queryset, name, value):
        return queryset.filter(selectors.about_label(self.labels[value]))

    def filter_tag(self, queryset, name, value):
        return queryset.filter(selectors.tagged(value))

    def filter_keep(self, queryset, name, value):
        return queryset

    # Sorting ------------------------------------------------------------------------------

    @property
    def search_query(self) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        return (self.form.cleaned_data.get("q") or "").strip()

    @property
    def sort_order(self) -> str:
        """The requested order; relevance by default when there is a search."""
        requested = self.form.cleaned_data.get("tri") if self.is_bound and self.is_valid() else ""
        if requested == SortOrder.RELEVANCE and not self.search_query:
            return SortOrder.NEWEST
        if requested:
            return requested
        return SortOrder.RELEVANCE if self.search_query else SortOrder.NEWEST

    @property
    def cache_identity(self) -> tuple:
        """What the filtered list depends on, to key what is cached about it: the valid values
        (rows by primary key) and the order."""
        if not self.is_bound:
            return ("all",)
        if not self.is_valid():
            return ("invalid",)
        values = [
            (name, getattr(value, "pk", value))
            for name, value in sorted(self.form.cleaned_data.items())
            if value not in (None, "", [], ())
        ]
        return (*values, ("order", self.sort_order))

    @property
    def region_alone(self):
        """The région, when it is the only filter in use; else ``None``."""
        if not self.is_bound or not self.is_valid():
            return None
        used = {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", [], ()) and name not in self.not_filters
        }
        return self.places[used["region"]] if set(used) == {"region"} else None

    def _remember_search(self, read_candidates):
        """A search's candidates, read once per content version for the same filters."""
        return cached_per_version(
            "search-candidates",
            self.cache_identity,
            current_version(self.request),
            read_candidates,
        )

    def filter_queryset(self, queryset):
        unfiltered = queryset
        queryset = super().filter_queryset(queryset)
        self.search_results = None
        if self.search_query:
            self.search_results = search_articles(
                queryset, self.search_query, base=unfiltered, remember=self._remember_search
            )
            queryset = self.search_results.articles
        match self.sort_order:
            case SortOrder.RELEVANCE:
                return queryset.order_by("-rank", *selectors.date_ordering())
            case SortOrder.OLDEST:
                return queryset.order_by("published_on", "created_at", "pk")
        return queryset


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    value: str
    remove_url: str


def _display(field: forms.Field, value) -> str:
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        for key, label in field.choices:
            if isinstance(label, list | tuple):
                for sub_key, sub_label in label:
                    if sub_key == value:
                        return str(sub_label)
            elif key == value:
                return str(label)
    if hasattr(value, "isoformat"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def active_filters(filterset: django_filters.FilterSet, base_url: str) -> list[ActiveFilter]:
    """The filters in use, each with the address of the same list without it."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    result = []
    for name, field in filterset.form.fields.items():
        if name in getattr(filterset, "not_filters", ()):
            continue
        value = filterset.form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        params: QueryDict = filterset.data.copy()
        params.pop(name, None)
        params.pop("page", None)
        query = params.urlencode()
        result.append(
            ActiveFilter(
                label=str(field.label),
                value=_display(field, value),
                remove_url=f"{base_url}?{query}" if query else base_url,
            )
        )
    return result
