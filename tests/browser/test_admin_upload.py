"""An editor imports a .zip through the admin and reads the report, in a real browser."""

import io
import re
import zipfile

import pytest

from news.models import Article, ImportRun, ImportRunStatus
from tests.admin_helpers import make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-de-test"
SAINT_OMER = (
    "Le 13 juin dernier, en 2024, la Communauté d’agglomération du Pays de Saint-Omer a "
    "inauguré une pépinière d’entreprises à Arques, avec la CCI Littoral Hauts-de-France."
)
BETHUNE = (
    "Le 2 avril 2024, la Communauté d’agglomération de Béthune-Bruay a signé avec la Région "
    "Hauts-de-France une convention pour accueillir une usine de batteries à Ruitz."
)


def batch_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("juin/saint-omer.txt", SAINT_OMER)
        archive.writestr("bethune.txt", BETHUNE)
        archive.writestr("vide.txt", "")
    return buffer.getvalue()


def test_editor_uploads_a_zip_and_reads_the_report(
    live_server, reference, page, screenshot, axe, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    editor = make_editor("redaction")
    editor.set_password(PASSWORD)
    editor.save()

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "redaction")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")

    # From the import history to "Importer un lot".
    page.goto(f"{live_server.url}/admin/news/importrun/")
    page.get_by_role("link", name="Importer un lot").click()
    page.wait_for_url(re.compile(r"/admin/news/importrun/importer/$"))
    assert page.get_by_role("heading", name="Importer un lot").is_visible()
    assert axe(page) == []
    screenshot("admin-upload-01-form")

    # A wrong file first: refused by name, nothing imported.
    page.set_input_files(
        "#id_files", files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8"}]
    )
    page.get_by_role("button", name="Importer", exact=True).click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "« photo.jpg » : type de fichier refusé" in alert.inner_text()
    assert "['" not in alert.inner_text()
    assert axe(page) == []
    screenshot("admin-upload-02-refused")
    assert not ImportRun.objects.exists()

    # The .zip, built in the test.
    page.set_input_files(
        "#id_files",
        files=[{"name": "lot.zip", "mimeType": "application/zip", "buffer": batch_zip()}],
    )
    # The import runs in the request (the model and the gazetteer load first): give it time.
    page.get_by_role("button", name="Importer", exact=True).click(timeout=120_000)
    page.wait_for_url(re.compile(r"/admin/news/importrun/\d+/change/$"), timeout=120_000)
    run = ImportRun.objects.get()
    assert run.status == ImportRunStatus.SUCCEEDED

    message = page.locator(".messagelist .success").first
    assert "Import terminé : 3 fichiers lus, 2 article(s) créé(s)." in message.inner_text()
    rows = page.locator("#import-file-results tbody tr")
    assert rows.count() == 3
    outcomes = {
        rows.nth(n).locator("td").first.inner_text(): rows.nth(n).locator("td").nth(1).inner_text()
        for n in range(3)
    }
    assert outcomes == {
        "lot.zip/juin/saint-omer.txt": "Importé",
        "lot.zip/bethune.txt": "Importé",
        "lot.zip/vide.txt": "Ignoré",
    }
    assert page.get_by_role("row", name=re.compile("vide.txt")).get_by_text("fichier vide").count()
    assert axe(page) == []
    screenshot("admin-upload-03-report")

    # Each article created links to its admin page.
    article = Article.objects.get(source_file="bethune.txt")
    link = page.locator(f"#import-file-results a[href='/admin/news/article/{article.pk}/change/']")
    assert link.inner_text().startswith(article.title[:40])
    link.click(timeout=60_000)
    page.wait_for_selector("#article_form", timeout=60_000)
