import pytest

from territories.naming import (
    acronym,
    expand_legal_form,
    fold,
    name_key,
    short_name,
    slug_base,
    sort_key,
)


def test_fold_removes_accents_case_and_punctuation():
    assert fold("Évin-Malmaison") == "evin malmaison"
    assert fold("Cœur de Flandre") == "coeur de flandre"
    assert fold("Pays d’Opale") == "pays d opale"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Pévèle Carembault", "Pévèle-Carembault"),
        ("St-Omer", "Saint-Omer"),
        ("Communauté de communes du Pays d'Opale", "Communauté de communes Pays d'Opale"),
        ("Osartis-Marquions", "Osartis Marquion"),
        ("Communauté d'Agglomérations de Saint-Avold Synergie", "CA Saint-Avold Synergie"),
    ],
)
def test_name_key_matches_usual_variants(left, right):
    assert name_key(left) == name_key(expand_legal_form(right))


def test_acronym_uses_identifying_words():
    assert acronym("Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane") == "CABBALR"
    assert acronym("Métropole Européenne de Lille") == "MEL"
    assert acronym("Communauté de communes Pays d'Opale") == "CCPO"


def test_short_name_strips_the_legal_form():
    assert short_name("CA du Pays de Saint-Omer") == "Pays de Saint-Omer"
    assert short_name("CC Pévèle-Carembault") == "Pévèle-Carembault"
    assert short_name("Métropole Européenne de Lille") == ""


def test_slug_base_is_readable_and_bounded():
    assert slug_base("Côte-d'Or") == "cote-d-or"
    assert len(slug_base("mot " * 50, max_length=20)) <= 20


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Éperlecques", "Zouafques"),
        ("Évin-Malmaison", "Fouquières-lès-Lens"),
        ("Œuilly", "Oye-Plage"),
        # Intercommunalités by their significant name, whatever their legal form.
        ("CA du Boulonnais", "CC des Campagnes de l'Artois"),
        ("CA du Pays de Saint-Omer", "CC de la Plaine d'Estrées"),
        ("CU de Dunkerque", "Communauté de communes du Pays d’Opale"),
        ("Métropole du Grand Nancy", "CC Osartis Marquion"),
        # Numbers as numbers.
        ("Paris 2e Arrondissement", "Paris 10e Arrondissement"),
        # A shorter name before the names it starts.
        ("Saint-Omer", "Saint-Omer-Capelle"),
    ],
)
def test_sort_key_orders_the_french_way(before, after):
    assert sort_key(before) < sort_key(after)


def test_sort_key_keeps_a_name_that_is_only_a_legal_form_and_names_after_metropole():
    assert sort_key("CA du Pays de Saint-Omer") == "pays de saint omer"
    assert sort_key("Métropole Européenne de Lille") == "metropole europeenne de lille"
    assert sort_key("CC") == "cc"
    # Only ASCII letters, digits and single spaces: every database compares them alike.
    assert sort_key("L’Haÿ-les-Roses") == "l hay les roses"
