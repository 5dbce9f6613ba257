"""A link is public once confirmed: every reader-facing path reads confirmed links only."""

import json
import re

import pytest
from django.urls import reverse

from news.models import LinkStatus
from tests.factories import make_article, make_label, make_organisation, territory

pytestmark = pytest.mark.django_db

CONFIRMED, SUGGESTED = LinkStatus.CONFIRMED, LinkStatus.SUGGESTED
LIST = reverse("news:article-list")


@pytest.fixture
def bethune():
    return territory("62119")


@pytest.fixture
def arras():
    return territory("62041")


def _json_ld(content: str) -> dict:
    (payload,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return json.loads(payload)


def test_the_article_page_and_its_json_ld_show_confirmed_links_only(client, bethune, arras):
    organisation = make_organisation("Forges suggérées")
    article = make_article(territories=[bethune], link_status=CONFIRMED)
    make_article(territories=[], organisations=[])  # noise
    article.territory_links.create(territory=arras, status=SUGGESTED, confidence=0.5)
    article.organisation_links.create(organisation=organisation, status=SUGGESTED)

    response = client.get(article.get_absolute_url())
    content = response.content.decode()
    assert [t.pk for t in response.context["article"].public_territories] == [bethune.pk]
    assert f'href="{arras.get_absolute_url()}"' not in content
    assert "Forges suggérées" not in content
    data = _json_ld(content)
    assert [place["name"] for place in data["contentLocation"]] == [bethune.name]
    assert "about" not in data


def test_a_territory_confirmed_elsewhere_is_not_public_on_an_article_that_only_suggests_it(
    client, bethune
):
    """The status and the territory are tested on the same link row."""
    make_article(territories=[bethune], link_status=CONFIRMED)
    suggested_only = make_article(title="Seulement suggéré", territories=[bethune])
    response = client.get(suggested_only.get_absolute_url())
    assert response.context["article"].public_territories == []
    listed = client.get(bethune.get_absolute_url()).context["articles"]
    assert suggested_only.pk not in [article.pk for article in listed]


def test_cards_name_confirmed_territories_only(client, bethune, arras):
    article = make_article(title="Carte", territories=[bethune], link_status=CONFIRMED)
    article.territory_links.create(territory=arras, status=SUGGESTED)
    content = client.get(LIST).content.decode()
    card = content[content.index("Carte") :]
    card = card[: card.index("</article>")]
    assert "Béthune (62)" in card and "Arras" not in card


def test_filters_and_counts_ignore_suggested_links(client, bethune):
    label = make_label()
    organisation = make_organisation("Forges à vérifier")
    make_article(territories=[bethune], organisations=[organisation], labels=[label])

    assert client.get(LIST, {"territoire": bethune.slug}).context["result_count"] == 0
    assert client.get(LIST, {"organisation": organisation.slug}).context["result_count"] == 0
    assert client.get(bethune.get_absolute_url()).context["articles"] == []
    # Only suggestions name the organisation: it has no public article, page or feed.
    assert client.get(organisation.get_absolute_url()).status_code == 404
    feed = reverse("news:organisation-feed-rss", kwargs={"slug": organisation.slug})
    assert client.get(feed).status_code == 404
    organisations = client.get(reverse("territories:organisation-list")).context["object_list"]
    assert organisation not in list(organisations)
    labels = client.get(reverse("territories:label-list")).context["object_list"]
    assert next(row for row in labels if row.pk == label.pk).article_count == 0
    assert client.get(label.get_absolute_url()).context["articles"] == []


def test_the_territory_feed_and_sitemaps_ignore_suggested_links(client, bethune, settings, cold):
    settings.SITE_URL = "https://actu.example.fr"
    organisation = make_organisation("Forges du plan de site")
    article = make_article(
        title="Lien suggéré", territories=[bethune], organisations=[organisation]
    )
    feed = client.get(reverse("news:territory-feed-rss", kwargs={"slug": bethune.slug}))
    assert "Lien suggéré" not in feed.content.decode()
    for section in ("territories", "organisations"):
        sitemap = client.get(reverse("sitemap-section", kwargs={"section": section}))
        content = sitemap.content.decode()
        assert bethune.get_absolute_url() not in content
        assert organisation.get_absolute_url() not in content
    # Once confirmed, the same article is in the feed (the cache is emptied here: the test's
    # transaction never commits, so the content version stays the same).
    article.territory_links.update(status=CONFIRMED)
    cold()
    feed = client.get(reverse("news:territory-feed-rss", kwargs={"slug": bethune.slug}))
    assert "Lien suggéré" in feed.content.decode()


def test_related_articles_share_a_confirmed_link(client, bethune):
    article = make_article(territories=[bethune], link_status=CONFIRMED)
    related = make_article(title="Voisin confirmé", territories=[bethune], link_status=CONFIRMED)
    make_article(title="Voisin suggéré", territories=[bethune])
    shown = client.get(article.get_absolute_url()).context["related_articles"]
    assert [a.pk for a in shown] == [related.pk]
