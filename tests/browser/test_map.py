"""The maps in a real browser, at desktop and phone widths: drawn without console errors, numbers
an SVG can read, every shape a named link reachable from the keyboard, no axe violation."""

import pytest

from territories.models import IndustryLabel, LabelPhase
from tests.factories import territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every attribute of an SVG element that holds numbers, none written with a decimal comma.
COMMA_NUMBERS = """() => {
    const names = ['d', 'x', 'y', 'width', 'height', 'viewBox', 'transform', 'points'];
    const faults = [];
    for (const el of document.querySelectorAll('svg, svg *')) {
        for (const name of names) {
            const value = el.getAttribute(name);
            if (value && /\\d,\\d/.test(value)) faults.push(`${el.tagName} ${name}="${value}"`);
        }
    }
    return faults.slice(0, 10);
}"""

# Links of the map without an accessible name (an SVG <title> child, or aria-label).
UNNAMED_LINKS = """(selector) => [...document.querySelectorAll(selector + ' a')]
    .filter(a => !(a.getAttribute('aria-label')
        || a.querySelector(':scope > title')?.textContent.trim()))
    .map(a => a.getAttribute('href'))"""


def open_page(page, url):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(url)
    assert response.status == 200
    return errors


def check_map(page, axe, selector="svg.label-map"):
    assert page.locator(selector).count() == 1
    assert page.evaluate(COMMA_NUMBERS) == []
    assert page.evaluate(UNNAMED_LINKS, selector) == []
    assert page.locator(f"{selector} a").count() > 0
    assert axe(page) == []


def test_the_map_of_france_at_desktop_and_phone_sizes(
    live_server, reference, page, phone_page, axe, screenshot_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    for size, browser_page in (("desktop", page), ("phone", phone_page)):
        errors = open_page(browser_page, f"{live_server.url}/carte/")
        check_map(browser_page, axe)
        svg = browser_page.locator("svg.label-map")
        # The régions under the labels, the five overseas régions framed.
        assert browser_page.locator("svg.label-map > g.map-base > a").count() == 13
        assert svg.locator("g.map-inset rect").count() == 5
        first = IndustryLabel.objects.filter(phase=LabelPhase.FIRST).count()
        legend = browser_page.locator(".map-legend")
        assert legend.get_by_text(f"Première phase (2018–2022) : {first} territoires").is_visible()
        if size == "desktop":
            assert svg.locator("g.map-names text", has_text="Hauts-de-France").is_visible()
            assert svg.locator(".map-inset__caption").first.is_visible()
        else:
            # Too small to read inside the drawing: the captions are HTML under it.
            captions = browser_page.locator(".map-captions li")
            assert captions.count() == 5 and captions.first.is_visible()
            font = captions.first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
            assert font >= 11
        assert errors == []
        browser_page.screenshot(path=str(screenshot_dir / f"map-{size}-france.png"), full_page=True)

    # The phase switch is a link: only second-phase labels are then drawn.
    page.get_by_role("link", name="Seconde phase (2023–2027)").click()
    page.wait_for_url("**/carte/?phase=2023-2027")
    assert page.locator("svg.label-map path.map-label--2018-2022").count() == 0
    assert page.locator("svg.label-map path.map-label--2023-2027").count() > 100


def test_a_shape_is_reached_from_the_keyboard_with_a_visible_focus(
    live_server, reference, page, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    open_page(page, f"{live_server.url}/carte/")
    link = page.locator("svg.label-map g.map-labels a").first
    link.focus()
    path = link.locator("path")
    stroke = path.evaluate("el => getComputedStyle(el).strokeWidth")
    assert float(stroke.removesuffix("px")) >= 3


def test_home_label_and_region_maps_at_desktop_and_phone_sizes(
    live_server, reference, page, phone_page, axe, screenshot_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    label = IndustryLabel.objects.get(code="ti-3204", phase=LabelPhase.FIRST)
    region = territory("32", "region")
    pages = [
        ("home", "/"),
        ("label", label.get_absolute_url()),
        ("region", region.get_absolute_url()),
    ]
    for size, browser_page in (("desktop", page), ("phone", phone_page)):
        for name, url in pages:
            errors = open_page(browser_page, f"{live_server.url}{url}")
            check_map(browser_page, axe)
            assert errors == []
            browser_page.screenshot(
                path=str(screenshot_dir / f"map-{size}-{name}.png"), full_page=True
            )
        # The label's own name is written on its map, and its région's départements'.
        browser_page.goto(f"{live_server.url}{label.get_absolute_url()}")
        svg = browser_page.locator("svg.label-map")
        assert svg.locator(".map-names__highlight").text_content() == label.name
        # A name that would cover the label's own is left out, not the others.
        assert svg.locator("text.map-names__departement").count() >= 3
