"""Link review on the article change form: context, one choice per link, bulk confirm, tags."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from news.admin_forms import parse_tag_list
from news.models import (
    ArticleOrganisation,
    ArticlePerson,
    ArticleStatus,
    ArticleTerritory,
    LinkMethod,
    LinkRejection,
    LinkStatus,
)
from news.services.curation import article_links_confirm_above
from territories.models import Person
from tests.admin_helpers import changeform_data, inline_prefix, login_editor, messages_of
from tests.factories import make_article, make_organisation, make_user, territory

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


@pytest.fixture
def editor(client):
    return login_editor(client)


def territory_forms(response):
    inline = next(
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is ArticleTerritory
    )
    return {form.instance.pk: form for form in inline.formset.forms}


def decision_key(response, link) -> str:
    prefix = inline_prefix(response, type(link))
    forms = territory_forms(response) if isinstance(link, ArticleTerritory) else None
    index = list(forms).index(link.pk) if forms else 0
    return f"{prefix}-{index}-decision"


def post_decisions(client, article, decisions: dict, **extra):
    response = client.get(change_url(article))
    data = changeform_data(response)
    for link, decision in decisions.items():
        data[decision_key(response, link)] = decision
    data.update(extra)
    return client.post(change_url(article), data, follow=True)


def set_link(article, code, *, confidence, status=LinkStatus.SUGGESTED, method=LinkMethod.NAME):
    place = territory(code)
    return ArticleTerritory.objects.create(
        article=article,
        territory=place,
        confidence=confidence,
        status=status,
        method=method,
        matched_text=place.name,
    )


# What each row shows ---------------------------------------------------------------------


def test_each_link_shows_its_sentence_with_the_match_marked_the_rule_and_the_confidence(
    client, editor
):
    article = make_article(
        title="Une usine <b>rouvre</b>",
        body="Premier point. La réunion s'est tenue à Arras & <ailleurs>. Fin.",
    )
    set_link(article, "62041", confidence=0.845)
    html = client.get(change_url(article)).content.decode()
    assert "La réunion s&#x27;est tenue à <mark>Arras</mark> &amp; &lt;ailleurs&gt;." in html
    assert "Dans le corps :" in html
    assert "Nom officiel" in html and "85 %" in html  # rounded half up, French spacing


def test_a_match_no_longer_in_the_text_is_said_so(client, editor):
    article = make_article(body="Rien ici.", lead="")
    set_link(article, "62041", confidence=0.9)
    html = client.get(change_url(article)).content.decode()
    assert "Introuvable dans le texte actuel : <mark>Arras</mark>" in html


def test_rows_do_not_repeat_the_article_title(client, editor):
    article = make_article(title="Titre unique de l'article", territories=[territory("62119")])
    link = article.territory_links.get()
    html = client.get(change_url(article)).content.decode()
    assert str(link) not in html  # "Titre… → Béthune (62)"
    assert html.count("Titre unique de l&#x27;article") < 5


def test_each_choice_is_a_labelled_radio_in_a_group_named_after_the_link(client, editor):
    article = make_article(territories=[territory("62119")])
    response = client.get(change_url(article))
    html = response.content.decode()
    key = decision_key(response, article.territory_links.get())
    assert f'<fieldset class="link-decision" id="id_{key}">' in html
    assert "Décision pour le lien « Béthune (62) »</legend>" in html
    for index, (value, label) in enumerate(
        [("keep", "Garder"), ("reject", "Rejeter"), ("undecided", "À décider")]
    ):
        checked = " checked" if value == "undecided" else ""
        assert (
            f'<label for="id_{key}_{index}" class="link-decision-{value}"><input type="radio" '
            f'name="{key}" value="{value}" id="id_{key}_{index}"{checked}> {label}</label>'
        ) in html
    assert f'name="{key[: -len("decision")]}confirm"' not in html  # the old checkboxes
    assert f'name="{key[: -len("decision")]}reject"' not in html


def test_a_confirmed_link_shows_keep_chosen_and_a_hand_made_link_cannot_be_left_undecided(
    client, editor
):
    article = make_article()
    imported = set_link(article, "62119", confidence=0.9, status=LinkStatus.CONFIRMED)
    by_hand = set_link(
        article, "62041", confidence=1.0, status=LinkStatus.CONFIRMED, method=LinkMethod.EDITOR
    )
    forms = territory_forms(client.get(change_url(article)))
    imported_field = forms[imported.pk].fields["decision"]
    assert forms[imported.pk].initial.get("decision", imported_field.initial) == "keep"
    assert [value for value, _ in imported_field.choices] == ["keep", "reject", "undecided"]
    assert [value for value, _ in forms[by_hand.pk].fields["decision"].choices] == [
        "keep",
        "reject",
    ]


# Saving the choices ----------------------------------------------------------------------


def test_keep_confirms_reject_removes_and_records_undecided_changes_nothing(client, editor):
    article = make_article(organisations=[make_organisation("Mauvaise SA")])
    keep = set_link(article, "62119", confidence=0.7)
    reject = set_link(article, "62041", confidence=0.6)
    later = set_link(article, "33063", confidence=0.5)
    wrong = article.organisation_links.get()

    response = post_decisions(
        client, article, {keep: "keep", reject: "reject", later: "undecided", wrong: "reject"}
    )
    assert response.status_code == 200

    keep.refresh_from_db()
    later.refresh_from_db()
    assert keep.status == LinkStatus.CONFIRMED
    assert later.status == LinkStatus.SUGGESTED
    assert not ArticleTerritory.objects.filter(pk=reject.pk).exists()
    assert not ArticleOrganisation.objects.filter(pk=wrong.pk).exists()
    rejection = LinkRejection.objects.get(article=article, object_id=reject.territory_id)
    assert (rejection.rejected_by, rejection.matched_text) == (editor, "Arras")
    assert LinkRejection.objects.filter(article=article).count() == 2


def test_a_confirmed_link_set_back_to_undecided_is_a_suggestion_again(client, editor):
    article = make_article()
    link = set_link(article, "62119", confidence=0.9, status=LinkStatus.CONFIRMED)
    post_decisions(client, article, {link: "undecided"})
    link.refresh_from_db()
    assert link.status == LinkStatus.SUGGESTED


def test_a_person_s_role_is_edited_in_the_row(client, editor):
    article = make_article()
    person = Person.objects.create(name="Claire Martin", slug="claire-martin")
    link = ArticlePerson.objects.create(
        article=article, person=person, role="maire", matched_text="Claire Martin", confidence=0.8
    )
    response = client.get(change_url(article))
    data = changeform_data(response)
    prefix = inline_prefix(response, ArticlePerson)
    data[f"{prefix}-0-role"] = "présidente de l'agglomération"
    data[f"{prefix}-0-decision"] = "keep"
    client.post(change_url(article), data)
    link.refresh_from_db()
    assert (link.role, link.status) == ("présidente de l'agglomération", LinkStatus.CONFIRMED)


def test_without_delete_permission_there_is_no_reject_choice_and_a_forged_one_is_ignored(client):
    user = make_user(staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="news",
            codename__in=["view_article", "change_article", "change_articleterritory"],
        )
    )
    client.force_login(user)
    article = make_article()
    link = set_link(article, "62119", confidence=0.9)
    response = client.get(change_url(article))
    assert [v for v, _ in territory_forms(response)[link.pk].fields["decision"].choices] == [
        "keep",
        "undecided",
    ]
    post_decisions(client, article, {link: "reject"})
    assert ArticleTerritory.objects.filter(pk=link.pk).exists()
    assert not LinkRejection.objects.exists()


# Confirm all above X % -------------------------------------------------------------------


def test_the_service_confirms_the_suggested_links_at_or_above_the_minimum_only():
    article = make_article()
    other = make_article()
    high = set_link(article, "62119", confidence=0.9)
    edge = set_link(article, "62041", confidence=0.845)
    low = set_link(article, "33063", confidence=0.84)
    elsewhere = set_link(other, "62119", confidence=0.95)
    assert article_links_confirm_above(article=article, minimum=0.845, user=None) == 2
    statuses = {
        link.pk: ArticleTerritory.objects.get(pk=link.pk).status
        for link in (high, edge, low, elsewhere)
    }
    assert statuses == {
        high.pk: LinkStatus.CONFIRMED,
        edge.pk: LinkStatus.CONFIRMED,
        low.pk: LinkStatus.SUGGESTED,
        elsewhere.pk: LinkStatus.SUGGESTED,
    }
    assert article_links_confirm_above(article=article, minimum=0.5, user=None) == 1


def test_confirm_above_saves_the_form_then_confirms_what_is_shown_at_that_percentage(
    client, editor
):
    article = make_article(title="Avant")
    shown_85 = set_link(article, "62119", confidence=0.845)
    rejected = set_link(article, "62041", confidence=0.95)
    low = set_link(article, "33063", confidence=0.84)
    response = client.get(change_url(article))
    assert 'name="confirm_above"' in response.content.decode()
    data = changeform_data(response)
    data[decision_key(response, rejected)] = "reject"
    data.update(title="Après", confirm_above="85", _confirm_above="1")
    response = client.post(change_url(article), data, follow=True)

    assert response.redirect_chain[-1][0] == change_url(article)
    assert "Article enregistré ; 1 lien confirmé (confiance d’au moins 85 %)." in messages_of(
        response
    )
    article.refresh_from_db()
    assert article.title == "Après"
    assert ArticleTerritory.objects.get(pk=shown_85.pk).status == LinkStatus.CONFIRMED
    assert ArticleTerritory.objects.get(pk=low.pk).status == LinkStatus.SUGGESTED
    assert not ArticleTerritory.objects.filter(pk=rejected.pk).exists()
    assert article.history.exists()


@pytest.mark.parametrize("value", ["", "0", "101", "beaucoup"])
def test_confirm_above_with_no_valid_percentage_confirms_nothing(client, editor, value):
    article = make_article()
    link = set_link(article, "62119", confidence=0.99)
    response = client.get(change_url(article))
    data = {**changeform_data(response), "confirm_above": value, "_confirm_above": "1"}
    response = client.post(change_url(article), data, follow=True)
    assert any("pourcentage entre 1 et 100" in message for message in messages_of(response))
    assert ArticleTerritory.objects.get(pk=link.pk).status == LinkStatus.SUGGESTED


def test_confirm_above_first_offers_the_import_s_confirmation_threshold(client, editor, settings):
    settings.IMPORT_CONFIRM_THRESHOLD = 0.75
    article = make_article(territories=[territory("62119")])
    form = client.get(change_url(article)).context["confirm_above_form"]
    assert form["confirm_above"].value() == 75


def test_confirm_above_is_not_offered_when_nothing_is_pending(client, editor):
    article = make_article(territories=[territory("62119")], link_status=LinkStatus.CONFIRMED)
    assert 'name="confirm_above"' not in client.get(change_url(article)).content.decode()


def test_an_inline_without_links_says_so(client, editor):
    article = make_article(territories=[territory("62119")])
    html = client.get(change_url(article)).content.decode()
    assert html.count("Aucun lien pour l’instant.") == 3  # organisations, labels, people


def test_confirm_above_needs_the_permission_to_change_links(client):
    user = make_user(staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="news",
            codename__in=["view_article", "change_article", "view_articleterritory"],
        )
    )
    client.force_login(user)
    article = make_article()
    link = set_link(article, "62119", confidence=0.99)
    response = client.get(change_url(article))
    html = response.content.decode()
    assert 'name="confirm_above"' not in html
    assert "link-decision" not in html and "Suggéré" in html  # the state, read-only
    data = {**changeform_data(response), "confirm_above": "50", "_confirm_above": "1"}
    client.post(change_url(article), data)
    assert ArticleTerritory.objects.get(pk=link.pk).status == LinkStatus.SUGGESTED


# The warning -----------------------------------------------------------------------------


def test_a_published_article_with_pending_links_warns_the_editor(client, editor):
    article = make_article(
        status=ArticleStatus.PUBLISHED,
        territories=[territory("62119"), territory("62041")],
        organisations=[make_organisation()],
    )
    html = client.get(change_url(article)).content.decode()
    assert (
        "Cet article est publié mais 3 liens restent à vérifier : ils ne sont pas visibles "
        "des lecteurs."
    ) in html
    one = make_article(status=ArticleStatus.PUBLISHED, territories=[territory("62119")])
    html = client.get(change_url(one)).content.decode()
    assert "Cet article est publié mais 1 lien reste à vérifier : il n’est pas visible" in html


@pytest.mark.parametrize(
    ("status", "link_status"),
    [
        (ArticleStatus.DRAFT, LinkStatus.SUGGESTED),
        (ArticleStatus.PUBLISHED, LinkStatus.CONFIRMED),
    ],
)
def test_no_warning_for_a_draft_or_when_every_link_is_checked(client, editor, status, link_status):
    article = make_article(status=status, territories=[territory("62119")], link_status=link_status)
    assert "published-pending-warning" not in client.get(change_url(article)).content.decode()


def test_the_links_summary_counts_what_is_pending_or_says_all_is_checked(client, editor):
    article = make_article(territories=[territory("62119"), territory("62041")])
    html = client.get(change_url(article)).content.decode()
    assert "2 liens suggérés par l’import à garder ou rejeter ci-dessous." in html
    article.territory_links.update(status=LinkStatus.CONFIRMED)
    html = client.get(change_url(article)).content.decode()
    assert "Aucun lien suggéré en attente : tous les liens ont été vérifiés." in html


# Tags ------------------------------------------------------------------------------------


def test_tags_are_shown_unquoted_with_the_existing_tags_suggested(client, editor):
    make_article(tags=["industrie"])
    article = make_article(tags=["énergie verte", "hydrogène"])
    html = client.get(change_url(article)).content.decode()
    assert 'value="énergie verte, hydrogène"' in html
    assert 'list="id_tags-suggestions"' in html
    for name in ("industrie", "énergie verte", "hydrogène"):
        assert f'<option value="{name}"></option>' in html


def test_a_tag_with_a_space_is_one_tag_and_commas_separate_tags(client, editor):
    article = make_article()
    response = client.get(change_url(article))
    data = {**changeform_data(response), "tags": "énergie verte"}
    client.post(change_url(article), data)
    assert list(article.tags.names()) == ["énergie verte"]
    data["tags"] = "énergie verte, emploi,  ,emploi"
    client.post(change_url(article), data)
    assert sorted(article.tags.names()) == ["emploi", "énergie verte"]


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("", []),
        ("hydrogène", ["hydrogène"]),
        ("énergie verte, hydrogène", ["énergie verte", "hydrogène"]),
        ('"énergie verte", emploi', ["énergie verte", "emploi"]),
        (" a ,, b , a ", ["a", "b"]),
    ],
)
def test_parse_tag_list(value, names):
    assert parse_tag_list(value) == names


# Queries ---------------------------------------------------------------------------------


def _form_queries(client, article) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(change_url(article)).status_code == 200
    return len(queries)


def test_the_form_runs_as_many_queries_for_two_links_as_for_twelve(client, editor):
    codes = ["62119", "62041", "33063", "59350", "62193", "62498"]
    few = make_article(territories=[territory(code) for code in codes[:2]])
    many = make_article(
        territories=[territory(code) for code in codes],
        organisations=[make_organisation() for _ in range(6)],
    )
    few_links = make_article(organisations=[make_organisation()], territories=[territory("62119")])
    assert _form_queries(client, few) == _form_queries(client, many)
    assert _form_queries(client, few_links) == _form_queries(client, many)


def test_a_link_added_twice_is_refused_with_the_error_in_its_row(client, editor):
    bethune = territory("62119")
    article = make_article(territories=[bethune])
    response = client.get(change_url(article))
    data = changeform_data(response)
    prefix = inline_prefix(response, ArticleTerritory)
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    data[f"{prefix}-1-territory"] = str(bethune.pk)
    data[f"{prefix}-1-article"] = str(article.pk)
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<tr class="row-form-errors">' in html
    assert article.territory_links.count() == 1


def test_a_new_article_gets_its_tags_and_a_territory_added_by_hand(client, editor):
    response = client.get(reverse("admin:news_article_add"))
    assert response.status_code == 200
    assert "published-pending-warning" not in response.content.decode()
    data = changeform_data(response)
    prefix = inline_prefix(response, ArticleTerritory)
    data.update(
        {
            "title": "Une usine à Béthune",
            "slug": "une-usine-a-bethune",
            "body": "Texte.",
            "tags": "énergie verte, emploi",
            "date_precision": "day",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-territory": str(territory("62119").pk),
        }
    )
    response = client.post(reverse("admin:news_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    link = ArticleTerritory.objects.get(article__slug="une-usine-a-bethune")
    assert (link.status, link.method) == (LinkStatus.CONFIRMED, LinkMethod.EDITOR)
    assert sorted(link.article.tags.names()) == ["emploi", "énergie verte"]


def test_confirm_above_on_a_form_saved_as_published_confirms_then_publishes(client, editor):
    article = make_article(status=ArticleStatus.DRAFT)
    set_link(article, "62119", confidence=0.9)
    low = set_link(article, "62041", confidence=0.4)
    response = client.get(change_url(article))
    data = changeform_data(response)
    data[decision_key(response, low)] = "reject"
    data.update(status=ArticleStatus.PUBLISHED, confirm_above="80", _confirm_above="1")
    response = client.post(change_url(article), data, follow=True)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert "Article enregistré ; 1 lien confirmé (confiance d’au moins 80 %)." in messages_of(
        response
    )
    assert not article.territory_links.filter(status=LinkStatus.SUGGESTED).exists()
