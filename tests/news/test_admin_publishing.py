"""Publishing from the admin: the list action and the change form ask before hiding links."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from news.models import Article, ArticleStatus, ArticleTerritory, LinkStatus
from tests.admin_helpers import changeform_data, login_editor
from tests.factories import make_article, territory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:news_article_changelist")


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def editor(client):
    return login_editor(client)


def draft(**fields):
    return make_article(status=ArticleStatus.DRAFT, **fields)


def publish_action(client, articles, **extra):
    return client.post(
        CHANGELIST,
        {"action": "publish_articles", "_selected_action": [a.pk for a in articles], **extra},
    )


def status_of(article):
    return Article.objects.get(pk=article.pk).status


# The list action -------------------------------------------------------------------------


def test_publishing_a_draft_with_pending_links_asks_first(client, editor):
    article = draft(territories=[territory("62119"), territory("62041")])
    response = publish_action(client, [article])
    assert response.status_code == 200
    content = response.content.decode()
    assert "2 liens suggérés par l’import n’ont pas encore été vérifiés" in content
    for choice in (
        "Confirmer tous les liens et publier",
        "Publier sans les liens à vérifier",
        "Revoir les liens",
    ):
        assert choice in content
    assert f'href="{change_url(article)}"' in content
    assert status_of(article) == ArticleStatus.DRAFT


def test_confirm_all_and_publish(client, editor):
    article = draft(territories=[territory("62119"), territory("62041")])
    response = publish_action(client, [article], links="confirm")
    assert response.status_code == 302
    assert status_of(article) == ArticleStatus.PUBLISHED
    assert set(article.territory_links.values_list("status", flat=True)) == {LinkStatus.CONFIRMED}
    assert "1 article publié. 2 liens confirmés." in messages_of(client.get(CHANGELIST))


def test_publish_without_the_pending_links_keeps_them_hidden(client, editor):
    bethune = territory("62119")
    article = draft(territories=[bethune])
    publish_action(client, [article], links="leave")
    assert status_of(article) == ArticleStatus.PUBLISHED
    assert article.territory_links.get().status == LinkStatus.SUGGESTED
    client.logout()
    assert bethune.get_absolute_url() not in client.get(article.get_absolute_url()).content.decode()


def test_a_draft_without_pending_links_is_published_at_once(client, editor):
    article = draft(territories=[territory("62119")], link_status=LinkStatus.CONFIRMED)
    response = publish_action(client, [article])
    assert response.status_code == 302
    assert status_of(article) == ArticleStatus.PUBLISHED


def test_an_article_without_text_needs_the_box_ticked(client, editor):
    empty = draft(lead="", body="")
    response = publish_action(client, [empty])
    content = response.content.decode()
    assert "pas de texte (ni chapô ni corps)" in content
    assert "Je publie quand même l’article incomplet" in content

    response = publish_action(client, [empty], links="leave")
    assert "Cochez la case pour publier quand même" in response.content.decode()
    assert status_of(empty) == ArticleStatus.DRAFT

    publish_action(client, [empty], links="leave", allow_incomplete="on")
    assert status_of(empty) == ArticleStatus.PUBLISHED


def test_the_action_needs_the_publish_permission(client):
    editor = login_editor(client)
    editor.groups.clear()
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "change_article"])
    )
    article = draft()
    publish_action(client, [article], links="confirm")
    assert status_of(article) == ArticleStatus.DRAFT


# The change form -------------------------------------------------------------------------


def test_saving_as_published_with_pending_links_saves_then_asks(client, editor):
    article = draft(territories=[territory("62119")])
    data = changeform_data(client.get(change_url(article)))
    data.update(status=ArticleStatus.PUBLISHED, title="Titre revu par la rédaction")
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Vos modifications sont enregistrées" in content
    assert "Confirmer tous les liens et publier" in content
    saved = Article.objects.get(pk=article.pk)
    assert (saved.title, saved.status) == ("Titre revu par la rédaction", ArticleStatus.DRAFT)

    response = publish_action(client, [article], links="confirm", next=change_url(article))
    assert response.status_code == 302 and response["Location"] == change_url(article)
    assert status_of(article) == ArticleStatus.PUBLISHED
    assert ArticleTerritory.objects.get(article=article).status == LinkStatus.CONFIRMED


def test_saving_as_published_without_pending_links_publishes(client, editor):
    article = draft()
    data = changeform_data(client.get(change_url(article)))
    data["status"] = ArticleStatus.PUBLISHED
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    assert status_of(article) == ArticleStatus.PUBLISHED


def test_the_next_address_must_be_on_this_site(client, editor):
    article = draft()
    response = publish_action(client, [article], links="leave", next="https://ailleurs.example/")
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST


def test_the_links_decision_is_kept_while_the_incomplete_article_is_asked_about(client, editor):
    pending = draft(territories=[territory("62119")])
    empty = draft(lead="", body="")
    response = publish_action(client, [pending, empty], links="confirm")
    content = response.content.decode()
    assert '<input type="hidden" name="links" value="confirm">' in content
    assert "Publier sans les liens à vérifier" not in content
    assert status_of(pending) == ArticleStatus.DRAFT

    publish_action(client, [pending, empty], links="confirm", allow_incomplete="on")
    assert status_of(pending) == status_of(empty) == ArticleStatus.PUBLISHED
    assert pending.territory_links.get().status == LinkStatus.CONFIRMED
