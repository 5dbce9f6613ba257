"""The demo (``make run``: ``loadseeds --publish seeds/``) shows readers only vouched-for links.

The expected links below were written by reading each seed text: every one is right. The
links the importer found below ``IMPORT_CONFIRM_THRESHOLD`` stay suggestions, for an editor
to review — among them Chalon-sur-Saône, where the MEL and Pévèle-Carembault meeting took
place, the région Hauts-de-France named in passing, and the CABBALR spelt by its acronym.
"""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from news.models import (
    Article,
    ArticleIndustryLabel,
    ArticleOrganisation,
    ArticleTerritory,
    LinkStatus,
)
from territories.models import Territory

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = pytest.mark.django_db

# (seed file prefix, position in the file): the confirmed links, read from the text.
EXPECTED = {
    ("000", 0): set(),
    ("000", 1): set(),  # Face Valo, at 50 %, is left to review
    ("000", 2): {"territory:commune:62497"},  # Leforest
    ("000", 3): {
        "territory:commune:59606",  # Valenciennes
        "territory:epci:245901160",  # "la Métropole de Valenciennes"
    },
    ("000", 4): {
        "territory:commune:59632",  # Wallers (the Wallers-Arenberg mine site)
        "territory:epci:200042190",  # CA de la Porte du Hainaut
    },
    ("000", 5): {
        "organisation:Réseau Initiative Pays de Saint-Omer",
        "territory:commune:62765",  # "St-Omer"
        "territory:epci:200069037",  # CA du Pays de Saint-Omer
    },
    ("000", 6): {
        "territory:commune:62321",  # Évin-Malmaison
        "territory:commune:62498",  # Lens, which the headline places it near
        # The agglomerations whose waste is sorted there.
        "territory:epci:200044048",  # Osartis-Marquion
        "territory:epci:200044618",  # Douaisis Agglo
        "territory:epci:246200299",  # Hénin-Carvin
    },
    ("000", 7): {
        "organisation:Medef",
        "person:Pierre Gattaz",
        "territory:commune:59183",  # Dunkerque
    },
    ("000", 8): {
        "organisation:Réseau Initiative Pays de Saint-Omer",
        "person:Thierry Deteve",
        "territory:epci:200069037",
    },
    ("000", 9): {"territory:epci:200072478"},  # CC du Pays d'Opale
    ("001", 0): {
        "label:SCOT Lille Métropole",
        "organisation:Imattec",
        "organisation:Union Textile Tourcoing",
        "person:Arnaud Hottin",
        "person:Bernard Haesebroeck",
        "person:Gregory Marchant",
        "territory:departement:59",  # Nord
        "territory:epci:200041960",  # Pévèle-Carembault
        "territory:epci:200093201",  # Métropole européenne de Lille
    },
    ("002", 0): {
        "organisation:Banque des Territoires",
        "person:Bruno Le Maire",
        "person:Christophe Béchu",
        "person:Roland Lescure",
        # The page's only headline is another article's card (Coeur de Flandre, in the Pays
        # de Saint-Omer), printed above and below the text: no territory of the card is
        # linked; the text names none.
    },
    ("003", 0): {
        "label:Terres de Lorraine",
        "organisation:Association du Pays Terres de Lorraine",
        "person:Fabrice Chartreux",
        "person:Hervé Tillard",
        "territory:epci:200070563",  # Terres Touloises
        "territory:epci:245400171",  # Moselle et Madon
    },
    ("004", 0): {
        "organisation:CCI Artois",
        "person:Jean-Marc Devise",
        "person:Olivier Gacquerre",
    },
}


@pytest.fixture
def demo(settings):
    settings.IMPORT_CONFIRM_THRESHOLD = 0.8  # the documented default
    call_command("loadseeds", str(SEEDS), "--publish", verbosity=0)


def confirmed_links(article: Article) -> set[str]:
    links = {
        f"territory:{link.territory.kind}:{link.territory.code}"
        for link in article.territory_links.public().select_related("territory")
    }
    links |= {
        f"organisation:{link.organisation.name}"
        for link in article.organisation_links.public().select_related("organisation")
    }
    links |= {f"label:{link.label.name}" for link in article.label_links.public()}
    links |= {f"person:{link.person.name}" for link in article.person_links.public()}
    return links


def test_the_demo_confirms_exactly_the_links_read_in_the_seeds(demo):
    found = {
        (article.source_file[:3], article.source_position): confirmed_links(article)
        for article in Article.objects.all()
    }
    assert found == EXPECTED


def test_the_demo_articles_are_published_and_say_what_is_left_to_review(demo):
    assert not Article.objects.drafts().exists()
    chalon = ArticleTerritory.objects.get(territory__name="Chalon-sur-Saône")
    assert chalon.status == LinkStatus.SUGGESTED
    article = chalon.article
    assert article.needs_review
    assert "liens sous le seuil de confirmation (80 %)" in article.review_notes


def _json_ld(content: str) -> dict:
    (payload,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return json.loads(payload)


def test_the_public_pages_of_the_demo_show_no_suggested_link(demo, client):
    for article in Article.objects.published():
        content = client.get(article.get_absolute_url()).content.decode()
        suggested = [
            *(
                link.territory
                for link in ArticleTerritory.objects.suggested().filter(article=article)
            ),
            *(
                link.organisation
                for link in ArticleOrganisation.objects.suggested().filter(article=article)
            ),
            *(
                link.label
                for link in ArticleIndustryLabel.objects.suggested().filter(article=article)
            ),
        ]
        for target in suggested:
            # Listed as one of the article's own (a confirmed commune's parents are links too).
            shown = str(target) if isinstance(target, Territory) else target.name
            listed = f'href="{target.get_absolute_url()}">{shown}</a> <span class="kind">'
            assert listed not in content, (article, target)
        data = _json_ld(content)
        things = [*data.get("contentLocation", []), *data.get("about", [])]
        assert {thing["name"] for thing in things} == {
            *ArticleTerritory.objects.public()
            .filter(article=article)
            .values_list("territory__name", flat=True),
            *ArticleOrganisation.objects.public()
            .filter(article=article)
            .values_list("organisation__name", flat=True),
        }
