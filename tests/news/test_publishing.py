"""The publish service: what blocks a publication, what it confirms, who may do it."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from news.models import (
    Article,
    ArticleOrganisation,
    ArticleStatus,
    ArticleTerritory,
    LinkStatus,
)
from news.services.publishing import (
    PublishBlocked,
    import_publish,
    publish_articles,
    publish_checks,
)
from tests.factories import make_article, make_label, make_organisation, make_user, territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher():
    user = make_user(staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="publish_article"),
        Permission.objects.get(codename="change_article"),
    )
    return user


def draft(**fields):
    return make_article(status=ArticleStatus.DRAFT, **fields)


def test_a_draft_with_suggested_links_is_not_published_without_a_decision(publisher):
    article = draft(territories=[territory("62119")], organisations=[make_organisation()])
    with pytest.raises(PublishBlocked) as blocked:
        publish_articles(articles=[article], user=publisher)
    (check,) = blocked.value.checks
    assert check.suggested_links == 2 and not check.incomplete
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_confirming_the_links_publishes_and_makes_them_public(publisher):
    article = draft(territories=[territory("62119"), territory("62041")])
    result = publish_articles(articles=[article], user=publisher, confirm_links=True)
    assert [a.pk for a in result.published] == [article.pk]
    assert result.links_confirmed == 2
    assert set(
        ArticleTerritory.objects.filter(article=article).values_list("status", flat=True)
    ) == {LinkStatus.CONFIRMED}
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.history.latest().history_user == publisher


def test_publishing_without_the_links_leaves_them_suggested_and_hidden(client, publisher):
    bethune = territory("62119")
    article = draft(territories=[bethune])
    result = publish_articles(articles=[article], user=publisher, confirm_links=False)
    assert result.links_left == 1 and result.links_confirmed == 0
    assert ArticleTerritory.objects.get(article=article).status == LinkStatus.SUGGESTED
    page = client.get(article.get_absolute_url()).content.decode()
    assert bethune.get_absolute_url() not in page


def test_an_article_without_title_or_text_needs_an_explicit_yes(publisher):
    untitled = draft(title=" ")
    empty = draft(lead="", body="")
    with pytest.raises(PublishBlocked) as blocked:
        publish_articles(articles=[untitled, empty], user=publisher, confirm_links=True)
    missing = {check.article.pk: check.missing for check in blocked.value.incomplete}
    assert missing == {
        untitled.pk: ["pas de titre"],
        empty.pk: ["pas de texte (ni chapô ni corps)"],
    }
    assert not Article.objects.filter(pk__in=[untitled.pk, empty.pk], status="published").exists()

    result = publish_articles(articles=[untitled, empty], user=publisher, allow_incomplete=True)
    assert len(result.published) == 2


def test_a_lead_alone_is_text_enough(publisher):
    (check,) = publish_checks([draft(lead="Un chapô.", body="")])
    assert not check.blocked


def test_already_published_articles_are_left_alone(publisher):
    published = make_article(territories=[territory("62119")])
    result = publish_articles(articles=[published], user=publisher)
    assert result.published == []
    assert ArticleTerritory.objects.get(article=published).status == LinkStatus.SUGGESTED


def test_publishing_needs_the_publish_permission():
    editor = make_user(staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))
    with pytest.raises(PermissionDenied):
        publish_articles(articles=[draft()], user=editor, confirm_links=True)


# The import's trusted batch ---------------------------------------------------------------


def test_an_import_confirms_only_the_links_at_or_above_the_threshold(settings):
    settings.IMPORT_CONFIRM_THRESHOLD = 0.8
    article = make_article(organisations=[make_organisation()])  # confidence 0.8
    ArticleTerritory.objects.create(
        article=article, territory=territory("62119"), confidence=0.55, status="suggested"
    )
    check = import_publish(article=article)
    assert ArticleOrganisation.objects.get(article=article).status == LinkStatus.CONFIRMED
    assert ArticleTerritory.objects.get(article=article).status == LinkStatus.SUGGESTED
    assert check.suggested_links == 1
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and article.needs_review
    assert "1 lien sous le seuil de confirmation (80 %)" in article.review_notes


def test_an_import_never_confirms_a_label_no_editor_has_checked(settings):
    settings.IMPORT_CONFIRM_THRESHOLD = 0.5
    made_from_an_article = make_label("Territoire d’industrie d’après un article")
    official = make_label("Territoire d’industrie de la liste", is_reference=True)
    article = make_article(labels=[made_from_an_article, official])
    import_publish(article=article)
    statuses = dict(article.label_links.values_list("label__name", "status"))
    assert statuses == {
        made_from_an_article.name: LinkStatus.SUGGESTED,
        official.name: LinkStatus.CONFIRMED,
    }


def test_an_imported_article_without_text_stays_a_draft(settings):
    article = draft(lead="", body="")
    check = import_publish(article=article)
    assert check.incomplete
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT and article.needs_review
    assert "Non publié : pas de texte (ni chapô ni corps)." in article.review_notes
