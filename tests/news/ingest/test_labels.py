"""Labelling statements found in a text, and the phase they speak of (pure, no database)."""

import pytest

from news.ingest.labels import FIRST_PHASE, SECOND_PHASE, find_labels, label_key
from news.ingest.places import PlaceMatch, PlaceRecord

BEAUVAISIS = PlaceRecord(id=1, kind="epci", name="CA du Beauvaisis", code="200067999")


def places_in(text: str, *records: PlaceRecord) -> list[PlaceMatch]:
    return [
        PlaceMatch(record, record.name, text.index(record.name), "name", 0.9)
        for record in records
        if record.name in text
    ]


def labels(text: str, year: int | None, title: str = "Une annonce"):
    return find_labels(title=title, text=text, places=places_in(text, BEAUVAISIS), year=year)


STATEMENT = "La CA du Beauvaisis est l’un des territoires labellisés Territoires d’industrie."


@pytest.mark.parametrize(
    ("text", "year", "phase"),
    [
        (STATEMENT, 2021, FIRST_PHASE),
        (STATEMENT, 2025, SECOND_PHASE),
        (STATEMENT, 2023, SECOND_PHASE),
        (STATEMENT + " Le programme entre dans sa seconde phase.", 2022, SECOND_PHASE),
        (STATEMENT + " Pour la période 2023-2027, l’État s’engage.", 2022, SECOND_PHASE),
        (STATEMENT + " Un bilan de la première phase est dressé.", 2025, FIRST_PHASE),
        (STATEMENT + " Labellisé de 2018 à 2022, il a bénéficié de l’appui.", 2024, FIRST_PHASE),
    ],
)
def test_the_phase_comes_from_the_text_then_from_the_date(text, year, phase):
    (mention,) = labels(text, year)
    assert mention.phase == phase
    assert mention.members == (1,)


def test_a_quoted_label_name_keeps_its_members():
    text = (
        "La CA du Beauvaisis a été labellisée « Territoire d’industrie du Beauvaisis » "
        "le 3 mars 2024."
    )
    (mention,) = labels(text, 2024)
    assert mention.rule == "quoted-name"
    assert label_key(mention.name) == label_key("Beauvaisis")
    assert mention.members == (1,)


def test_a_text_that_labels_nothing_gives_nothing():
    assert labels("La CA du Beauvaisis inaugure une usine.", 2024) == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Territoire d’industrie du Scot Lille Métropole", "SCOT Lille Métropole"),
        ("Pays de Châlons\u00a0", "Châlons"),
        ("Lens – Hénin", "Lens-Hénin"),
        ("Cœur de Flandre", "coeur de flandre"),
    ],
)
def test_label_names_meet_whatever_their_spelling(one, other):
    assert label_key(one) == label_key(other)


def test_a_member_first_found_in_the_title_still_belongs_to_the_statement():
    title = "CA du Beauvaisis : trois usines"
    text = f"{title}\n\n{STATEMENT}"
    first = PlaceMatch(BEAUVAISIS, "CA du Beauvaisis", 0, "name", 0.9)  # in the title only
    (mention,) = find_labels(title=title, text=text, places=[first], year=2025)
    assert mention.members == (1,)
