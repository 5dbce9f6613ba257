"""The curation services behind the editors' back-office."""

import pytest
from django.contrib.contenttypes.models import ContentType

from news.models import (
    ArticleOrganisation,
    ArticleStatus,
    ArticleTerritory,
    LinkMethod,
    LinkRejection,
    LinkStatus,
)
from news.services.curation import (
    article_add_tags,
    article_links_confirm,
    article_mark_edited,
    article_mark_reviewed,
    article_publish,
    article_unpublish,
    link_confirm,
    link_create,
    link_reject,
)
from territories.models import Organisation, Territory
from tests.factories import make_article, make_organisation, make_user, territory

pytestmark = pytest.mark.django_db


def test_link_confirm_keeps_how_the_link_was_made():
    article = make_article(territories=[territory("62119")])
    link = article.territory_links.get()
    link_confirm(link=link, user=make_user())
    link.refresh_from_db()
    assert link.status == LinkStatus.CONFIRMED
    assert (link.method, link.matched_text) == (LinkMethod.NAME, "Béthune")


def test_link_reject_deletes_the_link_and_records_the_rejection():
    editor = make_user()
    organisation = make_organisation("Acme")
    article = make_article(organisations=[organisation])
    rejection = link_reject(link=article.organisation_links.get(), user=editor)
    assert not ArticleOrganisation.objects.filter(article=article).exists()
    assert rejection.content_type == ContentType.objects.get_for_model(Organisation)
    assert (rejection.object_id, rejection.matched_text) == (organisation.pk, "Acme")
    assert rejection.rejected_by == editor


def test_rejecting_the_same_link_twice_keeps_one_rejection():
    bethune = territory("62119")
    article = make_article(territories=[bethune])
    link_reject(link=article.territory_links.get(), user=None)
    link = ArticleTerritory.objects.create(article=article, territory=bethune, matched_text="x")
    link_reject(link=link, user=None)
    assert LinkRejection.objects.filter(article=article).count() == 1


def test_link_create_confirms_and_lifts_a_rejection():
    arras = territory("62041")
    article = make_article()
    LinkRejection.objects.create(
        article=article,
        content_type=ContentType.objects.get_for_model(Territory),
        object_id=arras.pk,
    )
    link = link_create(
        link=ArticleTerritory(article=article, territory=arras, status=LinkStatus.SUGGESTED),
        user=None,
    )
    assert (link.method, link.status, link.confidence) == (
        LinkMethod.EDITOR,
        LinkStatus.CONFIRMED,
        1.0,
    )
    assert not LinkRejection.objects.exists()


def test_article_links_confirm_counts_the_links_it_confirmed():
    article = make_article(territories=[territory("62119")], organisations=[make_organisation()])
    other = make_article(territories=[territory("62041")])
    assert article_links_confirm(articles=[article], user=None) == 2
    assert other.territory_links.get().status == LinkStatus.SUGGESTED


def test_publish_and_unpublish_only_change_what_needs_changing():
    editor = make_user()
    draft = make_article(status=ArticleStatus.DRAFT)
    published = make_article(status=ArticleStatus.PUBLISHED)
    assert article_publish(articles=[draft, published], user=editor) == [draft]
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.PUBLISHED
    record = draft.history.latest()
    assert (record.history_user, record.history_change_reason) == (editor, "Publication")
    assert article_unpublish(articles=[draft, published], user=editor) == [draft, published]
    assert published.history.latest().status == ArticleStatus.DRAFT


def test_mark_reviewed_records_reviewer():
    editor = make_user()
    article = make_article(needs_review=True, review_notes="Date douteuse")
    article_mark_reviewed(articles=[article], user=editor)
    article.refresh_from_db()
    assert article.needs_review is False
    assert article.reviewed_by == editor and article.reviewed_at is not None
    assert article.edited_at is None  # reviewing is not editing the content


def test_add_tags_creates_missing_tags_and_ignores_existing_ones():
    tagged = make_article(tags=["Emploi"])
    untagged = make_article()
    changed = article_add_tags(
        articles=[tagged, untagged], tags=["emploi", " ", "Hydrogène"], user=None
    )
    assert changed == [tagged, untagged]
    assert sorted(tagged.tags.names()) == ["Emploi", "Hydrogène"]
    assert sorted(untagged.tags.names()) == ["Emploi", "Hydrogène"]
    assert article_add_tags(articles=[tagged], tags=["EMPLOI"], user=None) == []


def test_mark_edited_saves_the_editor_version():
    editor = make_user()
    article = make_article(needs_review=True)
    article.title = "Corrigé"
    article_mark_edited(article=article, user=editor)
    article.refresh_from_db()
    assert article.title == "Corrigé" and article.edited_at is not None
    assert article.needs_review is True and article.reviewed_at is None
    assert article.history.latest().history_user == editor

    article.needs_review = False
    article_mark_edited(article=article, user=editor, reviewed=True)
    article.refresh_from_db()
    assert article.reviewed_by == editor
