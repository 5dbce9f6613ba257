"""The admin's "Importer un lot" and an import's report (news.admin_imports)."""

import datetime
import io
import re
import stat
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from news.models import (
    Article,
    ArticleStatus,
    FileOutcome,
    ImportFileResult,
    ImportRun,
    ImportRunStatus,
)
from tests.admin_helpers import editors_group, login_editor
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:news_importrun_upload")
SAINT_OMER = (
    "Le 13 juin dernier, en 2024, la Communauté d’agglomération du Pays de Saint-Omer a "
    "inauguré une pépinière d’entreprises à Arques, avec la CCI Littoral Hauts-de-France."
)
BETHUNE = (
    "Le 2 avril 2024, la Communauté d’agglomération de Béthune-Bruay a signé avec la Région "
    "Hauts-de-France une convention pour accueillir une usine de batteries à Ruitz."
)


def text_file(name: str, text: str | bytes) -> SimpleUploadedFile:
    content = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type="text/plain")


def zip_file(name: str, members: dict, *, modes: dict | None = None) -> SimpleUploadedFile:
    """An archive built in memory; ``modes`` gives a member a Unix file type and mode."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            info = zipfile.ZipInfo(member)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = ((modes or {}).get(member, stat.S_IFREG | 0o644)) << 16
            archive.writestr(info, content.encode() if isinstance(content, str) else content)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def refusal(response) -> list[str]:
    """The messages of a refused upload, as the page shows them."""
    assert response.status_code == 200
    errors = response.context["errors"]
    return [str(error) for error in errors]


def importer(*, publish: bool = False):
    """A staff member who may import a batch, and publish only when asked for."""
    user = make_user(staff=True)
    codenames = ["view_importrun", "import_batch", "view_article"]
    if publish:
        codenames.append("publish_article")
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def editor(client):
    return login_editor(client)


# Permission and links --------------------------------------------------------------------------


def test_the_editors_group_may_import_a_batch(editor):
    assert "news.import_batch" in {
        f"{p.content_type.app_label}.{p.codename}" for p in editors_group().permissions.all()
    }
    assert editor.has_perm("news.import_batch")


def test_the_import_list_links_to_the_upload_page(client, editor):
    html = client.get(reverse("admin:news_importrun_changelist")).content.decode()
    assert f'href="{UPLOAD}"' in html
    assert "Importer un lot" in html


def test_the_dashboard_links_to_the_upload_page(client, editor):
    html = client.get(reverse("admin:index")).content.decode()
    assert f'href="{UPLOAD}"' in html


def test_without_the_permission_there_is_no_link_and_the_page_is_forbidden(client):
    reader = make_user(staff=True)
    reader.user_permissions.set(Permission.objects.filter(codename="view_importrun"))
    client.force_login(reader)
    html = client.get(reverse("admin:news_importrun_changelist")).content.decode()
    assert UPLOAD not in html
    html = client.get(reverse("admin:index")).content.decode()
    assert "Derniers imports" in html and UPLOAD not in html
    assert client.get(UPLOAD).status_code == 403
    response = client.post(UPLOAD, {"files": [text_file("a.txt", SAINT_OMER)]})
    assert response.status_code == 403
    assert not ImportRun.objects.exists()


def test_the_permission_alone_without_reading_the_imports_is_not_enough(client):
    user = make_user(staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="import_batch"))
    client.force_login(user)
    assert client.get(UPLOAD).status_code == 403


def test_the_upload_page_is_a_multipart_form_with_its_limits(client, editor):
    response = client.get(UPLOAD)
    html = response.content.decode()
    form = re.search(r"<form[^>]*import-upload-form[^>]*>", html).group()
    assert 'enctype="multipart/form-data"' in form and 'method="post"' in form
    assert "csrfmiddlewaretoken" in html
    assert re.search(r'<input type="file" name="files"[^>]*multiple', html)
    assert "8,0\xa0Mio par fichier texte" in html
    assert "Publier les articles importés" in html  # editors may publish


# Good batches ----------------------------------------------------------------------------------


def test_text_files_are_imported_as_drafts_and_the_editor_lands_on_the_report(client, editor):
    response = client.post(
        UPLOAD,
        {"files": [text_file("saint-omer.txt", SAINT_OMER), text_file("bethune.txt", BETHUNE)]},
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:news_importrun_change", args=[run.pk])
    assert run.status == ImportRunStatus.SUCCEEDED
    assert run.triggered_by == f"Importer un lot ({editor.username})"
    assert run.options["uploads"] == ["saint-omer.txt", "bethune.txt"]
    assert run.options["publish"] is False
    assert sorted(run.files.values_list("path", "outcome")) == [
        ("bethune.txt", FileOutcome.IMPORTED),
        ("saint-omer.txt", FileOutcome.IMPORTED),
    ]
    articles = Article.objects.filter(import_run=run)
    assert sorted(articles.values_list("source_file", flat=True)) == [
        "bethune.txt",
        "saint-omer.txt",
    ]
    assert {a.status for a in articles} == {ArticleStatus.DRAFT}

    report = client.get(response["Location"])
    html = report.content.decode()
    assert "Import terminé : 2 fichiers lus, 2 article(s) créé(s)." in html
    for article in articles:
        assert f'href="{reverse("admin:news_article_change", args=[article.pk])}"' in html
        assert article.get_absolute_url() not in html  # drafts: no public page yet


def test_a_zip_is_imported_file_by_file_with_its_folders_in_the_report(client, editor):
    archive = zip_file(
        "lot.zip",
        {
            "juin/": b"",
            "juin/saint-omer.txt": SAINT_OMER,
            "bethune.TXT": BETHUNE,
            "vide.txt": b"   \n",
            "__MACOSX/._bethune.TXT": b"\x00\x05\x16\x07",  # what macOS adds: not a text
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
        },
    )
    response = client.post(UPLOAD, {"files": [archive]})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert dict(run.files.values_list("path", "outcome")) == {
        "lot.zip/juin/saint-omer.txt": FileOutcome.IMPORTED,
        "lot.zip/bethune.TXT": FileOutcome.IMPORTED,
        "lot.zip/vide.txt": FileOutcome.SKIPPED,
    }
    assert run.options["uploads"] == ["lot.zip"]
    assert set(Article.objects.values_list("source_file", flat=True)) == {
        "saint-omer.txt",
        "bethune.TXT",
    }


def test_the_same_batch_sent_again_is_unchanged(client, editor):
    client.post(UPLOAD, {"files": [text_file("saint-omer.txt", SAINT_OMER)]})
    client.post(UPLOAD, {"files": [text_file("saint-omer.txt", SAINT_OMER)]})
    latest = ImportRun.objects.latest()
    assert list(latest.files.values_list("outcome", "reason")) == [
        (FileOutcome.UNCHANGED, "déjà importé, identique")
    ]
    assert Article.objects.count() == 1


def test_publish_publishes_the_batch_for_an_editor_who_may_publish(client, editor):
    client.post(UPLOAD, {"publish": "on", "files": [text_file("saint-omer.txt", SAINT_OMER)]})
    run = ImportRun.objects.get()
    assert run.options["publish"] is True
    article = Article.objects.get()
    assert article.status == ArticleStatus.PUBLISHED
    html = client.get(reverse("admin:news_importrun_change", args=[run.pk])).content.decode()
    assert f'href="{article.get_absolute_url()}"' in html
    assert "Articles publiés par l’import" in html


def test_publish_is_refused_to_who_may_not_publish(client):
    client.force_login(importer(publish=False))
    html = client.get(UPLOAD).content.decode()
    assert 'name="publish"' not in html
    response = client.post(UPLOAD, {"publish": "on", "files": [text_file("a.txt", SAINT_OMER)]})
    assert response.status_code == 403
    assert not ImportRun.objects.exists() and not Article.objects.exists()


def test_an_importer_without_the_publish_permission_imports_drafts(client):
    client.force_login(importer(publish=False))
    response = client.post(UPLOAD, {"files": [text_file("a.txt", SAINT_OMER)]})
    assert response.status_code == 302
    assert Article.objects.get().status == ArticleStatus.DRAFT


# Bad files: undecodable and empty ones go through the import, the others refuse the batch ------


def test_undecodable_and_empty_files_are_reported_file_by_file(client, editor):
    binary = bytes(range(256)) * 8
    response = client.post(
        UPLOAD,
        {
            "files": [
                text_file("saint-omer.txt", SAINT_OMER),
                text_file("image.txt", binary),
                text_file("vide.txt", b""),
            ]
        },
    )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportRunStatus.PARTIAL
    results = {r.path: (r.outcome, r.reason) for r in run.files.all()}
    assert results["saint-omer.txt"][0] == FileOutcome.IMPORTED
    assert results["image.txt"] == (FileOutcome.FAILED, "fichier binaire, pas du texte")
    assert results["vide.txt"] == (FileOutcome.SKIPPED, "fichier vide")
    html = client.get(response["Location"]).content.decode()
    assert "fichier binaire, pas du texte" in html and "Échec" in html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: text_file("rapport.pdf", b"%PDF-1.7"),
            "« rapport.pdf » : type de fichier refusé : seuls les textes (.txt) et les "
            "archives .zip sont acceptés",
        ),
        (
            lambda: text_file("lot.tar.gz", b"\x1f\x8b\x08"),
            "« lot.tar.gz » : seules les archives .zip sont acceptées",
        ),
        (
            lambda: text_file("faux.zip", b"ceci n'est pas une archive"),
            "« faux.zip » : ce n’est pas une archive ZIP lisible",
        ),
        (
            lambda: zip_file("lot.zip", {"../../etc/cron.d/x.txt": SAINT_OMER}),
            "« lot.zip/../../etc/cron.d/x.txt » : chemin qui remonte hors de l’archive "
            "(« .. ») : refusé",
        ),
        (
            lambda: zip_file("lot.zip", {"/etc/passwd.txt": SAINT_OMER}),
            "« lot.zip//etc/passwd.txt » : chemin absolu, hors de l’archive : refusé",
        ),
        (
            lambda: zip_file(
                "lot.zip", {"lien.txt": "/etc/passwd"}, modes={"lien.txt": stat.S_IFLNK | 0o777}
            ),
            "« lot.zip/lien.txt » : lien symbolique : refusé",
        ),
        (
            lambda: zip_file("lot.zip", {"dedans.zip": zip_file("x.zip", {"a.txt": "a"}).read()}),
            "« lot.zip/dedans.zip » : archive dans l’archive : décompressez-la d’abord",
        ),
        (
            lambda: zip_file("lot.zip", {"deguise.txt": zip_file("x.zip", {"a.txt": "a"}).read()}),
            "« lot.zip/deguise.txt » : archive dans l’archive : décompressez-la d’abord",
        ),
        (
            lambda: zip_file("lot.zip", {"a.txt": SAINT_OMER, "photo.jpg": b"\xff\xd8\xff"}),
            "« lot.zip/photo.jpg » : ce n’est pas un fichier texte (.txt) : refusé",
        ),
        (
            lambda: zip_file("lot.zip", {"dossier/": b""}),
            "« lot.zip » : l’archive ne contient aucun fichier texte (.txt)",
        ),
    ],
    ids=[
        "pdf",
        "tar-gz",
        "not-a-zip",
        "traversal",
        "absolute",
        "symlink",
        "nested-zip",
        "zip-named-txt",
        "not-a-text",
        "empty-zip",
    ],
)
def test_a_refused_file_refuses_the_whole_batch_with_its_name_and_reason(
    client, editor, upload, message
):
    make_article(title="Déjà là")
    response = client.post(UPLOAD, {"files": [text_file("bon.txt", SAINT_OMER), upload()]})
    errors = refusal(response)
    assert errors[0] == (
        "Rien n’a été importé : retirez ou corrigez ces fichiers, puis recommencez."
    )
    assert message in errors
    assert f"<li>{escape(message)}</li>" in response.content.decode()
    assert not ImportRun.objects.exists()
    assert list(Article.objects.values_list("title", flat=True)) == ["Déjà là"]


@override_settings(IMPORT_MAX_FILE_BYTES=1_000)
def test_an_oversize_text_is_refused_before_it_is_read(client, editor):
    errors = refusal(client.post(UPLOAD, {"files": [text_file("long.txt", "x" * 1_001)]}))
    assert (
        "« long.txt » : trop volumineux : 1001\xa0octets, la limite par fichier est de "
        in (errors[1])
    )
    assert not ImportRun.objects.exists()


@override_settings(IMPORT_MAX_FILE_BYTES=10_000)
def test_a_zip_bomb_is_stopped_while_it_is_decompressed(client, editor):
    # 5 MB of zeros compress to a few kilobytes: the archive itself is small.
    bomb = zip_file("lot.zip", {"bombe.txt": b"0" * 5_000_000})
    assert bomb.size < 10_000
    errors = refusal(client.post(UPLOAD, {"files": [bomb]}))
    assert errors[1].startswith("« lot.zip/bombe.txt » : trop volumineux")
    assert not ImportRun.objects.exists()


@override_settings(IMPORT_MAX_UPLOAD_BYTES=50_000)
def test_a_batch_over_the_total_once_decompressed_is_refused(client, editor):
    members = {f"{n}.txt": f"{n} ".encode() * 4_000 for n in range(10)}  # 10 × ~8 KB
    errors = refusal(client.post(UPLOAD, {"files": [zip_file("lot.zip", members)]}))
    assert errors[1].startswith("« lot.zip » : le lot dépasse 48,8\xa0Kio une fois décompressé")
    assert not ImportRun.objects.exists()


@override_settings(IMPORT_MAX_ARCHIVE_MEMBERS=5)
def test_an_archive_with_too_many_entries_is_refused_unread(client, editor):
    members = {f"{n}.txt": SAINT_OMER for n in range(6)}
    errors = refusal(client.post(UPLOAD, {"files": [zip_file("lot.zip", members)]}))
    assert errors[1] == "« lot.zip » : archive de 6 entrées, la limite est de 5"


@override_settings(IMPORT_MAX_UPLOAD_BYTES=20_000)
def test_an_upload_over_the_limit_stops_being_read_and_is_refused(client, editor):
    response = client.post(
        UPLOAD,
        {"files": [text_file("a.txt", SAINT_OMER), text_file("gros.txt", b"x" * 30_000)]},
    )
    assert response.wsgi_request.upload_too_large
    assert "gros.txt" not in [f.name for f in response.wsgi_request.FILES.getlist("files")]
    errors = refusal(response)
    assert errors == [
        "L’envoi dépasse 19,5\xa0Kio : rien n’a été importé. Envoyez le lot en plusieurs fois."
    ]
    assert not ImportRun.objects.exists()


def test_two_texts_with_one_name_are_refused(client, editor):
    archive = zip_file("lot.zip", {"a/article.txt": SAINT_OMER, "b/article.txt": BETHUNE})
    errors = refusal(client.post(UPLOAD, {"files": [archive]}))
    assert errors[1] == (
        "« article.txt » : 2 fichiers du lot portent ce nom (lot.zip/a/article.txt, "
        "lot.zip/b/article.txt) : leurs articles seraient confondus ; renommez-les"
    )


def test_no_file_is_a_form_error(client, editor):
    response = client.post(UPLOAD, {})
    assert response.status_code == 200
    assert response.context["form"].errors["files"] == [
        "Choisissez au moins un fichier .txt ou une archive .zip."
    ]


# The report ------------------------------------------------------------------------------------


def _run_with_files(count: int) -> tuple[ImportRun, list[Article]]:
    run = ImportRun.objects.create(
        triggered_by="loadseeds (redaction@serveur)",
        status=ImportRunStatus.PARTIAL,
        options={"paths": ["seeds"], "publish": True, "parser_version": 3},
        summary={
            "files": count,
            "imported": count - 1,
            "unchanged": 0,
            "skipped": 0,
            "failed": 1,
            "articles_created": count - 1,
            "articles_updated": 0,
            "articles_unchanged": 0,
            "articles_kept": 0,
            "links_created": 4,
            "needs_review": 1,
        },
    )
    run.finished_at = run.started_at + datetime.timedelta(seconds=83)
    run.save()
    articles = []
    for n in range(count - 1):
        article = make_article(
            title=f"Article numéro {n}",
            status=ArticleStatus.PUBLISHED if n % 2 == 0 else ArticleStatus.DRAFT,
            needs_review=n == 1,
            import_run=run,
        )
        articles.append(article)
        ImportFileResult.objects.create(
            run=run,
            path=f"seeds/{n:03d}.txt",
            outcome=FileOutcome.IMPORTED,
            details={
                "articles": [
                    {
                        "action": "created",
                        "slug": article.slug,
                        "title": article.title,
                        "links_created": 2,
                        "needs_review": False,
                        "article_id": article.pk,
                    }
                ]
            },
        )
    ImportFileResult.objects.create(
        run=run,
        path="seeds/casse.txt",
        outcome=FileOutcome.FAILED,
        reason="fichier binaire, pas du texte",
    )
    return run, articles


def test_the_report_reads_in_french_with_links_and_no_raw_json(client, editor):
    run, articles = _run_with_files(4)
    response = client.get(reverse("admin:news_importrun_change", args=[run.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Réussi avec des erreurs" in text
    assert "loadseeds (redaction@serveur)" in text
    assert "durée : 1 min 23 s" in text
    assert "Articles publiés par l’import oui" in text
    assert "Articles créés 3" in text and "Liens suggérés créés 4" in text
    assert "En échec 1" in text
    assert "seeds/casse.txt Échec fichier binaire, pas du texte" in text
    assert "Créé : Article numéro 0" in text
    for article in articles:
        assert f'href="{reverse("admin:news_article_change", args=[article.pk])}"' in html
    assert f'href="{articles[0].get_absolute_url()}"' in html  # published
    assert articles[1].get_absolute_url() not in html  # a draft
    assert "À vérifier" in text  # article 1 needs review
    for raw in ("articles_created", '"action"', "created", "{", "needs_review"):
        assert raw not in text, raw


def test_the_report_of_a_run_with_many_files_costs_the_same_queries(
    client, editor, django_assert_num_queries
):
    small, _ = _run_with_files(3)
    large, _ = _run_with_files(40)
    client.get(reverse("admin:news_importrun_change", args=[small.pk]))  # warm the caches
    # session, user, its permissions (2), the run, the file count, the files, their articles
    with django_assert_num_queries(8):
        client.get(reverse("admin:news_importrun_change", args=[small.pk]))
    with django_assert_num_queries(8):
        response = client.get(reverse("admin:news_importrun_change", args=[large.pk]))
    assert response.content.decode().count('class="import-file ') == 40


def test_the_report_pages_its_files(client, editor):
    run, _ = _run_with_files(103)
    url = reverse("admin:news_importrun_change", args=[run.pk])
    first = client.get(url).content.decode()
    assert first.count('class="import-file ') == 100
    assert "Page 1 sur 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="import-file ') == 3
    assert "seeds/casse.txt" in second


def test_the_report_names_a_deleted_article_without_a_link(client, editor):
    run, articles = _run_with_files(2)
    articles[0].delete()
    html = client.get(reverse("admin:news_importrun_change", args=[run.pk])).content.decode()
    assert "Article numéro 0" in html and "(supprimé depuis)" in html


def test_a_file_result_page_lists_its_articles_without_json(client, editor):
    run, articles = _run_with_files(2)
    result = run.files.get(outcome=FileOutcome.IMPORTED)
    html = client.get(
        reverse("admin:news_importfileresult_change", args=[result.pk])
    ).content.decode()
    assert f'href="{reverse("admin:news_article_change", args=[articles[0].pk])}"' in html
    assert "Créé : " in html
    assert '"action"' not in html and "article_id" not in html


def test_the_report_is_read_only(client, editor):
    run, _ = _run_with_files(2)
    url = reverse("admin:news_importrun_change", args=[run.pk])
    assert client.post(url, {"triggered_by": "x"}).status_code == 403
    run.refresh_from_db()
    assert run.triggered_by == "loadseeds (redaction@serveur)"


def test_the_report_of_an_interrupted_run_says_why(client, editor):
    run = ImportRun.objects.create(
        triggered_by="Importer un lot (claire)",
        status=ImportRunStatus.INTERRUPTED,
        options={"uploads": ["lot.zip"], "publish": False},
        summary={"files": 1, "imported": 1, "interrupted": "arrêté en cours de route (Ctrl-C)"},
    )
    ImportFileResult.objects.create(run=run, path="lot.zip/a.txt", outcome=FileOutcome.IMPORTED)
    html = client.get(reverse("admin:news_importrun_change", args=[run.pk])).content.decode()
    assert "Interrompu — arrêté en cours de route (Ctrl-C)" in html
    assert "pas terminé" in html
    assert "Fichiers envoyés" in html and "lot.zip" in html
