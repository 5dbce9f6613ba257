"""Merging duplicate organisations."""

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType

from news.models import ArticleOrganisation, LinkRejection, LinkStatus
from territories.models import AliasKind, Organisation, OrganisationAlias
from territories.services import organisation_merge
from tests.factories import make_article, make_organisation, make_user, territory

pytestmark = pytest.mark.django_db


def test_merge_moves_links_and_aliases_and_removes_the_others():
    editor = make_user()
    survivor = make_organisation("CCI Artois")
    duplicate = make_organisation("CCI Artois-Gohelle", acronym="CCIAG", website="https://cci.fr")
    other = make_organisation("CCI Artois Hauts-de-France")
    OrganisationAlias.objects.create(organisation=duplicate, name="Chambre consulaire d'Artois")
    only_duplicate = make_article(organisations=[duplicate])
    both = make_article(organisations=[survivor, duplicate, other])
    ArticleOrganisation.objects.filter(article=both, organisation=duplicate).update(
        status=LinkStatus.CONFIRMED
    )

    report = organisation_merge(survivor=survivor, others=[duplicate, other], user=editor)

    assert not Organisation.objects.filter(pk__in=[duplicate.pk, other.pk]).exists()
    assert report.removed == ["CCI Artois-Gohelle", "CCI Artois Hauts-de-France"]
    assert (report.links_moved, report.links_merged) == (1, 2)
    assert list(only_duplicate.organisations.all()) == [survivor]
    # One link per article (the unique constraint holds), confirmed if any of them was.
    link = ArticleOrganisation.objects.get(article=both)
    assert (link.organisation, link.status) == (survivor, LinkStatus.CONFIRMED)

    aliases = dict(survivor.aliases.values_list("name", "kind"))
    assert aliases == {
        "Chambre consulaire d'Artois": AliasKind.USUAL,
        "CCI Artois-Gohelle": AliasKind.USUAL,
        "CCIAG": AliasKind.ACRONYM,
        "CCI Artois Hauts-de-France": AliasKind.USUAL,
    }
    survivor.refresh_from_db()
    assert survivor.website == "https://cci.fr"  # empty fields filled from the duplicates
    assert survivor.acronym == "CCIAG"
    assert survivor.edited_at is not None


def test_merge_is_logged_in_the_admin_log_and_in_history():
    editor = make_user()
    survivor = make_organisation("Agence Hauts-de-France 2030")
    duplicate = make_organisation("Agence HDF 2030")
    duplicate_pk = duplicate.pk
    organisation_merge(survivor=survivor, others=[duplicate], user=editor)

    content_type = ContentType.objects.get_for_model(Organisation)
    entries = LogEntry.objects.filter(content_type=content_type, user=editor)
    deleted = entries.get(action_flag=DELETION)
    assert deleted.object_id == str(duplicate_pk)
    assert "Agence Hauts-de-France 2030" in deleted.change_message
    changed = entries.get(action_flag=CHANGE, object_id=str(survivor.pk))
    assert "Agence HDF 2030" in changed.change_message

    record = survivor.history.latest()
    assert record.history_user == editor
    assert "Agence HDF 2030" in record.history_change_reason
    gone = Organisation.history.filter(id=duplicate_pk).latest()
    assert gone.history_type == "-" and gone.history_user == editor


def test_merge_keeps_rejections_on_the_survivor_without_duplicates():
    survivor = make_organisation("Région Hauts-de-France Entreprises")
    duplicate = make_organisation("HDF Entreprises")
    content_type = ContentType.objects.get_for_model(Organisation)
    rejected_for_duplicate = make_article()
    linked_to_survivor = make_article(organisations=[survivor])
    for article in (rejected_for_duplicate, linked_to_survivor):
        LinkRejection.objects.create(
            article=article, content_type=content_type, object_id=duplicate.pk
        )
    organisation_merge(survivor=survivor, others=[duplicate], user=make_user())
    assert list(LinkRejection.objects.values_list("article_id", "object_id")) == [
        (rejected_for_duplicate.pk, survivor.pk)
    ]


def test_merge_ignores_the_survivor_among_the_others_and_keeps_its_own_values():
    home = territory("62119")
    survivor = make_organisation("Usine Alpha", website="https://alpha.fr", home_territory=home)
    duplicate = make_organisation("Alpha Industries", website="https://autre.fr")
    report = organisation_merge(survivor=survivor, others=[survivor, duplicate], user=make_user())
    assert report.removed == ["Alpha Industries"]
    survivor.refresh_from_db()
    assert survivor.website == "https://alpha.fr" and survivor.home_territory == home
    assert organisation_merge(survivor=survivor, others=[survivor], user=make_user()).removed == []
