"""The territories, organisations and labels back-office, driven as an editor would."""

import datetime

import pytest
from django.urls import reverse

from territories.models import (
    IndustryLabel,
    LabelPhase,
    Organisation,
    Territory,
    TerritoryAlias,
    TerritoryKind,
)
from tests.admin_helpers import changeform_data, inline_prefix, login_editor
from tests.factories import make_article, make_label, make_organisation, make_user, territory

pytestmark = pytest.mark.django_db

TERRITORIES = "admin:territories_territory_changelist"
ORGANISATIONS = "admin:territories_organisation_changelist"
LABELS = "admin:territories_industrylabel_changelist"


def listed(response) -> list:
    return list(response.context["cl"].result_list)


@pytest.fixture
def editor(client):
    return login_editor(client)


# Territories ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "expected_code"),
    [
        ("bethune", "62119"),  # accents ignored
        ("BÉTHUNE", "62119"),
        ("62119", "62119"),  # official code
        ("CABBALR", "200072460"),  # alias (acronym)
        ("Béthune-Bruay", "200072460"),
    ],
)
def test_territory_search_on_name_alias_and_code(client, editor, term, expected_code):
    response = client.get(reverse(TERRITORIES), {"q": term})
    assert response.status_code == 200
    assert expected_code in [place.code for place in listed(response)[:5]]


def test_territory_search_puts_exact_names_first(client, editor):
    response = client.get(reverse(TERRITORIES), {"q": "arras"})
    assert listed(response)[0].code == "62041"


def test_territory_filters_kind_region_departement_and_label(client, editor):
    pas_de_calais = Territory.objects.get(kind=TerritoryKind.DEPARTEMENT, code="62")
    hauts_de_france = Territory.objects.get(kind=TerritoryKind.REGION, code="32")
    epci = Territory.objects.get(kind=TerritoryKind.EPCI, code="200072460")
    label = make_label("TI Artois test", territories=[epci])

    response = client.get(
        reverse(TERRITORIES), {"kind__exact": "epci", "departement": pas_de_calais.pk}
    )
    results = listed(response)
    assert results and all(place.kind == "epci" for place in results)
    assert epci in results

    response = client.get(
        reverse(TERRITORIES), {"kind__exact": "departement", "region": hauts_de_france.pk}
    )
    assert {place.code for place in listed(response)} == {"02", "59", "60", "62", "80"}

    response = client.get(reverse(TERRITORIES), {"label": label.pk, "kind__exact": "commune"})
    communes = listed(response)
    assert territory("62119") in communes
    assert all(place.epci_id == epci.pk for place in communes)


def test_reference_territory_shows_parents_children_and_read_only_official_data(client, editor):
    epci = Territory.objects.get(kind=TerritoryKind.EPCI, code="200072460")
    response = client.get(reverse("admin:territories_territory_change", args=[epci.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    bethune = territory("62119")
    assert reverse("admin:territories_territory_change", args=[bethune.pk]) in html
    assert reverse("admin:territories_territory_change", args=[epci.region_id]) in html
    form = response.context["adminform"].form
    assert not {"name", "code", "kind", "region", "epci"} & set(form.fields)

    response = client.get(reverse("admin:territories_territory_change", args=[bethune.pk]))
    assert reverse("admin:territories_territory_change", args=[epci.pk]) in (
        response.content.decode()
    )


def test_editor_adds_an_alias_inline(client, editor):
    epci = Territory.objects.get(kind=TerritoryKind.EPCI, code="200072460")
    url = reverse("admin:territories_territory_change", args=[epci.pk])
    response = client.get(url)
    data = changeform_data(response)
    prefix = inline_prefix(response, TerritoryAlias)
    extra = int(data[f"{prefix}-INITIAL_FORMS"])
    data[f"{prefix}-{extra}-name"] = "Agglo de Béthune"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert epci.aliases.filter(normalized="agglo bethune").exists()
    epci.refresh_from_db()
    assert epci.name == "CA de Béthune-Bruay, Artois-Lys Romane"


def test_reference_territories_cannot_be_deleted_even_by_a_superuser(client):
    client.force_login(make_user(superuser=True))
    bethune = territory("62119")
    response = client.get(reverse("admin:territories_territory_delete", args=[bethune.pk]))
    assert response.status_code == 403
    grouping = Territory.objects.create(
        kind=TerritoryKind.GROUPING, name="Pays de test", slug="pays-de-test"
    )
    response = client.post(
        reverse(TERRITORIES),
        {"action": "delete_selected", "_selected_action": [bethune.pk, grouping.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Territory.objects.filter(pk__in=[bethune.pk, grouping.pk]).count() == 2

    # A grouping made by hand can go.
    response = client.post(
        reverse(TERRITORIES),
        {"action": "delete_selected", "_selected_action": [grouping.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Territory.objects.filter(pk=grouping.pk).exists()


def test_editors_cannot_add_or_delete_territories(client, editor):
    grouping = Territory.objects.create(
        kind=TerritoryKind.GROUPING, name="Pays de test", slug="pays-de-test"
    )
    assert client.get(reverse("admin:territories_territory_add")).status_code == 403
    url = reverse("admin:territories_territory_delete", args=[grouping.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Territory.objects.filter(pk=grouping.pk).exists()


# Organisations -------------------------------------------------------------------------------


def test_organisation_list_shows_article_counts_and_filters_by_kind(client, editor):
    busy = make_organisation("Société Métallurgique du Nord", home_territory=territory("62119"))
    for _ in range(3):
        make_article(organisations=[busy])
    quiet = make_organisation("Association Quiète", kind="association")
    response = client.get(reverse(ORGANISATIONS))
    counts = {org.pk: org.article_count for org in listed(response)}
    assert counts[busy.pk] == 3 and counts[quiet.pk] == 0
    assert "Béthune (62)" in response.content.decode()
    response = client.get(reverse(ORGANISATIONS), {"kind__exact": "association"})
    assert [org.pk for org in listed(response)] == [quiet.pk]


def test_organisation_search_ignores_accents_and_finds_aliases(client, editor):
    organisation = make_organisation("Société Métallurgique du Nord")
    organisation.aliases.create(name="SMN Dunkerque")
    assert listed(client.get(reverse(ORGANISATIONS), {"q": "metallurgique"})) == [organisation]
    assert listed(client.get(reverse(ORGANISATIONS), {"q": "dunkerque"})) == [organisation]


def test_editor_save_marks_the_organisation_as_edited(client, editor):
    organisation = make_organisation("Acme")
    url = reverse("admin:territories_organisation_change", args=[organisation.pk])
    data = changeform_data(client.get(url))
    data["website"] = "https://acme.example"
    assert client.post(url, data).status_code == 302
    organisation.refresh_from_db()
    assert organisation.website == "https://acme.example"
    assert organisation.edited_at is not None
    assert organisation.history.latest().history_user == editor


def test_editors_cannot_delete_organisations(client, editor):
    organisation = make_organisation()
    url = reverse("admin:territories_organisation_delete", args=[organisation.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()


# Territoire d'industrie labels ----------------------------------------------------------------


def test_label_list_filters_by_phase_and_region(client, editor):
    hauts_de_france = Territory.objects.get(kind=TerritoryKind.REGION, code="32")
    second = make_label("TI seconde phase test", phase=LabelPhase.SECOND, region=hauts_de_france)
    response = client.get(reverse(LABELS), {"phase__exact": LabelPhase.SECOND})
    assert response.context["cl"].result_count == 183 + 1  # the ANCT list and this one
    assert {label.phase for label in listed(response)} == {LabelPhase.SECOND}
    response = client.get(reverse(LABELS), {"phase__exact": LabelPhase.SECOND, "q": "seconde"})
    assert listed(response) == [second]
    response = client.get(reverse(LABELS), {"region__id__exact": hauts_de_france.pk})
    labels = listed(response)
    assert second in labels and all(label.region_id == hauts_de_france.pk for label in labels)


def test_label_form_shows_supporting_articles_and_save_marks_it_edited(client, editor):
    epci = Territory.objects.get(kind=TerritoryKind.EPCI, code="200072460")
    label = IndustryLabel.objects.filter(is_reference=True).first()
    article = make_article(title="Le Territoire d'industrie s'étend", labels=[label])
    url = reverse("admin:territories_industrylabel_change", args=[label.pk])
    response = client.get(url)
    html = response.content.decode()
    assert reverse("admin:news_article_change", args=[article.pk]) in html
    assert "admin-autocomplete" in html  # member territories through the autocomplete

    data = changeform_data(response)
    data["territories"] = [*data["territories"], str(epci.pk)]
    data["labelled_on"] = "12/03/2024"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    label.refresh_from_db()
    assert label.labelled_on == datetime.date(2024, 3, 12)
    assert label.territories.filter(pk=epci.pk).exists()
    assert label.edited_at is not None


def test_reference_labels_cannot_be_deleted(client):
    client.force_login(make_user(superuser=True))
    label = IndustryLabel.objects.filter(is_reference=True).first()
    url = reverse("admin:territories_industrylabel_delete", args=[label.pk])
    assert client.get(url).status_code == 403
