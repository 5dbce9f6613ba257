import datetime
import json
import re
from functools import partial
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.urls import reverse

from news.models import ArticlePerson, ArticleStatus, LinkStatus
from news.selectors import RELATED_LIMIT
from news.views import ArticleListView
from territories.models import Person
from tests.factories import make_article, make_organisation, make_user
from tests.html_checks import assert_accessible_structure
from tests.places import reference_places

# Public pages show confirmed links only: the links of these articles are vouched for.
make_article = partial(make_article, link_status=LinkStatus.CONFIRMED)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("news:article-list")


@pytest.fixture
def places():
    return reference_places()


class JsonLdParser(HTMLParser):
    """Collects the JSON-LD blocks of a page the way a search engine reads them."""

    def __init__(self):
        super().__init__()
        self.blocks, self._inside = [], False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def json_ld(response):
    parser = JsonLdParser()
    parser.feed(response.content.decode())
    return [json.loads(block) for block in parser.blocks]


def staff_with_view_permission():
    user = make_user(staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    return user


# Home ---------------------------------------------------------------------------------------


def test_home_shows_latest_published_articles_labels_and_regions(client, places):
    make_article(title="Une usine rouvre à Béthune", territories=[places.commune])
    make_article(title="Brouillon de la rédaction", status=ArticleStatus.DRAFT)

    response = client.get(reverse("news:home"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Une usine rouvre à Béthune" in content
    assert "Brouillon de la rédaction" not in content
    assert f'action="{LIST_URL}"' in content
    assert places.region.get_absolute_url() in content
    assert places.label.get_absolute_url() in content  # the small map links every label
    assert '<html lang="fr">' in content


def test_home_answers_with_a_constant_number_of_queries(
    client, places, django_assert_max_num_queries
):
    for n in range(12):
        make_article(territories=[places.commune, places.epci], tags=[f"tag{n}"])
    with django_assert_max_num_queries(10):
        assert client.get(reverse("news:home")).status_code == 200


# Article list -------------------------------------------------------------------------------


def test_article_list_shows_published_articles_newest_first_with_a_count(client):
    make_article(title="Article ancien", published_on=datetime.date(2023, 1, 5))
    make_article(title="Article récent", published_on=datetime.date(2024, 6, 1))
    make_article(title="Article sans date", published_on=None)
    make_article(title="Article en brouillon", status=ArticleStatus.DRAFT)

    response = client.get(LIST_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["result_count"] == 3
    titles = [article.title for article in response.context["articles"]]
    assert titles == ["Article récent", "Article ancien", "Article sans date"]
    assert "Article en brouillon" not in content
    assert "3 articles" in content


def test_article_list_paginates_and_keeps_filters_in_page_links(client, places, monkeypatch):
    monkeypatch.setattr(ArticleListView, "paginate_by", 2)
    for _ in range(5):
        make_article(territories=[places.commune])

    response = client.get(LIST_URL, {"territoire": places.commune.slug})

    assert response.context["page_obj"].paginator.num_pages == 3
    assert f"?territoire={places.commune.slug}&amp;page=2" in response.content.decode()
    second = client.get(LIST_URL, {"territoire": places.commune.slug, "page": 2})
    assert second.status_code == 200
    assert len(second.context["articles"]) == 2


def test_article_list_page_out_of_range_is_a_404(client):
    make_article()
    assert client.get(LIST_URL, {"page": 99}).status_code == 404
    assert client.get(LIST_URL, {"page": "abc"}).status_code == 404


def test_empty_result_says_so_and_suggests_removing_each_filter(client, places):
    make_article(territories=[places.commune], tags=["emploi"])
    make_article(territories=[places.other_region_commune], tags=["hydrogene"])

    response = client.get(LIST_URL, {"territoire": places.commune.slug, "etiquette": "hydrogene"})

    content = response.content.decode()
    assert response.context["result_count"] == 0
    assert "Aucun article ne correspond" in content
    assert "Essayez de retirer un filtre" in content
    # Removing the tag keeps the territory, and the other way round.
    assert f'href="{LIST_URL}?territoire={places.commune.slug}"' in content
    assert f'href="{LIST_URL}?etiquette=hydrogene"' in content


def test_unknown_territory_in_the_url_gives_an_error_and_no_result(client):
    make_article()

    response = client.get(LIST_URL, {"territoire": "nulle-part-sur-terre"})

    assert response.status_code == 200
    assert response.context["result_count"] == 0
    content = response.content.decode()
    assert "Aucun résultat pour « nulle-part-sur-terre »" in content
    assert 'aria-invalid="true"' in content


def test_every_filter_field_has_a_label(client):
    response = client.get(LIST_URL)
    content = response.content.decode()
    for field in response.context["filter"].form:
        assert f'<label for="{field.auto_id}"' in content


def test_article_list_offers_the_feed_of_the_chosen_territory(client, places):
    response = client.get(LIST_URL, {"territoire": places.epci.slug})
    rss = reverse("news:territory-feed-rss", kwargs={"slug": places.epci.slug})
    assert rss in response.content.decode()


def test_article_list_queries_do_not_grow_with_the_page_size(
    client, places, monkeypatch, django_assert_max_num_queries, cold
):
    organisation = make_organisation()
    for n in range(12):
        make_article(
            territories=[places.commune, places.epci, places.neighbour],
            organisations=[organisation],
            labels=[places.label],
            tags=[f"tag{n}", "commun"],
        )
    params = {
        "q": "article",
        "region": places.region.slug,
        "departement": places.departement.slug,
        "territoire": places.epci.slug,
        "organisation": organisation.slug,
        "label": places.label.slug,
        "etiquette": "commun",
        "du": "2000-01-01",
    }
    counts = []
    for page_size in (2, 12):
        monkeypatch.setattr(ArticleListView, "paginate_by", page_size)
        for query in ({}, params, {**params, "tri": "recent"}):
            cold()
            # Ten, and the content version the page is cached under.
            with django_assert_max_num_queries(11) as captured:
                response = client.get(LIST_URL, query)
            assert len(response.context["articles"]) == page_size
            counts.append(len(captured.captured_queries))
    assert counts[:3] == counts[3:]  # the same queries for 2 or 12 cards


def test_article_list_worst_case_stays_within_ten_queries(
    client, places, monkeypatch, django_assert_max_num_queries
):
    """Every filter, a search sorted by date, and a page where dated and undated articles meet.

    Ten queries, and the content version the page is cached under; once the filter choices
    are read for that version (the first page of each process), two fewer."""
    monkeypatch.setattr(ArticleListView, "paginate_by", 2)
    organisation = make_organisation()
    for published_on in (datetime.date(2024, 1, 1), None):
        make_article(
            territories=[places.commune],
            organisations=[organisation],
            tags=["commun"],
            published_on=published_on,
        )
    query = {
        "q": "article",
        "region": places.region.slug,
        "departement": places.departement.slug,
        "territoire": places.epci.slug,
        "organisation": organisation.slug,
        "etiquette": "commun",
        "tri": "recent",
    }
    with django_assert_max_num_queries(11):
        response = client.get(LIST_URL, query)
    assert [a.published_on for a in response.context["articles"]] == [
        datetime.date(2024, 1, 1),
        None,
    ]


# Article detail -----------------------------------------------------------------------------


def test_article_detail_shows_the_whole_article(client, places):
    organisation = make_organisation("Fonderie de l'Artois")
    article = make_article(
        title="La fonderie embauche",
        kicker="Emploi",
        lead="Cinquante postes ouvrent.",
        body="Premier paragraphe.\n\n## Les métiers recherchés\n\nSoudeurs et chaudronniers.",
        publisher="La Voix de l'Artois",
        published_on=datetime.date(2024, 6, 18),
        territories=[places.commune],
        organisations=[organisation],
        labels=[places.label],
        tags=["emploi", "métallurgie"],
    )
    person = Person.objects.create(name="Marie Durand", slug="marie-durand")
    ArticlePerson.objects.create(article=article, person=person, role="directrice du site")

    response = client.get(article.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in content and "La fonderie embauche</h1>" in content
    assert "Emploi" in content
    assert "Cinquante postes ouvrent." in content
    assert "<h2>Les métiers recherchés</h2>" in content
    assert "<p>Soudeurs et chaudronniers.</p>" in content
    assert '<time datetime="2024-06-18">18 juin 2024</time>' in content
    assert "Source : La Voix de l&#x27;Artois" in content
    # The territory with its hierarchy, each level a link.
    for place in (places.commune, places.region, places.departement, places.epci):
        assert place.get_absolute_url() in content
    assert organisation.get_absolute_url() in content
    assert places.label.get_absolute_url() in content
    assert "métallurgie" in content
    assert "Marie Durand" in content and "directrice du site" in content


def test_article_detail_has_canonical_opengraph_and_news_article_json_ld(client, settings):
    settings.SITE_URL = "https://actu.example.fr"
    article = make_article(title="Le port s'agrandit", lead="Des travaux en 2025.")

    response = client.get(article.get_absolute_url())

    content = response.content.decode()
    canonical = f"https://actu.example.fr{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in content
    assert f'<meta property="og:url" content="{canonical}">' in content
    assert '<meta property="og:title" content="Le port s&#x27;agrandit">' in content
    assert '<meta property="og:type" content="article">' in content
    # No picture of its own: the site's share image, in a large card.
    assert '<meta name="twitter:card" content="summary_large_image">' in content
    assert (
        '<meta property="og:image" content="https://actu.example.fr/static/img/share.png">'
        in content
    )
    (data,) = json_ld(response)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Le port s'agrandit"
    assert data["url"] == canonical
    assert data["datePublished"] == article.published_on.isoformat()


def test_markup_in_a_title_is_escaped_everywhere_and_cannot_break_out_of_json_ld(client):
    title = 'Alerte </script><script>alert("x")</script> à Lens'
    article = make_article(
        title=title,
        lead="<img src=x onerror=alert(1)>",
        body="<b>gras</b>\n\n## <i>titre</i>",
        kicker="<em>surtitre</em>",
    )

    for url in (article.get_absolute_url(), LIST_URL, reverse("news:home")):
        content = client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "<img src=x" not in content
        assert "<b>gras</b>" not in content
        assert "<em>surtitre</em>" not in content
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content

    response = client.get(article.get_absolute_url())
    (data,) = json_ld(response)
    assert data["headline"] == title  # intact once parsed, yet unable to close the element


def test_related_articles_share_a_territory_or_organisation_and_are_published(client, places):
    organisation = make_organisation()
    article = make_article(territories=[places.commune], organisations=[organisation])
    same_place = make_article(title="Même commune", territories=[places.commune])
    same_organisation = make_article(title="Même entreprise", organisations=[organisation])
    make_article(title="Ailleurs", territories=[places.other_region_commune])
    make_article(title="Brouillon voisin", territories=[places.commune], status="draft")

    response = client.get(article.get_absolute_url())

    related = response.context["related_articles"]
    assert {a.pk for a in related} == {same_place.pk, same_organisation.pk}
    assert "Brouillon voisin" not in response.content.decode()


def test_draft_article_is_a_404_for_the_public(client):
    draft = make_article(status=ArticleStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_draft_article_is_a_404_for_users_without_the_view_permission(client):
    draft = make_article(status=ArticleStatus.DRAFT)
    client.force_login(make_user())
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(make_user(staff=True))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_staff_with_view_permission_previews_a_draft_flagged_noindex(client):
    draft = make_article(title="Projet d'article", status=ArticleStatus.DRAFT)
    client.force_login(staff_with_view_permission())

    response = client.get(draft.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Brouillon — non publié" in content
    assert '<meta name="robots" content="noindex, nofollow">' in content
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert json_ld(response) == []


def test_published_article_seen_by_staff_has_no_draft_banner(client):
    article = make_article()
    client.force_login(staff_with_view_permission())
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Brouillon — non publié" not in content
    assert "noindex" not in content


def test_unknown_article_is_a_french_404_page(client):
    response = client.get(reverse("news:article-detail", kwargs={"slug": "inconnu"}))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_server_error_page_is_in_french_and_needs_no_context():
    content = render_to_string("500.html")
    assert '<html lang="fr">' in content
    assert "Une erreur est survenue" in content


def test_article_detail_queries_do_not_grow_with_its_links(
    client, places, django_assert_max_num_queries
):
    def article_with_links(count):
        organisations = [make_organisation() for _ in range(count)]
        communes = [places.commune, places.neighbour, places.other_epci_commune][:count]
        article = make_article(
            territories=communes,
            organisations=organisations,
            labels=[places.label],
            tags=[f"t{n}" for n in range(count)],
        )
        for _ in range(RELATED_LIMIT):  # a full related block in both cases
            make_article(territories=communes)
        return article

    counts = []
    for count in (1, 3):
        article = article_with_links(count)
        with django_assert_max_num_queries(10) as captured:
            assert client.get(article.get_absolute_url()).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_page_titles_and_lang_are_set(client):
    article = make_article(title="Un titre clair")
    content = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r"<title>Un titre clair — .+</title>", content)
    assert 'class="skip-link" href="#contenu"' in content
    assert '<main id="contenu"' in content


def test_pages_have_landmarks_unique_ids_and_no_nested_links(client, places):
    article = make_article(territories=[places.commune], tags=["emploi"])
    for url in (
        reverse("news:home"),
        LIST_URL,
        f"{LIST_URL}?q=article&territoire={places.epci.slug}",
        article.get_absolute_url(),
    ):
        assert_accessible_structure(client.get(url).content.decode())


# Size and privacy ---------------------------------------------------------------------------


def test_a_huge_lead_is_cut_in_meta_tags_and_cards(client):
    lead = "Réindustrialisation " * 50_000  # a megabyte
    article = make_article(lead=lead)

    response = client.get(article.get_absolute_url())

    content = response.content.decode()
    # The page shows the lead once; the meta tags and JSON-LD carry 300 characters each.
    assert len(content) < len(lead) + 50_000
    descriptions = re.findall(
        r'<meta (?:name|property)="[^"]*description" content="([^"]*)"', content
    )
    assert len(descriptions) == 3
    assert all(len(d) <= 300 for d in descriptions)
    (data,) = json_ld(response)
    assert len(data["description"]) <= 300
    listing = client.get(LIST_URL).content.decode()
    assert len(listing) < 50_000


def test_a_tag_only_drafts_carry_is_not_a_filter(client):
    make_article(tags=["secret-industriel"], status="draft")

    response = client.get(LIST_URL, {"etiquette": "secret-industriel"})

    assert response.context["filters_invalid"]
    assert response.context["result_count"] == 0


def test_a_search_longer_than_the_form_accepts_is_an_error_not_a_failure(client):
    make_article(title="Hydrogène")

    response = client.get(LIST_URL, {"q": "hydrogène " * 30})

    assert response.status_code == 200
    assert response.context["filters_invalid"]
    assert 'maxlength="200"' in response.content.decode()


def test_a_brief_with_a_known_address_sends_readers_to_the_rest_of_the_text(client):
    article = make_article(
        is_brief=True,
        publisher="L’Écho des Flandres",
        source_url="https://echo.example/eco/usine",
        body="",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Brève" in html
    assert "la source n’a publié que le début de ce texte" in html
    assert 'href="https://echo.example/eco/usine"' in html
    assert "Lire la suite sur L’Écho des Flandres" in html


def test_an_article_says_where_its_text_comes_from_even_without_an_address(client):
    known = make_article(publisher="Agence nationale de la cohésion des territoires")
    unknown = make_article(publisher="")
    known_html = client.get(known.get_absolute_url()).content.decode()
    assert "Source : Agence nationale de la cohésion des territoires." in known_html
    assert "Lire la suite" not in known_html
    unknown_html = client.get(unknown.get_absolute_url()).content.decode()
    assert "dont l’éditeur n’a pas été identifié" in unknown_html


def test_the_site_of_the_address_names_a_source_without_publisher(client):
    article = make_article(publisher="", source_url="https://www.exemple-info.fr/a")
    html = client.get(article.get_absolute_url()).content.decode()
    assert ">exemple-info.fr</a>" in html
