"""The editors' work queue on the admin index (news.dashboard and templates/admin/index.html)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from news.dashboard import editor_work_queue
from news.models import (
    ArticleOrganisation,
    ArticleStatus,
    ArticleTerritory,
    FileOutcome,
    ImportFileResult,
    ImportRun,
    ImportRunStatus,
    LinkStatus,
)
from tests.admin_helpers import editors_group, login_editor, make_editor
from tests.factories import make_article, make_organisation, make_user, territory

pytestmark = pytest.mark.django_db

INDEX = "admin:index"
CHANGELIST = "admin:news_article_changelist"


def listed(response) -> set[int]:
    return {article.pk for article in response.context["cl"].result_list}


def _aged(article, days: int):
    article.created_at = timezone.now() - datetime.timedelta(days=days)
    article.save(update_fields=["created_at"])
    return article


def test_articles_to_review_are_counted_oldest_first_and_linked(client):
    login_editor(client)
    newest = make_article(title="Récent", needs_review=True)
    oldest = _aged(make_article(title="Ancien", needs_review=True), 10)
    make_article(title="Vérifié", needs_review=False)

    response = client.get(reverse(INDEX))
    queue = response.context["work_queue"]
    assert queue.to_review_count == 2
    assert [article.pk for article in queue.to_review] == [oldest.pk, newest.pk]
    html = response.content.decode()
    assert "2 articles à vérifier" in html
    assert reverse("admin:news_article_change", args=[oldest.pk]) in html
    # The block's link is the change list filtered the same way, and it lists the same rows.
    assert listed(client.get(queue.to_review_url)) == {oldest.pk, newest.pk}


def test_pending_links_are_counted_weakest_first_and_link_to_their_article(client):
    login_editor(client)
    article = make_article(title="Usine à Béthune", territories=[territory("62119")])
    ArticleTerritory.objects.filter(article=article).update(confidence=0.85)
    weak = make_article(title="Réunion à Chalon", organisations=[make_organisation("ACME")])
    ArticleOrganisation.objects.filter(article=weak).update(confidence=0.31)
    make_article(territories=[territory("62041")], link_status=LinkStatus.CONFIRMED)

    response = client.get(reverse(INDEX))
    queue = response.context["work_queue"]
    assert queue.pending_links_count == 2
    first, second = queue.pending_links
    assert (first.target, first.kind, first.confidence_percent) == ("ACME", "organisation", 31)
    change = reverse("admin:news_article_change", args=[weak.pk])
    assert first.article_url == f"{change}#organisation_links-group"
    assert (second.target, second.confidence_percent) == ("Béthune", 85)
    html = response.content.decode()
    assert "2 liens suggérés à vérifier" in html
    assert "31 % de confiance" in html
    assert listed(client.get(queue.pending_links_url)) == {article.pk, weak.pk}


def test_drafts_ready_to_publish_have_text_no_pending_link_and_were_checked(client):
    login_editor(client)
    ready = make_article(status=ArticleStatus.DRAFT)
    confirmed = make_article(
        status=ArticleStatus.DRAFT,
        territories=[territory("62119")],
        link_status=LinkStatus.CONFIRMED,
    )
    make_article(status=ArticleStatus.DRAFT, territories=[territory("62119")])  # link pending
    make_article(status=ArticleStatus.DRAFT, needs_review=True)
    make_article(status=ArticleStatus.DRAFT, lead="", body="")  # no text
    make_article(status=ArticleStatus.DRAFT, lead="  ", body="")  # blanks are no text
    make_article(status=ArticleStatus.DRAFT, title=" ")  # no title
    make_article(status=ArticleStatus.PUBLISHED)

    response = client.get(reverse(INDEX))
    queue = response.context["work_queue"]
    assert queue.ready_count == 2
    assert {article.pk for article in queue.ready} == {ready.pk, confirmed.pk}
    assert "2 brouillons prêts à publier" in response.content.decode()
    assert listed(client.get(queue.ready_url)) == {ready.pk, confirmed.pk}


def test_last_imports_show_status_counts_failures_and_link_to_the_files(client):
    login_editor(client)
    run = ImportRun.objects.create(triggered_by="loadseeds", status=ImportRunStatus.PARTIAL)
    ImportFileResult.objects.create(run=run, path="seeds/a.txt", outcome=FileOutcome.IMPORTED)
    ImportFileResult.objects.create(
        run=run, path="seeds/b.txt", outcome=FileOutcome.FAILED, reason="Aucune date trouvée"
    )
    make_article(import_run=run)
    ImportRun.objects.create(triggered_by="loadseeds --dry-run", dry_run=True)

    response = client.get(reverse(INDEX))
    (item,) = response.context["work_queue"].imports
    assert (item.run, item.imported, item.failed, item.articles) == (run, 1, 1, 1)
    assert item.status == "Réussi avec des erreurs"
    assert [failure.path for failure in item.failures] == ["seeds/b.txt"]
    html = response.content.decode()
    assert reverse("admin:news_importrun_change", args=[run.pk]) in html
    assert "seeds/b.txt : Aucune date trouvée" in html
    files = client.get(item.failures_url)
    assert [result.path for result in files.context["cl"].result_list] == ["seeds/b.txt"]
    assert listed(client.get(item.articles_url)) == {item.run.articles.get().pk}


def test_an_empty_queue_says_so(client):
    login_editor(client)
    html = client.get(reverse(INDEX)).content.decode()
    assert "Aucun article à vérifier" in html
    assert "Tous les liens suggérés ont été vérifiés." in html
    assert "Aucun import pour l’instant." in html


def test_editor_without_the_publish_permission_sees_the_rest_of_the_queue(client):
    editor = make_editor()
    editor.groups.clear()
    group = editors_group()
    editor.user_permissions.set(group.permissions.exclude(codename="publish_article"))
    client.force_login(editor)
    make_article(needs_review=True)

    response = client.get(reverse(INDEX))
    assert response.status_code == 200
    queue = response.context["work_queue"]
    assert queue.to_review_count == 1
    assert queue.ready_count is None
    html = response.content.decode()
    assert "à vérifier" in html and "prêt à publier" not in html


def test_staff_without_any_permission_sees_no_queue_block():
    staff = make_user(staff=True)
    queue = editor_work_queue(user=staff)
    assert queue.to_review_count is None
    assert queue.pending_links_count is None
    assert queue.imports is None
    staff.user_permissions.add(Permission.objects.get(codename="view_importrun"))
    staff = type(staff).objects.get(pk=staff.pk)  # permissions are cached per instance
    assert editor_work_queue(user=staff).imports == []


def test_the_queue_costs_the_same_number_of_queries_however_long_it_is(
    client, django_assert_num_queries
):
    login_editor(client)
    client.get(reverse(INDEX))  # session and permissions read once

    def fill(n):
        for i in range(n):
            run = ImportRun.objects.create(triggered_by="loadseeds", status="partial")
            ImportFileResult.objects.create(
                run=run, path=f"seeds/{i}.txt", outcome=FileOutcome.FAILED, reason="x"
            )
            make_article(
                needs_review=True,
                import_run=run,
                territories=[territory("62119")],
                organisations=[make_organisation()],
            )
            make_article(status=ArticleStatus.DRAFT)

    fill(1)
    # session, user, 2 permission reads, articles to review (2), links (2), ready (2),
    # runs, their articles, their failures, and Django's "recent actions".
    with django_assert_num_queries(14):
        client.get(reverse(INDEX))
    fill(8)
    with django_assert_num_queries(14):
        response = client.get(reverse(INDEX))
    assert len(response.context["work_queue"].imports) == 5
    assert response.context["work_queue"].pending_links_count == 18


def test_an_imports_failed_files_are_one_choice_of_a_drop_down_filter(client):
    login_editor(client)
    runs = [ImportRun.objects.create(triggered_by="loadseeds") for _ in range(3)]
    for run in runs:
        ImportFileResult.objects.create(run=run, path=f"seeds/{run.pk}.txt", outcome="failed")
    url = reverse("admin:news_importfileresult_changelist")
    response = client.get(url, {"run__id__exact": runs[1].pk})
    assert [result.run for result in response.context["cl"].result_list] == [runs[1]]
    html = response.content.decode()
    assert 'id="changelist-filter-run__id__exact"' in html
    assert f'<option value="{runs[1].pk}" selected>' in html
    assert client.get(url, {"run__id__exact": "x"}).context["cl"].result_list.count() == 0
    assert client.get(url, {"run__id__exact": ""}).context["cl"].result_list.count() == 3


def test_an_older_import_named_in_the_address_is_shown_as_the_chosen_one(client, monkeypatch):
    login_editor(client)
    monkeypatch.setattr("news.admin.IMPORT_RUNS_OFFERED", 1)
    old = ImportRun.objects.create(triggered_by="loadseeds")
    ImportRun.objects.create(triggered_by="loadseeds")
    article = make_article(import_run=old)
    response = client.get(reverse(CHANGELIST), {"import_run": old.pk})
    assert listed(response) == {article.pk}
    assert f'<option value="{old.pk}" selected>' in response.content.decode()
