"""An editor's day in a real browser: log in, filter the articles, edit one, publish it."""

import re

import pytest

from news.models import ArticleStatus, LinkStatus
from tests.admin_helpers import make_editor
from tests.factories import make_article, territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-de-test"


def test_editor_filters_edits_and_publishes_an_article(
    live_server, reference, page, screenshot, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread while the test's ORM calls stay
    # synchronous: Django must not refuse them (the browser fixture sets it for its scope).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    editor = make_editor("redaction")
    editor.set_password(PASSWORD)
    editor.save()
    article = make_article(
        title="Une usine de batteries à Béthune",
        status=ArticleStatus.DRAFT,
        needs_review=True,
        territories=[territory("62119")],
    )
    elsewhere = make_article(title="Le port de Bordeaux recrute", territories=[territory("33063")])

    # Log in.
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "redaction")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    screenshot("admin-01-dashboard")

    # Filter the article list by région.
    page.goto(f"{live_server.url}/admin/news/article/")
    page.click("#changelist-filter >> text=Hauts-de-France")
    page.wait_for_url(re.compile(r"region=\d+"))
    results = page.locator("#result_list tbody")
    assert results.get_by_text(article.title).is_visible()
    assert results.get_by_text(elsewhere.title).count() == 0
    screenshot("admin-02-filtered-list")

    # Edit the article: fix the title, confirm the suggested link, save.
    page.click(f"#result_list >> text={article.title}")
    page.wait_for_selector("#article_form")
    page.fill("#id_title", "Une gigafactory de batteries à Béthune")
    confirm = page.locator("input[name$='-confirm']").first
    confirm.check()
    screenshot("admin-03-change-form")
    page.locator("input[name=_save]").last.click()
    page.wait_for_selector(".messagelist .success")

    # Publish it from the list with the action.
    page.locator(f"input[name=_selected_action][value='{article.pk}']").check()
    page.select_option("select[name=action]", "publish_articles")
    page.click("button[name=index]")
    message = page.locator(".messagelist .success").first
    message.wait_for()
    assert "1 article publié." in message.inner_text()
    screenshot("admin-04-published")

    article.refresh_from_db()
    assert article.title == "Une gigafactory de batteries à Béthune"
    assert article.status == ArticleStatus.PUBLISHED
    assert article.edited_at is not None
    assert article.territory_links.get().status == LinkStatus.CONFIRMED
    assert article.history.latest().history_user == editor
