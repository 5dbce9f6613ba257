"""Public pages from the cache: invalidation by content version, conditional GET, privacy.

Writes happen inside each test's transaction: ``django_capture_on_commit_callbacks(execute=
True)`` plays the commit, after which a writer's change must show on the next request.
"""

import contextlib
import datetime
from functools import partial

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.db.models import Count
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from news import versioning
from news.caching import public_page
from news.mixins import NO_ARTICLES
from news.models import ArticleStatus, ArticleTerritory, ContentVersion, LinkStatus
from news.selectors import articles_in_territory, region_article_counts
from news.services.curation import (
    article_add_tags,
    article_links_confirm,
    article_publish,
    article_unpublish,
    link_reject,
)
from news.services.publishing import publish_articles
from news.versioning import content_changed, current_version
from territories.models import Territory, TerritoryKind
from tests.admin_helpers import changeform_data, login_editor
from tests.factories import make_article, make_organisation, make_user
from tests.places import reference_places

# Public pages show confirmed links only: the links of these articles are vouched for.
make_article = partial(make_article, link_status=LinkStatus.CONFIRMED)

pytestmark = pytest.mark.django_db

HOME = reverse("news:home")
LIST = reverse("news:article-list")
FEED = reverse("news:feed-rss")


@pytest.fixture
def places():
    return reference_places()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit():`` — the writes in the block are committed when it ends.

    The test's own transaction still holds the version bump of the setup's writes (which
    would each have committed on their own): dropped first, so that the block's writes
    register theirs, as in a transaction of their own.
    """

    @contextlib.contextmanager
    def committed():
        connection = transaction.get_connection()
        connection.run_on_commit = [
            entry
            for entry in connection.run_on_commit
            if entry[1] is not versioning._bump_on_commit
        ]
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks

    return committed


def public_urls(article, places):
    return [
        HOME,
        LIST,
        f"{LIST}?region={places.region.slug}",
        places.region.get_absolute_url(),
        places.commune.get_absolute_url(),
        FEED,
        reverse("news:territory-feed-rss", args=[places.commune.slug]),
        reverse("sitemap-section", args=["articles"]),
    ]


# The page cache ---------------------------------------------------------------------------


def test_a_second_anonymous_request_is_answered_from_the_cache_with_one_query(
    client, places, django_assert_num_queries
):
    make_article(title="Une usine rouvre", territories=[places.commune])
    for url in (HOME, LIST, places.region.get_absolute_url(), FEED):
        first = client.get(url)
        with django_assert_num_queries(1):  # the content version
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]
        assert second["ETag"] == first["ETag"]


def test_every_public_page_says_vary_cookie(client, places):
    article = make_article(territories=[places.commune])
    for url in [*public_urls(article, places), article.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Cookie" in response["Vary"], url
        assert "no-cache" in response["Cache-Control"], url


def test_a_404_is_not_cached(client, commit):
    url = reverse("news:article-detail", args=["bientot-publie"])
    assert client.get(url).status_code == 404
    with commit():
        make_article(slug="bientot-publie")
    assert client.get(url).status_code == 200


# Invalidation -----------------------------------------------------------------------------


def test_a_published_article_shows_at_once_on_every_public_page(client, places, commit):
    draft = make_article(
        title="Le haut fourneau redémarre", status=ArticleStatus.DRAFT, territories=[places.commune]
    )
    urls = public_urls(draft, places)
    for url in urls:
        assert "Le haut fourneau redémarre" not in client.get(url).content.decode(), url
    assert client.get(draft.get_absolute_url()).status_code == 404

    with commit():
        article_publish(articles=[draft], user=None)

    for url in urls:
        if "sitemap" in url:
            assert draft.get_absolute_url() in client.get(url).content.decode()
        else:
            assert "Le haut fourneau redémarre" in client.get(url).content.decode(), url
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_an_unpublished_article_is_gone_at_once(client, places, commit):
    article = make_article(title="Annonce retirée", territories=[places.commune])
    urls = public_urls(article, places)
    for url in urls:
        client.get(url)
    assert client.get(article.get_absolute_url()).status_code == 200

    with commit():
        article_unpublish(articles=[article], user=None)

    assert client.get(article.get_absolute_url()).status_code == 404
    for url in urls:
        content = client.get(url).content.decode()
        assert "Annonce retirée" not in content, url
        assert article.get_absolute_url() not in content, url


def test_an_editors_change_in_the_admin_shows_on_the_next_request(client, commit):
    article = make_article(title="Titre initial")
    assert "Titre initial" in client.get(article.get_absolute_url()).content.decode()
    assert "Titre initial" in client.get(LIST).content.decode()

    editor_client = Client()
    editor = login_editor(editor_client)
    editor.user_permissions.add(Permission.objects.get(codename="view_article"))
    change_url = reverse("admin:news_article_change", args=[article.pk])
    data = changeform_data(editor_client.get(change_url))
    data["title"] = "Titre corrigé par la rédaction"
    with commit():
        assert editor_client.post(change_url, data).status_code == 302

    assert (
        "Titre corrigé par la rédaction" in client.get(article.get_absolute_url()).content.decode()
    )
    assert "Titre corrigé par la rédaction" in client.get(LIST).content.decode()


def test_link_curation_and_tags_give_a_new_version(places, commit):
    article = make_article(
        territories=[places.commune, places.neighbour], link_status=LinkStatus.SUGGESTED
    )
    changes = [
        lambda: article_links_confirm(articles=[article], user=None),
        lambda: link_reject(link=article.territory_links.get(territory=places.neighbour)),
        lambda: article_add_tags(articles=[article], tags=["hydrogène"], user=None),
    ]
    for change in changes:
        before = current_version()
        with commit():
            change()
        assert current_version() != before


def test_an_organisation_renamed_in_the_shell_shows_through_the_signals(client, commit):
    organisation = make_organisation("Forges de Test")
    make_article(organisations=[organisation])
    assert "Forges de Test" in client.get(organisation.get_absolute_url()).content.decode()
    with commit():
        organisation.name = "Forges Renommées"
        organisation.save()
    assert "Forges Renommées" in client.get(organisation.get_absolute_url()).content.decode()


def test_a_transaction_bumps_once_when_it_commits_and_not_when_it_rolls_back(commit):
    before = current_version()
    with commit() as callbacks:
        with transaction.atomic():
            for _ in range(3):
                make_article()
            content_changed()
    assert len([c for c in callbacks if c is versioning._bump_on_commit]) == 1
    assert current_version() != before

    after = current_version()
    with commit():
        with transaction.atomic():
            make_article()
            transaction.set_rollback(True)
    assert current_version() == after


def test_the_version_is_read_once_per_request(rf):
    request = rf.get("/")
    first = current_version(request)
    ContentVersion.objects.update_or_create(pk=ContentVersion.SINGLETON, defaults={"token": "x"})
    assert current_version(request) == first
    assert current_version().token == f"{versioning.release()}-x"


def test_the_release_changes_with_the_templates(settings, tmp_path):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>un</p>")
    settings.BASE_DIR = tmp_path
    versioning.release.cache_clear()
    try:
        first = versioning.release()
        page.write_text("<p>deux</p>")
        versioning.release.cache_clear()
        assert versioning.release() != first
    finally:
        versioning.release.cache_clear()


# Conditional GET --------------------------------------------------------------------------


def test_if_none_match_gives_a_304_until_something_is_published(
    client, commit, django_assert_num_queries
):
    make_article(title="Premier article")
    for url in (HOME, LIST, FEED):
        etag = client.get(url)["ETag"]
        with django_assert_num_queries(1):
            not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert not_modified.status_code == 304
        assert not_modified["ETag"] == etag
        assert not not_modified.content

    with commit():
        make_article(title="Deuxième article")

    for url in (HOME, LIST, FEED):
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert "Deuxième article" in response.content.decode()


def test_last_modified_is_the_time_of_the_last_change(client, commit):
    with commit():
        make_article(title="Article daté")
    changed = timezone.now() - datetime.timedelta(minutes=5)
    ContentVersion.objects.filter(pk=ContentVersion.SINGLETON).update(changed_at=changed)

    response = client.get(LIST)
    assert response["Last-Modified"] == http_date(int(changed.timestamp()))
    since = client.get(LIST, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304

    with commit():
        make_article(title="Article suivant")
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 200


def test_no_last_modified_in_the_second_of_a_change(client, commit):
    """Two changes in one second would share a Last-Modified: the second would look
    unmodified to a client that only sends If-Modified-Since."""
    with commit():
        make_article()
    response = client.get(LIST)
    assert "Last-Modified" not in response
    assert response["ETag"]


# Privacy ----------------------------------------------------------------------------------


def test_staff_are_never_served_nor_stored_in_the_cache(client, places):
    article = make_article(title="Article public", territories=[places.commune])
    draft = make_article(title="Brouillon en relecture", status=ArticleStatus.DRAFT)
    anonymous = client.get(article.get_absolute_url())

    staff = make_user(staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_article"))
    staff_client = Client()
    staff_client.force_login(staff)
    for url in (article.get_absolute_url(), LIST, HOME):
        response = staff_client.get(url)
        assert "private" in response["Cache-Control"], url
        assert "ETag" not in response, url
        assert "Cookie" in response["Vary"], url
    preview = staff_client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"]

    # Nothing the staff saw was stored for the public.
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(article.get_absolute_url()).content == anonymous.content


def test_a_visitor_with_a_session_cookie_gets_the_page_itself(client, django_assert_num_queries):
    make_article()
    client.get(LIST)
    client.cookies["sessionid"] = "nimportequoi"
    response = client.get(LIST)
    assert "private" in response["Cache-Control"]
    assert response.context is not None  # rendered, not read from the cache


def _cookie_view(request):
    response = HttpResponse("bonjour")
    response.set_cookie("suivi", "1")
    return response


def _csrf_view(request):
    return HttpResponse(f"<form>{get_token(request)}</form>")


@pytest.mark.parametrize("view", [_cookie_view, _csrf_view])
def test_a_response_with_a_cookie_or_csrf_token_is_never_stored(view):
    from django.contrib.auth.models import AnonymousUser

    calls = []

    def counted(request):
        calls.append(request)
        return view(request)

    wrapped = public_page(counted)
    for _ in range(2):
        request = RequestFactory().get("/formulaire/")
        request.user = AnonymousUser()
        response = wrapped(request)
        assert "ETag" not in response
    assert len(calls) == 2


# The uncached path ------------------------------------------------------------------------


def test_cold_pages_take_a_few_queries_once_the_version_data_is_read(
    client, places, django_assert_max_num_queries
):
    """A page nobody asked for, in a process that already served this content version: the
    filter choices, the cards already shown and the counts come from memory."""
    for n in range(25):
        make_article(territories=[places.commune], tags=[f"t{n}"], title=f"Usine numéro {n}")
    pages = [
        (LIST, 3),  # version, dated page, (undated page)
        (f"{LIST}?region={places.region.slug}", 3),
        (f"{LIST}?q=usine", 4),  # version, candidates, ranked ids, rows (+ snippets once)
        (places.region.get_absolute_url(), 4),  # version, territory, page (+ aside once)
        (HOME, 6),
    ]
    for url, _queries in pages:
        client.get(url)  # reads what this version keeps: choices, counts, cards
    for url, queries in pages:
        separator = "&" if "?" in url else "?"
        with django_assert_max_num_queries(queries):
            response = client.get(f"{url}{separator}autre=1")  # another address: not cached
        assert response.status_code == 200, url
        assert response.context is not None, url


def test_the_region_counts_read_at_once_are_those_of_each_region(places):
    make_article(territories=[places.commune, places.neighbour])  # twice in one région
    make_article(territories=[places.region], published_on=None)
    make_article(territories=[places.departement, places.other_region_commune])
    make_article(territories=[places.cross_epci])
    make_article(territories=[places.commune], status=ArticleStatus.DRAFT)
    counts = region_article_counts()
    for region in Territory.objects.filter(kind=TerritoryKind.REGION):
        expected = (
            articles_in_territory(region)
            .order_by()
            .aggregate(total=Count("*"), dated=Count("published_on"))
        )
        assert counts.get(region.pk, NO_ARTICLES) == expected, region
    assert counts[places.region.pk] == {"total": 4, "dated": 3}


def test_region_counts_are_read_once_per_version_for_every_region(client, places):
    for _ in range(3):
        make_article(territories=[places.commune])
    make_article(territories=[places.other_region_commune])
    other_region = places.other_region_commune.region
    client.get(f"{LIST}?region={places.region.slug}")
    for url in (f"{LIST}?region={other_region.slug}&autre=1", other_region.get_absolute_url()):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.context["paginator"].count == 1, url
        counts = [q["sql"] for q in captured.captured_queries if 'AS "total"' in q["sql"]]
        assert not counts, url


def test_the_layout_rendered_once_per_section_still_marks_the_current_one(client, places):
    article = make_article(territories=[places.commune])
    articles_link = f'<a href="{LIST}" aria-current="page">'
    territories_link = f'<a href="{reverse("territories:territory-list")}" aria-current="page">'
    for _ in range(2):
        assert articles_link in client.get(article.get_absolute_url()).content.decode()
        territory_page = client.get(places.commune.get_absolute_url()).content.decode()
        assert territories_link in territory_page
        assert articles_link not in territory_page
        assert "aria-current" not in client.get(HOME).content.decode()


# Links: their status is what readers see ---------------------------------------------------


def test_publishing_with_its_links_confirmed_gives_the_public_pages_a_new_version(places, commit):
    article = make_article(
        status=ArticleStatus.DRAFT, territories=[places.commune], link_status="suggested"
    )
    before = current_version()
    with commit():
        publish_articles(articles=[article], user=None, confirm_links=True)
    assert current_version() != before
    assert article.territory_links.get().status == LinkStatus.CONFIRMED


def test_a_link_status_change_or_deletion_gives_a_new_version(places, commit):
    article = make_article(territories=[places.commune, places.neighbour])
    first, second = ArticleTerritory.objects.filter(article=article)
    for change in (
        lambda: setattr(first, "status", LinkStatus.SUGGESTED) or first.save(),
        second.delete,
    ):
        before = current_version()
        with commit():
            change()
        assert current_version() != before
