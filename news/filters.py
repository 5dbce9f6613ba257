"""The filters of the public article list, bound from the query string by django-filter.

Every filter lives in the URL under a short French name (``?territoire=bethune-62&du=…``) so a
filtered list can be shared and bookmarked. Places, organisations and tags are chosen by slug
through a text input (with suggestions) rather than a 40,000-option ``<select>``; a typed exact
name is accepted too when it designates a single row.
"""

from __future__ import annotations

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
from territories.lookup import Resolution, resolve_territory
from territories.models import IndustryLabel, Territory, TerritoryKind
from territories.naming import fold, name_key, organisation_key
from territories.selectors import organisations_with_content, territory_article_counts


class SortOrder:
    NEWEST = "recent"
    OLDEST = "ancien"
    RELEVANCE = "pertinence"

    choices = [
        (NEWEST, _("Les plus récents d’abord")),
        (OLDEST, _("Les plus anciens d’abord")),
        (RELEVANCE, _("Pertinence (avec une recherche)")),
    ]


class SlugOrNameField(forms.ModelChoiceField):
    """A row chosen by its slug, or by its exact name when that name designates only one row."""

    default_error_messages = {
        "invalid_choice": _("Aucun résultat pour « %(value)s » : choisissez dans la liste."),
        "ambiguous": _("Plusieurs résultats pour « %(value)s » : choisissez dans la liste."),
    }

    def __init__(self, *args, name_lookup=None, known=None, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        # Rows already read, by slug (the labels, kept per content version): no query.
        self.known = known or {}
        kwargs.setdefault("widget", SuggestInput)
        super().__init__(*args, **kwargs)
        self.name_lookup = name_lookup
        # What to_python() found, by submitted text: the input then shows the row's name.
        self.resolved = {}

    def prepare_value(self, value):
        found = self.resolved.get(value) if isinstance(value, str) else None
        if found is None:
            return super().prepare_value(value)
        return NamedValue(str(found), slug=found.slug)

    def to_python(self, value):
        found = self.find(value)
        if found is not None:
            self.resolved[value] = found
        return found

    def find(self, value):
        if value in self.empty_values:
            return None
        value = str(value).replace("\x00", "").strip()[:200]
        found = self.known.get(value) or self.queryset.filter(slug=value).first()
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


class NamedValue(str):
    """The name an input shows for a row chosen by slug, carrying that slug along."""

    def __new__(cls, text: str, *, slug: str):
        value = super().__new__(cls, text)
        value.slug = slug
        return value


class SuggestInput(forms.TextInput):
    """The text input of a row chosen by slug or name: it shows the chosen row's name, and
    ``data-slug`` tells static/js/suggest.js which row that name stands for."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, NamedValue):
            context["widget"]["attrs"]["data-slug"] = value.slug
        return context


class TerritoryField(SlugOrNameField):
    """A territory by slug or by what a reader types (``territories.lookup``). When the text
    designates none or several, ``resolution`` keeps the candidates to offer."""

    resolution: Resolution | None = None

    def find(self, value):
        if value in self.empty_values:
            return None
        resolution = resolve_territory(value, self.queryset)
        if resolution.territory is not None:
            return resolution.territory
        self.resolution = resolution
        code = "ambiguous" if resolution.ambiguous else "invalid_choice"
        raise ValidationError(
            self.error_messages[code], code=code, params={"value": resolution.query}
        )


class TerritoryFilter(django_filters.ModelChoiceFilter):
    field_class = TerritoryField


def organisation_name_lookup(value: str) -> Q | None:
    key = organisation_key(value) or fold(value)
    return Q(normalized_name=key) if key else None


def tag_name_lookup(value: str) -> Q | None:
    return Q(name__iexact=value)


def label_name_lookup(value: str) -> Q | None:
    key = name_key(value)
    return Q(normalized_name=key) if key else None


def _search_widget(placeholder, suggest_url=None):
    attrs = {"placeholder": placeholder, "autocomplete": "off"}
    if suggest_url is not None:
        attrs["data-suggest-url"] = suggest_url
    return SuggestInput(attrs=attrs)


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
    """Régions and départements for the selects of ``ArticleFilter``: one query.

    The rows are kept to filter by them (``filter_place``) without reading them again; the
    départements are grouped by région, and listed per région for a chosen région
    (``departement_choices``).
    """
    places = (
        Territory.objects.filter(
            kind__in=[TerritoryKind.REGION, TerritoryKind.DEPARTEMENT], is_obsolete=False
        )
        .only("pk", "slug", "name", "kind", "code", "region_id")
        .order_by("kind", "sort_name")
    )
    places = {place.slug: place for place in places}
    regions = [p for p in places.values() if p.kind == TerritoryKind.REGION]
    by_region = defaultdict(list)
    for place in sorted(places.values(), key=lambda p: p.code or ""):
        if place.kind == TerritoryKind.DEPARTEMENT:
            by_region[place.region_id].append((place.slug, f"{place.code} – {place.name}"))
    labels = IndustryLabel.objects.only("pk", "slug", "name", "phase").order_by("sort_name")
    return {
        "places": places,
        "labels": {label.slug: label for label in labels},
        "region": [(r.slug, r.name) for r in regions],
        "departement": [(r.name, by_region[r.pk]) for r in regions if by_region[r.pk]],
        "departements_of": {r.slug: by_region[r.pk] for r in regions},
    }


def load_choices_cached(request=None) -> dict:
    """``load_choices()`` once per content version and process, not on every page."""
    return per_version(
        f"article-filter-choices:{get_language()}", current_version(request), load_choices
    )


def departement_choices(region_slug: str, request=None) -> list:
    """The départements offered once a région is chosen: that région's only (the page works
    without JavaScript; static/js/dependent_selects.js refreshes them in place)."""
    return load_choices_cached(request)["departements_of"].get(region_slug, [])


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
        # static/js/dependent_selects.js keeps its options to the chosen région's.
        widget=QuickSelect(
            attrs={
                "data-depends-on": "id_region",
                "data-options-url": reverse_lazy("territories:departement-options"),
            }
        ),
    )
    territoire = TerritoryFilter(
        label=_("Territoire"),
        # Its containing territories are offered to widen the list (``territory_choice``).
        queryset=Territory.objects.select_related("region", "departement", "epci"),
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
    label = SlugOrNameFilter(
        label=_("Territoire d’industrie"),
        queryset=IndustryLabel.objects.all(),
        name_lookup=label_name_lookup,
        method="filter_label",
        widget=_search_widget(
            _("Béthune-Bruay, Vallée de la Bresle…"),
            reverse_lazy("territories:label-suggestions"),
        ),
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
        label=_("Publié jusqu’au"),
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
    quick_selects = ("region", "departement", "tri")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Régions and départements change with the content only: read and sorted once per
        # content version and process, not on every page.
        self._choices = load_choices_cached(self.request)
        self.places = self._choices["places"]
        self.filters["region"].extra["choices"] = self._choices["region"]
        self.filters["label"].extra["known"] = self._choices["labels"]
        # Once a région is chosen, only its départements are offered (a dependent select).
        region = self.data.get("region") if self.data is not None else None
        self.chosen_region = self.places.get(region) if isinstance(region, str) else None
        if self.chosen_region is not None and self.chosen_region.kind != TerritoryKind.REGION:
            self.chosen_region = None
        departement = self.filters["departement"]
        if self.chosen_region is None:
            departement.extra["choices"] = self._choices["departement"]
        else:
            departement.extra["choices"] = self._choices["departements_of"][region]
            departement.extra["error_messages"] = {
                "invalid_choice": _(
                    "Ce département n’est pas dans la région choisie : choisissez-en un autre "
                    "ou changez de région."
                )
            }

    def _options_key(self, name: str) -> str:
        if name == "departement" and self.chosen_region is not None:
            return f"departement:{self.chosen_region.slug}:options"
        return f"{name}:options"

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name in self.quick_selects:
                widget = form.fields[name].widget
                key = self._options_key(name)
                rendered = self._choices.get(key)
                if rendered is None:
                    rendered = self._choices[key] = widget.options_html(name)
                widget.rendered_options = rendered
        return self._form

    @property
    def territory_resolution(self) -> Resolution | None:
        """When the typed territory designates none or several: what to offer instead."""
        if not self.is_bound or self.is_valid() or "territoire" not in self.form.errors:
            return None
        return self.form.fields["territoire"].resolution

    # Filter methods -----------------------------------------------------------------------

    def filter_place(self, queryset, name, value):
        return queryset.filter(selectors.in_territory(self.places[value]))

    def filter_territory(self, queryset, name, value):
        return queryset.filter(selectors.in_territory(value))

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(selectors.about_organisation(value))

    def filter_label(self, queryset, name, value):
        return queryset.filter(selectors.about_label(value))

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
class TerritoryOption:
    """A territory offered in place of the one typed, or to widen the list: a link that sets
    the ``territoire`` filter, with the count of its page."""

    territory: Territory
    article_count: int
    url: str


def _with_territory(filterset: django_filters.FilterSet, base_url: str, territory) -> str:
    params: QueryDict = filterset.data.copy()
    params["territoire"] = territory.slug
    params.pop("page", None)
    return f"{base_url}?{params.urlencode()}"


def territory_options(
    filterset: django_filters.FilterSet, base_url: str, territories
) -> list[TerritoryOption]:
    """``territories`` as links that set the filter, each with its article count
    (``territory_article_counts``, one query)."""
    territories = list(territories)
    counts = territory_article_counts(t.pk for t in territories)
    return [
        TerritoryOption(t, counts.get(t.pk, 0), _with_territory(filterset, base_url, t))
        for t in territories
    ]


def territory_choice(filterset, base_url: str, *, empty: bool = False) -> dict | None:
    """What the list offers about the territory filter: the candidates of a name that
    designates none or several territories, or, when the list is ``empty``, the wider
    territories around the chosen one (``?territoire=Lille`` → its intercommunalité,
    département and région)."""
    if not filterset.is_bound:
        return None
    resolution = getattr(filterset, "territory_resolution", None)
    if resolution is not None:
        return {
            "query": resolution.query,
            "ambiguous": resolution.ambiguous,
            "candidates": territory_options(filterset, base_url, resolution.candidates),
        }
    if not filterset.is_valid():
        return None
    chosen = filterset.form.cleaned_data.get("territoire")
    if not empty or chosen is None or not chosen.ancestors():
        return None
    wider = territory_options(filterset, base_url, reversed(chosen.ancestors()))
    wider = [option for option in wider if option.article_count]
    return {"chosen": chosen, "wider": wider} if wider else None


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


# A chip reads "Recherche : « industrie »", not "Rechercher : industrie" (the field's label).
CHIP_LABELS = {"q": _("Recherche")}


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
        shown = _display(field, value)
        if name in CHIP_LABELS:
            shown = f"«\u00a0{shown}\u00a0»"
        result.append(
            ActiveFilter(
                label=str(CHIP_LABELS.get(name, field.label)),
                value=shown,
                remove_url=f"{base_url}?{query}" if query else base_url,
            )
        )
    return result
