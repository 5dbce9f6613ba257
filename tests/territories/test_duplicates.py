"""Likely duplicate organisations (territories.duplicates)."""

import pytest

from territories import duplicates
from territories.duplicates import (
    MAX_BLOCK,
    SAME_ACRONYM,
    SAME_KEY,
    SIMILAR,
    Record,
    duplicate_pairs,
    organisation_duplicates,
)
from territories.models import AliasKind, OrganisationAlias
from territories.naming import organisation_key
from tests.factories import make_organisation


def records(*names: str) -> list[Record]:
    return [Record(pk=pk, key=organisation_key(name)) for pk, name in enumerate(names, 1)]


def reasons(pairs) -> dict[tuple[int, int], str]:
    return {(pair.first, pair.second): pair.reason for pair in pairs}


def test_an_alias_of_one_that_is_the_name_of_the_other_is_the_same_key():
    first = Record(pk=1, key="cci artois", alias_keys=frozenset({"cci artois gohelle"}))
    second = Record(pk=2, key="cci artois gohelle")
    (pair,) = duplicate_pairs([first, second])
    assert (pair.first, pair.second, pair.reason, pair.score) == (1, 2, SAME_KEY, 100)


def test_a_shared_acronym_is_suggested_whatever_the_names():
    first = Record(pk=1, key="porte hainaut commerce", acronyms=frozenset({"phc"}))
    second = Record(pk=2, key="club entreprise valenciennes", acronyms=frozenset({"phc"}))
    assert reasons(duplicate_pairs([first, second])) == {(1, 2): SAME_ACRONYM}


def test_close_names_are_suggested_with_their_score():
    pairs = duplicate_pairs(
        records("Union Textile Tourcoing", "Union textile de Tourcoing", "Union Textil Tourcoing")
    )
    assert reasons(pairs) == {(1, 2): SAME_KEY, (1, 3): SIMILAR, (2, 3): SIMILAR}
    assert all(88 <= pair.score < 100 for pair in pairs if pair.reason == SIMILAR)


def test_a_name_contained_in_a_longer_one_is_suggested():
    pairs = duplicate_pairs(records("CCI Artois", "CCI Artois Hauts-de-France"))
    assert reasons(pairs) == {(1, 2): SIMILAR}


def test_different_organisations_sharing_a_word_are_not_suggested():
    pairs = duplicate_pairs(
        records(
            "Initiative Artois",
            "Initiative Calaisis",
            "Peignage Dumortier",
            "Peignage Amédée",
            "Medef",
            "Symevad",
        )
    )
    assert pairs == []


def test_a_one_word_name_inside_another_is_no_duplicate():
    assert duplicate_pairs(records("Valeo", "Valeo Systèmes thermiques")) == []


def test_strongest_reasons_come_first():
    first = Record(pk=1, key="agence hdf 2030", acronyms=frozenset({"ahdf"}))
    second = Record(pk=2, key="agence hdf 2031", acronyms=frozenset({"ahdf"}))
    third = Record(pk=3, key="banque territoire")
    fourth = Record(pk=4, key="banque territoires", alias_keys=frozenset({"banque territoire"}))
    pairs = duplicate_pairs([first, second, third, fourth])
    assert [(pair.first, pair.reason) for pair in pairs] == [(3, SAME_KEY), (1, SAME_ACRONYM)]


def test_names_are_compared_within_blocks_only(monkeypatch):
    """A word shared by too many names makes no block: 400 names, 400 × 399 / 2 pairs, none
    compared, since their only common word is "industrie"."""
    compared = []
    similarity = duplicates._similarity
    monkeypatch.setattr(
        duplicates, "_similarity", lambda *args: compared.append(args) or similarity(*args)
    )
    many = [Record(pk=n, key=f"industrie {n:04d}x") for n in range(1, MAX_BLOCK + 251)]
    assert duplicate_pairs(many) == []
    assert compared == []
    # The same names with one shared distinctive word are compared, and found alike.
    similar = [
        Record(pk=1001, key="industrie forge alpha"),
        Record(pk=1002, key="industrie forge alfa"),
    ]
    assert reasons(duplicate_pairs(many + similar)) == {(1001, 1002): SIMILAR}
    assert len(compared) == 1  # "forge" is their only block: one comparison


@pytest.mark.django_db
def test_organisation_duplicates_reads_names_aliases_and_acronyms(django_assert_num_queries):
    cci = make_organisation("CCI Artois")
    chamber = make_organisation("Chambre consulaire d'Artois-Gohelle")
    OrganisationAlias.objects.create(organisation=chamber, name="CCI Artois")
    phc = make_organisation("Porte du Hainaut Commerce", acronym="PHC")
    club = make_organisation("Club des entreprises du Hainaut")
    OrganisationAlias.objects.create(organisation=club, name="P.H.C.", kind=AliasKind.ACRONYM)
    make_organisation("Symevad")

    with django_assert_num_queries(3):
        suggestions = organisation_duplicates()
    found = {(s.first, s.second): s.reason for s in suggestions}
    assert found == {(cci, chamber): "même nom normalisé", (phc, club): "même sigle"}
    assert suggestions[0].first.article_count == 0
