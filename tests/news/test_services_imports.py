"""How an import behaves with real-life input: bad files, re-runs, editors, duplicates."""

import dataclasses
import shutil
import threading
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from news.models import Article, FileOutcome, ImportRun, ImportRunStatus, LinkRejection
from news.services import imports
from news.services.imports import batch_import
from news.services.lengths import (
    KICKER_MAX,
    LEAD_MAX,
    TITLE_MAX,
    ArticleFields,
    article_fields_fit,
    cut_at_word,
)
from territories.models import IndustryLabel, Organisation, Territory

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# A new paragraph the source site added: enough to change the article, not its identity.
ADDED = (
    "\nLa communauté d'agglomération précise que la convention sera évaluée chaque année par "
    "un comité de suivi réunissant les élus et les représentants de la chambre consulaire."
)
BRIEF = (
    "Le 13 juin dernier, en 2024, la Communauté d'agglomération du Pays de Saint-Omer a "
    "inauguré une pépinière d'entreprises à Arques, avec la CCI Littoral Hauts-de-France."
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(tmp_path):
    """A folder to write test files in."""
    return tmp_path


def outcomes(report):
    return {Path(f.path).name: (f.outcome, f.reason) for f in report.files}


def write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    "encoded",
    [
        BRIEF.encode("utf-8"),
        b"\xef\xbb\xbf" + BRIEF.encode("utf-8"),
        BRIEF.replace("’", "'").encode("cp1252"),
        BRIEF.encode("latin-1"),
        BRIEF.encode("utf-16"),
        BRIEF.replace(". ", ".\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "latin1", "utf16", "crlf"],
)
def test_every_encoding_gives_the_same_article(batch, encoded):
    report = batch_import(paths=[write(batch, "brief.txt", encoded)])
    assert outcomes(report)["brief.txt"][0] == FileOutcome.IMPORTED
    (article,) = Article.objects.all()
    assert "pépinière d'entreprises à Arques" in article.title + article.lead
    assert "\r" not in article.lead
    assert set(article.territories.values_list("code", flat=True)) >= {"200069037", "62040"}


def test_bad_files_are_reported_by_name_and_the_others_still_import(batch):
    write(batch, "a_good.txt", BRIEF.encode())
    write(batch, "b_empty.txt", b"")
    write(batch, "c_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(batch, "d_chrome.txt", b"Menu\nSuivez nous\nPartager\nS'abonner\n")
    report = batch_import(paths=[batch, batch / "missing.txt"])
    result = outcomes(report)
    assert result["a_good.txt"][0] == FileOutcome.IMPORTED
    assert result["b_empty.txt"] == (FileOutcome.SKIPPED, "fichier vide")
    assert result["c_binary.txt"] == (FileOutcome.FAILED, "fichier binaire, pas du texte")
    assert result["d_chrome.txt"][0] == FileOutcome.SKIPPED
    assert "menus" in result["d_chrome.txt"][1]
    assert result["missing.txt"] == (FileOutcome.FAILED, "fichier introuvable")
    assert Article.objects.count() == 1
    run = ImportRun.objects.get(pk=report.run_id)
    assert run.status == ImportRunStatus.PARTIAL
    assert run.files.filter(outcome=FileOutcome.FAILED).count() == 2


def test_command_exits_with_status_1_when_a_file_failed(batch, capsys):
    write(batch, "good.txt", BRIEF.encode())
    with pytest.raises(SystemExit) as exit_info:
        call_command("loadseeds", str(batch), str(batch / "nope.txt"))
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "nope.txt — fichier introuvable" in out
    assert Article.objects.count() == 1


def test_a_failing_file_leaves_nothing_partial(batch, monkeypatch):
    write(batch, "a.txt", BRIEF.encode())
    write(batch, "b.txt", (SEEDS / "004_707a132c0bc4c6f8.txt").read_bytes())
    original = imports.article_links_sync

    def explode_on_the_convention(*, article, item, resolver, **options):
        created = original(article=article, item=item, resolver=resolver, **options)
        if "CABBALR" in article.title:
            raise RuntimeError("disque plein")
        return created

    monkeypatch.setattr(imports, "article_links_sync", explode_on_the_convention)
    report = batch_import(paths=[batch])
    assert outcomes(report)["b.txt"] == (FileOutcome.FAILED, "erreur à l'écriture : disque plein")
    assert not Article.objects.filter(source_file="b.txt").exists()
    assert not Organisation.objects.filter(name="CCI Artois").exists()
    assert Article.objects.filter(source_file="a.txt").count() == 1
    # The same file imports once the problem is gone: nothing of the failed try is in the way.
    monkeypatch.setattr(imports, "article_links_sync", original)
    report = batch_import(paths=[batch / "b.txt"])
    assert outcomes(report)["b.txt"][0] == FileOutcome.IMPORTED
    assert Organisation.objects.filter(name="CCI Artois").count() == 1


def test_second_run_creates_and_changes_nothing():
    batch_import(paths=[SEEDS])
    before = (
        Article.objects.count(),
        Organisation.objects.count(),
        IndustryLabel.objects.count(),
        sorted(Article.objects.values_list("updated_at", flat=True)),
    )
    report = batch_import(paths=[SEEDS])
    assert {f.outcome for f in report.files} == {FileOutcome.UNCHANGED}
    assert report.summary()["articles_created"] == 0
    assert report.links_created == 0
    after = (
        Article.objects.count(),
        Organisation.objects.count(),
        IndustryLabel.objects.count(),
        sorted(Article.objects.values_list("updated_at", flat=True)),
    )
    assert after == before


def test_same_text_in_two_files_gives_one_article(batch):
    shutil.copy(SEEDS / "004_707a132c0bc4c6f8.txt", batch / "one.txt")
    (batch / "two.txt").write_text(
        "Menu\nPartager\n" + (SEEDS / "004_707a132c0bc4c6f8.txt").read_text(), encoding="utf-8"
    )
    report = batch_import(paths=[batch])
    assert outcomes(report)["one.txt"][0] == FileOutcome.IMPORTED
    assert outcomes(report)["two.txt"][0] == FileOutcome.UNCHANGED
    assert Article.objects.count() == 1


def test_same_brief_twice_in_one_file_gives_one_article(batch):
    briefs = [
        f"{BRIEF[:-1]} numéro {n}, avec des projets à venir sur le territoire…" for n in (1, 2, 3)
    ]
    # The same brief again, typographic apostrophes and capitals aside.
    again = briefs[0].replace("'", "’").replace("pépinière", "PÉPINIÈRE")
    write(batch, "digest.txt", "\n".join([*briefs, again]).encode())
    report = batch_import(paths=[batch])
    (file_report,) = report.files
    assert [a.action for a in file_report.articles] == ["created", "created", "created"]
    assert Article.objects.count() == 3


def test_editor_version_is_kept_when_the_source_changes(batch):
    source = SEEDS / "004_707a132c0bc4c6f8.txt"
    path = write(batch, "convention.txt", source.read_bytes())
    batch_import(paths=[batch])
    article = Article.objects.get()
    article.title = "Titre corrigé par la rédaction"
    article.edited_at = timezone.now()
    article.save()
    path.write_text(source.read_text() + ADDED, "utf-8")
    report = batch_import(paths=[batch])
    assert [a.action for a in report.files[0].articles] == ["kept"]
    assert Article.objects.get().title == "Titre corrigé par la rédaction"


def test_changed_source_updates_an_article_nobody_edited(batch):
    source = SEEDS / "004_707a132c0bc4c6f8.txt"
    path = write(batch, "convention.txt", source.read_bytes())
    batch_import(paths=[batch])
    path.write_text(source.read_text() + ADDED, "utf-8")
    report = batch_import(paths=[batch])
    assert [a.action for a in report.files[0].articles] == ["updated"]
    assert Article.objects.count() == 1
    assert Article.objects.get().body.endswith("représentants de la chambre consulaire.")


def test_organisation_edited_by_an_editor_is_not_changed(batch):
    Organisation.objects.create(
        name="CCI Artois", slug="cci-artois", kind="other", edited_at=timezone.now()
    )
    batch_import(paths=[SEEDS / "004_707a132c0bc4c6f8.txt"])
    cci = Organisation.objects.get(name="CCI Artois")
    assert cci.kind == "other"
    assert Organisation.objects.filter(normalized_name=cci.normalized_name).count() == 1


def test_rejected_link_is_not_made_again(batch):
    source = SEEDS / "004_707a132c0bc4c6f8.txt"
    path = write(batch, "convention.txt", source.read_bytes())
    batch_import(paths=[batch])
    article = Article.objects.get()
    bethune = Territory.objects.get(kind="commune", code="62119")
    article.territory_links.filter(territory=bethune).delete()
    LinkRejection.objects.create(
        article=article,
        content_type=ContentType.objects.get_for_model(Territory),
        object_id=bethune.pk,
        matched_text="Béthune",
    )
    path.write_text(source.read_text() + ADDED, "utf-8")
    report = batch_import(paths=[batch])
    assert [a.action for a in report.files[0].articles] == ["updated"]
    assert not article.territory_links.filter(territory=bethune).exists()
    assert article.territory_links.filter(territory__code="200072460").exists()


def test_reference_is_loaded_when_missing(monkeypatch):
    calls = []
    monkeypatch.setattr(imports, "reference_is_loaded", lambda: False)
    monkeypatch.setattr(imports, "reference_load", lambda: calls.append(True))
    batch_import(paths=[SEEDS / "004_707a132c0bc4c6f8.txt"])
    assert calls == [True]


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_never_duplicate():
    errors = []

    def run():
        try:
            batch_import(paths=[SEEDS])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Article.objects.count() == 14
    assert Organisation.objects.filter(name="CCI Artois").count() == 1
    assert IndustryLabel.objects.filter(name="Coeur de Flandre").count() == 1
    runs = ImportRun.objects.all()
    assert len(runs) == 2
    assert all(run.status == ImportRunStatus.SUCCEEDED for run in runs)


# Length limits ----------------------------------------------------------------------------


def test_cut_at_word_keeps_words_whole_and_loses_nothing():
    text = "Une usine de batteries ouvre ses portes à Douvrin"
    head, rest = cut_at_word(text, 20)
    assert (head, rest) == ("Une usine de", "batteries ouvre ses portes à Douvrin")
    assert cut_at_word("x" * 30, 10) == ("x" * 10, "x" * 20)
    assert cut_at_word(text, 100) == (text, "")


def test_over_long_fields_are_cut_and_their_rest_opens_the_body():
    words = " ".join(f"mot{n}" for n in range(5000))
    fields = article_fields_fit(title=words, kicker=words, lead=words, body="Le corps.")
    assert len(fields.title) <= TITLE_MAX and fields.title.endswith("…")
    assert len(fields.kicker) <= KICKER_MAX
    assert len(fields.lead) <= LEAD_MAX
    kicker_rest, title_rest, lead_rest, body = fields.body.split("\n\n")
    assert body == "Le corps."
    for head, rest in [
        (fields.kicker, kicker_rest),
        (fields.title, title_rest),
        (fields.lead, lead_rest),
    ]:
        assert f"{head[:-1]} {rest[1:]}" == words
    assert [note.split(" ")[0] for note in fields.notes] == ["Surtitre", "Titre", "Chapô"]
    short = article_fields_fit(title="Titre", kicker="Nord", lead="Chapô.", body="Corps.")
    assert short == ArticleFields("Titre", "Nord", "Chapô.", "Corps.", [])


def test_a_one_megabyte_lead_is_cut_and_flagged_nothing_lost(batch):
    lead = " ".join(f"La production{n} augmente à Arques." for n in range(30_000))
    assert len(lead) > 1_000_000
    write(batch, "enorme.txt", f"Une usine ouvre à Arques\n\n{lead}".encode())
    report = batch_import(paths=[batch])
    assert outcomes(report)["enorme.txt"][0] == FileOutcome.IMPORTED
    article = Article.objects.get()
    assert len(article.lead) <= LEAD_MAX
    assert article.lead.endswith("…")
    assert f"{article.lead[:-1]} {article.body[1:]}".startswith(lead)
    assert article.needs_review
    assert "Chapô trop long (1 " in article.review_notes
    assert "la suite ouvre le corps" in article.review_notes


def test_an_over_long_title_and_kicker_are_cut_on_import(batch, monkeypatch):
    title = "Une usine ouvre ses portes " * 30
    kicker = "Pas-de-Calais, Nord et Somme " * 20
    original = imports.Resolver.parse

    def parse(self, text, **options):
        document = original(self, text, **options)
        document.items = [
            dataclasses.replace(item, title=title, kicker=kicker) for item in document.items
        ]
        return document

    monkeypatch.setattr(imports.Resolver, "parse", parse)
    batch_import(paths=[write(batch, "brief.txt", BRIEF.encode())])
    article = Article.objects.get()
    assert len(article.title) <= TITLE_MAX and len(article.kicker) <= KICKER_MAX
    assert article.body.startswith("…")
    assert title.split()[-1] in article.body and kicker.strip().split()[-1] in article.body
    assert "Titre trop long" in article.review_notes
    assert "Surtitre trop long" in article.review_notes
    assert len(article.slug) <= 120
