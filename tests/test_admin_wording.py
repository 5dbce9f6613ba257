"""Every admin page an editor of the "Éditeurs" group reaches reads as French, not as
Django's wording built on a model name ("Sélectionnez l’objet article à changer", "Ajout de
article", "Ajouter un objet Lien article–territoire supplémentaire", "Taggit")."""

import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from news.models import ImportFileResult, ImportRun, SourceDocument
from territories.models import OrganisationAlias, Person, TerritoryAlias
from tests.admin_helpers import login_editor
from tests.factories import make_article, make_label, make_organisation, territory

pytestmark = pytest.mark.django_db

# Django's French for its model-name-based strings, and the English that showed through.
FORBIDDEN = [
    "Sélectionnez l’objet",
    "Sélectionnez l'objet",
    "Ajout de ",
    "Modification de ",
    "Affichage de ",
    "Ajouter un objet",
    "supplémentaire",
    "Administration de ",
    "Aucun(e)",
    "Taggit",
    ">Tags<",
    "Changes",
    "First run",
    "Content type",
    ">Run<",
]


def visible_text(html: str) -> str:
    """The page without its scripts' code (the JSON of inlines stays: it is shown)."""
    return re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S)


@pytest.fixture
def data():
    article = make_article(
        territories=[territory("62119")],
        organisations=[make_organisation("ACME")],
        labels=[make_label()],
        tags=["hydrogène"],
    )
    run = ImportRun.objects.create(triggered_by="loadseeds")
    ImportFileResult.objects.create(run=run, path="seeds/a.txt", outcome="imported")
    SourceDocument.objects.create(
        content_hash="0" * 64, name="a.txt", first_run=run, parser_version=1
    )
    person = Person.objects.create(name="Claire Martin", slug="claire-martin")
    TerritoryAlias.objects.create(territory=territory("62119"), name="Béthune ville")
    OrganisationAlias.objects.create(organisation=article.organisations.get(), name="Acme SA")
    return [article, run, person]


def editor_pages(user) -> list[str]:
    """Every change list, add form and change form of the admin the editor may open."""
    request = RequestFactory().get("/admin/")
    request.user = user
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if not model_admin.has_view_permission(request):
            continue
        base = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append(reverse("admin:app_list", args=[opts.app_label]))
        urls.append(reverse(f"{base}_changelist"))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{base}_add"))
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"{base}_change", args=[first.pk]))
    return sorted(set(urls))


def test_every_page_an_editor_reaches_reads_as_french(client, data):
    editor = login_editor(client)
    pages = editor_pages(editor)
    assert reverse("admin:news_linkrejection_changelist") in pages  # listed even when empty
    assert len(pages) > 20
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        found = [phrase for phrase in FORBIDDEN if phrase in text]
        assert not found, (url, found)


def test_inlines_offer_to_add_a_territory_not_an_object(client, data):
    login_editor(client)
    article = data[0]
    html = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    for text in (
        "Ajouter un territoire",
        "Ajouter une organisation",
        "Ajouter un territoire d\\u2019industrie",
        "Ajouter une personne",
    ):
        assert text in html


def test_change_list_titles_are_the_models_plural(client):
    login_editor(client)
    response = client.get(reverse("admin:news_article_changelist"))
    assert "<h1>Articles</h1>" in response.content.decode()
    assert response.content.decode().count("<title>Articles |") == 1


def test_tags_are_etiquettes(client):
    login_editor(client)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Étiquettes" in html and "Taggit" not in html
