import xml.etree.ElementTree as ET
from functools import partial

import pytest
from django.urls import reverse
from taggit.models import Tag

from news.models import LinkStatus
from tests.factories import make_article, make_organisation
from tests.places import reference_places

# Public pages show confirmed links only: the links of these articles are vouched for.
make_article = partial(make_article, link_status=LinkStatus.CONFIRMED)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://actu.example.fr"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def places():
    return reference_places()


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return channel, channel.findall("item")


def atom_entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return feed, feed.findall(f"{ATOM}entry")


def test_rss_feed_lists_the_latest_published_articles_with_absolute_links(client):
    article = make_article(title="Une usine rouvre", lead="Cent emplois.", tags=["emploi"])
    make_article(title="Brouillon", status="draft")

    channel, items = rss_items(client, reverse("news:feed-rss"))

    assert channel.findtext("language") == "fr"
    assert channel.findtext("link") == f"{SITE_URL}{reverse('news:article-list')}"
    assert [item.findtext("title") for item in items] == ["Une usine rouvre"]
    (item,) = items
    assert item.findtext("link") == f"{SITE_URL}{article.get_absolute_url()}"
    assert item.findtext("description") == "Cent emplois."
    assert item.findtext("category") == "emploi"
    assert item.findtext("pubDate")


def test_atom_feed_is_valid_and_lists_published_articles_only(client):
    article = make_article(title="Le port s'agrandit")
    make_article(title="Brouillon", status="draft")

    feed, entries = atom_entries(client, reverse("news:feed-atom"))

    assert feed.findtext(f"{ATOM}title")
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == f"{SITE_URL}{reverse('news:feed-atom')}"
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Le port s'agrandit"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == f"{SITE_URL}{article.get_absolute_url()}"


def test_markup_in_titles_is_escaped_in_feeds(client):
    make_article(title="<script>alert(1)</script> & co", lead="<b>gras</b>")

    response = client.get(reverse("news:feed-rss"))

    assert b"<script>" not in response.content
    _, (item,) = rss_items(client, reverse("news:feed-rss"))
    assert item.findtext("title") == "<script>alert(1)</script> & co"


def test_territory_feed_includes_the_articles_inside_the_territory(client, places):
    make_article(title="commune", territories=[places.commune])
    make_article(title="ailleurs", territories=[places.other_region_commune])
    make_article(title="brouillon", territories=[places.commune], status="draft")

    for name in ("news:territory-feed-rss", "news:territory-feed-atom"):
        url = reverse(name, kwargs={"slug": places.epci.slug})
        if name.endswith("rss"):
            channel, items = rss_items(client, url)
            titles = [item.findtext("title") for item in items]
            assert channel.findtext("link") == f"{SITE_URL}{places.epci.get_absolute_url()}"
        else:
            _, entries = atom_entries(client, url)
            titles = [entry.findtext(f"{ATOM}title") for entry in entries]
        assert titles == ["commune"]


def test_organisation_feed(client):
    organisation = make_organisation("Chambre de commerce du Littoral")
    make_article(title="cité", organisations=[organisation])
    make_article(title="pas cité")

    url = reverse("news:organisation-feed-rss", kwargs={"slug": organisation.slug})
    channel, items = rss_items(client, url)

    assert "Chambre de commerce du Littoral" in channel.findtext("title")
    assert [item.findtext("title") for item in items] == ["cité"]
    atom_url = reverse("news:organisation-feed-atom", kwargs={"slug": organisation.slug})
    assert len(atom_entries(client, atom_url)[1]) == 1


def test_tag_feed_accepts_accented_slugs(client):
    make_article(title="avec", tags=["Énergie"])
    make_article(title="sans", tags=["emploi"])
    tag = Tag.objects.get(name="Énergie")

    _, items = rss_items(client, reverse("news:tag-feed-rss", kwargs={"slug": tag.slug}))
    assert [item.findtext("title") for item in items] == ["avec"]
    _, entries = atom_entries(client, reverse("news:tag-feed-atom", kwargs={"slug": tag.slug}))
    assert len(entries) == 1


def test_feeds_of_unknown_objects_are_404(client):
    for name in ("news:territory-feed-rss", "news:organisation-feed-rss", "news:tag-feed-rss"):
        assert client.get(reverse(name, kwargs={"slug": "inconnu"})).status_code == 404


def test_feed_queries_do_not_grow_with_the_number_of_items(
    client, places, django_assert_max_num_queries
):
    for n in range(10):
        make_article(territories=[places.commune], tags=[f"t{n}", "commun"])
    with django_assert_max_num_queries(4):
        client.get(reverse("news:feed-rss"))
    with django_assert_max_num_queries(5):
        client.get(reverse("news:territory-feed-atom", kwargs={"slug": places.region.slug}))


HOSTILE_LEAD = 'Avant <img src=x onerror="alert(1)"> & <b>après</b>'


def test_rss_description_is_plain_text_markup_stays_literal(client):
    make_article(lead=HOSTILE_LEAD)

    response = client.get(reverse("news:feed-rss"))
    _, (item,) = rss_items(client, reverse("news:feed-rss"))

    # After the XML decode a feed reader renders the description as HTML: it must hold
    # escaped text, so that the reader shows the tag instead of running it.
    description = item.findtext("description")
    assert "<img" not in description
    assert "<b>" not in description
    assert description == (
        "Avant &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;après&lt;/b&gt;"
    )
    assert b"<img" not in response.content
    assert b"&lt;img" not in response.content  # escaped twice: never markup after one decode


def test_atom_summary_is_plain_text_markup_stays_literal(client):
    make_article(lead=HOSTILE_LEAD)

    _, (entry,) = atom_entries(client, reverse("news:feed-atom"))

    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "<img" not in summary.text
    assert summary.text.startswith("Avant &lt;img src=x onerror=")


def test_a_huge_lead_is_cut_in_feeds(client):
    make_article(lead="mot " * 250_000)

    _, (item,) = rss_items(client, reverse("news:feed-rss"))

    assert len(item.findtext("description")) <= 1_000


def test_feeds_of_an_organisation_or_tag_only_drafts_name_are_404(client):
    hidden = make_organisation("Projet confidentiel")
    make_article(organisations=[hidden], tags=["confidentiel"], status="draft")
    tag = Tag.objects.get(name="confidentiel")

    for name in ("organisation-feed-rss", "organisation-feed-atom"):
        assert client.get(reverse(f"news:{name}", kwargs={"slug": hidden.slug})).status_code == 404
    for name in ("tag-feed-rss", "tag-feed-atom"):
        assert client.get(reverse(f"news:{name}", kwargs={"slug": tag.slug})).status_code == 404

    make_article(organisations=[hidden], tags=["confidentiel"])
    assert client.get(reverse("news:tag-feed-rss", kwargs={"slug": tag.slug})).status_code == 200
    url = reverse("news:organisation-feed-rss", kwargs={"slug": hidden.slug})
    assert client.get(url).status_code == 200
