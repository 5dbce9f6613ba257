"""/sante/: the probe of load balancers and uptime monitors."""

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_is_ok_and_never_cached(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "databases": {"default": "ok"}}
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control
    assert "no-store" in cache_control


def test_health_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def unavailable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unavailable)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "databases": {"default": "unavailable"}}
    assert "no-store" in response["Cache-Control"]
