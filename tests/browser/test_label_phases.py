"""A reader goes from a second-phase Territoire d'industrie to the same territory in the first
phase, and filters the list by phase, on a desktop and on a phone (screenshots, axe-core)."""

import pytest

from news.models import LinkStatus
from territories.models import IndustryLabel, LabelPhase
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_crosses_from_one_phase_to_the_other(
    live_server, reference, page, phone_page, axe, screenshot_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    creuse = IndustryLabel.objects.get(code="ti-7506", phase=LabelPhase.SECOND)
    make_article(
        title="La Creuse relance son industrie", labels=[creuse], link_status=LinkStatus.CONFIRMED
    )
    problems = []
    for name, browser_page in (("desktop", page), ("phone", phone_page)):
        browser_page.goto(live_server.url + creuse.get_absolute_url())
        assert browser_page.get_by_role("heading", level=1).inner_text() == "Creuse Industrie"
        assert browser_page.get_by_text("Seconde phase (2023–2027)").first.is_visible()
        assert browser_page.get_by_role("heading", name="11 communes").is_visible()
        browser_page.screenshot(
            path=str(screenshot_dir / f"label-phase2-{name}.png"), full_page=True
        )
        problems += [f"{name} label page: {v['id']}" for v in axe(browser_page)]
        width = browser_page.evaluate("document.documentElement.scrollWidth")
        if width > browser_page.viewport_size["width"]:
            problems.append(f"{name} label page scrolls sideways ({width} px)")

        counterparts = browser_page.locator(".label-counterparts a")
        target = counterparts.first.inner_text()
        counterparts.first.click()
        browser_page.wait_for_load_state()
        assert browser_page.get_by_role("heading", level=1).inner_text() == target
        assert browser_page.get_by_text("Première phase (2018–2022)").first.is_visible()

        browser_page.goto(live_server.url + "/territoires-d-industrie/?phase=2023-2027")
        assert (
            "183 en seconde phase (2023–2027)" in browser_page.locator(".label-phases").inner_text()
        )
        assert browser_page.locator(".label-list .badge--2018-2022").count() == 0
        assert browser_page.get_by_role("link", name="Creuse Industrie").is_visible()
        browser_page.screenshot(
            path=str(screenshot_dir / f"labels-phase2-{name}.png"), full_page=True
        )
        problems += [f"{name} label list: {v['id']}" for v in axe(browser_page)]
    assert problems == [], "\n".join(problems)
