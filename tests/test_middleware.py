"""The one place that turns NUL bytes and over-long parameters into a French 400."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from config.middleware import MAX_PARAMETER_LENGTH, MAX_SEARCH_LENGTH, request_problem
from tests.factories import make_article, make_user

factory = RequestFactory()


def test_a_nul_byte_anywhere_is_a_problem():
    assert "adresse" in request_problem(factory.get("/flux/etiquettes/\x00/rss/"))
    assert "territoire" in request_problem(factory.get("/articles/", {"territoire": "a\x00b"}))
    assert request_problem(factory.get("/articles/", {"a\x00": "b"}))
    assert "titre" in request_problem(factory.post("/admin/x/", {"titre": "\x00"}))


def test_parameters_are_bounded_searches_more_tightly():
    assert request_problem(factory.get("/", {"q": "x" * MAX_SEARCH_LENGTH})) is None
    assert "1000" in request_problem(factory.get("/", {"q": "x" * (MAX_SEARCH_LENGTH + 1)}))
    assert request_problem(factory.get("/", {"term": "x" * (MAX_SEARCH_LENGTH + 1)}))
    assert request_problem(factory.get("/", {"du": "x" * MAX_PARAMETER_LENGTH})) is None
    assert request_problem(factory.get("/", {"du": "x" * (MAX_PARAMETER_LENGTH + 1)}))


def test_long_form_fields_are_accepted():
    # An article's body is long; the admin must be able to save it.
    assert request_problem(factory.post("/admin/", {"body": "Paragraphe. " * 10_000})) is None


def test_ordinary_requests_pass():
    assert request_problem(factory.get("/articles/", {"q": "hydrogène", "page": "2"})) is None


@pytest.mark.django_db
def test_the_answer_is_a_400_in_french(client):
    response = client.get(reverse("news:article-list"), {"territoire": "\x00"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Requête invalide" in content
    assert "Le paramètre « territoire » contient un caractère nul." in content


@pytest.mark.django_db
def test_an_admin_form_with_a_nul_byte_is_a_400(client):
    article = make_article()
    client.force_login(make_user(superuser=True))
    url = reverse("admin:news_article_change", args=[article.pk])
    response = client.post(url, {"title": "Titre\x00"})
    assert response.status_code == 400
