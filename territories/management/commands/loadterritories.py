import time

from django.core.management.base import BaseCommand

from territories.services import reference_is_loaded, reference_load


class Command(BaseCommand):
    help = (
        "Charge le référentiel officiel des territoires (régions, départements, "
        "intercommunalités, communes) et les Territoires d'industrie des deux phases "
        "(2018–2022 et 2023–2027) ; les territoires d'industrie créés depuis des articles qui "
        "figurent dans les listes officielles y sont rapprochés. Une seconde exécution ne "
        "modifie rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="ne fait rien si le référentiel est déjà chargé (démarrage d'un serveur)",
        )

    def handle(self, *args, **options):
        if options["if_missing"] and reference_is_loaded():
            if options["verbosity"] >= 1:
                self.stdout.write("Référentiel déjà chargé.")
            return
        started = time.perf_counter()
        report = reference_load()
        elapsed = time.perf_counter() - started
        if options["verbosity"] >= 1:
            for kind in report.created:
                self.stdout.write(
                    f"{kind}: {report.created[kind]} créés, {report.updated[kind]} modifiés"
                    + (f", {report.obsolete[kind]} obsolètes" if report.obsolete.get(kind) else "")
                )
            self.stdout.write(f"alias créés : {report.aliases_created}")
            if report.reconciled:
                self.stdout.write(
                    "territoires d'industrie issus d'articles rapprochés des listes officielles : "
                    f"{report.reconciled}"
                )
            message = "Référentiel chargé" if report.changed else "Référentiel déjà à jour"
            self.stdout.write(self.style.SUCCESS(f"{message} en {elapsed:.1f} s."))
