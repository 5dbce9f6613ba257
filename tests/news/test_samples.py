"""The importer on pages it was not written against: other publishers, another région."""

from pathlib import Path

import pytest
from django.core.management import call_command

from news.models import Article

SAMPLES = Path(__file__).resolve().parent / "samples"

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    call_command("loadseeds", str(SAMPLES), verbosity=0)
    return {a.source_file: a for a in Article.objects.all()}


def codes(article) -> set[str]:
    return set(article.territories.values_list("code", flat=True))


def test_usual_name_and_acronym_of_an_intercommunality(imported):
    article = imported["moselle_casas.txt"]
    # "CASAS" is officially "CA Saint-Avold Synergie"; Valmont is the Moselle one, not Normandy's.
    assert codes(article) == {"200067502", "57606", "57224", "57690"}
    assert article.territory_links.get(territory__code="57690").method == "context"
    assert set(article.organisations.values_list("name", flat=True)) == {"Dodo"}
    assert set(article.people.values_list("name", flat=True)) == {"Salvatore Coscarella"}
    # The trailing teaser of another article ("… Lire la suite") is not part of this one.
    assert "Metz" not in article.lead + article.body
    assert article.published_on is None and article.needs_review


def test_section_header_and_repeated_caption(imported):
    article = imported["moselle_cattenom.txt"]
    assert article.title == "Cattenom et Environs soutient le développement économique"
    assert "Développer le réseau de compétences" not in article.body
    assert codes(article) == {"245700695", "57"}
    assert "## Le programme AMI" in article.body
    assert article.body.endswith("Les travaux devraient se…")


def test_bullet_list_of_zones_with_communes_in_brackets(imported):
    article = imported["moselle_pays_naborien.txt"]
    assert article.title == "2 000 emplois créés, depuis 2004, dans le pays naborien"
    assert article.publisher == "Moselle Développement"
    # The former CC du Pays naborien is today part of CA Saint-Avold Synergie.
    assert codes(article) == {"200067502", "57224", "57606", "57550", "57336", "57690"}
    assert "27678" not in codes(article)  # "la Vente au carreau" is not Les Ventes (Eure)
    assert article.body.count("\n- ") >= 6
    assert {"SME", "SFL", "IUT de Moselle-Est"} <= set(
        article.organisations.values_list("name", flat=True)
    )


def test_merger_of_two_former_intercommunalities(imported):
    article = imported["moselle_rives_de_moselle.txt"]
    assert codes(article) == {"200039949", "57672", "57463", "57677"}
    link = article.territory_links.get(territory__code="200039949")
    assert link.matched_text == "Communauté de Communes de Maizières-lès-Metz"
    assert set(article.people.values_list("name", flat=True)) == {"Jean-Claude Mahler"}
    assert set(article.organisations.values_list("name", flat=True)) == {"PSA"}


def test_no_commune_outside_the_moselle(imported):
    for article in imported.values():
        communes = article.territories.filter(kind="commune")
        assert {c.departement.code for c in communes} <= {"57"}, article.source_file
