"""Every public and admin URL, asked for with hostile parameters, answers without a 500.

NUL bytes and over-long values are refused by one middleware (a French 400): each URL is tried
with them once. The other values — broken UTF-8, invisible or right-to-left characters, SQL,
LIKE wildcards, negative and huge numbers, impossible dates — reach the views, filters and
paginators, and are tried on every parameter each URL reads. The test client re-raises a
view's exception, so a failure names the request and shows the traceback.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from taggit.models import Tag

from news.models import LinkStatus
from tests.factories import make_article, make_label, make_organisation, make_user
from tests.places import reference_places

pytestmark = pytest.mark.django_db

LONG = "x" * 60_000
# Refused by config.middleware before any view: a 400.
REFUSED = ["\x00", "a\x00b", LONG, "é" * 30_000]
# Reach the views. Raw entries are sent as they are in the query string (invalid UTF-8…).
TEXT_VALUES = [
    "",
    "é\u200b\ufeff𝕏🏭\u202eabc",
    "-1",
    "99999999999999999999999999",
    "2024-13-45",
    "31/02/2024",
    "' OR 1=1 --",
    "%_\\",
    "<script>alert(1)</script>",
]
RAW_VALUES = ["%FF", "%ED%A0%80", "%C3"]


def query(name: str, value: str, *, raw: bool = False) -> str:
    return f"{quote(name)}={value if raw else quote(value)}"


def get(client, path: str, query_string: str = ""):
    url = f"{path}?{query_string}" if query_string else path
    try:
        response = client.get(url)
    except Exception as error:  # the test client re-raises what made a 500
        pytest.fail(f"GET {url[:200]} raised {error!r}")
    assert response.status_code < 500, f"GET {url[:200]}: {response.status_code}"
    return response


# The admin's change lists are slower to render: the values that found its failures.
ADMIN_TEXT_VALUES = ["", "é\u200b𝕏\u202e", "-1", "99999999999999999999999999", "2024-13-45", "'"]
ADMIN_RAW_VALUES = ["%FF", "%C3"]


def assert_survives(
    client, path: str, parameters: list[str], values=TEXT_VALUES, raw_values=RAW_VALUES
) -> None:
    """``path`` with each hostile value in each parameter, and the refused ones once."""
    for name in parameters:
        for value in values:
            get(client, path, query(name, value))
        for value in raw_values:
            get(client, path, query(name, value, raw=True))
    name = parameters[0] if parameters else "q"
    for value in REFUSED:
        assert get(client, path, query(name, value)).status_code == 400, (path, name)
    assert get(client, path, query("a\x00", "b")).status_code == 400


@pytest.fixture
def content():
    """A little of everything the public pages show, with real slugs."""
    places = reference_places()
    organisation = make_organisation("Forges de Béthune", home_territory=places.commune)
    label = make_label("Territoire d'industrie de test", territories=[places.epci])
    article = make_article(
        territories=[places.commune, places.epci],
        organisations=[organisation],
        labels=[label],
        tags=["industrie"],
        link_status=LinkStatus.CONFIRMED,  # what readers see: the organisation has a page
    )
    make_article(status="draft", organisations=[make_organisation("Brouillon SA")])
    return {
        "places": places,
        "organisation": organisation,
        "label": label,
        "article": article,
        "tag": Tag.objects.get(name="industrie"),
    }


ARTICLE_FILTERS = [
    "q",
    "page",
    "tri",
    "region",
    "departement",
    "territoire",
    "organisation",
    "label",
    "etiquette",
    "du",
    "au",
]


def public_urls(content) -> dict[str, tuple[str, list[str]]]:
    """Every route of config/urls.py outside the admin: its address and the parameters it reads."""
    places, organisation, label = content["places"], content["organisation"], content["label"]
    commune, tag = places.commune.slug, content["tag"].slug
    urls = {
        "home": (reverse("news:home"), ["q"]),
        "article-list": (reverse("news:article-list"), ARTICLE_FILTERS),
        "article-detail": (content["article"].get_absolute_url(), ["page"]),
        "territory-list": (
            reverse("territories:territory-list"),
            ["q", "type", "region", "tous", "page"],
        ),
        "territory-detail": (places.commune.get_absolute_url(), ["page"]),
        "region-detail": (places.region.get_absolute_url(), ["page"]),
        "organisation-list": (reverse("territories:organisation-list"), ["q", "type", "page"]),
        "organisation-detail": (organisation.get_absolute_url(), ["page"]),
        "label-list": (reverse("territories:label-list"), ["phase", "region"]),
        "label-detail": (label.get_absolute_url(), ["page"]),
        "label-map": (reverse("territories:label-map"), []),
        "territory-suggestions": (reverse("territories:territory-suggestions"), ["q"]),
        "organisation-suggestions": (reverse("territories:organisation-suggestions"), ["q"]),
        "feed-rss": (reverse("news:feed-rss"), []),
        "feed-atom": (reverse("news:feed-atom"), []),
        "sitemap": (reverse("sitemap"), []),
        "robots": (reverse("robots"), []),
        "health": (reverse("health"), []),
    }
    for kind, slug in (("territory", commune), ("organisation", organisation.slug), ("tag", tag)):
        for flavour in ("rss", "atom"):
            name = f"{kind}-feed-{flavour}"
            urls[name] = (reverse(f"news:{name}", kwargs={"slug": slug}), [])
    for section in ("pages", "articles", "territoires", "organisations", "territoires-d-industrie"):
        urls[f"sitemap-{section}"] = (
            reverse("sitemap-section", kwargs={"section": section}),
            ["p"],
        )
    return urls


PUBLIC_URL_NAMES = [
    "home",
    "article-list",
    "article-detail",
    "territory-list",
    "territory-detail",
    "region-detail",
    "organisation-list",
    "organisation-detail",
    "label-list",
    "label-detail",
    "label-map",
    "territory-suggestions",
    "organisation-suggestions",
    "feed-rss",
    "feed-atom",
    "territory-feed-rss",
    "territory-feed-atom",
    "organisation-feed-rss",
    "organisation-feed-atom",
    "tag-feed-rss",
    "tag-feed-atom",
    "sitemap",
    "sitemap-pages",
    "sitemap-articles",
    "sitemap-territoires",
    "sitemap-organisations",
    "sitemap-territoires-d-industrie",
    "robots",
    "health",
]


def test_the_fuzzed_list_covers_every_public_route(content):
    assert sorted(public_urls(content)) == sorted(PUBLIC_URL_NAMES)


@pytest.mark.parametrize("name", PUBLIC_URL_NAMES)
def test_public_url_survives_hostile_parameters(client, content, name):
    path, parameters = public_urls(content)[name]
    assert get(client, path).status_code == 200
    assert_survives(client, path, parameters)


SLUG_ROUTES = [
    "news:article-detail",
    "territories:territory-detail",
    "territories:organisation-detail",
    "territories:label-detail",
    "news:territory-feed-rss",
    "news:organisation-feed-atom",
    "news:tag-feed-rss",
    "news:tag-feed-atom",
]


@pytest.mark.parametrize("route", SLUG_ROUTES)
def test_hostile_slugs_in_the_path_are_a_404_or_a_400(client, route):
    for slug in ("inconnu", "x" * 5_000, "%FF", "é\u202e𝕏", "1%20OR%201=1", "%2E%2E"):
        path = reverse(route, kwargs={"slug": "SLUG"}).replace("SLUG", slug)
        assert get(client, path).status_code == 404, path
    path = reverse(route, kwargs={"slug": "SLUG"}).replace("SLUG", "%00")
    assert get(client, path).status_code == 400


# Admin ------------------------------------------------------------------------------------------


def changelist_parameters(model_admin, user) -> list[str]:
    """The query-string parameters the change list reads: search, page, order and filters."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names = ["q", "p", "o"]
    for spec in changelist.filter_specs:
        names.extend(spec.expected_parameters())
    return names


def registered_admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


ADMIN_MODELS = [model._meta.label for model, _ in registered_admins()]


@pytest.fixture
def superuser_client(client):
    user = make_user(superuser=True)
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_admin_change_list_survives_hostile_parameters(
    superuser_client, content, label, monkeypatch
):
    model_admin = next(ma for model, ma in registered_admins() if model._meta.label == label)
    # What is under test is the reading of parameters, not the rendering of 100 rows.
    monkeypatch.setattr(model_admin, "list_per_page", 5)
    opts = model_admin.model._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert get(superuser_client, path).status_code == 200
    parameters = changelist_parameters(model_admin, superuser_client.user)
    assert_survives(superuser_client, path, parameters, ADMIN_TEXT_VALUES, ADMIN_RAW_VALUES)


def autocomplete_sources():
    """(app_label, model_name, field_name) of every autocomplete widget, inlines included."""
    sources = []
    for model, model_admin in registered_admins():
        admins = [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]
        for each in admins:
            for field in each.autocomplete_fields:
                opts = each.model._meta
                sources.append((opts.app_label, opts.model_name, field))
    return sorted(set(sources))


def test_admin_autocomplete_survives_hostile_parameters(superuser_client, content):
    path = reverse("admin:autocomplete")
    sources = autocomplete_sources()
    assert len(sources) >= 5
    for app_label, model_name, field_name in sources:
        base = f"app_label={app_label}&model_name={model_name}&field_name={field_name}"
        assert get(superuser_client, path, f"{base}&term=b").status_code == 200
        for value in TEXT_VALUES:
            get(superuser_client, path, f"{base}&{query('term', value)}")
            get(superuser_client, path, f"{base}&term=a&{query('page', value)}")
        for value in RAW_VALUES:
            get(superuser_client, path, f"{base}&{query('term', value, raw=True)}")
        for value in REFUSED:
            assert get(superuser_client, path, f"{base}&{query('term', value)}").status_code == 400
    for value in [*TEXT_VALUES, "news", "auth"]:
        for name in ("app_label", "model_name", "field_name"):
            get(superuser_client, path, f"term=a&{query(name, value)}")


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_admin_object_pages_survive_hostile_ids(superuser_client, content, label):
    model_admin = next(ma for model, ma in registered_admins() if model._meta.label == label)
    opts = model_admin.model._meta
    existing = model_admin.model._default_manager.order_by("pk").first()
    pk = str(existing.pk) if existing else "1"
    for object_id in ("abc", "-1", "99999999999999999999999999", "%FF", "é𝕏", "1 OR 1=1"):
        for view in ("change", "delete", "history"):
            path = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=["ID"])
            get(superuser_client, path.replace("ID", object_id))
    if hasattr(model_admin, "history_form_view"):
        route = f"admin:{opts.app_label}_{opts.model_name}_simple_history"
        for version in ("abc", "-1", "99999999999999999999999999", "1.5"):
            path = reverse(route, args=[pk, "VERSION"]).replace("VERSION", version)
            assert get(superuser_client, path).status_code == 404, path
            path = reverse(route, args=["abc", "1"])
            assert get(superuser_client, path).status_code == 404, path
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    for value in TEXT_VALUES:
        get(superuser_client, add, query("_changelist_filters", value))
