"""Likely duplicate organisations, for the editors to merge.

Three signs, strongest first: two organisations meet under the same normalised key (one's
name is the other's alias: "Chambre de commerce et d'industrie Artois" and "CCI Artois"), they
share an acronym, or their names are close (rapidfuzz: a typo, another word order, a word
more).

Comparing every pair of 10,000 organisations is 50 million comparisons. Names are blocked
instead: an organisation is compared only with those that share one of its words, and a word
shared by too many names ("entreprise", "france") is no block at all. The work grows with the
number of organisations times the block size, not with its square.

``duplicate_pairs`` is pure (plain records in, pairs out); ``organisation_duplicates`` reads
the database.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from territories.models import AliasKind, Organisation, OrganisationAlias
from territories.naming import fold

# Names closer than this (rapidfuzz's token sort ratio, 0–100) are suggested.
SIMILARITY_THRESHOLD = 88
# A name whose words are all in the other's, with this many words at least ("cci artois" in
# "cci artois hauts de france"), is suggested too: one word alone is too common a subset.
SUBSET_MIN_WORDS = 2
# A word shared by more names than this does not make a block: it says nothing.
MAX_BLOCK = 150
MIN_WORD_LENGTH = 3

SAME_KEY = "key"
SAME_ACRONYM = "acronym"
SIMILAR = "similar"
REASONS = {
    SAME_KEY: _("même nom normalisé"),
    SAME_ACRONYM: _("même sigle"),
    SIMILAR: _("noms proches"),
}
_STRENGTH = {SAME_KEY: 0, SAME_ACRONYM: 1, SIMILAR: 2}


@dataclass(frozen=True)
class Record:
    """What the comparison needs of an organisation."""

    pk: int
    key: str  # the normalised name
    alias_keys: frozenset[str] = frozenset()
    acronyms: frozenset[str] = frozenset()  # its acronym and acronym aliases, folded


@dataclass(frozen=True)
class Pair:
    first: int  # the smaller primary key
    second: int
    reason: str
    score: int  # 100 for a same key or acronym

    @property
    def reason_label(self) -> str:
        return str(REASONS[self.reason])


def _words(key: str) -> set[str]:
    return {word for word in key.split() if len(word) >= MIN_WORD_LENGTH or word.isdigit()}


def _similarity(a: str, b: str, words_a: frozenset[str], words_b: frozenset[str]) -> int:
    score = fuzz.token_sort_ratio(a, b, score_cutoff=SIMILARITY_THRESHOLD)
    if score:
        return round(score)
    shorter, longer = sorted((words_a, words_b), key=len)
    if len(shorter) >= SUBSET_MIN_WORDS and shorter <= longer:
        # Every word of the shorter name is in the longer one.
        return SIMILARITY_THRESHOLD
    return 0


def duplicate_pairs(records: list[Record]) -> list[Pair]:
    """Every likely duplicate pair once, with its strongest reason, strongest first."""
    found: dict[tuple[int, int], Pair] = {}

    def offer(a: int, b: int, reason: str, score: int) -> None:
        first, second = sorted((a, b))
        current = found.get((first, second))
        if current is None or (_STRENGTH[reason], -score) < (
            _STRENGTH[current.reason],
            -current.score,
        ):
            found[(first, second)] = Pair(first, second, reason, score)

    def grouped(pairs) -> dict[str, set[int]]:
        groups: dict[str, set[int]] = defaultdict(set)
        for value, pk in pairs:
            if value:
                groups[value].add(pk)
        return groups

    # Same key: a name or alias of one is a name or alias of the other.
    keys = grouped(
        (key, record.pk) for record in records for key in {record.key, *record.alias_keys}
    )
    for pks in keys.values():
        for a, b in itertools.combinations(sorted(pks), 2):
            offer(a, b, SAME_KEY, 100)

    # Same acronym (case and accents folded by the caller).
    acronyms = grouped((acronym, record.pk) for record in records for acronym in record.acronyms)
    for pks in acronyms.values():
        if len(pks) <= MAX_BLOCK:
            for a, b in itertools.combinations(sorted(pks), 2):
                offer(a, b, SAME_ACRONYM, 100)

    # Similar names, compared within blocks of names sharing a word.
    by_pk = {record.pk: record for record in records}
    word_sets = {record.pk: frozenset(record.key.split()) for record in records}
    blocks = grouped((word, record.pk) for record in records for word in _words(record.key))
    compared: set[tuple[int, int]] = set()
    for pks in blocks.values():
        if len(pks) > MAX_BLOCK:
            continue
        for a, b in itertools.combinations(sorted(pks), 2):
            if (a, b) in compared or (a, b) in found:
                continue
            compared.add((a, b))
            score = _similarity(by_pk[a].key, by_pk[b].key, word_sets[a], word_sets[b])
            if score:
                offer(a, b, SIMILAR, score)

    return sorted(
        found.values(), key=lambda pair: (_STRENGTH[pair.reason], -pair.score, pair.first)
    )


@dataclass
class Suggestion:
    """A likely duplicate pair, with both organisations for display."""

    first: Organisation
    second: Organisation
    reason: str
    score: int


def organisation_duplicates(*, limit: int | None = None) -> list[Suggestion]:
    """Likely duplicate organisations, strongest first; three queries whatever the table."""
    aliases: dict[int, set[str]] = defaultdict(set)
    alias_acronyms: dict[int, set[str]] = defaultdict(set)
    for organisation_id, key, name, kind in OrganisationAlias.objects.values_list(
        "organisation_id", "normalized", "name", "kind"
    ):
        aliases[organisation_id].add(key)
        if kind == AliasKind.ACRONYM:
            alias_acronyms[organisation_id].add(fold(name).replace(" ", ""))
    records = [
        Record(
            pk=pk,
            key=key,
            alias_keys=frozenset(aliases.get(pk, ())),
            acronyms=frozenset(
                {fold(acronym).replace(" ", "")} - {""} | alias_acronyms.get(pk, set())
            ),
        )
        for pk, key, acronym in Organisation.objects.values_list("pk", "normalized_name", "acronym")
    ]
    pairs = duplicate_pairs(records)
    if limit is not None:
        pairs = pairs[:limit]
    wanted = {pk for pair in pairs for pk in (pair.first, pair.second)}
    organisations = Organisation.objects.filter(pk__in=wanted).select_related("home_territory")
    by_pk = {org.pk: org for org in organisations.annotate(article_count=Count("article_links"))}
    return [
        Suggestion(
            first=by_pk[pair.first],
            second=by_pk[pair.second],
            reason=pair.reason_label,
            score=pair.score,
        )
        for pair in pairs
        if pair.first in by_pk and pair.second in by_pk
    ]
