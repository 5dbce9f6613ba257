"""The editors' work queue and the article list in a real browser, at 1,366 px: what is
waiting, where each block leads, the list's columns and drop-down filters, and axe-core."""

import re

import pytest

from news.models import ArticleTerritory, FileOutcome, ImportFileResult, ImportRun
from territories.models import Organisation, Territory, TerritoryKind
from tests.admin_helpers import make_editor
from tests.factories import make_article, make_organisation, territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-de-test"
WIDTH = 1366


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#work-queue")


def test_work_queue_and_article_list_fit_and_pass_axe(
    live_server, reference, page, screenshot, axe, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    editor = make_editor("redaction")
    editor.set_password(PASSWORD)
    editor.save()
    run = ImportRun.objects.create(triggered_by="loadseeds --publish", status="partial")
    ImportFileResult.objects.create(run=run, path="seeds/ok.txt", outcome=FileOutcome.IMPORTED)
    ImportFileResult.objects.create(
        run=run, path="seeds/vide.txt", outcome=FileOutcome.FAILED, reason="Fichier vide"
    )
    in_pas_de_calais = make_article(
        title="Une usine de batteries à Béthune",
        needs_review=True,
        import_run=run,
        territories=[territory("62119"), territory("62041")],
        source_file="seeds/001_une-usine-de-batteries-a-bethune.txt",
    )
    weakest = make_article(
        title="Réunion des intercommunalités à Chalon-sur-Saône",
        import_run=run,
        territories=[territory("71076")],
    )
    ArticleTerritory.objects.filter(article=weakest).update(confidence=0.42)
    make_article(title="Le port de Bordeaux recrute", status="draft")

    log_in(page, live_server, "redaction")
    queue = page.locator("#work-queue")
    assert "1 article à vérifier" in queue.locator("#queue-to-review h3").inner_text()
    pending = queue.locator("#queue-pending-links li").first
    assert pending.inner_text().startswith("Chalon-sur-Saône")  # the weakest first
    assert "42 % de confiance" in pending.inner_text()
    assert "1 brouillon prêt à publier" in queue.locator("#queue-ready h3").inner_text()
    imports = queue.locator("#queue-imports")
    assert "seeds/vide.txt : Fichier vide" in imports.inner_text()
    screenshot("admin-queue-01-dashboard")
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    # The failures link opens the import's failed files.
    imports.get_by_role("link", name="1 échec").click()
    page.wait_for_url(re.compile(r"outcome__exact=failed"))
    assert page.locator("#result_list tbody tr").count() == 1

    # The "pending links" block opens the article list filtered the same way.
    page.go_back()
    page.locator("#queue-pending-links h3 a").click()
    page.wait_for_url(re.compile(r"pending_links=yes"))
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2
    screenshot("admin-queue-02-article-list")
    assert axe(page) == []
    # Every column fits, the last one included, and the sidebar is not 8,000 px tall.
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    last_header = page.locator("#result_list thead th").last.bounding_box()
    assert last_header["x"] + last_header["width"] <= WIDTH
    assert page.evaluate("document.querySelector('#changelist-filter').offsetHeight") < 2500
    row = rows.filter(has_text=in_pas_de_calais.title)
    assert row.locator(".badge-review").inner_text() == "À vérifier"
    assert row.locator(".link-suggested").first.get_attribute("title") == (
        "lien suggéré par l’import, à vérifier"
    )

    # The département filter is a drop-down list that keeps the other filters.
    pas_de_calais = Territory.objects.get(kind=TerritoryKind.DEPARTEMENT, code="62")
    page.get_by_label("Département").select_option(str(pas_de_calais.pk))
    page.locator("#changelist-filter-departement ~ button").click()
    page.wait_for_url(re.compile(rf"departement={pas_de_calais.pk}"))
    assert "pending_links=yes" in page.url
    assert rows.count() == 1 and in_pas_de_calais.title in rows.first.inner_text()
    screenshot("admin-queue-03-filtered")
    assert axe(page) == []


def test_editor_merges_a_likely_duplicate_side_by_side(
    live_server, reference, page, screenshot, axe, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    editor = make_editor("redaction")
    editor.set_password(PASSWORD)
    editor.save()
    kept = make_organisation("CCI Artois", kind="chamber")
    duplicate = make_organisation(
        "CCI Artois Hauts-de-France", kind="chamber", website="https://artois.cci.example"
    )
    make_article(organisations=[kept])
    moved = make_article(organisations=[duplicate])
    make_organisation("Symevad")

    log_in(page, live_server, "redaction")
    page.goto(f"{live_server.url}/admin/territories/organisation/")
    page.get_by_role("link", name="Doublons probables").click()
    suggestions = page.locator("#duplicate-suggestions tbody tr")
    assert suggestions.count() == 1 and "noms proches" in suggestions.first.inner_text()
    screenshot("admin-queue-04-duplicates")
    assert axe(page) == []

    suggestions.first.get_by_role("link", name=re.compile("Comparer et fusionner")).click()
    page.wait_for_selector("#organisation-merge-form")
    table = page.locator(".merge-compare")
    assert "https://artois.cci.example" in table.inner_text()
    screenshot("admin-queue-05-merge")
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    # Without the confirmation nothing happens; with it, the duplicate is merged.
    page.get_by_role("button", name="Fusionner").click()
    page.wait_for_selector(".errorlist")
    assert Organisation.objects.filter(pk=duplicate.pk).exists()
    page.get_by_label(re.compile("Je comprends que la fusion est définitive")).check()
    page.get_by_role("button", name="Fusionner").click()
    page.wait_for_selector(".messagelist .success")
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    assert list(moved.organisations.all()) == [kept]
