"""The evaluation harness, and the importer's scores held to the committed baseline."""

import datetime
import json

import pytest
from django.core.management import call_command

from news.evaluation import (
    BASELINE_FILE,
    Counts,
    ExpectedArticle,
    PageScore,
    Report,
    align,
    load_pages,
    regressions,
    threshold_table,
)
from news.ingest import ParsedItem
from territories.models import Territory


def expected(title, territories=()):
    return ExpectedArticle(
        title=title,
        date=None,
        territories=frozenset(territories),
        territories_optional=frozenset(),
        organisations=(),
        organisations_optional=frozenset(),
        people=frozenset(),
    )


def parsed(title):
    return ParsedItem(
        position=0,
        title=title,
        kicker="",
        lead="",
        body="",
        published_on=datetime.date(2024, 1, 1),
        date_precision="day",
        date_inferred=False,
        publisher="",
        tags=[],
        places=[],
        organisations=[],
        people=[],
        labels=[],
        review_notes=[],
        source_text="",
        content_hash="",
    )


def test_alignment_skips_an_article_the_parser_missed():
    wanted = [expected("Une usine à Lyon"), expected("Un port à Brest"), expected("Fin")]
    found = [parsed("Une usine à Lyon"), parsed("Fin")]
    assert align(wanted, found) == [(0, 0), (1, None), (2, 1)]


def test_alignment_keeps_an_extra_parsed_article_apart():
    wanted = [expected("Une usine à Lyon")]
    found = [parsed("Menu du site"), parsed("Une usine à Lyon")]
    assert align(wanted, found) == [(None, 0), (0, 1)]


def test_counts_give_precision_recall_and_f1():
    counts = Counts(true_positives=3, false_positives=1, false_negatives=3)
    assert (counts.precision, counts.recall) == (0.75, 0.5)
    assert counts.f1 == pytest.approx(0.6)


def test_regressions_name_the_scores_that_fell():
    baseline = {"titles": 0.9, "dates_wrong": 0, "pages": 30}
    assert regressions({"titles": 0.95, "dates_wrong": 0, "pages": 31}, baseline) == []
    assert regressions({"titles": 0.8, "dates_wrong": 2, "pages": 30}, baseline) == [
        "titles: 0.8 (baseline 0.9)",
        "dates_wrong: 2 (baseline 0)",
    ]


@pytest.mark.django_db
def test_every_annotation_loads_and_names_real_territories():
    pages = load_pages()
    assert len(pages) >= 30
    known = {f"{k}:{c}" for k, c in Territory.objects.values_list("kind", "code")}
    for page in pages:
        for article in page.articles:
            unknown = (article.territories | article.territories_optional) - known
            assert not unknown, f"{page.name}: {sorted(unknown)}"


@pytest.mark.django_db
def test_scores_never_fall_below_the_baseline(capsys):
    call_command("evaluateimporter", "--json")
    figures = json.loads(capsys.readouterr().out)
    baseline = json.loads(BASELINE_FILE.read_text(encoding="utf-8"))
    assert regressions(figures, baseline) == []


def test_threshold_table_says_what_each_threshold_would_confirm_and_how_right():
    page = PageScore("page", 1, 1)
    page.links = [(0.9, "right"), (0.85, "wrong"), (0.8, "optional"), (0.55, "right")]
    page.organisation_links = [(0.85, "right"), (0.6, "wrong")]
    page.people_links = [(0.8, "right")]
    rows = {
        (row.threshold, row.kind): row
        for row in threshold_table(Report([page], 0.0), thresholds=(0.8, 0.9))
    }
    territories = rows[(0.8, "territories")]
    assert (territories.confirmed, territories.right, territories.optional, territories.wrong) == (
        3,
        1,
        1,
        1,
    )
    assert (territories.left, territories.right_left) == (1, 1)
    assert territories.precision == pytest.approx(1 / 3)
    assert rows[(0.8, "organisations")].precision == 1.0
    assert rows[(0.9, "people")].confirmed == 0 and rows[(0.9, "people")].precision is None
