import pytest

from news.ingest.sources import Source, page_source, publisher_from_url, source_line
from news.ingest.structure import segment


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "https://www.exemple-info.fr/eco/usine-12345",
            Source(url="https://www.exemple-info.fr/eco/usine-12345"),
        ),
        ("Source : https://exemple.fr/a.", Source(url="https://exemple.fr/a")),
        ("Lire l’article complet sur www.exemple.fr/b", Source(url="https://www.exemple.fr/b")),
        ("Lire la suite sur https://exemple.fr/c", Source(url="https://exemple.fr/c")),
        ("Publié sur https://exemple.fr/d", Source(url="https://exemple.fr/d")),
        (
            "Source : Le Journal des Flandres (https://journal.example/e)",
            Source(url="https://journal.example/e", publisher="Le Journal des Flandres"),
        ),
        ("Source : Le Journal des Flandres", Source(publisher="Le Journal des Flandres")),
    ],
)
def test_a_source_line_gives_its_address_and_publisher(line, expected):
    assert source_line(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Le site https://exemple.fr présente les offres d’emploi de l’usine.",
        "La Région a lancé un appel à projets.",
        "Source : d’après les chiffres de l’Insee publiés en mars. Le chômage recule. Il baisse.",
        "ftp://exemple.fr/fichier",
        "",
    ],
)
def test_text_that_mentions_an_address_is_not_a_source_line(line):
    assert source_line(line) is None


def test_the_publisher_defaults_to_the_site_of_the_address():
    assert publisher_from_url("https://www.lavoixdunord.fr/123/article") == "lavoixdunord.fr"


def test_a_publisher_without_address_counts_only_at_the_edges_of_the_page():
    lines = ["Titre", "Texte.", "Texte.", "Source : Insee", "Texte.", "Texte.", "Texte.", "Fin."]
    assert page_source(lines) == Source()
    assert page_source([*lines, "Source : L’Écho du Pas-de-Calais"]).publisher == (
        "L’Écho du Pas-de-Calais"
    )


ARTICLE = """Une usine de batteries ouvre à Béthune
Publié le 3 mars 2025
La production commence au printemps avec trois cents salariés recrutés dans le bassin minier.
Le chantier a duré deux ans et mobilisé une centaine d’entreprises de la région.
Lire l’article complet sur https://www.exemple-info.fr/eco/batteries-bethune
"""


def test_a_page_keeps_its_source_out_of_the_article_text():
    page = segment(ARTICLE)
    assert page.source_url == "https://www.exemple-info.fr/eco/batteries-bethune"
    assert page.publisher == "exemple-info.fr"
    assert "https://" not in page.items[0].text
