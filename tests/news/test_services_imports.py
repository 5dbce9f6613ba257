"""How an import behaves with real-life input: bad files, re-runs, editors, duplicates."""

import dataclasses
import datetime
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from news.models import (
    Article,
    FileOutcome,
    ImportFileResult,
    ImportRun,
    ImportRunStatus,
    LinkRejection,
)
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
from tests.admin_helpers import login_editor

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
    assert Organisation.objects.filter(name="Banque des Territoires").count() == 1
    runs = ImportRun.objects.all()
    assert len(runs) == 2
    assert all(run.status == ImportRunStatus.SUCCEEDED for run in runs)


# Entries that cannot be read: named, with the reason, never opened when not regular files --


@pytest.fixture
def no_hang():
    """Fail instead of hanging if something opens a FIFO for reading."""

    def stuck(signum, frame):
        raise TimeoutError("the import blocked")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def refuse_to_read(monkeypatch, path: Path):
    """A file nobody may read. chmod 000 is not enough for root, who reads anything: then the
    kernel's refusal is simulated for that one file."""
    path.chmod(0)
    if os.geteuid() == 0:
        real_open = os.open

        def guarded_open(name, flags, *args, **kwargs):
            if Path(name) == path:
                raise PermissionError(errno.EACCES, "Permission denied", str(name))
            return real_open(name, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", guarded_open)


def test_dangling_links_fifos_sockets_and_unreadable_files_fail_by_name(
    batch, monkeypatch, no_hang
):
    write(batch, "a_good.txt", BRIEF.encode())
    (batch / "b_dangling.txt").symlink_to(batch / "gone.txt")
    os.mkfifo(batch / "c_fifo.txt")
    monkeypatch.chdir(batch)  # a socket's path must be short
    server = socket.socket(socket.AF_UNIX)
    server.bind("d_socket.txt")
    refuse_to_read(monkeypatch, write(batch, "e_secret.txt", BRIEF.encode()))
    (batch / "f_link_to_fifo.txt").symlink_to(batch / "c_fifo.txt")
    try:
        report = batch_import(paths=[batch])
    finally:
        server.close()
    expected = {
        "b_dangling.txt": f"lien symbolique cassé : sa cible « {batch / 'gone.txt'} » n'existe pas",
        "c_fifo.txt": "tube nommé (FIFO), pas un fichier ordinaire : non lu",
        "d_socket.txt": "socket, pas un fichier ordinaire : non lu",
        "e_secret.txt": "lecture impossible : permission refusée",
        "f_link_to_fifo.txt": (
            "tube nommé (FIFO) (cible d'un lien symbolique), pas un fichier ordinaire : non lu"
        ),
    }
    result = outcomes(report)
    assert result["a_good.txt"][0] == FileOutcome.IMPORTED
    assert {name: r for name, r in result.items() if name != "a_good.txt"} == {
        name: (FileOutcome.FAILED, reason) for name, reason in expected.items()
    }
    run = ImportRun.objects.get(pk=report.run_id)
    assert run.status == ImportRunStatus.PARTIAL
    recorded = {Path(f.path).name: f.reason for f in run.files.filter(outcome="failed")}
    assert recorded == expected


def test_a_link_to_a_text_file_imports_like_the_file(batch, tmp_path_factory):
    target = write(tmp_path_factory.mktemp("elsewhere"), "brief.txt", BRIEF.encode())
    (batch / "link.txt").symlink_to(target)
    assert outcomes(batch_import(paths=[batch]))["link.txt"][0] == FileOutcome.IMPORTED


def test_a_folder_that_cannot_be_listed_is_reported(batch, monkeypatch):
    locked = batch / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def guarded_scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded_scandir)
    report = batch_import(paths=[locked])
    assert outcomes(report) == {
        "locked": (FileOutcome.FAILED, "dossier illisible : permission refusée")
    }


def test_text_extensions_match_whatever_their_case(batch):
    for name in ["a.TXT", "b.Txt", "c.TEXT", "d"]:
        write(batch, name, f"{BRIEF[:-1]}, selon le document {name}.".encode())
    write(batch, "e.md", BRIEF.encode())
    write(batch, ".hidden.txt", BRIEF.encode())
    report = batch_import(paths=[batch])
    assert outcomes(report) == dict.fromkeys(
        ["a.TXT", "b.Txt", "c.TEXT", "d"], (FileOutcome.IMPORTED, "")
    )


# Size limit ------------------------------------------------------------------------------


def test_a_file_above_the_size_limit_is_refused_and_the_others_import(batch, settings):
    settings.IMPORT_MAX_FILE_BYTES = 150_000
    write(batch, "a_good.txt", BRIEF.encode())
    write(batch, "b_huge.txt", b"x" * 1_300_000)
    report = batch_import(paths=[batch])
    result = outcomes(report)
    assert result["a_good.txt"][0] == FileOutcome.IMPORTED
    assert result["b_huge.txt"] == (
        FileOutcome.FAILED,
        "fichier trop volumineux : 1 300 000 octets (1,2 Mo), la limite est de 150 000 octets "
        "(0,1 Mo) (réglage IMPORT_MAX_FILE_BYTES) ; non importé",
    )
    assert not Article.objects.filter(source_file="b_huge.txt").exists()


def test_a_file_that_grew_after_its_stat_is_read_no_further_than_the_limit(batch, monkeypatch):
    path = write(batch, "growing.txt", b"x" * 5000)
    real_stat, reads = os.stat, []

    def stale_stat(name, *args, **kwargs):
        info = real_stat(name, *args, **kwargs)
        if Path(name) == path:  # the size it had when it was listed
            return os.stat_result((info.st_mode, *info[1:6], 10, *info[7:]))
        return info

    monkeypatch.setattr(os, "stat", stale_stat)
    real_open = open

    def spying_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        real_read = handle.read
        handle.read = lambda size=-1: reads.append(size) or real_read(size)
        return handle

    monkeypatch.setattr("builtins.open", spying_open)
    with pytest.raises(imports.UnreadableFile, match="plus de 1 000 octets"):
        imports.file_read(path, limit=1000)
    assert reads == [1001]


def test_the_size_limit_comes_from_the_environment():
    code = "from django.conf import settings; print(settings.IMPORT_MAX_FILE_BYTES)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    default = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={k: v for k, v in env.items() if k != "IMPORT_MAX_FILE_BYTES"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert default.stdout.strip() == str(8 * 1024 * 1024)
    chosen = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "IMPORT_MAX_FILE_BYTES": "1234"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert chosen.stdout.strip() == "1234"


# Per-file results, interrupted runs --------------------------------------------------------


def test_each_file_result_is_written_with_its_file(batch):
    for n in range(3):
        write(batch, f"{n}.txt", f"{BRIEF[:-1]}, numéro {n}.".encode())
    write(batch, "3.txt", b"")
    recorded = []

    def progress(done, total, path):
        recorded.append(ImportFileResult.objects.filter(run__status="running").count())

    batch_import(paths=[batch], progress=progress)
    assert recorded == [1, 2, 3, 4]


def dead_pid() -> int:
    """The id of a process that has just ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_run_whose_process_died_is_marked_interrupted_by_the_next_run(batch):
    stale = ImportRun.objects.create(
        triggered_by="loadseeds (killed)",
        host=socket.gethostname(),
        pid=dead_pid(),
        heartbeat_at=timezone.now(),
    )
    stale.files.create(path="/lot/a.txt", outcome=FileOutcome.IMPORTED)
    report = batch_import(paths=[write(batch, "brief.txt", BRIEF.encode())])
    stale.refresh_from_db()
    assert stale.status == ImportRunStatus.INTERRUPTED
    assert stale.get_status_display() == "Interrompu"
    assert stale.summary["files"] == 1 and stale.summary["imported"] == 1
    assert stale.summary["interrupted"]
    assert report.interrupted_runs == [{"run": stale.pk, "reason": stale.summary["interrupted"]}]
    assert ImportRun.objects.get(pk=report.run_id).status == ImportRunStatus.SUCCEEDED


def test_a_silent_run_of_another_machine_is_marked_interrupted(batch):
    stale = ImportRun.objects.create(
        host="another-machine",
        pid=1,
        started_at=timezone.now() - datetime.timedelta(hours=2),
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )
    batch_import(paths=[write(batch, "brief.txt", BRIEF.encode())])
    stale.refresh_from_db()
    assert stale.status == ImportRunStatus.INTERRUPTED


@contextmanager
def live_run_elsewhere():
    """What a live run holds while it imports: on PostgreSQL, the live-runs lock, taken on a
    connection of its own; on SQLite, nothing beyond its row (process and heartbeat)."""
    if connection.vendor != "postgresql":
        yield
        return
    holding, release = threading.Event(), threading.Event()

    def hold():
        try:
            with imports._live_run_lock():
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(30)
    try:
        yield
    finally:
        release.set()
        thread.join()


def test_a_live_concurrent_run_is_left_running(batch):
    live = ImportRun.objects.create(
        host=socket.gethostname(), pid=os.getpid(), heartbeat_at=timezone.now()
    )
    with live_run_elsewhere():
        report = batch_import(paths=[write(batch, "brief.txt", BRIEF.encode())])
    live.refresh_from_db()
    assert live.status == ImportRunStatus.RUNNING
    assert report.interrupted_runs == []


def test_a_run_stopped_by_an_exception_is_interrupted_and_keeps_its_finished_files(
    batch, monkeypatch
):
    for n in range(3):
        write(batch, f"{n}.txt", f"{BRIEF[:-1]}, numéro {n}.".encode())
    original = imports.file_import

    def stop_on_the_second(*, path, **options):
        if path.name == "1.txt":
            raise KeyboardInterrupt
        return original(path=path, **options)

    monkeypatch.setattr(imports, "file_import", stop_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        batch_import(paths=[batch])
    run = ImportRun.objects.get()
    assert run.status == ImportRunStatus.INTERRUPTED
    assert run.summary["interrupted"] == "arrêté en cours de route (Ctrl-C)"
    assert [Path(f.path).name for f in run.files.all()] == ["0.txt"]


def test_sigterm_stops_loadseeds_as_an_interrupted_run(batch, monkeypatch):
    for n in range(3):
        write(batch, f"{n}.txt", f"{BRIEF[:-1]}, numéro {n}.".encode())
    original = imports.file_import

    def terminated_on_the_second(*, path, **options):
        if path.name == "1.txt":
            os.kill(os.getpid(), signal.SIGTERM)
        return original(path=path, **options)

    monkeypatch.setattr(imports, "file_import", terminated_on_the_second)
    with pytest.raises(SystemExit):
        call_command("loadseeds", str(batch), verbosity=0)
    run = ImportRun.objects.get()
    assert run.status == ImportRunStatus.INTERRUPTED
    assert [Path(f.path).name for f in run.files.all()] == ["0.txt"]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_admin_shows_a_dead_running_run_as_interrupted(client):
    login_editor(client)
    dead = ImportRun.objects.create(
        host=socket.gethostname(), pid=dead_pid(), heartbeat_at=timezone.now()
    )
    response = client.get(reverse("admin:news_importrun_changelist"))
    assert "Interrompu — " in response.content.decode()
    response = client.get(reverse("admin:news_importrun_change", args=[dead.pk]))
    assert "Interrompu — " in response.content.decode()
    dead.refresh_from_db()
    assert dead.status == ImportRunStatus.RUNNING  # shown, not written: the next run records it


@pytest.mark.django_db(transaction=True)
def test_a_killed_loadseeds_keeps_its_file_results_and_the_next_run_says_interrupted(tmp_path):
    """kill -9 in the middle of a batch: the files done are recorded, the next run tells."""
    for n in range(40):
        write(tmp_path, f"{n:02d}.txt", f"{BRIEF[:-1]}, numéro {n}.".encode())
    database = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "1"}
    if connection.vendor == "postgresql":
        user, password = database["USER"], database["PASSWORD"]
        host, port = database["HOST"] or "localhost", database["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{user}:{password}@{host}:{port}/{database['NAME']}"
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = database["NAME"]
    process = subprocess.Popen(
        [sys.executable, "manage.py", "loadseeds", str(tmp_path)],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    while ImportFileResult.objects.count() < 3 and process.poll() is None:
        assert time.monotonic() < deadline, "the import did not start"
        time.sleep(0.05)
    process.kill()
    process.wait()
    run = ImportRun.objects.get()
    assert run.status == ImportRunStatus.RUNNING and run.pid == process.pid
    done = run.files.count()
    assert 3 <= done < 40
    assert Article.objects.count() == done  # each result went with its file's articles

    report = batch_import(paths=[tmp_path / "00.txt"])
    run.refresh_from_db()
    assert run.status == ImportRunStatus.INTERRUPTED
    assert report.interrupted_runs[0]["run"] == run.pk
    assert run.summary["files"] == done


# The reference load of an empty database -------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_loadseeds_on_an_empty_database_load_the_reference_once():
    call_command("flush", interactive=False, verbosity=0)
    assert not Territory.objects.exists()
    errors = []

    def run():
        try:
            call_command("loadseeds", str(SEEDS / "004_707a132c0bc4c6f8.txt"), verbosity=0)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Territory.objects.filter(kind="region").count() == 18
    assert Territory.objects.filter(kind="commune", code="62119").count() == 1
    assert Article.objects.count() == 1
    assert [r.status for r in ImportRun.objects.all()] == [ImportRunStatus.SUCCEEDED] * 2


# What needs review ------------------------------------------------------------------------


def test_articles_to_review_counts_the_batch_whatever_this_run_changed():
    first = batch_import(paths=[SEEDS])
    flagged = Article.objects.filter(needs_review=True).count()
    assert flagged > 0
    assert first.summary()["needs_review"] == flagged
    again = batch_import(paths=[SEEDS])
    assert {f.outcome for f in again.files} == {FileOutcome.UNCHANGED}
    assert again.summary()["needs_review"] == flagged
    # An editor checks one: one fewer to review.
    checked = Article.objects.filter(needs_review=True).first()
    Article.objects.filter(pk=checked.pk).update(needs_review=False)
    assert batch_import(paths=[SEEDS]).summary()["needs_review"] == flagged - 1


def test_articles_to_review_counts_a_duplicated_text_once(batch):
    shutil.copy(SEEDS / "004_707a132c0bc4c6f8.txt", batch / "one.txt")
    (batch / "two.txt").write_text(
        "Menu\n" + (SEEDS / "004_707a132c0bc4c6f8.txt").read_text(), encoding="utf-8"
    )
    report = batch_import(paths=[batch])
    assert Article.objects.get().needs_review
    assert report.summary()["needs_review"] == 1
    assert batch_import(paths=[batch]).summary()["needs_review"] == 1


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


def test_an_absurdly_long_lead_is_cut_and_flagged_nothing_lost(batch):
    # A hundred kilobytes: the parser's time grows with it, the cut does not.
    lead = " ".join(f"La production{n} augmente à Arques." for n in range(3_000))
    assert len(lead) > 100_000
    write(batch, "enorme.txt", f"Une usine ouvre à Arques\n\n{lead}".encode())
    report = batch_import(paths=[batch])
    assert outcomes(report)["enorme.txt"][0] == FileOutcome.IMPORTED
    article = Article.objects.get()
    assert len(article.lead) <= LEAD_MAX
    assert article.lead.endswith("…")
    assert f"{article.lead[:-1]} {article.body[1:]}".startswith(lead)
    assert article.needs_review
    assert f"Chapô trop long ({len(lead):,} caractères)".replace(",", " ") in article.review_notes
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
