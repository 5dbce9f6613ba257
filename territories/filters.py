"""Filters of the public territory, organisation and Territoire d'industrie lists."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from news.filters import load_choices_cached
from news.search import QUERY_MAX_LENGTH
from news.widgets import QuickSelect
from territories.lookup import matching_q
from territories.models import (
    IndustryLabel,
    LabelPhase,
    OrganisationKind,
    Territory,
    TerritoryKind,
)
from territories.naming import fold, organisation_key
from territories.selectors import territories_with_content, with_published_articles


def region_choices():
    regions = Territory.objects.filter(kind=TerritoryKind.REGION, is_obsolete=False)
    return list(regions.order_by("sort_name").values_list("slug", "name"))


class RegionChoicesMixin:
    """Fills the ``region`` select with the régions, by slug (one query)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].extra["choices"] = region_choices()


class ContentToggleMixin:
    """Rows without any published article are hidden unless ``tous`` is ticked."""

    content_relation = ""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.is_valid() and self.form.cleaned_data.get("tous"):
            return queryset
        return with_published_articles(queryset, self.content_relation)

    def filter_keep(self, queryset, name, value):
        return queryset


class TerritoryFilter(RegionChoicesMixin, ContentToggleMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Nom"),
        method="filter_name",
        max_length=QUERY_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Béthune, Artois…")}),
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"),
        field_name="kind",
        choices=TerritoryKind.choices,
        empty_label=_("Tous les types"),
        widget=QuickSelect,
    )
    region = django_filters.ChoiceFilter(
        label=_("Région"),
        method="filter_region",
        empty_label=_("Toutes les régions"),
        widget=QuickSelect,
    )
    departement = django_filters.ChoiceFilter(
        label=_("Département"),
        method="filter_departement",
        empty_label=_("Tous les départements"),
        # Once a région is chosen, its départements only (here and in static/js).
        widget=QuickSelect(
            attrs={
                "data-depends-on": "id_region",
                "data-options-url": reverse_lazy("territories:departement-options"),
            }
        ),
    )
    tous = django_filters.BooleanFilter(
        label=_("Afficher aussi les territoires sans article"),
        method="filter_keep",
        widget=forms.CheckboxInput,
    )

    content_relation = "territory_links__territory"

    def filter_queryset(self, queryset):
        queryset = django_filters.FilterSet.filter_queryset(self, queryset)
        if self.is_valid() and self.form.cleaned_data.get("tous"):
            return queryset
        # The count the list shows is "about it or inside it": so is what it lists.
        return territories_with_content(queryset)

    def filter_name(self, queryset, name, value):
        """A name as typed or displayed ("Béthune (62)"), part of a name, or an alias
        ("MEL", "Pays de Saint-Omer")."""
        condition = matching_q(value)
        return queryset.filter(condition) if condition is not None else queryset

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The départements of the submitted région, else all of them by région (one query,
        # kept per content version with the article filters' choices).
        choices = load_choices_cached(self.request)
        region = self.data.get("region") if self.data is not None else None
        departement = self.filters["departement"]
        if isinstance(region, str) and region in choices["departements_of"]:
            departement.extra["choices"] = choices["departements_of"][region]
            departement.extra["error_messages"] = {
                "invalid_choice": _(
                    "Ce département n’est pas dans la région choisie : choisissez-en un autre "
                    "ou changez de région."
                )
            }
        else:
            departement.extra["choices"] = choices["departement"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(slug=value, kind=TerritoryKind.REGION) | Q(region__slug=value))

    def filter_departement(self, queryset, name, value):
        """The département, and what lies in it: its communes and the intercommunalités that
        cover it, even partly."""
        covering = Territory.departements.through.objects.filter(to_territory__slug=value)
        return queryset.filter(
            Q(slug=value, kind=TerritoryKind.DEPARTEMENT)
            | Q(departement__slug=value)
            | Q(pk__in=covering.values("from_territory"))
        )


class OrganisationFilter(django_filters.FilterSet):
    """Filters of the organisation list, which only ever holds public organisations (named by a
    published article): unlike territories, there is no "show them all" box."""

    q = django_filters.CharFilter(
        label=_("Nom"),
        method="filter_name",
        max_length=QUERY_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"),
        field_name="kind",
        choices=OrganisationKind.choices,
        empty_label=_("Tous les types"),
        widget=QuickSelect,
    )

    def filter_name(self, queryset, name, value):
        key = organisation_key(value) or fold(value)
        if not key:
            return queryset
        return queryset.filter(
            Q(normalized_name__contains=key) | Q(acronym__iexact=value) | Q(name__icontains=value)
        )


class IndustryLabelFilter(RegionChoicesMixin, django_filters.FilterSet):
    phase = django_filters.ChoiceFilter(
        label=_("Phase"),
        choices=LabelPhase.choices,
        empty_label=_("Toutes les phases"),
        widget=QuickSelect,
    )
    region = django_filters.ChoiceFilter(
        label=_("Région"),
        field_name="region__slug",
        empty_label=_("Toutes les régions"),
        widget=QuickSelect,
    )

    class Meta:
        model = IndustryLabel
        fields = ["phase", "region"]


class LabelMapFilter(django_filters.FilterSet):
    """The phase the map shows (both when none is chosen): ``/carte/?phase=2023-2027``."""

    phase = django_filters.ChoiceFilter(
        label=_("Phase"), choices=LabelPhase.choices, empty_label=_("Les deux phases")
    )

    class Meta:
        model = IndustryLabel
        fields = ["phase"]
