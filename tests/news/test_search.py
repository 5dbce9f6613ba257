"""Full-text search: PostgreSQL full text or the SQLite fallback, whichever runs the suite."""

import datetime
from functools import partial

import pytest
from django.urls import reverse

from news import search as search_module
from news.models import LinkStatus
from news.search import (
    START_MARK,
    STOP_MARK,
    headline_segments,
    highlight_segments,
    query_terms,
)
from news.views import ArticleListView
from tests.factories import make_article

# Public pages show confirmed links only: the links of these articles are vouched for.
make_article = partial(make_article, link_status=LinkStatus.CONFIRMED)

LIST_URL = reverse("news:article-list")


def search(client, query, **params):
    response = client.get(LIST_URL, {"q": query, **params})
    assert response.status_code == 200
    return [article.title for article in response.context["articles"]], response


@pytest.mark.django_db
def test_search_ignores_accents_of_the_text(client):
    make_article(title="La réindustrialisation du bassin minier")
    make_article(title="Le marché de Noël")
    titles, _ = search(client, "reindustrialisation")
    assert titles == ["La réindustrialisation du bassin minier"]


@pytest.mark.django_db
def test_search_ignores_accents_of_place_names_in_the_body(client):
    make_article(title="Une usine rouvre", body="Le site se trouve à Béthune, près de la gare.")
    make_article(title="Une autre usine", body="Le site se trouve à Lens.")
    titles, _ = search(client, "bethune")
    assert titles == ["Une usine rouvre"]


@pytest.mark.django_db
def test_search_ignores_case_and_accents_of_the_query(client):
    make_article(title="Béthune accueille un salon", lead="")
    for query in ("BÉTHUNE", "béthune", "Bethune"):
        titles, _ = search(client, query)
        assert titles == ["Béthune accueille un salon"], query


@pytest.mark.django_db
def test_every_word_of_the_query_must_match(client):
    make_article(title="Hydrogène vert à Dunkerque")
    make_article(title="Hydrogène à Lyon")
    titles, _ = search(client, "hydrogene dunkerque")
    assert titles == ["Hydrogène vert à Dunkerque"]


@pytest.mark.django_db
def test_a_title_match_ranks_above_a_body_match(client):
    older_in_title = make_article(
        title="Le chanvre industriel séduit", body="Rien.", published_on=datetime.date(2020, 1, 1)
    )
    newer_in_body = make_article(
        title="Agriculture",
        body="On y parle aussi de chanvre.",
        published_on=datetime.date(2024, 1, 1),
    )
    titles, response = search(client, "chanvre")
    assert titles == [older_in_title.title, newer_in_body.title]
    assert response.context["sort_order"] == "pertinence"
    # The date order stays available.
    titles, _ = search(client, "chanvre", tri="recent")
    assert titles == [newer_in_body.title, older_in_title.title]


@pytest.mark.django_db
def test_results_show_a_highlighted_snippet_with_the_source_text_escaped(client):
    make_article(
        title="Portrait",
        lead="",
        body="Avant <img src=x onerror=alert(1)> la rencontre, Béthune présente son projet.",
    )
    _, response = search(client, "bethune")
    content = response.content.decode()
    assert "<mark>Béthune</mark>" in content
    assert "<img src=x" not in content
    assert "<mark>" not in response.context["articles"][0].title


@pytest.mark.django_db
def test_search_never_finds_drafts(client):
    make_article(title="Réindustrialisation publiée")
    make_article(title="Réindustrialisation en brouillon", status="draft")
    titles, response = search(client, "reindustrialisation")
    assert titles == ["Réindustrialisation publiée"]
    assert response.context["result_count"] == 1


@pytest.mark.django_db
def test_a_query_without_meaningful_words_finds_nothing(client):
    make_article(title="Le la les")
    titles, response = search(client, "le la")
    assert titles == []
    assert "Aucun article ne correspond" in response.content.decode()


@pytest.mark.django_db
def test_search_queries_do_not_grow_with_the_page_size(
    client, monkeypatch, django_assert_max_num_queries, cold
):
    for n in range(12):
        make_article(title=f"Réindustrialisation numéro {n}", body="Béthune et Lens.")
    counts = []
    for page_size in (2, 12):
        monkeypatch.setattr(ArticleListView, "paginate_by", page_size)
        cold()
        with django_assert_max_num_queries(10) as captured:
            titles, _ = search(client, "reindustrialisation bethune")
        assert len(titles) == page_size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_a_search_keeps_the_most_recent_matches_and_says_there_are_more(client, monkeypatch):
    monkeypatch.setattr(search_module, "SEARCH_LIMIT", 2)
    for year in (2020, 2021, 2022, 2023):
        make_article(title=f"Usine ouverte en {year}", published_on=datetime.date(year, 1, 1))
    make_article(title="Une autre nouvelle", published_on=datetime.date(2024, 1, 1))

    titles, response = search(client, "usine")

    # The two most recent matches and one more, to know that there are more.
    assert sorted(titles) == [
        "Usine ouverte en 2021",
        "Usine ouverte en 2022",
        "Usine ouverte en 2023",
    ]
    assert response.context["search_capped"]
    assert "Plus de 2 articles" in response.content.decode()


@pytest.mark.django_db
def test_the_search_limit_applies_after_the_other_filters(client, monkeypatch):
    monkeypatch.setattr(search_module, "SEARCH_LIMIT", 1)
    old = make_article(title="Usine de tags", published_on=datetime.date(2010, 1, 1), tags=["rare"])
    for year in (2020, 2021, 2022):
        make_article(title=f"Usine {year}", published_on=datetime.date(year, 1, 1))

    titles, _ = search(client, "usine", etiquette="rare")

    assert titles == [old.title]


# Pure helpers -------------------------------------------------------------------------------


def test_query_terms_are_folded_without_stopwords_or_duplicates():
    assert query_terms("La Réindustrialisation de BÉTHUNE, béthune") == [
        "reindustrialisation",
        "bethune",
    ]


def test_highlight_marks_matches_whatever_their_accents_and_keeps_the_spelling():
    segments = highlight_segments("Rendez-vous à Béthune puis à BETHUNE.", ["bethune"])
    assert segments == [
        ("Rendez-vous à ", False),
        ("Béthune", True),
        (" puis à ", False),
        ("BETHUNE", True),
        (".", False),
    ]


def test_highlight_cuts_a_window_around_the_first_match():
    text = "début " * 100 + "cœur du sujet " + "fin " * 100
    segments = highlight_segments(text, ["coeur"], width=80)
    assert segments[0] == ("… ", False) or segments[0][0].startswith("…")
    assert ("cœur", True) in segments
    assert segments[-1][0].endswith("…")
    assert sum(len(text) for text, _ in segments) < 100


def test_highlight_without_match_returns_the_beginning():
    assert highlight_segments("Un texte court.", ["absent"]) == [("Un texte court.", False)]


def test_headline_segments_split_on_markers_and_ignore_stray_ones():
    headline = f"Avant {START_MARK}Béthune{STOP_MARK} après{STOP_MARK} <b>fin</b>"
    assert headline_segments(headline) == [
        ("Avant ", False),
        ("Béthune", True),
        (" après <b>fin</b>", False),
    ]
