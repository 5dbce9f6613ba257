"""Search highlighting marks whole words: "industrie" marks "industries", not "industrielle"."""

from functools import partial

import pytest
from django.urls import reverse

from news.models import LinkStatus
from news.search import highlight_segments, highlight_stem
from tests.factories import make_article

make_article = partial(make_article, link_status=LinkStatus.CONFIRMED)


def marked(segments):
    return [text for text, is_match in segments if is_match]


def test_a_term_marks_whole_words_only():
    segments = highlight_segments(
        "L’industrie locale, les industries lourdes et une filière industrielle.", ["industrie"]
    )
    assert marked(segments) == ["industrie", "industries"]
    assert ("industrielle", False) not in segments  # never "industrie|lle" either
    assert "".join(text for text, _ in segments).endswith("filière industrielle.")


def test_a_term_marks_its_plural_and_feminine_forms_whatever_their_accents():
    text = "Une usine, deux USINES ; un site industriel, des friches industrielles, Béthune."
    assert marked(highlight_segments(text, ["usine", "industriel", "bethune"])) == [
        "usine",
        "USINES",
        "industriel",
        "industrielles",
        "Béthune",
    ]


def test_a_term_inside_a_longer_word_is_not_marked():
    text = "La réindustrialisation de Lens-Liévin et de Lensois."
    assert marked(highlight_segments(text, ["lens"])) == ["Lens"]
    assert marked(highlight_segments(text, ["industrialisation"])) == []


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("industrie", "industri"),
        ("industries", "industri"),
        ("industriel", "industriel"),
        ("industrielles", "industriel"),
        ("creee", "cre"),
        ("cree", "cre"),
        ("emplois", "emploi"),
        ("bus", "bus"),
    ],
)
def test_highlight_stem_drops_french_inflections_only(word, stem):
    assert highlight_stem(word) == stem


@pytest.mark.django_db
def test_search_results_mark_whole_words_on_any_database(client):
    make_article(
        title="Un fonds pour l’industrie",
        lead="Les industries du Béthunois et la filière industrielle se rencontrent.",
    )
    response = client.get(reverse("news:article-list"), {"q": "industrie"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<mark>industries</mark>" in content
    assert "<mark>industrie</mark>lle" not in content
    assert "filière industrielle" in content
