import xml.etree.ElementTree as ET
from functools import partial

import pytest
from django.urls import reverse

from news.models import LinkStatus
from news.sitemaps import ArticleSitemap
from tests.factories import make_article, make_organisation
from tests.places import reference_places

# Public pages show confirmed links only: the links of these articles are vouched for.
make_article = partial(make_article, link_status=LinkStatus.CONFIRMED)

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE_URL = "https://actu.example.fr"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{NS}loc")]


def section_urls(client):
    """Every address of every section listed by the index."""
    urls = []
    for section in locations(client, "/sitemap.xml"):
        assert section.startswith(f"{SITE_URL}/sitemap-")
        urls += locations(client, section.removeprefix(SITE_URL))
    return urls


def test_sitemap_index_and_sections_list_public_content_only(client):
    places = reference_places()
    organisation = make_organisation()
    lonely_organisation = make_organisation()
    published = make_article(territories=[places.commune], organisations=[organisation])
    draft = make_article(
        status="draft",
        territories=[places.other_region_commune],
        organisations=[lonely_organisation],
    )

    urls = section_urls(client)

    assert f"{SITE_URL}{published.get_absolute_url()}" in urls
    assert f"{SITE_URL}{draft.get_absolute_url()}" not in urls
    # Territories and organisations with published content; only drafts do not count.
    assert f"{SITE_URL}{places.commune.get_absolute_url()}" in urls
    assert f"{SITE_URL}{places.other_region_commune.get_absolute_url()}" not in urls
    assert f"{SITE_URL}{organisation.get_absolute_url()}" in urls
    assert f"{SITE_URL}{lonely_organisation.get_absolute_url()}" not in urls
    # Every label has a page, even without an article.
    assert f"{SITE_URL}{places.label.get_absolute_url()}" in urls
    assert f"{SITE_URL}{reverse('territories:label-map')}" in urls


def test_a_large_article_section_is_split_into_pages_listed_by_the_index(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = [make_article() for _ in range(5)]

    index = locations(client, "/sitemap.xml")

    pages = [url for url in index if "sitemap-articles.xml" in url]
    assert pages == [
        f"{SITE_URL}/sitemap-articles.xml",
        f"{SITE_URL}/sitemap-articles.xml?p=2",
        f"{SITE_URL}/sitemap-articles.xml?p=3",
    ]
    listed = []
    for page in pages:
        listed += locations(client, page.removeprefix(SITE_URL))
    assert sorted(listed) == sorted(f"{SITE_URL}{a.get_absolute_url()}" for a in articles)


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
