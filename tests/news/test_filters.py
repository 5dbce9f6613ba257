import datetime
from functools import partial

import pytest
from django.http import QueryDict
from django.urls import reverse
from taggit.models import Tag

from news.filters import ArticleFilter, active_filters
from news.models import LinkStatus
from news.selectors import published_articles
from tests.factories import make_article, make_label, make_organisation, territory
from tests.places import reference_places

# Public pages show confirmed links only: the links of these articles are vouched for.
make_article = partial(make_article, link_status=LinkStatus.CONFIRMED)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    return reference_places()


def query_string(**params) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update(params)
    return data


def filtered(**params):
    """The published articles the list shows for these query-string parameters."""
    filterset = ArticleFilter(data=query_string(**params), queryset=published_articles())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("title", flat=True))


def errors(**params):
    filterset = ArticleFilter(data=query_string(**params), queryset=published_articles())
    assert not filterset.is_valid()
    return filterset.errors


@pytest.fixture
def articles(places):
    """One article at each level of the Béthune hierarchy, and elsewhere."""
    make_article(title="commune", territories=[places.commune])
    make_article(title="voisine", territories=[places.neighbour])
    make_article(title="epci", territories=[places.epci])
    make_article(title="autre epci", territories=[places.other_epci_commune])
    make_article(title="departement", territories=[places.departement])
    make_article(title="region", territories=[places.region])
    make_article(title="interdepartemental", territories=[places.cross_epci])
    make_article(title="lyon", territories=[places.other_region_commune])
    make_article(title="brouillon", territories=[places.commune], status="draft")


# Territory hierarchy ------------------------------------------------------------------------


def test_a_commune_finds_only_its_own_articles(places, articles):
    assert filtered(territoire=places.commune.slug) == {"commune"}


def test_an_epci_also_finds_the_articles_about_its_communes(places, articles):
    assert filtered(territoire=places.epci.slug) == {"commune", "voisine", "epci"}


def test_a_departement_finds_its_epcis_communes_and_epcis_crossing_its_border(places, articles):
    assert filtered(departement=places.departement.slug) == {
        "commune",
        "voisine",
        "epci",
        "autre epci",
        "departement",
        "interdepartemental",
    }


def test_a_region_finds_everything_inside_it(places, articles):
    assert filtered(region=places.region.slug) == {
        "commune",
        "voisine",
        "epci",
        "autre epci",
        "departement",
        "region",
        "interdepartemental",
    }


def test_the_territory_filter_takes_any_level(places, articles):
    assert filtered(territoire=places.region.slug) == filtered(region=places.region.slug)
    assert filtered(territoire=places.departement.slug) == filtered(
        departement=places.departement.slug
    )


def test_a_grouping_finds_the_articles_about_its_member_communes():
    plaine_commune = territory("200057867", "groupement")
    saint_denis = territory("93066")
    make_article(title="saint-denis", territories=[saint_denis])
    make_article(title="paris", territories=[territory("75056")])
    assert filtered(territoire=plaine_commune.slug) == {"saint-denis"}


def test_a_territory_can_be_typed_by_its_exact_name(places, articles):
    assert filtered(territoire="Béthune") == {"commune"}
    assert filtered(territoire="bethune (62)") == {"commune"}
    assert filtered(territoire="CA de Béthune-Bruay, Artois-Lys Romane") == {
        "commune",
        "voisine",
        "epci",
    }


def test_an_ambiguous_or_unknown_territory_name_is_an_error(articles):
    assert "Plusieurs résultats" in errors(territoire="Saint-Martin")["territoire"][0]
    assert "Aucun résultat" in errors(territoire="Atlantide")["territoire"][0]


def test_a_territory_can_be_typed_as_people_write_it(places, articles):
    lille = territory("59350")
    make_article(title="lille", territories=[lille])
    assert filtered(territoire="Lille") == {"lille"}
    assert filtered(territoire="  LILLE ") == {"lille"}
    # An alias designates its territory too.
    assert filtered(territoire="Pays de Saint-Omer") == filtered(
        territoire="ca-du-pays-de-saint-omer"
    )


def filterset_of(**params):
    filterset = ArticleFilter(data=query_string(**params), queryset=published_articles())
    filterset.is_valid()
    return filterset


def test_an_ambiguous_name_offers_the_candidates(places):
    resolution = filterset_of(territoire="Saint-Omer").territory_resolution
    assert resolution.ambiguous and resolution.query == "Saint-Omer"
    candidates = [str(t) for t in resolution.candidates]
    # Both communes of that name first, the intercommunalité named after the town too.
    assert set(candidates[:2]) == {"Saint-Omer (62)", "Saint-Omer (14)"}
    assert "CA du Pays de Saint-Omer" in candidates
    assert len(candidates) <= 10


def test_an_unknown_name_says_so_and_offers_names_that_start_alike():
    resolution = filterset_of(territoire="Atlantide").territory_resolution
    assert not resolution.ambiguous and resolution.candidates == []
    near = filterset_of(territoire="Saint-Omer-en").territory_resolution
    assert [str(t) for t in near.candidates][0] == "Saint-Omer-en-Chaussée (60)"


def test_the_list_offers_candidates_as_links_with_counts(client, places):
    saint_omer = territory("62765")
    make_article(territories=[saint_omer])
    response = client.get(reverse("news:article-list"), {"territoire": "Saint-Omer", "du": ""})
    assert response.status_code == 200
    choice = response.context["territory_choice"]
    options = {str(option.territory): option for option in choice["candidates"]}
    assert options["Saint-Omer (62)"].article_count == 1
    assert options["Saint-Omer (14)"].article_count == 0
    assert options["Saint-Omer (62)"].url == f"/articles/?territoire={saint_omer.slug}&du="
    content = response.content.decode()
    assert "Plusieurs territoires s’appellent « Saint-Omer »" in content
    assert "aucun article" in content


def test_an_empty_list_offers_the_wider_territories(client, places):
    make_article(territories=[places.epci])
    response = client.get(reverse("news:article-list"), {"territoire": "Béthune"})
    wider = response.context["territory_choice"]["wider"]
    assert [option.territory for option in wider] == [
        places.epci,
        places.departement,
        places.region,
    ]
    assert [option.article_count for option in wider] == [1, 1, 1]


@pytest.mark.parametrize(
    "value", ["\x00", "a\x00b", "x" * 5000, "((((", "%", "_", "' OR 1=1 --", "🏭" * 10]
)
def test_hostile_territory_input_never_fails(client, value):
    response = client.get(reverse("news:article-list"), {"territoire": value})
    assert response.status_code in (200, 400)


def test_the_territory_input_shows_the_name_and_carries_the_slug(client, places):
    content = client.get(
        reverse("news:article-list"), {"territoire": places.commune.slug}
    ).content.decode()
    assert 'value="Béthune (62)"' in content
    assert f'data-slug="{places.commune.slug}"' in content


def test_a_label_is_chosen_by_name_or_slug(places):
    make_article(title="labellisé", labels=[places.label])
    assert filtered(label=places.label.slug) == {"labellisé"}
    assert filtered(label=places.label.name) == {"labellisé"}
    assert "label" in errors(label="Atlantide")


def test_a_chosen_region_restricts_the_departements(client, places):
    filterset = filterset_of(region=places.region.slug)
    offered = [value for value, _label in filterset.form.fields["departement"].choices if value]
    assert places.departement.slug in offered and "rhone" not in offered
    assert len(offered) == 5
    content = client.get(reverse("news:article-list"), {"region": "grand-est"}).content.decode()
    assert '<option value="moselle">' in content and '<option value="nord">' not in content
    everywhere = client.get(reverse("news:article-list")).content.decode()
    assert '<option value="nord">' in everywhere and '<option value="moselle">' in everywhere


def test_the_search_chip_quotes_the_words(places):
    filterset = filterset_of(q="industrie")
    chips = active_filters(filterset, reverse("news:article-list"))
    assert [(chip.label, chip.value) for chip in chips] == [
        ("Recherche", "«\u00a0industrie\u00a0»")
    ]


def test_an_unknown_region_is_an_error():
    assert "region" in errors(region="atlantide")


# Other filters, alone ------------------------------------------------------------------------


def test_organisation_filter(places):
    organisation = make_organisation("Aciéries du Nord")
    make_article(title="aciéries", organisations=[organisation])
    make_article(title="autre")
    assert filtered(organisation=organisation.slug) == {"aciéries"}
    assert filtered(organisation="Aciéries du Nord") == {"aciéries"}


def test_label_filter(places):
    second_phase = make_label("Cœur d'Artois", territories=[places.epci])
    make_article(title="label", labels=[places.label])
    make_article(title="seconde phase", labels=[second_phase])
    make_article(title="sans label", territories=[places.commune])
    assert filtered(label=places.label.slug) == {"label"}
    assert filtered(label=second_phase.slug) == {"seconde phase"}


def test_tag_filter_by_slug_or_name():
    make_article(title="hydrogène", tags=["Hydrogène vert"])
    make_article(title="emploi", tags=["emploi"])
    slug = Tag.objects.get(name="Hydrogène vert").slug
    assert filtered(etiquette=slug) == {"hydrogène"}
    assert filtered(etiquette="hydrogène VERT") == {"hydrogène"}


def test_date_range_filter():
    make_article(title="mai", published_on=datetime.date(2024, 5, 31))
    make_article(title="juin", published_on=datetime.date(2024, 6, 15))
    make_article(title="juillet", published_on=datetime.date(2024, 7, 1))
    make_article(title="sans date", published_on=None)
    assert filtered(du="2024-06-01") == {"juin", "juillet"}
    assert filtered(au="2024-06-30") == {"mai", "juin"}
    assert filtered(du="2024-06-01", au="2024-06-30") == {"juin"}


def test_an_invalid_date_is_an_error():
    assert "du" in errors(du="hier")


def test_sort_orders():
    make_article(title="ancien", published_on=datetime.date(2020, 1, 1))
    make_article(title="récent", published_on=datetime.date(2024, 1, 1))

    def titles(**params):
        filterset = ArticleFilter(data=query_string(**params), queryset=published_articles())
        return list(filterset.qs.values_list("title", flat=True))

    assert titles(tri="ancien") == ["ancien", "récent"]
    assert titles(tri="recent") == ["récent", "ancien"]
    # Relevance needs a query: without one the list stays by date.
    assert titles(tri="pertinence") == ["récent", "ancien"]


# Combined -----------------------------------------------------------------------------------


def test_filters_combine(places):
    organisation = make_organisation()
    make_article(
        title="tout",
        territories=[places.commune],
        organisations=[organisation],
        labels=[places.label],
        tags=["emploi"],
        published_on=datetime.date(2024, 6, 1),
    )
    make_article(
        title="autre date",
        territories=[places.commune],
        organisations=[organisation],
        tags=["emploi"],
        published_on=datetime.date(2022, 6, 1),
    )
    make_article(title="autre organisation", territories=[places.commune], tags=["emploi"])
    make_article(title="ailleurs", territories=[places.other_region_commune], tags=["emploi"])

    assert filtered(region=places.region.slug, etiquette="emploi") == {
        "tout",
        "autre date",
        "autre organisation",
    }
    assert filtered(territoire=places.epci.slug, organisation=organisation.slug) == {
        "tout",
        "autre date",
    }
    assert filtered(
        territoire=places.epci.slug,
        organisation=organisation.slug,
        label=places.label.slug,
        etiquette="emploi",
        du="2024-01-01",
    ) == {"tout"}
    # Once a région is chosen, only its départements are offered (a dependent select).
    assert (
        "pas dans la région"
        in errors(region=places.region.slug, departement="rhone")["departement"][0]
    )


def test_search_combines_with_the_territory_filter(places):
    make_article(title="Réindustrialisation à Béthune", territories=[places.commune])
    make_article(title="Réindustrialisation à Lyon", territories=[places.other_region_commune])
    make_article(title="Marché de Noël", territories=[places.commune])
    assert filtered(q="reindustrialisation", territoire=places.epci.slug) == {
        "Réindustrialisation à Béthune"
    }


def test_drafts_are_never_found_by_any_filter(places, articles):
    for params in (
        {"territoire": places.commune.slug},
        {"region": places.region.slug},
        {"q": "brouillon"},
    ):
        assert "brouillon" not in filtered(**params)


# Active filters and the URL -----------------------------------------------------------------


def test_active_filters_remove_one_parameter_and_the_page(places):
    data = query_string(territoire=places.commune.slug, du="2024-01-01", tri="ancien", page="2")
    filterset = ArticleFilter(data=data, queryset=published_articles())
    base = reverse("news:article-list")

    chips = {chip.label: chip for chip in active_filters(filterset, base)}

    assert set(chips) == {"Territoire", "Publié depuis le"}  # sorting is not a filter
    assert chips["Territoire"].value == "Béthune (62)"
    assert chips["Territoire"].remove_url == f"{base}?du=2024-01-01&tri=ancien"
    assert chips["Publié depuis le"].remove_url == (
        f"{base}?territoire={places.commune.slug}&tri=ancien"
    )


def test_filter_form_renders_selects_for_regions_and_labels_only(client, places):
    response = client.get(reverse("news:article-list"))
    content = response.content.decode()
    assert f'<option value="{places.region.slug}">' in content
    # 332 labels: a text input with suggestions, not a select.
    assert f'<option value="{places.label.slug}">' not in content
    assert 'data-suggest-url="/suggestions/territoires-d-industrie/"' in content
    # Territories and organisations are typed, never listed in full.
    assert content.count("<option") < 400
    assert 'name="territoire"' in content and 'data-suggest-url="/suggestions/territoires/"' in (
        content
    )


def test_the_candidates_take_a_constant_number_of_queries(
    client, places, django_assert_max_num_queries, cold
):
    counts = []
    for name in ("Saint-Omer", "Saint"):  # two candidates and more, then ten
        cold()
        with django_assert_max_num_queries(12) as captured:
            response = client.get(reverse("news:article-list"), {"territoire": name})
        assert response.context["territory_choice"]["candidates"]
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
