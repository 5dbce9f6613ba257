"""An editor's path in a real browser: the work queue, an article's links reviewed in context,
the article published, the public page changed."""

import pytest

from news.models import ArticleStatus, ArticleTerritory, LinkMethod, LinkRejection, LinkStatus
from territories.models import TerritoryKind
from tests.admin_helpers import make_editor
from tests.factories import make_article, territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-de-test"


def _article_to_review():
    """The demo's trap: the meeting's venue is the most confident link, and it is wrong."""
    article = make_article(
        title="La Métropole européenne de Lille labellisée « Territoire d’industrie »",
        kicker="Nord",
        lead="La Métropole européenne de Lille rejoint les bassins industriels labellisés.",
        body=(
            "Réunis à Chalon-sur-Saône le 9 novembre, les élus ont remis le label. "
            "À Lille, la métropole mise sur la formation et l’innovation."
        ),
        status=ArticleStatus.DRAFT,
        needs_review=True,
    )
    places = {
        "venue": (territory("71076"), 0.85),
        "city": (territory("59350"), 0.78),
        "departement": (territory("59", TerritoryKind.DEPARTEMENT), 0.71),
    }
    for place, confidence in places.values():
        ArticleTerritory.objects.create(
            article=article,
            territory=place,
            method=LinkMethod.NAME,
            confidence=confidence,
            matched_text=place.name,
            status=LinkStatus.SUGGESTED,
        )
    return article, {key: place for key, (place, _confidence) in places.items()}


def test_editor_reviews_an_article_s_links_in_context_then_publishes_it(
    live_server, reference, page, screenshot, axe, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread while the test's ORM calls stay
    # synchronous: Django must not refuse them (the browser fixture sets it for its scope).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Imported here: the browser fixture has already skipped (or failed on CI) without it.
    from playwright.sync_api import expect

    editor = make_editor("redaction")
    editor.set_password(PASSWORD)
    editor.save()
    article, places = _article_to_review()
    make_article(title="Un autre article", tags=["industrie", "emploi"])

    # Log in: the admin index is the work queue, the article is among those to review.
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "redaction")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    queue = page.locator("#queue-to-review")
    queue.wait_for()
    screenshot("admin-01-work-queue")
    queue.get_by_role("link", name=article.title).click()

    # The change form: each link with its sentence, the match marked, the rule, the confidence.
    page.wait_for_selector("#article_form")
    group = page.locator("#territory_links-group")
    venue_row = group.locator("tr.form-row", has_text=str(places["venue"]))
    assert venue_row.locator("mark").inner_text() == "Chalon-sur-Saône"
    assert "Réunis à Chalon-sur-Saône le 9 novembre" in venue_row.inner_text()
    assert "Nom officiel" in venue_row.inner_text() and "85 %" in venue_row.inner_text()
    assert page.locator("input[name$='-confirm']").count() == 0  # no more two checkboxes
    page.wait_for_selector(".datetimeshortcuts a")  # the admin's scripts have run
    screenshot("admin-02-change-form")
    assert axe(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the form is {width} px wide"

    # One choice per link, found by its accessible name: reject the venue, keep the others,
    # one of them with the keyboard only (arrow keys move within a radio group).
    def choices(place):
        return page.get_by_role("group", name=f"Décision pour le lien « {place} »")

    choices(places["venue"]).get_by_label("Rejeter").check()
    choices(places["city"]).get_by_label("Garder").check()
    undecided = choices(places["departement"]).get_by_label("À décider")
    assert undecided.is_checked()
    undecided.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert choices(places["departement"]).get_by_label("Garder").is_checked()
    # Tags: plain comma-separated names, the existing ones completing the name being typed.
    tags = page.get_by_label("Étiquettes")
    tags.fill("énergie verte, ind")
    suggestions = page.locator("#id_tags-suggestions option")
    expect(suggestions).to_have_count(1)
    assert suggestions.get_attribute("value") == "énergie verte, industrie"
    tags.fill("énergie verte, industrie")
    page.get_by_role("checkbox", name="À vérifier").uncheck()  # checked: off the queue
    screenshot("admin-03-links-decided")
    page.locator("input[name=_continue]").last.click()
    page.wait_for_selector(".messagelist .success")
    expect(page.locator("#territory_links-group tr.has_original")).to_have_count(2)
    screenshot("admin-04-links-saved")

    # Publish it from the list with the action.
    page.goto(f"{live_server.url}/admin/news/article/")
    page.locator(f"input[name=_selected_action][value='{article.pk}']").check()
    page.select_option("select[name=action]", "publish_articles")
    page.click("button[name=index]")
    message = page.locator(".messagelist .success").first
    message.wait_for()
    assert "1 article publié." in message.inner_text()
    screenshot("admin-05-published")

    # The public page lists the territories the editor kept, not the venue.
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert (article.needs_review, article.reviewed_by) == (False, editor)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    listed = page.locator(".place-list > li > a:first-child").all_inner_texts()
    screenshot("admin-06-public-page")
    assert str(places["venue"]) not in listed
    assert {str(places["city"]), str(places["departement"])} <= set(listed)

    assert set(article.territory_links.values_list("territory", "status")) == {
        (places["city"].pk, LinkStatus.CONFIRMED),
        (places["departement"].pk, LinkStatus.CONFIRMED),
    }
    assert sorted(article.tags.names()) == ["industrie", "énergie verte"]
    rejection = LinkRejection.objects.get(article=article)
    assert (rejection.target, rejection.rejected_by) == (places["venue"], editor)


def test_editor_confirms_every_link_above_a_percentage_from_the_keyboard(
    live_server, reference, page, screenshot, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Imported here: the browser fixture has already skipped (or failed on CI) without it.
    from playwright.sync_api import expect

    editor = make_editor("redaction")
    editor.set_password(PASSWORD)
    editor.save()
    article, places = _article_to_review()

    page.goto(f"{live_server.url}/admin/news/article/{article.pk}/change/")
    page.fill("#id_username", "redaction")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#article_form")

    # The live count follows the percentage and the rows set to "Rejeter".
    threshold = page.get_by_label("Confirmer tous les liens suggérés dont la confiance atteint")
    preview = page.locator("#confirm-above-preview")
    page.wait_for_load_state()  # the form's scripts have run
    threshold.fill("75")
    expect(preview).to_have_text("2 liens suggérés atteignent ce seuil.")
    page.get_by_role("group", name=f"Décision pour le lien « {places['venue']} »").get_by_label(
        "Rejeter"
    ).check()
    expect(preview).to_have_text("1 lien suggéré atteint ce seuil.")
    screenshot("admin-07-confirm-above")

    # Enter in the percentage presses its own button, not "Enregistrer".
    threshold.press("Enter")
    message = page.locator(".messagelist .success").first
    message.wait_for()
    assert "1 lien confirmé (confiance d’au moins 75 %)" in message.inner_text()
    assert page.url.endswith(f"/admin/news/article/{article.pk}/change/")

    statuses = dict(article.territory_links.values_list("territory", "status"))
    assert statuses == {
        places["city"].pk: LinkStatus.CONFIRMED,
        places["departement"].pk: LinkStatus.SUGGESTED,
    }
    assert LinkRejection.objects.get(article=article).target == places["venue"]
