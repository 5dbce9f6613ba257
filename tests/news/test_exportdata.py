import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import make_article, make_label, make_organisation

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("loadseeds", str(SEEDS), "--publish", verbosity=0)


def export(capsys, *args) -> str:
    call_command("exportdata", *args)
    return capsys.readouterr().out


def test_json_export_follows_the_published_contract(seeded, capsys):
    data = json.loads(export(capsys))
    assert set(data) == {"articles", "territories", "organisations", "labels"}
    assert len(data["articles"]) == 14
    article = next(a for a in data["articles"] if "CABBALR" in a["title"])
    assert set(article) >= {
        "slug",
        "title",
        "kicker",
        "lead",
        "body",
        "published_on",
        "status",
        "url",
        "source",
        "territories",
        "organisations",
        "people",
        "tags",
    }
    assert article["published_on"] is None
    assert article["status"] == "published"
    assert article["url"].endswith(f"/articles/{article['slug']}/")
    assert article["source"] == {
        "file": "004_707a132c0bc4c6f8.txt",
        "position": 0,
        "publisher": "",
    }
    # "CABBALR" (72 %) and "Béthune" (55 %) are below the confirmation threshold: suggestions,
    # which readers do not see and open data does not hold.
    assert article["territories"] == []
    assert {
        "name": "CCI Artois",
        "slug": "cci-artois",
        "kind": "chamber",
        "link_status": "confirmed",
    } in article["organisations"]
    assert {p["name"] for p in article["people"]} == {"Olivier Gacquerre", "Jean-Marc Devise"}


def test_editors_export_the_suggested_links_too_marked_as_such(seeded, capsys):
    data = json.loads(export(capsys, "--include-drafts"))
    article = next(a for a in data["articles"] if "CABBALR" in a["title"])
    assert {
        "kind": "epci",
        "code": "200072460",
        "name": "CA de Béthune-Bruay, Artois-Lys Romane",
        "link_status": "suggested",
    } in article["territories"]
    rows = list(csv.DictReader(io.StringIO(export(capsys, "--format", "csv", "--include-drafts"))))
    row = next(r for r in rows if "CABBALR" in r["title"])
    assert "epci:200072460?" in row["territories"].split("; ")


def test_dates_are_iso_and_labels_list_members_and_articles(seeded, capsys):
    data = json.loads(export(capsys))
    dated = next(a for a in data["articles"] if a["source"]["file"].startswith("003"))
    assert dated["published_on"] == "2025-01-13"
    # The seeds' "Territoire d’industrie du Scot Lille Métropole" is the official ti-3213.
    label = next(
        lb for lb in data["labels"] if (lb["code"], lb["phase"]) == ("ti-3213", "2023-2027")
    )
    assert label["name"] == "SCOT Lille Métropole"
    assert label["labelled_on"] is None  # the ANCT list gives no date
    assert {t["code"] for t in label["territories"]} == {"200093201", "200041960"}
    assert len(label["articles"]) == 1
    first_phase = [lb for lb in data["labels"] if lb["phase"] == "2018-2022"]
    assert len(first_phase) == 149
    second_phase = [lb for lb in data["labels"] if lb["phase"] == "2023-2027"]
    assert len([lb for lb in second_phase if lb["code"]]) == 183
    kinds = {t["kind"] for t in data["territories"]}
    assert kinds <= {"commune", "epci", "departement", "region", "groupement"}


def test_csv_export_has_one_row_per_article(seeded, capsys):
    rows = list(csv.DictReader(io.StringIO(export(capsys, "--format", "csv"))))
    assert len(rows) == 14
    row = next(r for r in rows if "CABBALR" in r["title"])
    assert row["organisations"] == "cci-artois"
    assert row["published_on"] == ""
    lille = next(r for r in rows if r["title"].startswith("La Métropole Européenne de Lille"))
    assert set(lille["territories"].split("; ")) == {
        "departement:59",
        "epci:200093201",
        "epci:200041960",
    }


def test_export_to_a_file(seeded, tmp_path):
    target = tmp_path / "export.json"
    call_command("exportdata", "--output", str(target))
    assert len(json.loads(target.read_text(encoding="utf-8"))["articles"]) == 14


def test_unwritable_output_is_a_clear_error(seeded, tmp_path):
    with pytest.raises(CommandError, match="Écriture impossible"):
        call_command("exportdata", "--output", str(tmp_path / "missing" / "export.json"))


def test_export_holds_the_published_set_unless_drafts_are_asked_for(capsys):
    public = make_organisation("Forges publiques")
    private = make_organisation("Projet confidentiel")
    label = make_label("Territoire d'industrie d'export")
    published = make_article(
        title="Publié", organisations=[public], labels=[label], link_status="confirmed"
    )
    draft = make_article(title="Brouillon", organisations=[private], labels=[label], status="draft")
    only_suggested = make_organisation("Piste à vérifier")
    suggested = make_article(title="Suggéré", organisations=[only_suggested])

    data = json.loads(export(capsys))
    assert {a["slug"] for a in data["articles"]} == {published.slug, suggested.slug}
    organisations = {o["name"] for o in data["organisations"]}
    assert "Forges publiques" in organisations
    assert "Projet confidentiel" not in organisations
    assert "Piste à vérifier" not in organisations  # only a suggestion names it
    exported_label = next(lb for lb in data["labels"] if lb["slug"] == label.slug)
    assert exported_label["articles"] == [published.slug]
    assert "Brouillon" not in export(capsys, "--format", "csv")

    everything = json.loads(export(capsys, "--include-drafts"))
    assert len(everything["articles"]) == 3
    assert "Projet confidentiel" in {o["name"] for o in everything["organisations"]}
    exported_label = next(lb for lb in everything["labels"] if lb["slug"] == label.slug)
    assert exported_label["articles"] == sorted([published.slug, draft.slug])
