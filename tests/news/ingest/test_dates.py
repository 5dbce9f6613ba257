import datetime

import pytest

from news.ingest.dates import choose_date, find_dates, reference_year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Réunion du 13 janvier 2025 à Toul.", (13, 1, 2025)),
        ("Publié le 20.07.2020", (20, 7, 2020)),
        ("le 15/01/2019, la CCI", (15, 1, 2019)),
        ("Le 1er Janvier 2014, fusion", (1, 1, 2014)),
        ("le 9 novembre, à Chalon", (9, 11, None)),
        ("Le 13 juin dernier, Face Valo", (13, 6, None)),
        ("a inauguré, en avril, sa Grange", (None, 4, None)),
    ],
)
def test_every_french_date_form_is_found(text, expected):
    (mention,) = find_dates(text)
    assert (mention.day, mention.month, mention.year) == expected


def test_cues_say_past_future_and_publication():
    past, deadline, published = find_dates(
        "Le 13 juin dernier. D'ici le 22 septembre 2023. Publié le 20.07.2020"
    )
    assert past.past and not past.future
    assert deadline.future
    assert published.publication


def test_reference_year_after_an_earlier_year():
    assert reference_year("Après une année 2023 rythmée par les inondations") == 2024


def test_reference_year_ignores_deadlines_and_period_ends():
    text = "Initié en 2018 et relancé pour la période 2023-2027, d'ici 2030."
    assert reference_year(text) == 2023


def test_year_is_inferred_from_the_text_never_from_today():
    choice, _ = choose_date("", "Après une année 2023, le 18 juin dernier, l'AG.")
    assert choice.value == datetime.date(2024, 6, 18)
    assert choice.inferred


def test_without_a_year_anywhere_the_date_stays_empty_with_a_note():
    choice, _ = choose_date("", "Le 13 juin dernier, Face Valo inaugurait sa ressourcerie.")
    assert choice.value is None
    assert "sans année" in choice.note


def test_page_year_serves_a_brief_that_has_none():
    choice, _ = choose_date("", "Le 13 juin dernier, Face Valo inaugurait.", context_year=2024)
    assert choice.value == datetime.date(2024, 6, 13)
    assert choice.inferred


def test_header_date_line_wins_over_dates_in_the_text():
    choice, _ = choose_date("13 janvier 2025", "Le vendredi 10 janvier, réunion.")
    assert choice.value == datetime.date(2025, 1, 13)
    assert not choice.inferred


def test_deadline_is_not_the_article_date():
    choice, _ = choose_date("", "Dossiers à déposer d'ici le 22 septembre 2023.")
    assert choice.value is None


def test_month_only_date_has_month_precision():
    choice, _ = choose_date("", "En 2024, la CCPO a inauguré, en avril, sa Grange.")
    assert choice.value == datetime.date(2024, 4, 1)
    assert choice.precision == "month"


def test_no_date_at_all_is_reported():
    choice, _ = choose_date("", "Une convention jusqu'à l'année 2026.")
    assert choice.value is None
    assert choice.note
