import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from news.evaluation import (
    BASELINE_FILE,
    EVAL_DIR,
    AnnotationError,
    evaluate,
    load_pages,
    regressions,
    threshold_table,
)
from news.services.imports import Resolver
from territories.services import reference_is_loaded


class Command(BaseCommand):
    requires_system_checks = []  # the pure parser only: the site's checks do not concern it
    help = (
        "Mesure l'importeur sur les pages annotées de l'équipe (tests/news/ingest/eval/) : "
        "nombre d'articles, titres, dates, territoires, organisations, personnes, lignes de site."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", type=Path, default=EVAL_DIR)
        parser.add_argument("--json", action="store_true", help="les scores en JSON")
        parser.add_argument(
            "--write-baseline",
            action="store_true",
            help=f"enregistrer les scores comme référence ({BASELINE_FILE.name})",
        )

    def handle(self, *args, **options):
        if not reference_is_loaded():
            raise CommandError(
                "Le référentiel des territoires n'est pas chargé : lancez d'abord "
                "« manage.py loadterritories »."
            )
        try:
            pages = load_pages(options["folder"])
        except AnnotationError as error:
            raise CommandError(f"Annotation invalide : {error}") from error
        if not pages:
            raise CommandError(f"Aucune page annotée dans {options['folder']}")
        resolver = Resolver()
        gazetteer = resolver.gazetteer
        place_names = {f"{p.kind}:{p.code}": p.name for p in gazetteer.places.values()}
        # No organisation known beforehand: the scores must not depend on what was imported.
        report = evaluate(
            pages, lambda text: resolver.parse(text, known=False), place_names=place_names
        )
        figures = report.figures()
        if options["write_baseline"]:
            BASELINE_FILE.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        if options["json"]:
            self.stdout.write(json.dumps({**figures, "seconds": round(report.seconds, 2)}))
            return
        verbose = options["verbosity"] >= 2
        for page in report.pages:
            status = "ok" if not page.problems else f"{len(page.problems)} écart(s)"
            self.stdout.write(
                f"{page.name:<48} {page.found_articles}/{page.expected_articles}  {status}"
            )
            if verbose:
                for problem in page.problems:
                    self.stdout.write(f"    - {problem}")
        self._write_figures(figures, report)
        if BASELINE_FILE.exists() and not options["write_baseline"]:
            baseline = json.loads(BASELINE_FILE.read_text(encoding="utf-8"))
            worse = regressions(figures, baseline)
            if worse:
                self.stdout.write(
                    self.style.ERROR("En dessous de la référence : " + "; ".join(worse))
                )

    def _write_figures(self, f: dict, report) -> None:
        w = self.stdout.write
        w("")
        w(f"Pages                        {f['pages']} ({f['articles']} articles)")
        w(f"Nombre d'articles juste      {f['article_count_right']}/{f['pages']}")
        w(f"Titres justes                {f['titles']:.1%}")
        w(
            f"Dates justes / manquantes / fausses   "
            f"{f['dates_right']} / {f['dates_missing']} / {f['dates_wrong']}"
        )
        w(
            f"Territoires précision / rappel        "
            f"{f['territories_precision']:.2f} / {f['territories_recall']:.2f}"
        )
        w(f"Homonymes d'un autre département      {f['homonyms']}")
        w(
            f"Organisations précision / rappel / F1 {f['organisations_precision']:.2f} / "
            f"{f['organisations_recall']:.2f} / {f['organisations_f1']:.2f}"
        )
        w(
            f"Personnes précision / rappel / F1     {f['people_precision']:.2f} / "
            f"{f['people_recall']:.2f} / {f['people_f1']:.2f}"
        )
        w(f"Lignes de site restées                {f['chrome_left']}")
        w(f"Temps d'analyse                       {report.seconds:.2f} s")
        w("")
        w("Confiance des liens de territoire : liens, justes, secondaires (lieu, mention), faux")
        for bucket, count, right, optional, wrong in report.calibration():
            share = f"{right / count:.0%}" if count else "—"
            w(f"  {bucket}   {count:>4}  {right:>4}  {optional:>4}  {wrong:>4}   justes {share}")
        self._write_thresholds(report)

    def _write_thresholds(self, report) -> None:
        """What ``loadseeds --publish`` would confirm at each candidate threshold."""
        w = self.stdout.write
        names = {
            "territories": "territoires",
            "organisations": "organisations",
            "people": "personnes",
        }
        w("")
        w(
            f"Seuil de confirmation à la publication (IMPORT_CONFIRM_THRESHOLD, actuellement "
            f"{settings.IMPORT_CONFIRM_THRESHOLD:.2f}) : liens confirmés, dont justes, "
            f"secondaires, faux ; liens laissés à vérifier, dont justes"
        )
        w("(les liens aux territoires d'industrie ne sont pas annotés : non mesurés)")
        for row in threshold_table(report):
            share = f"{row.precision:.0%}" if row.precision is not None else "—"
            w(
                f"  ≥ {row.threshold:.2f}  {names[row.kind]:<14} {row.confirmed:>4}  "
                f"{row.right:>4}  {row.optional:>4}  {row.wrong:>4}   justes {share:>4}   "
                f"à vérifier {row.left:>4} (dont {row.right_left} justes)"
            )
