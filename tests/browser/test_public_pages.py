"""Every public page type in a real browser, on a desktop and on a phone.

For each page: a full-page screenshot (artifacts/screenshots/pages-<viewport>-<page>.png, to look
at), axe-core without any critical or serious violation, no horizontal scrolling, and on the
pages that draw a map an SVG whose numbers are written with a decimal point (a French locale
must never turn ``150.5`` into ``150,5``).

The data is built once per test (a transactional test flushes every table, and the reference
is loaded again after each one): a few published articles linked, with confirmed links, to a
commune, its intercommunalité, a Territoire d'industrie and an organisation.
"""

from dataclasses import dataclass

import pytest

from news.models import LinkStatus
from territories.models import IndustryLabel
from tests.browser.conftest import PHONE
from tests.factories import make_article, make_label, make_organisation, territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Attributes whose values are never numbers; every other attribute of an SVG element must not
# hold a digit, a comma and a digit (``y="0,0"``, ``height="150,0"``).
SVG_NUMBER_CHECK = """() => {
    const skip = new Set(['href', 'xlink:href', 'class', 'id', 'role', 'xmlns', 'lang']);
    const faults = [];
    for (const svg of document.querySelectorAll('svg')) {
        for (const el of [svg, ...svg.querySelectorAll('*')]) {
            for (const attr of el.attributes) {
                if (skip.has(attr.name) || attr.name.startsWith('aria-')) continue;
                if (/\\d,\\d/.test(attr.value)) {
                    faults.push(`<${el.tagName} ${attr.name}="${attr.value.slice(0, 40)}">`);
                }
            }
        }
    }
    return faults.slice(0, 10);
}"""


# On a phone, every link standing alone (in a list, a menu, a table), button, field and chip is
# at least 44 × 44 CSS pixels. Links inside a sentence (a paragraph) are exempt, as in WCAG;
# the map's shapes are drawn to scale.
SMALL_TARGETS = """() => {
    const targets = document.querySelectorAll(
        'a, button, select, summary, input:not([type=checkbox]):not([type=hidden])');
    const faults = [];
    for (const el of targets) {
        if (el.closest('p, svg, .skip-link, .visually-hidden')) continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;  // not shown
        if (box.width < 43.5 || box.height < 43.5) {
            const name = (el.innerText || el.getAttribute('aria-label') || el.name || '').trim();
            faults.push(`<${el.tagName.toLowerCase()}> "${name.slice(0, 30)}" `
                + `${Math.round(box.width)}×${Math.round(box.height)}`);
        }
    }
    return faults.slice(0, 10);
}"""


@dataclass(frozen=True)
class PublicPage:
    name: str
    path: str
    status: int = 200
    has_map: bool = False


def build_site() -> list[PublicPage]:
    """A small published site and the URL of every public page type it has."""
    bethune = territory("62119")
    epci = bethune.epci
    departement = bethune.departement
    region = bethune.region
    label = IndustryLabel.objects.filter(territories=epci).first() or make_label(
        "Territoire d’industrie Artois", territories=[epci]
    )
    organisation = make_organisation("Batteries de l’Artois", home_territory=bethune)
    confirmed = {"link_status": LinkStatus.CONFIRMED}
    article = make_article(
        title="Une usine de batteries ouvre à Béthune",
        kicker="Industrie",
        lead="Trois cents emplois industriels sont attendus d’ici 2027 dans l’industrie.",
        body="Le chantier commence.\n\n## Le calendrier\n\nLa production démarre en 2026.",
        territories=[bethune, epci],
        organisations=[organisation],
        labels=[label],
        tags=["batteries"],
        **confirmed,
    )
    make_article(
        title="L’intercommunalité investit dans l’industrie",
        lead="Un fonds pour l’industrie locale et les entreprises industrielles.",
        territories=[epci],
        labels=[label],
        **confirmed,
    )
    make_article(
        title="Le port de Bordeaux recrute",
        territories=[territory("33063")],
        **confirmed,
    )
    make_article(title="Brouillon caché", status="draft", territories=[bethune])
    return [
        PublicPage("home", "/", has_map=True),
        PublicPage("articles", "/articles/"),
        PublicPage("articles-filtered", f"/articles/?territoire={epci.slug}"),
        PublicPage("article", article.get_absolute_url()),
        PublicPage("search", "/articles/?q=industrie"),
        PublicPage("territories", "/territoires/"),
        PublicPage("commune", bethune.get_absolute_url()),
        PublicPage("epci", epci.get_absolute_url()),
        PublicPage("departement", departement.get_absolute_url()),
        PublicPage("region", region.get_absolute_url()),
        PublicPage("organisations", "/organisations/"),
        PublicPage("organisation", organisation.get_absolute_url()),
        PublicPage("labels", "/territoires-d-industrie/"),
        PublicPage("label", label.get_absolute_url(), has_map=True),
        PublicPage("map", "/carte/", has_map=True),
        PublicPage("not-found", "/cette-page-n-existe-pas/", status=404),
    ]


def check_pages(browser_page, base_url: str, viewport: str, pages, axe, screenshot_dir):
    """Visit every page; return one readable line per problem found (including what the
    browser's console reports as an error: a 404 asset, an SVG attribute it cannot read)."""
    problems = []
    console_errors = []
    browser_page.on(
        "console", lambda message: message.type == "error" and console_errors.append(message.text)
    )
    for public_page in pages:
        console_errors.clear()
        response = browser_page.goto(base_url + public_page.path)
        browser_page.wait_for_load_state("load")
        where = f"{viewport} {public_page.name} ({public_page.path})"
        if public_page.status == 404:  # the page itself is reported as a failed load
            console_errors[:] = [text for text in console_errors if "404" not in text]
        problems.extend(f"{where}: console error: {text}" for text in console_errors[:5])
        if response.status != public_page.status:
            problems.append(f"{where}: HTTP {response.status}, expected {public_page.status}")
        browser_page.screenshot(
            path=str(screenshot_dir / f"pages-{viewport}-{public_page.name}.png"), full_page=True
        )
        for violation in axe(browser_page):
            problems.append(
                f"{where}: axe {violation['impact']} {violation['id']} — {violation['help']} — "
                + ", ".join(violation["targets"])
            )
        overflow = browser_page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{where}: the page scrolls sideways by {overflow} px")
        if viewport == "phone":
            for fault in browser_page.evaluate(SMALL_TARGETS):
                problems.append(f"{where}: a touch target under 44 px: {fault}")
        if public_page.has_map:
            if browser_page.locator("svg").count() == 0:
                problems.append(f"{where}: no map drawn")
            for fault in browser_page.evaluate(SVG_NUMBER_CHECK):
                problems.append(f"{where}: a number with a comma in the SVG: {fault}")
    return problems


def contrast_in_browser(browser_page, selector: str) -> float:
    """The contrast ratio between the focus outline of ``selector``, focused from the keyboard,
    and the first opaque background behind it (0 without a visible focus ring)."""
    return browser_page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            if (document.activeElement !== el || !el.matches(':focus-visible')) return 0;
            if (getComputedStyle(el).outlineStyle === 'none') return 0;
            const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
            const lum = ([r, g, b]) => {
                const c = [r, g, b].map(v => v / 255)
                    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
                return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
            };
            let node = el.parentElement, background = [255, 255, 255];
            while (node) {
                const value = rgb(getComputedStyle(node).backgroundColor);
                if (value.length === 3 || value[3] === 1) { background = value.slice(0, 3); break; }
                node = node.parentElement;
            }
            const outline = rgb(getComputedStyle(el).outlineColor).slice(0, 3);
            const [a, b] = [lum(outline), lum(background)].sort((x, y) => y - x);
            return (a + 0.05) / (b + 0.05);
        }""",
        selector,
    )


def check_desktop_layout(browser_page, base_url: str) -> list[str]:
    problems = []
    browser_page.goto(base_url + "/territoires/")
    if not browser_page.locator("#filters").is_visible():
        problems.append("desktop: the filters sidebar is hidden")
    if browser_page.locator("[data-menu-toggle]").is_visible():
        problems.append("desktop: the menu button shows")
    # Keyboard focus: the header's links (on blue) and the content's (on white).
    browser_page.keyboard.press("Tab")  # the skip link
    for selector in (".main-nav a", ".site-search input", "main a"):
        browser_page.locator(selector).first.focus()
        browser_page.keyboard.press("Shift+Tab")
        browser_page.keyboard.press("Tab")
        ratio = contrast_in_browser(browser_page, selector)
        if ratio < 3:
            problems.append(f"desktop: the focus ring of {selector} has a {ratio:.1f}:1 contrast")
    return problems


def check_phone_layout(browser_page, base_url: str) -> list[str]:
    problems = []
    browser_page.goto(base_url + "/territoires/")
    header = browser_page.locator(".site-header").bounding_box()["height"]
    if header > 100:
        problems.append(f"phone: the header is {header:.0f} px tall")
    nav = browser_page.get_by_role("navigation", name="Navigation principale")
    toggle = browser_page.get_by_role("button", name="Menu")
    if nav.is_visible() or toggle.get_attribute("aria-expanded") != "false":
        problems.append("phone: the menu is not folded")
    toggle.click()
    if not nav.is_visible() or toggle.get_attribute("aria-expanded") != "true":
        problems.append("phone: the menu button does not unfold the menu")
    browser_page.keyboard.press("Escape")
    if nav.is_visible():
        problems.append("phone: Escape does not fold the menu")
    # The folded filters come before the results, and open on demand.
    summary = browser_page.locator("details.filters-panel > summary")
    results = browser_page.locator("section.results")
    if summary.bounding_box()["y"] > results.bounding_box()["y"]:
        problems.append("phone: the filters come after the results")
    if browser_page.locator("#filters").is_visible():
        problems.append("phone: the filters panel is not folded")
    summary.click()
    if not browser_page.locator("#filters").is_visible():
        problems.append("phone: the filters panel does not open")
    # Each cell of a table says which column it belongs to.
    label = browser_page.evaluate(
        """() => getComputedStyle(document.querySelector('.data-table td'), '::before')
                .content"""
    )
    if label != '"Type\u00a0: "':
        problems.append(f"phone: a table cell is not labelled ({label})")
    # Without JavaScript nothing is out of reach: the menu and the filters stay open.
    context = browser_page.context.browser.new_context(
        locale="fr-FR", java_script_enabled=False, **PHONE
    )
    try:
        static_page = context.new_page()
        static_page.goto(base_url + "/territoires/")
        if static_page.get_by_role("button", name="Menu").count():
            problems.append("phone without JavaScript: a Menu button that cannot work")
        if not static_page.get_by_role("navigation", name="Navigation principale").is_visible():
            problems.append("phone without JavaScript: the menu is hidden")
        if not static_page.locator("#filters").is_visible():
            problems.append("phone without JavaScript: the filters are hidden")
    finally:
        context.close()
    return problems


def test_every_public_page_type_passes_axe_on_a_desktop(
    live_server, reference, page, axe, screenshot_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    pages = build_site()
    problems = check_pages(page, live_server.url, "desktop", pages, axe, screenshot_dir)
    problems += check_desktop_layout(page, live_server.url)
    assert problems == [], "\n".join(problems)


def test_every_public_page_type_passes_axe_on_a_phone(
    live_server, reference, phone_page, axe, screenshot_dir, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    pages = build_site()
    problems = check_pages(phone_page, live_server.url, "phone", pages, axe, screenshot_dir)
    problems += check_phone_layout(phone_page, live_server.url)
    assert problems == [], "\n".join(problems)
