"""Shared fixtures for browser tests: headless Debian Chromium driven by Playwright.

Playwright cannot download its own browsers here, so the tests use the distribution's
``/usr/bin/chromium`` (``CHROMIUM_PATH`` overrides it). Without it the tests are skipped on a
developer machine and fail on CI (``CI`` set), where a skipped browser check would hide a
regression.

Tests using ``live_server`` are transactional: every table is flushed at teardown, and
tests/conftest.py loads the official reference again once the flush is done.
"""

import os
from pathlib import Path

import pytest

from territories.services import reference_is_loaded

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = ROOT / "artifacts" / "screenshots"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required on CI)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module.

    Playwright's sync API runs an event loop in the test thread, so Django would refuse
    synchronous ORM calls from the test while it runs: DJANGO_ALLOW_ASYNC_UNSAFE lifts that
    check for the module's duration only, and the loop stops with the module.
    """
    if not Path(CHROMIUM_PATH).exists():
        _unavailable(f"{CHROMIUM_PATH} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and page, in French, for each test."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A fresh context the size of a phone (390 × 844 CSS pixels, touch), in French."""
    context = browser.new_context(locale="fr-FR", **PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        _unavailable(f"{AXE_SCRIPT} not found (make install runs npm ci)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source):
    """``axe(page)`` runs axe-core on the page and returns its critical and serious violations.

    Each violation is a dict ``{"id", "impact", "help", "targets"}``; assert the list is empty
    and the failure message names every rule and element at fault.
    """

    def run(page, *, context: str | None = None) -> list[dict]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=axe_source)
        results = page.evaluate(
            """async (context) => {
                const r = await axe.run(context || document, {resultTypes: ['violations']});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
            }""",
            context,
        )
        return [v for v in results if v["impact"] in ("critical", "serious")]

    return run


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture
def screenshot(page, screenshot_dir):
    """``screenshot("name")`` saves the full page to artifacts/screenshots/name.png."""

    def take(name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def reference(transactional_db):
    """A transactional test with the official reference (restored after every flush)."""
    assert reference_is_loaded()
