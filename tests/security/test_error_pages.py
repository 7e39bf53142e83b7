"""Friendly 400, 403, 404, 500 and CSRF pages, with no traceback; security headers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "tests.security.urls_with_errors"
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/boom/", 500, "Sorry, something went wrong on our side"),
        ("/bad/", 400, "We couldn't understand that request"),
        ("/denied/", 403, "You can't do that here"),
        ("/no-such-page/", 404, "We can't find that page"),
    ],
)
def test_errors_get_a_kind_page_without_technical_detail(failing_site, path, status, words):
    response = failing_site.get(path)
    assert response.status_code == status
    body = response.content.decode().replace("&#x27;", "'")
    assert words in body
    for leak in ("Traceback", "MARKER-", "RuntimeError", "django."):
        assert leak not in body


def test_a_csrf_failure_gets_a_kind_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("intake:start"), {"treatment": "1"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Please try again" in body and "CSRF" not in body


def test_pages_send_the_security_headers(client):
    response = client.get(reverse("intake:start"))
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
