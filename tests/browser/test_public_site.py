"""A reader in a real browser: home, articles filtered by territory, an article, a territory."""

import re

import pytest

from news.models import LinkStatus
from tests.factories import make_article, make_organisation, territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_filters_by_territory_opens_an_article_and_follows_a_territory(
    live_server, reference, page, screenshot, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread while the test's ORM calls stay
    # synchronous: Django must not refuse them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    bethune = territory("62119")
    organisation = make_organisation("Batteries de l'Artois", home_territory=bethune)
    article = make_article(
        title="Une usine de batteries ouvre à Béthune",
        kicker="Industrie",
        lead="Trois cents emplois sont attendus d'ici 2027.",
        body="Le chantier commence.\n\n## Le calendrier\n\nLa production démarre en 2026.",
        territories=[bethune],
        organisations=[organisation],
        tags=["batteries"],
        link_status=LinkStatus.CONFIRMED,  # readers see confirmed links only
    )
    elsewhere = make_article(
        title="Le port de Bordeaux recrute",
        territories=[territory("33063")],
        link_status=LinkStatus.CONFIRMED,
    )
    make_article(title="Brouillon caché", status="draft", territories=[bethune])

    # Home page: latest articles, the search box, the labels at a glance.
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name=article.title).is_visible()
    assert page.get_by_text("Brouillon caché").count() == 0
    assert page.locator("svg.label-map a").count() > 100
    screenshot("public-01-home")

    # The article list, filtered by a territory typed in the filter form: its EPCI.
    page.goto(f"{live_server.url}/articles/")
    page.fill("#id_territoire", bethune.epci.slug)
    page.get_by_role("button", name="Appliquer").click()
    page.wait_for_url(re.compile(rf"territoire={bethune.epci.slug}"))
    results = page.locator("section.results")
    assert results.get_by_role("link", name=article.title).is_visible()
    assert results.get_by_text(elsewhere.title).count() == 0
    assert results.get_by_text("1 article").first.is_visible()
    screenshot("public-02-filtered-list")

    # The article itself.
    results.get_by_role("link", name=article.title).click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == article.title
    assert page.get_by_role("heading", name="Le calendrier").is_visible()
    screenshot("public-03-article")

    # Follow its territory.
    page.locator("aside").get_by_role("link", name="Béthune (62)").click()
    page.wait_for_url(f"**{bethune.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == "Béthune (62)"
    assert page.get_by_role("link", name=article.title).is_visible()
    assert page.get_by_role("link", name="Batteries de l'Artois").is_visible()
    screenshot("public-04-territory")


def test_territory_suggestions_fill_the_datalist(
    live_server, reference, page, screenshot, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    page.goto(f"{live_server.url}/articles/")
    page.fill("#id_territoire", "bethu")
    options = page.locator("#id_territoire-suggestions option")
    options.first.wait_for(state="attached")
    # The suggestion shows and keeps the name; its slug goes along in a hidden field.
    assert options.first.get_attribute("value") == "Béthune (62)"
    page.fill("#id_territoire", "Béthune (62)")
    page.get_by_role("button", name="Appliquer").click()
    page.wait_for_url(re.compile(r"territoire=bethune-62"))
    assert page.input_value("#id_territoire") == "Béthune (62)"
    screenshot("public-05-territory-by-name")


def test_the_departement_select_follows_the_region(live_server, reference, page, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    page.goto(f"{live_server.url}/articles/")
    departements = page.locator("#id_departement option")
    assert departements.count() > 100
    page.select_option("#id_region", "hauts-de-france")
    page.wait_for_function("document.querySelectorAll('#id_departement option').length < 10")
    labels = departements.all_inner_texts()
    assert labels == [
        "Tous les départements",
        "02 – Aisne",
        "59 – Nord",
        "60 – Oise",
        "62 – Pas-de-Calais",
        "80 – Somme",
    ]


def test_an_ambiguous_name_offers_a_choice(live_server, reference, page, screenshot, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    page.goto(f"{live_server.url}/articles/?territoire=Saint-Omer")
    choice = page.locator(".territory-choice")
    assert "Plusieurs territoires" in choice.get_by_role("heading").inner_text()
    choice.get_by_role("link", name="Saint-Omer (62)").click()
    page.wait_for_url(re.compile(r"territoire=saint-omer-62"))
    assert page.input_value("#id_territoire") == "Saint-Omer (62)"
    screenshot("public-06-ambiguous-choice")


def test_commune_page_rolls_up_what_happens_around_it(
    live_server, reference, page, screenshot, axe, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    confirmed = {"link_status": LinkStatus.CONFIRMED}
    bethune = territory("62119")
    make_article(title="Une usine ouvre à Béthune", territories=[bethune], **confirmed)
    make_article(title="L'agglomération investit", territories=[bethune.epci], **confirmed)
    make_article(
        title="Le Pas-de-Calais forme ses techniciens",
        territories=[bethune.departement],
        **confirmed,
    )
    page.goto(f"{live_server.url}{bethune.get_absolute_url()}")
    around = page.locator("section.surroundings")
    assert around.get_by_role("heading", name="Autour de Béthune").is_visible()
    assert around.get_by_role("link", name="L'agglomération investit").is_visible()
    assert around.get_by_role("link", name="Le Pas-de-Calais forme ses techniciens").is_visible()
    assert around.get_by_text("Une usine ouvre à Béthune").count() == 0
    assert axe(page) == []
    screenshot("public-07-commune-roll-up")
