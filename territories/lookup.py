"""Which territory a reader means when typing a name: "Lille", "Béthune (62)", "Saint-Omer".

A typed name resolves when it designates one territory (by its name, the way it is displayed,
or an alias); otherwise the reader is offered the candidates: homonyms in other départements,
the intercommunalités named after the town, the names that contain what was typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from territories.models import Territory, TerritoryAlias, TerritoryKind
from territories.naming import fold, name_key

CANDIDATE_COUNT = 10
_CONTROL_CHARACTERS = dict.fromkeys(range(32), " ")
NAME_MAX_LENGTH = 200

# "Béthune (62)", "Saint-Denis (974)", "Ajaccio (2A)": a commune the way it is displayed.
_COMMUNE_WITH_DEPARTEMENT_RE = re.compile(r"^(?P<name>.+?)\s*\((?P<code>[0-9][0-9AB][0-9]?)\)$")


@dataclass
class Resolution:
    """The territory a text designates, or the candidates when it designates none or many."""

    query: str
    territory: Territory | None = None
    candidates: list[Territory] = field(default_factory=list)
    ambiguous: bool = False


def exact_name_q(value: str) -> Q | None:
    """Territories whose name (or displayed name, "Béthune (62)") is exactly ``value``."""
    match = _COMMUNE_WITH_DEPARTEMENT_RE.match(value)
    if match:
        return Q(
            normalized_name=fold(match["name"]),
            kind=TerritoryKind.COMMUNE,
            code__startswith=match["code"].upper(),
        )
    key = fold(value)
    if not key:
        return None
    condition = Q(normalized_name=key)
    alias_key = name_key(value)
    if alias_key:
        aliases = TerritoryAlias.objects.filter(normalized=alias_key)
        condition |= Q(pk__in=aliases.values("territory"))
    return condition


def _word_prefix_q(field: str, key: str) -> Q:
    # At the start of a word: "omer" finds "Saint-Omer", not "agglomération".
    return Q(**{f"{field}__startswith": key}) | Q(**{f"{field}__contains": f" {key}"})


def matching_q(value: str) -> Q | None:
    """Territories whose name or an alias has words starting with ``value`` (accents and case
    aside): "saint om" finds Saint-Omer and the CA du Pays de Saint-Omer."""
    match = _COMMUNE_WITH_DEPARTEMENT_RE.match(value)
    if match:
        key = fold(match["name"])
        commune = Q(kind=TerritoryKind.COMMUNE, code__startswith=match["code"].upper())
        return _word_prefix_q("normalized_name", key) & commune if key else None
    key = fold(value)
    if not key:
        return None
    condition = _word_prefix_q("normalized_name", key)
    alias_key = name_key(value)
    if alias_key:
        aliases = TerritoryAlias.objects.filter(_word_prefix_q("normalized", alias_key))
        condition |= Q(pk__in=aliases.values("territory"))
    return condition


def ranked(queryset: QuerySet, value: str) -> QuerySet:
    """Exact names first, then names that start with ``value``; broader territories before
    narrower ones, then the most populated, then in alphabetical order."""
    key = fold(value)
    kinds = [kind for kind, _label in TerritoryKind.choices]
    return queryset.annotate(
        closeness=Case(
            When(normalized_name=key, then=Value(0)),
            When(normalized_name__startswith=key, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        level=Case(
            *(When(kind=kind, then=Value(i)) for i, kind in enumerate(kinds)),
            output_field=IntegerField(),
        ),
    ).order_by("closeness", "level", "-population", "sort_name", "pk")


def territory_candidates(
    value: str, queryset: QuerySet | None = None, limit: int = CANDIDATE_COUNT
) -> list[Territory]:
    """The territories ``value`` may designate, best first (``ranked``)."""
    queryset = Territory.objects.all() if queryset is None else queryset
    condition = matching_q(value)
    if condition is None:
        return []
    rows = queryset.filter(condition, is_obsolete=False).select_related("departement")
    return list(ranked(rows, value)[:limit])


def resolve_territory(value: str, queryset: QuerySet | None = None) -> Resolution:
    """The territory ``value`` designates: a slug, or a name that designates only one
    territory. Else the candidates, with ``ambiguous`` set when several have that very name."""
    queryset = Territory.objects.all() if queryset is None else queryset
    # NUL and other control characters cannot be in a name (and PostgreSQL refuses them).
    value = " ".join(str(value).translate(_CONTROL_CHARACTERS).split())[:NAME_MAX_LENGTH]
    resolution = Resolution(query=value)
    if not value:
        return resolution
    found = queryset.filter(slug=value).first()
    if found is not None:
        resolution.territory = found
        return resolution
    condition = exact_name_q(value)
    if condition is not None:
        exact = list(queryset.filter(condition)[:2])
        if len(exact) == 1:
            resolution.territory = exact[0]
            return resolution
        resolution.ambiguous = len(exact) > 1
    resolution.candidates = territory_candidates(value, queryset)
    return resolution
