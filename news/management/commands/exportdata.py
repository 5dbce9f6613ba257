import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from news.services.exports import export_articles_csv, export_dataset


class Command(BaseCommand):
    help = (
        "Exporte le jeu de données éditorialisé (articles, territoires, organisations, "
        "Territoires d'industrie) en JSON ou en CSV (une ligne par article) : par défaut ce "
        "que le site public montre, les articles publiés, leurs liens confirmés et les "
        "organisations que ces liens citent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", type=Path, help="fichier de sortie (défaut : stdout)")
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="pour les éditeurs : exporte aussi les brouillons, les liens encore suggérés "
            "(link_status « suggested » en JSON, suivis de « ? » en CSV) et les organisations "
            "qu'ils sont seuls à citer",
        )

    def handle(self, *args, **options):
        dataset = export_dataset(include_drafts=options["include_drafts"])
        if options["format"] == "json":
            content = json.dumps(dataset, ensure_ascii=False, indent=2) + "\n"
        else:
            content = export_articles_csv(dataset)
        output = options["output"]
        if output is None:
            self.stdout.write(content, ending="")
            return
        try:
            output.write_text(content, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Écriture impossible dans {output} : {error.strerror}") from error
        self.stderr.write(
            self.style.SUCCESS(f"{len(dataset['articles'])} articles exportés dans {output}.")
        )
