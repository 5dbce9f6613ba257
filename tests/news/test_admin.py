"""The articles' back-office, driven as an editor of the "Éditeurs" group would."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from news.models import (
    Article,
    ArticleOrganisation,
    ArticleStatus,
    ArticleTerritory,
    FileOutcome,
    ImportFileResult,
    ImportRun,
    LinkMethod,
    LinkRejection,
    LinkStatus,
)
from territories.models import Territory, TerritoryKind
from tests.admin_helpers import changeform_data, inline_prefix, login_editor, messages_of
from tests.factories import make_article, make_label, make_organisation, make_user, territory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:news_article_changelist"


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def listed(response) -> set[int]:
    return {article.pk for article in response.context["cl"].result_list}


@pytest.fixture
def editor(client):
    return login_editor(client)


# Access --------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_non_staff_user_cannot_reach_the_admin(client):
    client.force_login(make_user())
    for url in (reverse("admin:index"), reverse(CHANGELIST)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_admin_titles_are_french(client, editor):
    response = client.get(reverse("admin:index"))
    assert response.context["site_header"] == "Territoires d’industrie — rédaction"
    assert response.context["title"] == "Tableau de bord de la rédaction"


# Change list ---------------------------------------------------------------------------------


def test_change_list_shows_main_territories_and_unconfirmed_links(client, editor):
    bethune = territory("62119")
    arras = territory("62041")
    article = make_article(
        title="Usine à Béthune",
        territories=[bethune, arras],
        organisations=[make_organisation()],
        source_file="seeds/001.txt",
        needs_review=True,
    )
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    row = next(obj for obj in response.context["cl"].result_list if obj.pk == article.pk)
    assert row.suggested_link_count == 3
    html = response.content.decode()
    # A suggested link is marked, and the mark is explained (title, legend, screen readers).
    assert (
        '<span class="link-suggested" title="lien suggéré par l’import, à vérifier">Béthune (62)'
        in html
    )
    assert "(lien suggéré par l’import, à vérifier)</span>" in html
    assert "« ? » marque un lien suggéré par l’import" in html
    assert "seeds/001.txt" in html
    # "À vérifier" is a word, not a green tick meaning the opposite of "all good".
    assert '<span class="badge badge-review">À vérifier</span>' in html
    assert "icon-yes.svg" not in html


def test_change_list_filters_by_status_and_needs_review(client, editor):
    draft = make_article(status=ArticleStatus.DRAFT, needs_review=True)
    published = make_article(status=ArticleStatus.PUBLISHED)
    response = client.get(reverse(CHANGELIST), {"status__exact": "draft"})
    assert draft.pk in listed(response) and published.pk not in listed(response)
    response = client.get(reverse(CHANGELIST), {"needs_review__exact": "1"})
    assert listed(response) == {draft.pk}


def test_change_list_filters_by_region_and_departement_through_the_links(client, editor):
    in_pas_de_calais = make_article(territories=[territory("62119")])
    in_gironde = make_article(territories=[territory("33063")])
    unlinked = make_article()
    hauts_de_france = Territory.objects.get(kind=TerritoryKind.REGION, code="32")
    pas_de_calais = Territory.objects.get(kind=TerritoryKind.DEPARTEMENT, code="62")

    response = client.get(reverse(CHANGELIST), {"region": hauts_de_france.pk})
    assert in_pas_de_calais.pk in listed(response)
    assert not {in_gironde.pk, unlinked.pk} & listed(response)

    response = client.get(reverse(CHANGELIST), {"departement": pas_de_calais.pk})
    assert listed(response) == {in_pas_de_calais.pk}

    # With a région chosen, only its départements are offered.
    response = client.get(reverse(CHANGELIST), {"region": hauts_de_france.pk})
    spec = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "departement"
    )
    assert {label.split(" – ")[0] for _, label in spec.lookup_choices} == {
        "02",
        "59",
        "60",
        "62",
        "80",
    }


def test_change_list_filters_by_label_tag_import_run_publisher_edits_and_pending_links(
    client, editor
):
    label = make_label("Territoire d'industrie Artois")
    run = ImportRun.objects.create(triggered_by="loadseeds")
    labelled = make_article(labels=[label])
    tagged = make_article(tags=["hydrogène"], link_status=LinkStatus.CONFIRMED)
    imported = make_article(import_run=run, publisher="La Voix du Nord")
    pending = make_article(territories=[territory("62119")])
    edited = make_article(edited_at=timezone.now())

    cases = [
        ({"edited": "yes"}, {edited.pk}),
        ({"label": label.pk}, {labelled.pk}),
        ({"tag": tagged.tags.get().slug}, {tagged.pk}),
        ({"import_run": run.pk}, {imported.pk}),
        ({"publisher": "La Voix du Nord"}, {imported.pk}),
    ]
    for params, expected in cases:
        assert listed(client.get(reverse(CHANGELIST), params)) == expected, params
    with_pending = listed(client.get(reverse(CHANGELIST), {"pending_links": "yes"}))
    assert pending.pk in with_pending and labelled.pk in with_pending
    assert tagged.pk not in with_pending


def test_change_list_searches_title_body_and_source_file(client, editor):
    by_title = make_article(title="Gigafactory de batteries à Douvrin")
    by_body = make_article(body="Le recrutement de soudeurs reprend à Calais.")
    by_source = make_article(source_file="seeds/042_voix_du_nord.txt")
    make_article(title="Autre chose")
    assert listed(client.get(reverse(CHANGELIST), {"q": "gigafactory"})) == {by_title.pk}
    assert listed(client.get(reverse(CHANGELIST), {"q": "soudeurs"})) == {by_body.pk}
    assert listed(client.get(reverse(CHANGELIST), {"q": "042_voix"})) == {by_source.pk}


def test_change_list_has_a_date_hierarchy_and_newest_first_ordering(client, editor):
    old = make_article(published_on=datetime.date(2021, 3, 1))
    new = make_article(published_on=datetime.date(2024, 5, 2))
    response = client.get(reverse(CHANGELIST))
    pks = [obj.pk for obj in response.context["cl"].result_list]
    assert pks.index(new.pk) < pks.index(old.pk)
    response = client.get(reverse(CHANGELIST), {"published_on__year": "2021"})
    assert listed(response) == {old.pk}


def test_change_list_does_not_count_the_whole_table(client, editor):
    make_article()
    response = client.get(reverse(CHANGELIST), {"status__exact": "draft"})
    assert response.context["cl"].full_result_count is None


def _changelist_queries(client, monkeypatch, per_page: int) -> int:
    monkeypatch.setattr(admin.site._registry[Article], "list_per_page", per_page)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == per_page
    return len(queries)


def test_change_list_query_count_does_not_grow_with_the_page_size(client, editor, monkeypatch):
    places = [territory("62119"), territory("62041"), territory("33063")]
    organisation = make_organisation()
    label = make_label()
    run = ImportRun.objects.create(triggered_by="loadseeds")
    for n in range(100):
        make_article(
            territories=places[: 1 + n % 3],
            organisations=[organisation],
            labels=[label] if n % 2 else [],
            tags=["industrie"] if n % 5 == 0 else [],
            import_run=run,
            publisher=f"Éditeur {n % 4}",
        )
    ten = _changelist_queries(client, monkeypatch, 10)
    hundred = _changelist_queries(client, monkeypatch, 100)
    assert ten == hundred
    assert hundred < 30


# Change form ---------------------------------------------------------------------------------


def test_change_form_has_fieldsets_autocompletes_and_read_only_provenance(client, editor):
    run = ImportRun.objects.create(triggered_by="loadseeds")
    article = make_article(
        territories=[territory("62119")],
        organisations=[make_organisation()],
        source_text="TEXTE BRUT <script>alert(1)</script>",
        import_run=run,
        publisher="La Voix du Nord",
    )
    response = client.get(change_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    headings = [fieldset.name for fieldset in response.context["adminform"]]
    assert [str(name) for name in headings] == [
        "Contenu",
        "Liens",
        "Publication",
        "Source",
        "Provenance",
    ]
    assert "TEXTE BRUT &lt;script&gt;" in html  # shown, escaped, not editable
    form = response.context["adminform"].form
    assert "source_text" not in form.fields and "import_run" not in form.fields
    # What readers are told of the text's origin is the editor's to correct.
    assert {"publisher", "source_url", "is_brief"} <= set(form.fields)
    assert "tags" in form.fields
    assert 'data-ajax--url="/admin/autocomplete/"' in html
    assert "admin-autocomplete" in html
    assert reverse("admin:news_importrun_change", args=[run.pk]) in html
    prepopulated = response.context["adminform"].prepopulated_fields
    assert [(p["field"].name, [d.name for d in p["dependencies"]]) for p in prepopulated] == [
        ("slug", ["title"])
    ]
    # The links are reviewed in place: rule, confidence, one choice per link.
    assert "Garder" in html and "Rejeter" in html and "À décider" in html
    assert "Nom officiel" in html and "90 %" in html


def test_change_form_links_to_the_public_page(client, editor):
    article = make_article()
    response = client.get(change_url(article))
    content_type = ContentType.objects.get_for_model(Article)
    view_on_site = reverse("admin:view_on_site", args=[content_type.pk, article.pk])
    assert view_on_site in response.content.decode()
    try:
        public_url = article.get_absolute_url()
    except NoReverseMatch:
        pytest.skip("the public article URL does not exist yet")
    response = client.get(view_on_site)
    assert response.status_code == 302
    assert response["Location"].endswith(public_url)


def test_editor_save_marks_the_article_as_edited_and_keeps_history(client, editor):
    article = make_article(title="Titre importé", needs_review=True)
    response = client.get(change_url(article))
    data = changeform_data(response)
    data["title"] = "Titre corrigé"
    data.pop("needs_review", None)  # unticked: the editor checked the article
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title == "Titre corrigé"
    assert article.edited_at is not None
    assert article.needs_review is False
    assert article.reviewed_by == editor and article.reviewed_at is not None
    latest = article.history.latest()
    assert latest.history_user == editor and latest.title == "Titre corrigé"
    assert LogEntry.objects.filter(object_id=str(article.pk), user=editor).exists()


def test_editor_confirms_and_rejects_suggested_links_in_place(client, editor):
    bethune, arras = territory("62119"), territory("62041")
    organisation = make_organisation("Wrong SA")
    article = make_article(territories=[bethune, arras], organisations=[organisation])
    confirm_link = ArticleTerritory.objects.get(article=article, territory=bethune)
    reject_link = ArticleTerritory.objects.get(article=article, territory=arras)

    response = client.get(change_url(article))
    data = changeform_data(response)
    territories = inline_prefix(response, ArticleTerritory)
    organisations = inline_prefix(response, ArticleOrganisation)
    forms = response.context["inline_admin_formsets"]
    territory_forms = next(f.formset for f in forms if f.formset.model is ArticleTerritory).forms
    index = {form.instance.pk: i for i, form in enumerate(territory_forms)}
    data[f"{territories}-{index[confirm_link.pk]}-decision"] = "keep"
    data[f"{territories}-{index[reject_link.pk]}-decision"] = "reject"
    data[f"{organisations}-0-decision"] = "reject"

    response = client.post(change_url(article), data)
    assert response.status_code == 302

    confirm_link.refresh_from_db()
    assert confirm_link.status == LinkStatus.CONFIRMED
    assert not ArticleTerritory.objects.filter(pk=reject_link.pk).exists()
    rejection = LinkRejection.objects.get(article=article, object_id=arras.pk)
    assert rejection.target == arras
    assert rejection.rejected_by == editor
    assert rejection.matched_text == "Arras"
    assert LinkRejection.objects.filter(article=article, object_id=organisation.pk).exists()
    assert not article.organisation_links.exists()
    entry = LogEntry.objects.filter(object_id=str(article.pk)).latest("action_time")
    assert "deleted" in entry.change_message and "changed" in entry.change_message


def test_editor_adds_a_link_by_hand_and_it_lifts_an_earlier_rejection(client, editor):
    arras = territory("62041")
    article = make_article()
    LinkRejection.objects.create(
        article=article,
        content_type=ContentType.objects.get_for_model(Territory),
        object_id=arras.pk,
        matched_text="Arras",
    )
    response = client.get(change_url(article))
    data = changeform_data(response)
    prefix = inline_prefix(response, ArticleTerritory)
    data[f"{prefix}-TOTAL_FORMS"] = "1"
    data[f"{prefix}-0-territory"] = str(arras.pk)
    data[f"{prefix}-0-article"] = str(article.pk)
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    link = ArticleTerritory.objects.get(article=article, territory=arras)
    assert (link.method, link.status) == (LinkMethod.EDITOR, LinkStatus.CONFIRMED)
    assert not LinkRejection.objects.filter(article=article).exists()


def test_the_target_of_an_existing_link_cannot_be_swapped(client, editor):
    bethune, arras = territory("62119"), territory("62041")
    article = make_article(territories=[bethune])
    response = client.get(change_url(article))
    data = changeform_data(response)
    prefix = inline_prefix(response, ArticleTerritory)
    data[f"{prefix}-0-territory"] = str(arras.pk)
    client.post(change_url(article), data)
    assert list(article.territories.all()) == [bethune]


def test_territory_autocomplete_is_accent_insensitive_on_name_alias_and_code(client, editor):
    article = make_article()
    url = reverse("admin:autocomplete")
    params = {"app_label": "news", "model_name": "articleterritory", "field_name": "territory"}

    def first_results(term):
        response = client.get(url, {**params, "term": term}, HTTP_REFERER=change_url(article))
        assert response.status_code == 200
        return [result["text"] for result in response.json()["results"]]

    assert first_results("bethune")[0] == "Béthune (62)"
    assert "CA de Béthune-Bruay, Artois-Lys Romane" in first_results("CABBALR")
    assert first_results("62119") == ["Béthune (62)"]
    assert first_results("St-Omer")[0].startswith("Saint-Omer")


# Actions ---------------------------------------------------------------------------------------


def _action(client, action, articles, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [a.pk for a in articles], **extra},
        follow=True,
    )


def test_publish_and_unpublish_actions_report_the_number_of_articles(client, editor):
    drafts = [make_article(status=ArticleStatus.DRAFT) for _ in range(2)]
    already = make_article(status=ArticleStatus.PUBLISHED)
    response = _action(client, "publish_articles", [*drafts, already])
    assert "2 articles publiés." in messages_of(response)
    assert Article.objects.filter(pk__in=[a.pk for a in drafts], status="published").count() == 2
    assert drafts[0].history.latest().history_user == editor

    response = _action(client, "unpublish_articles", [drafts[0]])
    assert "1 article dépublié (repassé en brouillon)." in messages_of(response)
    drafts[0].refresh_from_db()
    assert drafts[0].status == ArticleStatus.DRAFT


def test_mark_reviewed_action_records_who_checked(client, editor):
    articles = [make_article(needs_review=True) for _ in range(3)]
    response = _action(client, "mark_reviewed", articles)
    assert "3 articles marqués comme vérifiés." in messages_of(response)
    for article in articles:
        article.refresh_from_db()
        assert not article.needs_review and article.reviewed_by == editor


def test_confirm_suggested_links_action(client, editor):
    article = make_article(territories=[territory("62119"), territory("62041")])
    response = _action(client, "confirm_suggested_links", [article])
    assert "2 liens confirmés." in messages_of(response)
    assert not article.territory_links.filter(status=LinkStatus.SUGGESTED).exists()


def test_add_tag_action_asks_for_the_tag_then_tags_the_articles(client, editor):
    articles = [make_article(), make_article(tags=["emploi"])]
    response = _action(client, "add_tag", articles)
    assert response.status_code == 200
    assert "admin/news/article/add_tag.html" in [t.name for t in response.templates]
    assert not any(article.tags.exists() for article in articles[:1])

    response = _action(client, "add_tag", articles, apply="1", tags="emploi, Hydrogène")
    assert "2 articles étiquetés « Hydrogène, emploi »." in messages_of(response)
    assert set(articles[0].tags.names()) == {"emploi", "Hydrogène"}
    assert set(articles[1].tags.names()) == {"emploi", "Hydrogène"}

    response = _action(client, "add_tag", articles, apply="1", tags="emploi")
    assert "0 articles étiquetés « emploi »." in messages_of(response)


# Permissions -----------------------------------------------------------------------------------


def test_editors_cannot_delete_articles_nor_manage_users(client, editor):
    article = make_article()
    response = client.get(reverse(CHANGELIST))
    assert "delete_selected" not in dict(response.context["action_form"].fields["action"].choices)
    assert client.get(reverse("admin:news_article_delete", args=[article.pk])).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    response = _action(client, "delete_selected", [article], post="yes")
    assert Article.objects.filter(pk=article.pk).exists()


def test_staff_without_publish_permission_cannot_publish(client):
    user = make_user(staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="news",
            codename__in=["view_article", "change_article", "change_articleterritory"],
        )
    )
    client.force_login(user)
    draft = make_article(status=ArticleStatus.DRAFT)
    response = client.get(reverse(CHANGELIST))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "publish_articles" not in actions and "mark_reviewed" in actions
    _action(client, "publish_articles", [draft])
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT
    # The status is read-only on the form too.
    response = client.get(change_url(draft))
    assert "status" not in response.context["adminform"].form.fields
    data = changeform_data(response)
    data["status"] = ArticleStatus.PUBLISHED
    client.post(change_url(draft), data)
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT


# Import history --------------------------------------------------------------------------------


def test_import_runs_are_listed_with_counts_and_read_only(client, editor):
    run = ImportRun.objects.create(triggered_by="loadseeds --dry-run", status="partial")
    ImportFileResult.objects.create(run=run, path="seeds/a.txt", outcome=FileOutcome.IMPORTED)
    ImportFileResult.objects.create(run=run, path="seeds/b.txt", outcome=FileOutcome.IMPORTED)
    ImportFileResult.objects.create(
        run=run, path="seeds/c.txt", outcome=FileOutcome.FAILED, reason="Aucune date trouvée"
    )
    make_article(import_run=run)

    response = client.get(reverse("admin:news_importrun_changelist"))
    assert response.status_code == 200
    row = response.context["cl"].result_list[0]
    assert (row.imported, row.failed, row.unchanged, row.article_total) == (2, 1, 0, 1)

    response = client.get(reverse("admin:news_importrun_change", args=[run.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "seeds/c.txt" in html and "Aucune date trouvée" in html
    assert not response.context["has_change_permission"]
    assert f"?import_run={run.pk}" in html

    assert client.get(reverse("admin:news_importrun_add")).status_code == 403
    assert client.get(reverse("admin:news_importrun_delete", args=[run.pk])).status_code == 403
    response = client.post(
        reverse("admin:news_importrun_change", args=[run.pk]), {"triggered_by": "x"}
    )
    assert response.status_code == 403
    run.refresh_from_db()
    assert run.triggered_by == "loadseeds --dry-run"
