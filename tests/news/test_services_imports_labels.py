"""The importer matches the Territoires d'industrie an article names to the ANCT lists of both
phases, and makes one only when it is on neither (news/services/imports.py, label part)."""

import datetime

import pytest

from news.ingest.labels import FIRST_PHASE, SECOND_PHASE, LabelMention
from news.models import Article
from news.services.imports import Resolver, batch_import, label_resolve
from territories.models import IndustryLabel, LabelPhase, TerritoryKind
from tests.factories import make_article, territory

pytestmark = pytest.mark.django_db


def label(code, phase):
    return IndustryLabel.objects.get(code=code, phase=phase)


def epci(code):
    return territory(code, TerritoryKind.EPCI)


def mention(name, phase, *members, rule="one-of"):
    return LabelMention(name, phase, tuple(m.pk for m in members), name, rule)


@pytest.fixture
def resolve():
    resolver = Resolver()
    article = make_article()

    def resolve(mention):
        return label_resolve(mention=mention, resolver=resolver, article=article)

    return resolve


@pytest.mark.parametrize(("phase", "code"), [(SECOND_PHASE, "ti-3204"), (FIRST_PHASE, "ti-3203")])
def test_a_name_on_both_lists_is_the_label_of_the_phase_the_text_speaks_of(resolve, phase, code):
    before = IndustryLabel.objects.count()
    resolved = resolve(mention("Territoire d’industrie du Beauvaisis", phase))
    assert resolved.label == label(code, phase)
    assert resolved.label.name == "Beauvaisis"
    assert not resolved.unofficial
    assert IndustryLabel.objects.count() == before


def test_a_first_phase_territory_in_a_recent_text_is_the_first_phase_label(resolve):
    before = IndustryLabel.objects.count()
    resolved = resolve(mention("Sel et Vermois", SECOND_PHASE))  # not in the second phase
    assert resolved.label == label("ti-4409", LabelPhase.FIRST)
    assert IndustryLabel.objects.count() == before


def test_a_second_phase_only_territory_in_an_old_text_is_the_second_phase_label(resolve):
    resolved = resolve(mention("SCOT Lille Métropole", FIRST_PHASE))
    assert resolved.label == label("ti-3213", LabelPhase.SECOND)


def test_accents_case_and_punctuation_do_not_count(resolve):
    resolved = resolve(mention("lens-henin", SECOND_PHASE))
    assert resolved.label == label("ti-3209", LabelPhase.SECOND)  # "Lens – Hénin"


def test_an_intercommunality_holding_a_label_alone_is_named_for_it(resolve):
    resolved = resolve(mention("La Communauté d'agglomération du Pays de Saint-Omer", SECOND_PHASE))
    assert resolved.label == label("ti-3212", LabelPhase.SECOND)  # "Pays de Saint-Omer"


def test_a_statement_naming_the_members_is_the_label_they_form(resolve):
    resolved = resolve(
        mention("Communauté d'agglomération du Beauvaisis", SECOND_PHASE, epci("200067999"))
    )
    assert resolved.label == label("ti-3204", LabelPhase.SECOND)


def test_an_official_label_keeps_its_members(resolve):
    official = label("ti-3213", LabelPhase.SECOND)
    before = set(official.territories.all())
    resolve(mention("SCOT Lille Métropole", SECOND_PHASE, epci("200067999")))
    assert set(official.territories.all()) == before


def test_a_name_on_neither_list_is_made_once_from_the_articles(resolve):
    before = IndustryLabel.objects.count()
    flandre = epci("200040947")
    made = resolve(mention("Cœur de Flandre", SECOND_PHASE, flandre))
    assert made.unofficial
    assert (made.label.name, made.label.phase, made.label.code) == (
        "Cœur de Flandre",
        SECOND_PHASE,
        None,
    )
    assert not made.label.is_reference
    assert list(made.label.territories.all()) == [flandre]
    again = resolve(mention("Coeur de Flandre", SECOND_PHASE, flandre, epci("200040954")))
    assert again.label == made.label and again.unofficial
    assert IndustryLabel.objects.count() == before + 1
    # A label made from articles learns the members the next ones give.
    assert made.label.territories.count() == 2


def test_a_name_on_neither_list_with_nothing_to_place_it_makes_nothing(resolve):
    before = IndustryLabel.objects.count()
    assert resolve(mention("Vallée imaginaire", SECOND_PHASE)) is None
    assert IndustryLabel.objects.count() == before


def _import(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    batch_import(paths=[path])
    (article,) = Article.objects.filter(source_file=name)
    return article


def test_an_imported_article_links_the_official_label_without_review(tmp_path):
    article = _import(
        tmp_path,
        "beauvais.txt",
        "Le Beauvaisis accélère\n\n3 mars 2025\n\n"
        "La Communauté d'agglomération du Beauvaisis est l’un des territoires labellisés "
        "Territoires d’industrie. Elle accueille trois nouvelles usines cette année.\n",
    )
    assert article.published_on == datetime.date(2025, 3, 3)
    assert list(article.industry_labels.all()) == [label("ti-3204", LabelPhase.SECOND)]
    assert "Territoire d’industrie" not in article.review_notes


def test_an_imported_article_naming_an_unknown_label_is_flagged_for_review(tmp_path):
    article = _import(
        tmp_path,
        "deule.txt",
        "Un nouveau label pour la métropole\n\n3 mars 2025\n\n"
        "La Métropole Européenne de Lille a été labellisée « Territoire d’industrie Vallée "
        "de la Deûle » ce lundi. Elle accueille trois nouvelles usines cette année.\n",
    )
    (made,) = article.industry_labels.all()
    assert made.name == "Territoire d’industrie Vallée de la Deûle"
    assert made.code is None and not made.is_reference
    assert made.phase == LabelPhase.SECOND
    assert made.labelled_on == datetime.date(2025, 3, 3)
    assert set(made.territories.values_list("code", flat=True)) == {"200093201"}
    assert article.needs_review
    assert f"« {made.name} » absent des listes officielles" in article.review_notes
