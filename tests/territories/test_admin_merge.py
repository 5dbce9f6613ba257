"""Duplicate organisations in the back-office: the suggestions and the side-by-side merge page."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from territories.admin import merge_url
from territories.models import Organisation, OrganisationAlias
from tests.admin_helpers import login_editor, messages_of
from tests.factories import make_article, make_organisation, make_user, territory

pytestmark = pytest.mark.django_db

ORGANISATIONS = "admin:territories_organisation_changelist"
DUPLICATES = "admin:territories_organisation_duplicates"


@pytest.fixture
def editor(client):
    return login_editor(client)


@pytest.fixture
def pair():
    kept = make_organisation(
        "Initiative Artois", acronym="IA", home_territory=territory("62041"), website=""
    )
    OrganisationAlias.objects.create(organisation=kept, name="Réseau Initiative Artois")
    other = make_organisation("Initiative Artois Lys", website="https://ia-lys.example")
    make_article(organisations=[kept])
    make_article(organisations=[kept])
    moved = make_article(organisations=[other])
    return kept, other, moved


def test_the_organisation_list_links_to_the_likely_duplicates(client, editor):
    html = client.get(reverse(ORGANISATIONS)).content.decode()
    assert reverse(DUPLICATES) in html and "Doublons probables" in html


def test_duplicates_page_lists_suggestions_with_a_link_to_the_merge_page(client, editor, pair):
    kept, other, _ = pair
    make_organisation("Symevad")
    response = client.get(reverse(DUPLICATES))
    assert response.status_code == 200
    (suggestion,) = response.context["suggestions"]
    assert {suggestion.first, suggestion.second} == {kept, other}
    assert suggestion.reason == "noms proches"
    html = response.content.decode()
    assert merge_url([kept.pk, other.pk]).replace("&", "&amp;") in html


def test_duplicates_page_says_when_there_is_none(client, editor):
    make_organisation("Symevad")
    html = client.get(reverse(DUPLICATES)).content.decode()
    assert "Aucun doublon probable" in html


def test_merge_page_shows_both_records_side_by_side(client, editor, pair):
    kept, other, _ = pair
    response = client.get(merge_url([other.pk, kept.pk]))
    assert response.status_code == 200
    # The most linked one comes first and is offered as the one kept.
    assert [column["organisation"] for column in response.context["columns"]] == [kept, other]
    assert response.context["form"]["survivor"].initial == kept.pk
    rows = dict(response.context["rows"])
    assert rows["Sigle"] == ["IA", "—"]
    assert rows["Alias"] == ["Réseau Initiative Artois", "—"]
    assert rows["Territoire d’implantation"][0] == territory("62041")
    assert rows["Articles liés"] == ["2 liens (0 confirmés)", "1 lien (0 confirmé)"]
    html = response.content.decode()
    assert "https://ia-lys.example" in html
    assert "La fusion est définitive." in html and "ne peut pas être annulée" in html
    assert Organisation.objects.filter(pk=other.pk).exists()


def test_merge_needs_the_confirmation(client, editor, pair):
    kept, other, _ = pair
    response = client.post(merge_url([kept.pk, other.pk]), {"survivor": kept.pk})
    assert response.status_code == 200
    assert "Cochez la case pour confirmer la fusion." in response.content.decode()
    assert Organisation.objects.filter(pk=other.pk).exists()


def test_merge_page_merges_into_the_chosen_organisation(client, editor, pair):
    kept, other, moved = pair
    response = client.post(
        merge_url([kept.pk, other.pk]), {"survivor": other.pk, "confirm": "on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "admin:territories_organisation_change", args=[other.pk]
    )
    assert "1 organisation fusionnée dans « Initiative Artois Lys »" in messages_of(response)[0]
    assert not Organisation.objects.filter(pk=kept.pk).exists()
    other.refresh_from_db()
    assert other.article_links.count() == 3
    assert other.acronym == "IA"  # empty fields filled from the merged one
    assert list(moved.organisations.all()) == [other]


def test_a_survivor_outside_the_comparison_is_refused(client, editor, pair):
    kept, other, _ = pair
    stranger = make_organisation("Symevad")
    response = client.post(
        merge_url([kept.pk, other.pk]), {"survivor": stranger.pk, "confirm": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["survivor"]
    assert Organisation.objects.count() == 3


def test_merge_page_needs_two_known_organisations(client, editor, pair):
    kept, _, _ = pair
    for ids in ([kept.pk], [kept.pk, 999_999], ["abc", kept.pk], [kept.pk, 2**70]):
        response = client.get(merge_url(ids), follow=True)
        assert "au moins deux organisations" in messages_of(response)[0], ids


def test_the_merge_action_opens_the_merge_page_with_the_selection(client, editor, pair):
    kept, other, _ = pair
    response = client.post(
        reverse(ORGANISATIONS),
        {"action": "merge_organisations", "_selected_action": [kept.pk, other.pk]},
    )
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert {column["organisation"] for column in response.context["columns"]} == {kept, other}


def test_the_merge_action_needs_two_organisations(client, editor, pair):
    kept, _, _ = pair
    response = client.post(
        reverse(ORGANISATIONS),
        {"action": "merge_organisations", "_selected_action": [kept.pk]},
        follow=True,
    )
    assert "de deux à 6 organisations" in messages_of(response)[0]


def test_merging_needs_the_change_permission(client, pair):
    kept, other, _ = pair
    reader = make_user(staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    client.force_login(reader)
    assert client.get(reverse(DUPLICATES)).status_code == 200
    assert "Comparer et fusionner" not in client.get(reverse(DUPLICATES)).content.decode()
    assert client.get(merge_url([kept.pk, other.pk])).status_code == 403
    response = client.post(merge_url([kept.pk, other.pk]), {"survivor": kept.pk, "confirm": "on"})
    assert response.status_code == 403
    assert Organisation.objects.filter(pk=other.pk).exists()
    client.force_login(make_user(staff=True))
    assert client.get(reverse(DUPLICATES)).status_code == 403
