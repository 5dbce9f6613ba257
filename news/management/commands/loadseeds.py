import contextlib
import json
import signal
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from news.models import FileOutcome
from news.services.imports import batch_import


class Command(BaseCommand):
    help = (
        "Importe des lots de textes bruts (fichiers ou dossiers ; par défaut seeds/) en articles "
        "liés aux territoires, organisations et Territoires d'industrie qu'ils citent. "
        "Les articles importés sont des brouillons, sauf avec --publish."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="fichiers ou dossiers à importer")
        parser.add_argument(
            "--publish",
            action="store_true",
            # argparse formats help with %: the percent sign is doubled.
            help="publier les articles importés et confirmer leurs liens d’une confiance d’au "
            f"moins {round(settings.IMPORT_CONFIRM_THRESHOLD * 100)} %% "
            "(IMPORT_CONFIRM_THRESHOLD) ; les autres restent des suggestions à vérifier, "
            "invisibles des lecteurs",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="montrer ce qui changerait sans rien écrire",
        )
        parser.add_argument(
            "--json", action="store_true", help="écrire le bilan en JSON sur la sortie standard"
        )

    def handle(self, *args, **options):
        paths = options["paths"] or [Path(settings.BASE_DIR) / "seeds"]
        progress = self._progress if sys.stderr.isatty() and not options["json"] else None
        with _stopped_by_sigterm():
            report = batch_import(
                paths=paths,
                publish=options["publish"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        if progress:
            sys.stderr.write("\n")
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._write_report(report, options["verbosity"])
        if report.failed:
            sys.exit(1)

    @staticmethod
    def _progress(done: int, total: int, path: Path) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        bar = "█" * filled + "·" * (width - filled)
        sys.stderr.write(f"\r{bar} {done}/{total} {path.name[:40]:<40}")
        sys.stderr.flush()

    def _write_report(self, report, verbosity: int) -> None:
        labels = {
            FileOutcome.IMPORTED: "importé",
            FileOutcome.UNCHANGED: "inchangé",
            FileOutcome.SKIPPED: "ignoré",
            FileOutcome.FAILED: "ÉCHEC",
        }
        if verbosity >= 1:
            for interrupted in report.interrupted_runs:
                self.stdout.write(
                    self.style.WARNING(
                        f"Import n° {interrupted['run']} interrompu — {interrupted['reason']}"
                    )
                )
            for file in report.files:
                line = f"{labels[file.outcome]:<9} {file.path}"
                if file.reason:
                    line += f" — {file.reason}"
                style = self.style.ERROR if file.outcome == FileOutcome.FAILED else str
                self.stdout.write(style(line))
                if verbosity >= 2:
                    for article in file.articles:
                        self.stdout.write(f"          {article.action:<10} {article.title[:70]}")
                kept = [a for a in file.articles if a.action == "kept"]
                for article in kept:
                    self.stdout.write(
                        f"          conservé (modifié par un éditeur) : {article.title[:70]}"
                    )
        if verbosity < 1:
            return
        summary = report.summary()
        rows = [
            ("Fichiers", summary["files"]),
            ("  importés", summary["imported"]),
            ("  inchangés", summary["unchanged"]),
            ("  ignorés", summary["skipped"]),
            ("  en échec", summary["failed"]),
            ("Articles créés", summary["articles_created"]),
            ("Articles mis à jour", summary["articles_updated"]),
            ("Articles inchangés", summary["articles_unchanged"]),
            ("Articles conservés (éditeurs)", summary["articles_kept"]),
            ("Liens suggérés créés", summary["links_created"]),
            # Every article of these files that still needs review, not only this run's.
            ("Articles à vérifier dans ces fichiers", summary["needs_review"]),
        ]
        self.stdout.write("")
        title = "Simulation (rien n'a été écrit)" if report.dry_run else "Bilan de l'import"
        self.stdout.write(self.style.MIGRATE_HEADING(title))
        for label, value in rows:
            self.stdout.write(f"  {label:<38}{value:>6}")
        message = "Import terminé avec des échecs." if report.failed else "Import terminé."
        style = self.style.ERROR if report.failed else self.style.SUCCESS
        self.stdout.write(style(message))


def _raise_system_exit(signum, frame):
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _stopped_by_sigterm():
    """``kill`` (SIGTERM) ends the command as Ctrl-C does, through an exception: the file being
    written is rolled back and the run is recorded as interrupted. ``kill -9`` cannot be
    caught; the next run finds that one."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_system_exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
