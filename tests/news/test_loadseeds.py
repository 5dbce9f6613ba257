"""loadseeds on the seed batch: what an editor finds after an import, read from the seeds."""

import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from news.models import Article, ArticleStatus, ImportRun, ImportRunStatus
from territories.models import IndustryLabel, LabelPhase, Organisation, Person
from territories.naming import organisation_key

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("loadseeds", str(SEEDS), verbosity=0)


def articles_of(prefix: str):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return list(Article.objects.filter(source_file=path.name).order_by("source_position"))


def codes(article) -> set[str]:
    return set(article.territories.values_list("code", flat=True))


def organisations(article) -> set[str]:
    return set(article.organisations.values_list("name", flat=True))


def people(article) -> set[str]:
    return set(article.people.values_list("name", flat=True))


def test_every_brief_of_the_digest_is_its_own_article(seeded):
    briefs = articles_of("000")
    assert len(briefs) == 10
    assert [a.source_position for a in briefs] == list(range(10))
    assert briefs[3].title == (
        "Le 11 juin dernier avaient lieu les Rencontres industrielles régionales, à Valenciennes"
    )
    assert briefs[7].title == "Réindustrialisation à Dunkerque"
    assert briefs[9].title == "Communauté de communes du Pays d’Opale"


def test_digest_dates_take_the_year_the_page_gives(seeded):
    briefs = articles_of("000")
    assert [a.published_on for a in briefs] == [
        datetime.date(2024, 6, 18),
        datetime.date(2024, 6, 13),
        datetime.date(2024, 6, 13),
        datetime.date(2024, 6, 11),
        datetime.date(2024, 6, 10),
        datetime.date(2024, 6, 10),
        None,
        None,
        datetime.date(2024, 6, 6),
        datetime.date(2024, 4, 1),
    ]
    assert briefs[9].date_precision == "month"
    assert all(a.date_inferred for a in briefs if a.published_on)
    assert briefs[6].needs_review and briefs[7].needs_review


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (2, {"62497"}),  # Leforest
        (3, {"59606", "245901160"}),  # Valenciennes, "Métropole de Valenciennes"
        (4, {"200042190", "59632"}),  # CA de la Porte du Hainaut, Wallers
        (5, {"200069037", "62765"}),  # Pays de Saint-Omer, "St-Omer" in the Pas-de-Calais
        (6, {"62321", "62498", "200044618", "246200299", "200044048"}),
        (7, {"59183"}),  # Dunkerque
        (8, {"200069037", "62040"}),  # Arques of the Pas-de-Calais, not of the Aude
        (9, {"200072478", "62397"}),  # CCPO, Guînes
    ],
)
def test_digest_territories(seeded, position, expected):
    assert codes(articles_of("000")[position]) == expected


def test_digest_organisations_people_and_acronyms(seeded):
    briefs = articles_of("000")
    assert organisations(briefs[1]) == {"Face Valo"}
    phc = Organisation.objects.get(name="Porte du Hainaut Commerce")
    assert (phc.acronym, phc.kind) == ("PHC", "association")
    assert organisations(briefs[6]) == {"Symevad"}
    assert organisations(briefs[7]) == {"Medef", "Y croire pour agir"}
    assert people(briefs[7]) == {"Pierre Gattaz"}
    assert people(briefs[8]) == {"Thierry Deteve"}


def test_one_organisation_for_its_two_spellings_across_articles(seeded):
    briefs = articles_of("000")
    (initiative,) = Organisation.objects.filter(
        normalized_name=organisation_key("Initiative Pays de Saint-Omer")
    )
    assert initiative.acronym == "IPSO"
    assert set(briefs[5].organisations.all()) == {initiative}
    assert set(briefs[8].organisations.all()) == {initiative}


def test_labelling_of_lille_and_pevele_is_the_official_second_phase_label(seeded):
    (article,) = articles_of("001")
    assert article.title == (
        "La Métropole Européenne de Lille et la Pévèle-Carembault labellisées "
        '"Territoire d’industrie"'
    )
    assert article.kicker == "Nord"
    assert article.published_on == datetime.date(2023, 11, 9)
    assert codes(article) == {"59", "200093201", "200041960", "71076", "32"}
    assert {"Peignage Dumortier", "Dickson", "Subremat", "Imattec", "Euratex"} <= organisations(
        article
    )
    assert people(article) == {"Bernard Haesebroeck", "Arnaud Hottin", "Gregory Marchant"}
    assert set(article.tags.names()) >= {"Nord", "Industrie", "Collectivités territoriales"}
    # "Territoire d’industrie du Scot Lille Métropole", 2023: the official second-phase label.
    (label,) = article.industry_labels.all()
    assert (label.code, label.phase) == ("ti-3213", LabelPhase.SECOND)
    assert label.name == "SCOT Lille Métropole"
    assert label.is_reference
    assert label.region.code == "32"
    assert set(label.territories.values_list("code", flat=True)) == {"200093201", "200041960"}
    assert "Territoire d’industrie" not in article.review_notes


def test_main_text_does_not_take_the_date_of_a_teaser_card(seeded):
    (article,) = articles_of("002")
    assert article.published_on == datetime.date(2023, 5, 11)
    assert article.date_inferred
    # "Hauts-de-France / Pays de Saint-Omer (62) / Coeur de Flandre : …" is printed above the
    # text and again in the related articles after it: another article's card, not this one's
    # headline. The page has none of its own: the title is derived and left to review, and
    # nothing of the card (its territories, its "Coeur de Flandre" label) is linked.
    assert article.kicker == "Réindustrialisation"
    assert article.title.startswith("Comme annoncé par le Président de la République")
    assert "Titre déduit" in article.review_notes
    assert codes(article) == set()
    assert organisations(article) == {"Banque des Territoires"}
    assert people(article) == {"Bruno Le Maire", "Christophe Béchu", "Roland Lescure"}
    assert not article.industry_labels.exists()
    assert article.needs_review


def test_terres_de_lorraine_in_2025_is_the_second_phase_label(seeded):
    (article,) = articles_of("003")
    assert article.published_on == datetime.date(2025, 1, 13)
    assert not article.date_inferred
    assert article.publisher == "Lorr'Up"
    assert codes(article) == {"44", "245400171", "200070563"}
    assert organisations(article) == {"Association du Pays Terres de Lorraine"}
    assert people(article) == {"Hervé Tillard", "Fabrice Chartreux"}
    # A 2025 text: the second-phase Terres de Lorraine, not a copy of the first-phase one.
    (label,) = article.industry_labels.all()
    assert (label.code, label.phase) == ("ti-4418", LabelPhase.SECOND)
    assert IndustryLabel.objects.filter(name="Terres de Lorraine").count() == 2  # both phases
    assert "## Une réunion stratégique pour fixer les objectifs 2025" in article.body


def test_convention_without_date_is_flagged(seeded):
    (article,) = articles_of("004")
    assert article.kicker == "Pour renforcer le développement économique du territoire"
    assert article.title == (
        "La CABBALR et la CCI Artois officialisent une convention de partenariat"
    )
    assert article.published_on is None
    assert article.needs_review
    assert "date" in article.review_notes.lower()
    assert codes(article) == {"200072460", "62119"}
    cci = Organisation.objects.get(name="CCI Artois")
    assert cci.kind == "chamber"
    assert organisations(article) == {"CCI Artois"}
    assert people(article) == {"Olivier Gacquerre", "Jean-Marc Devise"}
    assert "## Industrie et commerce de proximité" in article.body


CHROME = [
    "Menu",
    "Suivez nous",
    "Partager",
    "S'abonner",
    "Photo :",
    "stock.adobe.com",
    "Articles récents",
    "Télécharger la fiche",
    "Remplissez le formulaire",
    " # ",
    "lorrup",
    "Publié le",
    "Replay",
    "S'inscrire",
    "pack rebond",
    "Matinale chez Flavien",
]


def test_no_chrome_line_survives_in_any_article(seeded):
    for article in Article.objects.all():
        text = "\n".join([article.kicker, article.title, article.lead, article.body])
        for chrome in CHROME:
            assert chrome not in text, (article.source_file, chrome)


def test_no_commune_from_a_wrong_departement(seeded):
    from territories.models import Territory

    communes = Territory.objects.filter(articles__isnull=False, kind="commune").distinct()
    assert {c.departement.code for c in communes} <= {"59", "62", "71"}  # 71: Chalon-sur-Saône


def test_links_record_how_they_were_made(seeded):
    (article,) = articles_of("004")
    link = article.territory_links.get(territory__code="200072460")
    assert (link.method, link.matched_text, link.status) == ("alias", "CABBALR", "suggested")
    assert 0 < link.confidence <= 1


def test_persons_are_kept_in_searchable_form(seeded):
    assert Person.objects.filter(name__icontains="gacquerre").exists()


def test_imported_articles_are_drafts_unless_published(seeded):
    assert not Article.objects.published().exists()
    call_command("loadseeds", str(SEEDS), "--publish", verbosity=0)
    assert Article.objects.drafts().count() == 0
    assert Article.objects.published().count() == 14


def test_each_run_is_recorded_with_file_results(seeded):
    run = ImportRun.objects.latest()
    assert run.status == ImportRunStatus.SUCCEEDED
    assert run.files.count() == 5
    assert run.summary["articles_created"] == 14
    assert run.finished_at is not None


def test_default_path_is_the_seeds_folder():
    call_command("loadseeds", verbosity=0)
    assert Article.objects.count() == 14


def test_json_report_is_machine_readable(capsys):
    call_command("loadseeds", str(SEEDS), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["articles_created"] == 14
    assert {f["outcome"] for f in report["files"]} == {"imported"}
    assert report["files"][0]["articles"][0]["action"] == "created"


def test_summary_table_is_printed(capsys):
    call_command("loadseeds", str(SEEDS))
    out = capsys.readouterr().out
    assert "Articles créés" in out
    assert "Articles à vérifier" in out


def test_dry_run_writes_nothing_but_reports(capsys):
    call_command("loadseeds", str(SEEDS), "--dry-run", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["dry_run"] is True
    assert report["summary"]["articles_created"] == 14
    assert Article.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_published_status_is_kept_on_reimport(seeded):
    Article.objects.update(status=ArticleStatus.PUBLISHED)
    call_command("loadseeds", str(SEEDS), verbosity=0)
    assert Article.objects.drafts().count() == 0


def test_entries_it_cannot_read_are_named_in_the_output_the_json_and_the_run(tmp_path, capsys):
    shutil.copy(SEEDS / "004_707a132c0bc4c6f8.txt", tmp_path / "a_good.TXT")
    (tmp_path / "b_dangling.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(tmp_path / "c_fifo.txt")
    gone = tmp_path / "gone.txt"
    reasons = {
        "b_dangling.txt": f"lien symbolique cassé : sa cible « {gone} » n'existe pas",
        "c_fifo.txt": "tube nommé (FIFO), pas un fichier ordinaire : non lu",
    }
    with pytest.raises(SystemExit):
        call_command("loadseeds", str(tmp_path))
    out = capsys.readouterr().out
    for name, reason in reasons.items():
        assert f"ÉCHEC     {tmp_path / name} — {reason}" in out
    assert f"importé   {tmp_path / 'a_good.TXT'}" in out
    run = ImportRun.objects.latest()
    assert {Path(f.path).name: f.reason for f in run.files.filter(outcome="failed")} == reasons

    with pytest.raises(SystemExit):
        call_command("loadseeds", str(tmp_path), "--json")
    report = json.loads(capsys.readouterr().out)
    failed = {
        Path(f["path"]).name: f["reason"] for f in report["files"] if f["outcome"] == "failed"
    }
    assert failed == reasons


def review_figure(out: str) -> int:
    (line,) = [line for line in out.splitlines() if "Articles à vérifier dans ces fichiers" in line]
    return int(line.split()[-1])


def test_articles_to_review_on_a_rerun_are_still_counted(capsys):
    call_command("loadseeds", str(SEEDS))
    first = review_figure(capsys.readouterr().out)
    call_command("loadseeds", str(SEEDS))
    out = capsys.readouterr().out
    assert "Articles inchangés" in out
    to_review = Article.objects.filter(needs_review=True).count()
    assert to_review > 0
    assert first == review_figure(out) == to_review


def test_a_run_left_running_by_a_dead_process_is_reported_interrupted(capsys):
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    stale = ImportRun.objects.create(host=socket.gethostname(), pid=process.pid)
    call_command("loadseeds", str(SEEDS / "004_707a132c0bc4c6f8.txt"))
    out = capsys.readouterr().out
    assert f"Import n° {stale.pk} interrompu — " in out
    stale.refresh_from_db()
    assert stale.status == ImportRunStatus.INTERRUPTED
