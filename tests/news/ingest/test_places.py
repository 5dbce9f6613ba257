"""Place finding on a small hand-made gazetteer: the rules, independent of the reference."""

import pytest

from news.ingest.places import Gazetteer, PlaceFinder, PlaceRecord
from territories.naming import name_key

PLACES = [
    PlaceRecord(1, "region", "Hauts-de-France", "32", None, "32"),
    PlaceRecord(2, "departement", "Pas-de-Calais", "62", "62", "32"),
    PlaceRecord(3, "commune", "Arques", "62040", "62", "32", 9000),
    PlaceRecord(4, "commune", "Arques", "11015", "11", "76", 200),
    PlaceRecord(5, "commune", "Saint-Omer", "62765", "62", "32", 14000),
    PlaceRecord(6, "commune", "Saint-Omer", "14593", "14", "28", 300),
    PlaceRecord(7, "commune", "Y", "80829", "80", "32", 90),
    PlaceRecord(8, "commune", "Eu", "76255", "76", "28", 4700),
    PlaceRecord(9, "epci", "CA du Pays de Saint-Omer", "200069037", "62", "32", 105000),
    PlaceRecord(10, "commune", "Devise", "80235", "80", "32", 50),
    PlaceRecord(11, "commune", "Les Ventes", "27678", "27", "28", 1000),
    PlaceRecord(12, "epci", "CC Pays d'Opale", "200072478", "62", "32", 25000),
    PlaceRecord(13, "epci", "CC du Pays d'Olmes", "240900449", "09", "76", 15000),
]
ALIASES = [
    (9, "Communauté d'agglomération du Pays de Saint-Omer", "long"),
    (9, "Pays de Saint-Omer", "usual"),
    (12, "CCPO", "acronym"),
    (13, "CCPO", "acronym"),
]


@pytest.fixture
def finder():
    gazetteer = Gazetteer(PLACES, [(pk, name, name_key(name), kind) for pk, name, kind in ALIASES])
    return PlaceFinder(gazetteer)


def codes(finder, text):
    matches, _context, _spans = finder.find(text)
    return [m.place.code for m in matches]


def test_homonym_is_resolved_by_the_region_of_the_text(finder):
    text = "Le Pays de Saint-Omer accueille les entrepreneurs au Clos des Saveurs d'Arques."
    assert codes(finder, text) == ["200069037", "62040"]


def test_abbreviated_saint_is_recognised(finder):
    assert codes(finder, "Dans le Pas-de-Calais, le 10 juin à St-Omer.") == ["62", "62765"]


def test_one_letter_communes_are_not_matched_in_ordinary_words(finder):
    text = "L'association Y croire pour agir y croit. Il eut eu tort. Eu égard au Pas-de-Calais."
    assert codes(finder, text) == ["62"]


def test_a_short_commune_name_after_a_place_cue_is_matched(finder):
    assert "76255" in codes(finder, "Une usine ouvrira à Eu en 2026.")


def test_a_commune_name_inside_a_person_name_is_not_a_place(finder):
    assert codes(finder, "Jean-Marc Devise, président de la CCI, à Arques.") == ["62040"]


def test_commune_with_an_article_needs_the_article(finder):
    assert codes(finder, "La zone de la Vente au Carreau est pleine.") == []
    assert codes(finder, "Une usine aux Ventes, dans l'Eure.") == []
    assert codes(finder, "Une usine à Les Ventes.") == ["27678"]


def test_acronym_shared_by_two_epci_follows_the_context(finder):
    assert codes(finder, "La CCPO, dans le Pas-de-Calais, ouvre un tiers-lieu.") == [
        "200072478",
        "62",
    ]


def test_acronym_defined_in_the_text_is_used_in_any_case(finder):
    text = "La Communauté d'agglomération du Pays de Saint-Omer (Capso) investit. La Capso recrute."
    matches, _context, spans = finder.find(text)
    assert [m.place.code for m in matches] == ["200069037"]
    assert len(spans) == 3  # the long name, the acronym in brackets, its later use


def test_without_context_a_homonym_is_flagged(finder):
    matches, _context, _spans = finder.find("Une réunion s'est tenue à Arques.")
    assert matches[0].place.code == "62040"  # the most populous
    assert matches[0].note.startswith("Homonymes")
    assert matches[0].confidence < 0.5
