"""The layout every public page shares (templates/base.html, static/css/site.css): share
image, favicon, landmarks with distinct names, heading levels, and a focus ring that shows."""

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from news.models import LinkStatus
from territories.models import IndustryLabel
from tests.factories import make_article, make_organisation, territory

CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"
# The landmark roles a page may repeat, provided each has its own accessible name.
NAMED_ROLES = {"nav": "navigation", "aside": "complementary", "search": "search"}


class _Landmarks(HTMLParser):
    """Landmarks with their aria-label or aria-labelledby, headings, and the text of every
    element that has an id (to resolve aria-labelledby)."""

    def __init__(self):
        super().__init__()
        self.landmarks = []  # (role, label, labelledby)
        self.headings = []
        self.texts = defaultdict(str)
        self._open_ids = []  # (tag, id) whose text is being read

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        role = attrs.get("role") or NAMED_ROLES.get(tag)
        if role in NAMED_ROLES.values():
            self.landmarks.append((role, attrs.get("aria-label"), attrs.get("aria-labelledby")))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "id" in attrs:
            self._open_ids.append((tag, attrs["id"]))

    def handle_endtag(self, tag):
        if self._open_ids and self._open_ids[-1][0] == tag:
            self._open_ids.pop()

    def handle_data(self, data):
        for _, id_ in self._open_ids:
            self.texts[id_] += data


def landmark_problems(content: str) -> list[str]:
    parser = _Landmarks()
    parser.feed(content)
    names = defaultdict(list)
    for role, label, labelledby in parser.landmarks:
        if labelledby:
            label = " ".join(parser.texts[id_] for id_ in labelledby.split())
        names[role].append(" ".join((label or "").split()))
    problems = []
    for role, labels in names.items():
        if len(labels) > 1 and (not all(labels) or len(set(labels)) < len(labels)):
            problems.append(f"{role} landmarks without distinct names: {labels}")
    if parser.headings.count(1) != 1:
        problems.append(f"{parser.headings.count(1)} h1")
    for previous, level in zip(parser.headings, parser.headings[1:], strict=False):
        if level > previous + 1:
            problems.append(f"heading levels jump from h{previous} to h{level}")
    return problems


@pytest.fixture
def public_urls(db):
    bethune = territory("62119")
    label = IndustryLabel.objects.filter(territories=bethune.epci).first()
    organisation = make_organisation("Batteries de l’Artois", home_territory=bethune)
    article = make_article(
        title="Une usine de batteries ouvre à Béthune",
        territories=[bethune],
        organisations=[organisation],
        labels=[label] if label else [],
        link_status=LinkStatus.CONFIRMED,
    )
    urls = [
        reverse("news:home"),
        reverse("news:article-list"),
        reverse("news:article-list") + "?q=usine",
        article.get_absolute_url(),
        reverse("territories:territory-list"),
        bethune.get_absolute_url(),
        bethune.epci.get_absolute_url(),
        bethune.departement.get_absolute_url(),
        bethune.region.get_absolute_url(),
        reverse("territories:organisation-list"),
        organisation.get_absolute_url(),
        reverse("territories:label-list"),
        reverse("territories:label-map"),
    ]
    if label:
        urls.append(label.get_absolute_url())
    return urls


@pytest.mark.django_db
def test_every_public_page_names_its_landmarks_apart_and_keeps_heading_levels(client, public_urls):
    problems = {}
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found = landmark_problems(response.content.decode())
        if found:
            problems[url] = found
    assert problems == {}


def test_the_landmark_check_catches_two_unnamed_searches():
    page = '<h1>T</h1><form role="search"></form><search></search><nav aria-label="A"></nav>'
    assert landmark_problems(page) == ["search landmarks without distinct names: ['', '']"]


@pytest.mark.django_db
def test_the_home_page_names_its_two_search_forms_differently(client):
    content = client.get(reverse("news:home")).content.decode()
    assert 'role="search" aria-label="Recherche rapide"' in content
    assert 'aria-labelledby="home-search-label"' in content
    assert 'id="home-search-label">Rechercher dans les articles<' in content


@pytest.mark.django_db
def test_every_public_page_carries_an_absolute_share_image_and_the_favicon(client, public_urls):
    image = f"{settings.SITE_URL}/static/img/share.png"
    for url in public_urls:
        content = client.get(url).content.decode()
        assert f'<meta property="og:image" content="{image}">' in content, url
        assert '<meta property="og:image:alt" content="Territoires d’industrie' in content, url
        assert f'<meta name="twitter:image" content="{image}">' in content, url
        assert content.count('name="twitter:card"') == 1, url
        assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in content


@pytest.mark.django_db
def test_the_not_found_page_has_the_share_image_and_the_favicon(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    content = response.content.decode()
    assert 'property="og:image"' in content
    assert 'rel="icon"' in content


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]


def test_the_share_image_and_icons_are_real_images():
    img = Path(settings.BASE_DIR) / "static" / "img"
    assert (img / "share.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (img / "favicon-32.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (img / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (img / "favicon.svg").read_text().startswith("<svg")


# Focus ring contrast -----------------------------------------------------------------------


def css_colours() -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\b", CSS.read_text()))


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_ratio_matches_wcag_examples():
    assert contrast("#ffffff", "#000000") == pytest.approx(21)
    assert contrast("#f2a900", "#ffffff") == pytest.approx(2.0, abs=0.05)  # the old focus


@pytest.mark.parametrize("background", ["paper", "tint", "mark"])
def test_the_focus_ring_stands_out_on_every_light_background(background):
    colours = css_colours()
    assert contrast(colours["focus"], colours[background]) >= 3


@pytest.mark.parametrize("background", ["brand", "brand-dark"])
def test_the_focus_ring_of_the_header_stands_out_on_its_blue(background):
    colours = css_colours()
    assert contrast(colours["focus-on-dark"], colours[background]) >= 3


def test_the_header_and_the_skip_link_use_the_focus_colour_for_dark_backgrounds():
    css = CSS.read_text()
    assert re.search(
        r"\.site-header :focus-visible,\s*\.skip-link:focus-visible \{\s*"
        r"outline-color: var\(--focus-on-dark\);",
        css,
    )


def test_the_context_free_error_pages_show_the_favicon():
    for template in ("400.html", "500.html"):
        assert '<link rel="icon" href="/static/img/favicon.svg"' in render_to_string(template)
