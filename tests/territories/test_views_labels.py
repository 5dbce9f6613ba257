"""The public pages of Territoires d'industrie show both phases of the programme."""

from functools import partial

import pytest
from django.http import QueryDict
from django.urls import reverse

from news.filters import ArticleFilter
from news.models import LinkStatus
from news.selectors import published_articles
from territories.models import IndustryLabel, LabelPhase, TerritoryKind
from tests.factories import make_article, make_label, territory
from tests.html_checks import assert_accessible_structure

make_article = partial(make_article, link_status=LinkStatus.CONFIRMED)

pytestmark = pytest.mark.django_db

LABEL_LIST = reverse("territories:label-list")


def label(code, phase):
    return IndustryLabel.objects.get(code=code, phase=phase)


def test_home_page_gives_the_size_of_each_phase(client):
    make_label("Connu par un article")  # not on the ANCT lists: not counted
    content = client.get(reverse("news:home")).content.decode()
    assert (
        "149 territoires en première phase (2018–2022) · 183 en seconde phase (2023–2027)"
        in content
    )


def test_label_list_shows_both_phases_and_filters_by_phase(client):
    made = make_label("Connu par un article", region=territory("32", TerritoryKind.REGION))

    every = client.get(LABEL_LIST)
    phases = {row.phase for row in every.context["object_list"]}
    assert phases == {LabelPhase.FIRST, LabelPhase.SECOND}
    assert len(every.context["object_list"]) == 149 + 183 + 1
    content = every.content.decode()
    assert "149 territoires en première phase (2018–2022) · 183 en seconde phase" in content
    assert_accessible_structure(content)

    second = client.get(LABEL_LIST, {"phase": LabelPhase.SECOND})
    rows = list(second.context["object_list"])
    assert len(rows) == 184
    assert {row.phase for row in rows} == {LabelPhase.SECOND}
    assert label("ti-3213", LabelPhase.SECOND) in rows
    assert label("ti-3213", LabelPhase.FIRST) not in rows
    # The label only an article knows says so.
    content = second.content.decode()
    item = content[content.index(made.get_absolute_url()) :]
    assert "hors listes officielles" in item[: item.index("</li>")]

    first = client.get(LABEL_LIST, {"phase": LabelPhase.FIRST})
    assert len(first.context["object_list"]) == 149
    assert not client.get(LABEL_LIST, {"phase": "2030"}).context["object_list"].exists()


def test_label_list_reads_a_constant_number_of_queries(client, django_assert_num_queries):
    for code in ("ti-3213", "ti-3204", "ti-7506"):
        make_article(labels=[label(code, LabelPhase.SECOND)])
    # The content version, the régions of the filter, the programme's figures, the labels
    # with their counts (without their perimeters).
    with django_assert_num_queries(4):
        response = client.get(LABEL_LIST)
    assert response.status_code == 200


def test_second_phase_label_page_gives_phase_region_and_members_by_kind(client):
    creuse = label("ti-7506", LabelPhase.SECOND)
    response = client.get(creuse.get_absolute_url())
    content = response.content.decode()
    assert "Seconde phase (2023–2027)" in content
    assert creuse.region.get_absolute_url() in content  # Nouvelle-Aquitaine
    groups = dict(response.context["member_groups"])
    assert len(groups[TerritoryKind.EPCI]) == 9
    assert len(groups[TerritoryKind.COMMUNE]) == 11
    assert "9 intercommunalités" in content and "11 communes" in content
    assert territory("23019").get_absolute_url() in content  # Beissat
    assert_accessible_structure(content)


def test_a_label_page_links_the_same_territory_in_the_other_phase(client):
    second = label("ti-3204", LabelPhase.SECOND)  # Beauvaisis
    first = label("ti-3203", LabelPhase.FIRST)  # Beauvaisis
    response = client.get(second.get_absolute_url())
    (other,) = response.context["counterparts"]
    assert other == first and other.same_name and other.shared == 1
    content = response.content.decode()
    assert "En première phase (2018–2022) :" in content
    assert first.get_absolute_url() in content
    back = client.get(first.get_absolute_url()).context["counterparts"]
    assert second in back


def test_counterparts_by_shared_members_come_most_shared_first(client):
    response = client.get(label("ti-7506", LabelPhase.SECOND).get_absolute_url())  # Creuse
    counterparts = response.context["counterparts"]
    assert counterparts and all(not c.same_name for c in counterparts)
    assert all(c.phase == LabelPhase.FIRST for c in counterparts)
    shared = [c.shared for c in counterparts]
    assert shared == sorted(shared, reverse=True) and shared[0] >= 1
    assert "membres en commun" in response.content.decode()


def test_a_label_without_counterpart_says_nothing_of_the_other_phase(client):
    content = client.get(label("ti-3213", LabelPhase.SECOND).get_absolute_url()).content.decode()
    assert "En première phase" not in content  # the MEL was not in the first phase


def test_a_label_only_articles_know_says_so(client):
    made = make_label("Connu par un article")
    content = client.get(made.get_absolute_url()).content.decode()
    assert "ne figure pas dans les listes officielles" in content
    official = label("ti-3213", LabelPhase.SECOND).get_absolute_url()
    assert "ne figure pas" not in client.get(official).content.decode()


def test_label_page_reads_a_constant_number_of_queries(client, django_assert_max_num_queries):
    creuse = label("ti-7506", LabelPhase.SECOND)
    for _ in range(5):
        make_article(labels=[creuse], territories=[territory("23019")])
    with django_assert_max_num_queries(16):
        assert client.get(creuse.get_absolute_url()).status_code == 200


def test_article_filter_tells_apart_the_labels_of_the_two_phases():
    second = label("ti-3213", LabelPhase.SECOND)  # SCOT Lille Métropole
    first = label("ti-3213", LabelPhase.FIRST)  # Vallée de la Bresle - Vimeu
    make_article(title="Lille", labels=[second])
    make_article(title="Bresle", labels=[first])

    def titles(slug):
        data = QueryDict(mutable=True)
        data["label"] = slug
        filterset = ArticleFilter(data=data, queryset=published_articles())
        assert filterset.is_valid(), filterset.errors
        return set(filterset.qs.values_list("title", flat=True))

    assert titles(second.slug) == {"Lille"}
    assert titles(first.slug) == {"Bresle"}
