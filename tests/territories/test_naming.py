import pytest

from territories.naming import acronym, expand_legal_form, fold, name_key, short_name, slug_base


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
