import re
from functools import partial

import pytest
from django.core.cache import cache
from django.urls import reverse

from news.mixins import ArticleBlockMixin
from news.models import LinkStatus
from territories.models import IndustryLabel, LabelPhase, Organisation, OrganisationKind
from territories.naming import sort_key
from territories.views import OrganisationListView, TerritoryListView
from tests.factories import make_article, make_label, make_organisation
from tests.html_checks import assert_accessible_structure
from tests.places import reference_places

# Public pages show confirmed links only: the links of these articles are vouched for.
make_article = partial(make_article, link_status=LinkStatus.CONFIRMED)

pytestmark = pytest.mark.django_db

TERRITORY_LIST = reverse("territories:territory-list")
ORGANISATION_LIST = reverse("territories:organisation-list")
LABEL_LIST = reverse("territories:label-list")
MAP = reverse("territories:label-map")


@pytest.fixture
def places():
    return reference_places()


def names(response, key="object_list"):
    return [str(obj) for obj in response.context[key]]


# Territory list -----------------------------------------------------------------------------


def test_territory_list_shows_only_territories_with_published_articles_by_default(client, places):
    make_article(territories=[places.commune])
    make_article(territories=[places.commune, places.epci])
    make_article(territories=[places.other_region_commune], status="draft")

    response = client.get(TERRITORY_LIST)

    assert response.status_code == 200
    rows = {str(t): t.article_count for t in response.context["object_list"]}
    # The count of each row is its page's: the articles about it or about what lies inside.
    assert rows == {
        "Béthune (62)": 2,
        str(places.epci): 2,
        "Pas-de-Calais": 2,
        "Hauts-de-France": 2,
    }


def test_territory_list_can_show_every_territory(client, places):
    response = client.get(TERRITORY_LIST, {"tous": "on", "q": "bethune"})
    shown = names(response)
    assert "Béthune (62)" in shown
    assert str(places.epci) in shown


def test_territory_list_filters_by_kind_region_and_name(client, places):
    make_article(territories=[places.commune, places.epci, places.other_region_commune])
    # Lyon's article is inside the Métropole de Lyon: it has an article too.
    assert names(client.get(TERRITORY_LIST, {"type": "epci"})) == [
        str(places.epci),
        "Métropole de Lyon",
    ]
    assert set(names(client.get(TERRITORY_LIST, {"region": places.region.slug}))) == {
        "Béthune (62)",
        str(places.epci),
        "Pas-de-Calais",
        "Hauts-de-France",
    }
    # "Métropole de Lyon" sorts under L, with Lyon.
    assert set(names(client.get(TERRITORY_LIST, {"q": "LYON"}))) == {
        "Lyon (69)",
        "Métropole de Lyon",
    }
    assert names(client.get(TERRITORY_LIST, {"q": "Lyon (69)"})) == ["Lyon (69)"]
    region_itself = client.get(
        TERRITORY_LIST, {"tous": "on", "type": "region", "region": places.region.slug}
    )
    assert names(region_itself) == ["Hauts-de-France"]


def test_territory_list_queries_do_not_grow_with_the_page_size(
    client, places, monkeypatch, django_assert_max_num_queries, cold
):
    counts = []
    for page_size in (5, 50):
        monkeypatch.setattr(TerritoryListView, "paginate_by", page_size)
        cold()
        with django_assert_max_num_queries(10) as captured:
            response = client.get(TERRITORY_LIST, {"tous": "on", "region": places.region.slug})
        assert len(response.context["object_list"]) == page_size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# Territory detail ---------------------------------------------------------------------------


def test_commune_page_shows_its_hierarchy_labels_articles_and_organisations(client, places):
    organisation = make_organisation("Forges de Béthune", home_territory=places.commune)
    in_draft_only = make_organisation("Fonderie en brouillon", home_territory=places.commune)
    article = make_article(
        title="À Béthune", territories=[places.commune], organisations=[organisation]
    )
    make_article(
        title="Brouillon béthunois",
        territories=[places.commune],
        organisations=[in_draft_only],
        status="draft",
    )
    make_article(title="À Lyon", territories=[places.other_region_commune])

    response = client.get(places.commune.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    for ancestor in (places.region, places.departement, places.epci):
        assert ancestor.get_absolute_url() in content
    assert places.label.get_absolute_url() in content  # held by its EPCI
    assert [a.pk for a in response.context["articles"]] == [article.pk]
    assert response.context["article_count"] == 1
    assert "Brouillon béthunois" not in content
    assert organisation.get_absolute_url() in content
    assert in_draft_only.get_absolute_url() not in content
    assert reverse("news:territory-feed-rss", kwargs={"slug": places.commune.slug}) in content


def test_epci_page_lists_its_communes_and_the_articles_inside_it(client, places):
    make_article(title="Dans une commune membre", territories=[places.neighbour])
    make_article(title="Sur l'agglomération", territories=[places.epci])
    make_article(title="Commune voisine hors EPCI", territories=[places.other_epci_commune])

    response = client.get(places.epci.get_absolute_url())

    assert {a.title for a in response.context["articles"]} == {
        "Dans une commune membre",
        "Sur l'agglomération",
    }
    children = response.context["children"]
    assert places.commune in children and places.neighbour in children
    assert all(child.kind == "commune" for child in children)
    assert places.label in response.context["labels"]


def test_departement_page_lists_its_epcis_including_those_crossing_its_border(client, places):
    response = client.get(places.departement.get_absolute_url())
    children = response.context["children"]
    assert places.epci in children
    assert places.cross_epci in children  # mainly in the Nord
    assert places.label in response.context["labels"]


def test_region_page_lists_its_departements_and_finds_everything_inside(client, places):
    make_article(title="Béthune", territories=[places.commune])
    make_article(title="Lyon", territories=[places.other_region_commune])

    response = client.get(places.region.get_absolute_url())

    assert places.departement in response.context["children"]
    assert [a.title for a in response.context["articles"]] == ["Béthune"]


def test_every_territory_has_a_page_even_without_content(client, places):
    response = client.get(places.other_region_commune.get_absolute_url())
    assert response.status_code == 200
    assert "Aucun article publié ne cite encore ce territoire." in response.content.decode()


def test_unknown_territory_is_a_404(client):
    url = reverse("territories:territory-detail", kwargs={"slug": "atlantide"})
    assert client.get(url).status_code == 404


def test_territory_page_queries_do_not_grow_with_its_articles(
    client, places, monkeypatch, django_assert_max_num_queries, cold
):
    for n in range(12):
        make_article(territories=[places.commune, places.neighbour], tags=[f"t{n}"])
        make_organisation(home_territory=places.neighbour)
    counts = []
    for page_size in (2, 12):
        monkeypatch.setattr(ArticleBlockMixin, "articles_per_page", page_size)
        for territory in (places.region, places.epci, places.commune):
            cold()
            # A commune's page also reads its surroundings: their counts, then the latest
            # articles of its intercommunalité, each of its two labels and its département.
            with django_assert_max_num_queries(14) as captured:
                response = client.get(territory.get_absolute_url())
            assert len(response.context["articles"]) == min(page_size, 12)
            counts.append(len(captured.captured_queries))
    assert counts[:3] == counts[3:]


# Organisations ------------------------------------------------------------------------------


def test_organisation_list_shows_organisations_with_published_articles(client):
    cited = make_organisation("Aciéries de Dunkerque", kind=OrganisationKind.COMPANY)
    in_draft_only = make_organisation("Brouillons SA")
    make_article(organisations=[cited])
    make_article(organisations=[in_draft_only], status="draft")

    response = client.get(ORGANISATION_LIST)

    assert names(response) == ["Aciéries de Dunkerque"]
    assert response.context["object_list"][0].article_count == 1
    # No "show them all" box for organisations: the draft-only one is not public.
    assert names(client.get(ORGANISATION_LIST, {"tous": "on"})) == ["Aciéries de Dunkerque"]


def test_organisation_list_filters_by_name_and_kind(client):
    chamber = make_organisation("Chambre de commerce et d'industrie Artois", acronym="CCIA")
    chamber.kind = OrganisationKind.CHAMBER
    chamber.save()
    company = make_organisation("Fonderie Martin")
    make_article(organisations=[chamber, company])

    for query in ("chambre de commerce", "Chambre de commerce et d'industrie", "CCI Artois"):
        assert names(client.get(ORGANISATION_LIST, {"q": query})) == [chamber.name], query
    assert names(client.get(ORGANISATION_LIST, {"q": "ccia"})) == [chamber.name]
    assert names(client.get(ORGANISATION_LIST, {"type": "company"})) == [company.name]


def test_organisation_page_lists_its_articles_and_territories(client, places):
    organisation = make_organisation(
        "Fonderie Martin", home_territory=places.commune, website="javascript:alert(1)"
    )
    make_article(title="Cité", organisations=[organisation], territories=[places.neighbour])
    make_article(title="Brouillon", organisations=[organisation], status="draft")

    response = client.get(organisation.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert [a.title for a in response.context["articles"]] == ["Cité"]
    assert places.neighbour in response.context["territories"]
    assert places.commune.get_absolute_url() in content
    assert "javascript:" not in content


def test_organisation_page_queries_do_not_grow(
    client, places, monkeypatch, django_assert_max_num_queries, cold
):
    organisation = make_organisation()
    for _ in range(12):
        make_article(organisations=[organisation], territories=[places.commune])
    counts = []
    for page_size in (2, 12):
        monkeypatch.setattr(ArticleBlockMixin, "articles_per_page", page_size)
        cold()
        with django_assert_max_num_queries(10) as captured:
            client.get(organisation.get_absolute_url())
        counts.append(len(captured.captured_queries))
    monkeypatch.setattr(OrganisationListView, "paginate_by", 2)
    with django_assert_max_num_queries(10):
        client.get(ORGANISATION_LIST)
    assert counts[0] == counts[1]


def test_unknown_organisation_is_a_404(client):
    url = reverse("territories:organisation-detail", kwargs={"slug": "inconnue"})
    assert client.get(url).status_code == 404


# Territoires d'industrie --------------------------------------------------------------------


def test_label_list_groups_every_label_by_region(client, places):
    second = make_label("Artois Lys", territories=[places.epci], region=places.region)

    response = client.get(LABEL_LIST)

    content = response.content.decode()
    assert len(response.context["object_list"]) == IndustryLabel.objects.count()
    assert '<h3 id="region-' in content and "Hauts-de-France</h3>" in content
    assert places.label.get_absolute_url() in content
    assert second.get_absolute_url() in content


def test_label_list_filters_by_phase_and_region(client, places):
    second = make_label("Artois Lys", region=places.region, phase=LabelPhase.SECOND)

    by_phase = client.get(LABEL_LIST, {"phase": LabelPhase.SECOND})
    assert second in by_phase.context["object_list"]
    assert {label.phase for label in by_phase.context["object_list"]} == {LabelPhase.SECOND}
    by_region = client.get(LABEL_LIST, {"region": places.region.slug})
    assert places.label in by_region.context["object_list"]
    assert all(label.region == places.region for label in by_region.context["object_list"])


def test_label_page_shows_members_perimeter_and_articles(client, places):
    make_article(title="Le label", labels=[places.label])
    make_article(title="Un membre", territories=[places.neighbour])
    make_article(title="Brouillon", labels=[places.label], status="draft")

    response = client.get(places.label.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert places.epci in response.context["members"]
    assert places.epci.get_absolute_url() in content
    assert [a.title for a in response.context["articles"]] == ["Le label"]
    assert [a.title for a in response.context["territory_articles"]] == ["Un membre"]
    assert re.search(r'<path d="m[0-9. -]+z', content)
    assert "Brouillon" not in content


def test_a_label_without_perimeter_or_article_still_has_a_page(client):
    label = make_label("Nouveau territoire")
    response = client.get(label.get_absolute_url())
    assert response.status_code == 200
    assert response.context["shape"] is None


def test_label_pages_queries_stay_constant(client, places, django_assert_max_num_queries):
    for _ in range(8):
        make_article(labels=[places.label], territories=[places.commune])
    with django_assert_max_num_queries(10):
        client.get(places.label.get_absolute_url())
    with django_assert_max_num_queries(10):
        client.get(LABEL_LIST)


# Map ----------------------------------------------------------------------------------------


def test_map_draws_every_label_with_a_perimeter_as_a_titled_link(client, places):
    cache.clear()
    response = client.get(MAP)

    content = response.content.decode()
    assert response.status_code == 200
    svg = content[content.index("<svg") : content.index("</svg>")]
    links = re.findall(r'<a href="(/territoires-d-industrie/[^"]+/)"><title>([^<]+)</title>', svg)
    drawn = {href for href, _ in links}
    with_perimeter = [
        label for label in IndustryLabel.objects.all() if (label.perimeter or {}).get("coordinates")
    ]
    assert len(drawn) == len(with_perimeter)
    assert places.label.get_absolute_url() in drawn
    assert ("/territoires-d-industrie/bethune-bruay/", "Béthune-Bruay") in links
    assert "La Réunion" in svg  # overseas labels in an inset


def test_map_is_computed_once_then_served_from_the_cache(client, django_assert_max_num_queries):
    cache.clear()
    client.get(MAP)
    with django_assert_max_num_queries(1):
        assert client.get(MAP).status_code == 200


def test_map_follows_a_new_label(client, places, django_capture_on_commit_callbacks):
    cache.clear()
    client.get(MAP)
    with django_capture_on_commit_callbacks(execute=True):
        label = make_label("Sans périmètre")
    assert label.get_absolute_url() in client.get(MAP).content.decode()


# Suggestions --------------------------------------------------------------------------------


def test_territory_suggestions_rank_exact_names_first(client, places):
    response = client.get(reverse("territories:territory-suggestions"), {"q": "bethune"})
    results = response.json()["results"]
    # The input shows and keeps the name; the slug goes along for an exact filter.
    assert results[0] == {
        "value": "Béthune (62)",
        "label": "Béthune (62) — Commune",
        "slug": places.commune.slug,
    }
    assert len(results) <= 10


def test_organisation_suggestions(client):
    organisation = make_organisation("Aciéries de Dunkerque")
    make_article(organisations=[organisation])
    response = client.get(reverse("territories:organisation-suggestions"), {"q": "acieries"})
    assert response.json()["results"][0]["value"] == "Aciéries de Dunkerque"
    assert response.json()["results"][0]["slug"] == organisation.slug


def test_suggestions_need_two_letters(client):
    response = client.get(reverse("territories:territory-suggestions"), {"q": "b"})
    assert response.json() == {"results": []}


def test_pages_have_landmarks_unique_ids_and_no_nested_links(client, places):
    make_article(territories=[places.commune], labels=[places.label])
    for url in (
        TERRITORY_LIST,
        places.region.get_absolute_url(),
        places.commune.get_absolute_url(),
        ORGANISATION_LIST,
        LABEL_LIST,
        places.label.get_absolute_url(),
        MAP,
    ):
        assert_accessible_structure(client.get(url).content.decode())


def test_label_list_counts_published_articles_only(client, places):
    make_article(labels=[places.label])
    make_article(labels=[places.label], status="draft")

    response = client.get(LABEL_LIST, {"region": places.region.slug})

    (label,) = [row for row in response.context["object_list"] if row.pk == places.label.pk]
    assert label.article_count == 1
    assert "1 article" in response.content.decode()


def test_an_organisation_only_drafts_name_is_private(client, places):
    hidden = make_organisation("Projet Confidentiel", home_territory=places.commune)
    make_article(organisations=[hidden], status="draft")

    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert "Projet Confidentiel" not in names(client.get(ORGANISATION_LIST))
    suggestions = client.get(reverse("territories:organisation-suggestions"), {"q": "confidentiel"})
    assert suggestions.json() == {"results": []}
    territory_page = client.get(places.commune.get_absolute_url()).content.decode()
    assert "Projet Confidentiel" not in territory_page
    # Nor does the article filter accept it, which would show its name.
    response = client.get(reverse("news:article-list"), {"organisation": hidden.slug})
    assert "Projet Confidentiel" not in response.content.decode()
    assert response.context["filters_invalid"]

    make_article(organisations=[hidden])
    assert client.get(hidden.get_absolute_url()).status_code == 200


# Roll-up: the same "about it or inside it" count everywhere -----------------------------------


def test_every_page_shows_the_same_about_it_or_inside_it_count(client, places, cold):
    make_article(territories=[places.commune])
    make_article(territories=[places.commune, places.epci])
    make_article(territories=[places.neighbour])
    make_article(territories=[places.departement])
    make_article(territories=[places.other_region_commune])
    make_article(territories=[places.commune], status="draft")
    make_article(territories=[places.epci], link_status=LinkStatus.SUGGESTED)

    listed = {
        t.pk: t.article_count
        for t in client.get(TERRITORY_LIST, {"region": places.region.slug}).context["object_list"]
    }
    expected = {places.commune: 2, places.epci: 3, places.departement: 4, places.region: 4}
    for territory, count in expected.items():
        page = client.get(territory.get_absolute_url()).context
        assert page["article_count"] == count, territory
        assert listed[territory.pk] == count, territory
    home = {r.pk: r.article_count for r in client.get(reverse("news:home")).context["regions"]}
    assert home[places.region.pk] == 4
    articles = client.get(reverse("news:article-list"), {"territoire": places.epci.slug})
    assert articles.context["result_count"] == 3
    cold()
    region_page = client.get(places.region.get_absolute_url()).context
    assert {c.pk: c.article_count for c in region_page["children"]}[places.departement.pk] == 4


def test_commune_page_rolls_up_its_epci_label_and_departement(client, places):
    about = make_article(title="À Béthune", territories=[places.commune])
    make_article(title="Sur l'agglomération", territories=[places.epci])
    make_article(title="Labellisé", labels=[places.label])
    make_article(title="Ailleurs dans le Pas-de-Calais", territories=[places.other_epci_commune])

    response = client.get(places.commune.get_absolute_url())

    assert [a.pk for a in response.context["articles"]] == [about.pk]
    surroundings = response.context["surroundings"]
    kinds = [s.kind for s in surroundings]
    # Its intercommunalité, then its labels (of both phases), then its département.
    assert kinds[0] == "epci" and kinds[-1] == "departement"
    assert set(kinds[1:-1]) == {"label"}
    around = {s.kind: s for s in surroundings if s.kind != "label"}
    assert around["epci"].target == places.epci and around["epci"].article_count == 2
    # The article about the commune is not repeated under its intercommunalité.
    assert [a.title for a in around["epci"].articles] == ["Sur l'agglomération"]
    labels = {s.target: s for s in surroundings if s.kind == "label"}
    assert labels[places.label].article_count == 1
    assert [a.title for a in labels[places.label].articles] == ["Labellisé"]
    assert [a.title for a in around["departement"].articles] == ["Ailleurs dans le Pas-de-Calais"]
    content = response.content.decode()
    assert "Autour de Béthune" in content and "Son intercommunalité" in content
    assert f"?territoire={places.epci.slug}" in content


def test_counts_read_aucun_for_zero_and_agree_in_number(client, places):
    make_article(territories=[places.neighbour])
    content = client.get(places.commune.get_absolute_url()).content.decode()
    assert "0 article" not in content and "article(s)" not in content
    assert "1 article publié" in content  # its intercommunalité's
    epci_page = client.get(places.epci.get_absolute_url()).content.decode()
    assert "aucun article" in epci_page  # Béthune, in the list of its communes


def test_codes_are_explained(client, places):
    content = client.get(places.epci.get_absolute_url()).content.decode()
    assert "SIREN</abbr>" in content and "Code officiel" not in content
    assert "INSEE</abbr>" in client.get(places.commune.get_absolute_url()).content.decode()
    label_page = client.get(places.label.get_absolute_url()).content.decode()
    assert "ANCT</abbr>" in label_page


def test_organisation_list_shows_the_home_territory_or_hides_the_column(client, places, cold):
    based = make_organisation("Forges de Béthune", home_territory=places.commune)
    unknown = make_organisation("Atelier sans adresse")
    make_article(organisations=[unknown])
    assert "Implantation" not in client.get(ORGANISATION_LIST).content.decode()
    make_article(organisations=[based])
    cold()
    content = client.get(ORGANISATION_LIST).content.decode()
    assert "Implantation" in content and "Béthune (62)" in content
    assert "non renseignée" in content


def test_lists_sort_accents_and_legal_forms_the_french_way(client, places):
    for name in ("Zouafques", "Éperlecques"):
        make_organisation(name)
        make_article(organisations=[Organisation.objects.get(name=name)])
    assert names(client.get(ORGANISATION_LIST)) == ["Éperlecques", "Zouafques"]
    epcis = names(client.get(TERRITORY_LIST, {"tous": "on", "type": "epci", "q": "omer"}))
    assert epcis[0] == "CA du Pays de Saint-Omer"
    listed = names(
        client.get(TERRITORY_LIST, {"tous": "on", "type": "epci", "region": places.region.slug})
    )
    keys = [sort_key(name) for name in listed]
    assert keys == sorted(keys)
    assert listed.index("CA du Boulonnais") < listed.index("CC des Campagnes de l'Artois")


def test_label_suggestions_show_and_keep_the_name(client, places):
    response = client.get(reverse("territories:label-suggestions"), {"q": "bethune"})
    first = response.json()["results"][0]
    assert first["value"] == places.label.name and first["slug"] == places.label.slug


def test_departement_options_follow_the_region(client, places):
    url = reverse("territories:departement-options")
    values = [o["value"] for o in client.get(url, {"region": places.region.slug}).json()["results"]]
    assert places.departement.slug in values and len(values) == 5
    assert client.get(url, {"region": "atlantide"}).json() == {"results": []}


def test_organisation_list_reads_home_territories_without_a_query_per_row(
    client, places, monkeypatch, django_assert_max_num_queries, cold
):
    homes = [places.commune, places.neighbour, places.epci, places.departement]
    counts = []
    for page_size in (2, 8):
        for n in range(4):
            organisation = make_organisation(home_territory=homes[n])
            make_article(organisations=[organisation])
        monkeypatch.setattr(OrganisationListView, "paginate_by", page_size)
        cold()
        with django_assert_max_num_queries(8) as captured:
            response = client.get(ORGANISATION_LIST)
        assert len(response.context["object_list"]) == page_size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_territory_list_filters_by_a_departement_of_the_chosen_region(client, places):
    make_article(territories=[places.commune, places.cross_epci, places.other_region_commune])
    shown = set(names(client.get(TERRITORY_LIST, {"departement": places.departement.slug})))
    # The CC Flandre Lys lies mainly in the Nord but covers part of the Pas-de-Calais.
    assert shown == {"Béthune (62)", str(places.epci), str(places.cross_epci), "Pas-de-Calais"}
    response = client.get(TERRITORY_LIST, {"region": places.region.slug})
    offered = [v for v, _label in response.context["filter"].form.fields["departement"].choices]
    assert places.departement.slug in offered and "rhone" not in offered
    mismatch = client.get(TERRITORY_LIST, {"region": places.region.slug, "departement": "rhone"})
    assert mismatch.status_code == 200
    assert "pas dans la région" in mismatch.content.decode()


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "x" * 5000, "%_%", "' OR 1=1 --", "((("])
def test_hostile_names_never_fail(client, value):
    for url, params in (
        (TERRITORY_LIST, {"q": value}),
        (TERRITORY_LIST, {"region": value, "departement": value}),
        (reverse("territories:territory-suggestions"), {"q": value}),
        (reverse("territories:label-suggestions"), {"q": value}),
        (reverse("territories:departement-options"), {"region": value}),
    ):
        assert client.get(url, params).status_code in (200, 400), (url, params)
