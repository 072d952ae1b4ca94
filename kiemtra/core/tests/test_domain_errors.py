"""A refused change raised by any view is a Vietnamese message and a 400 — page, API or htmx — never a 500."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import path

from kiemtra.conftest import make_person, signed_in
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.urls import urlpatterns as project_urls

MESSAGE = "Kỳ báo cáo đã khóa: không sửa được số liệu."


def refused(request: HttpRequest) -> HttpResponse:
    raise DomainError(MESSAGE, code="period_locked")


def denied(request: HttpRequest) -> HttpResponse:
    raise PolicyDenied("stats.enter")


urlpatterns = [
    path("thu-loi/", refused),
    path("api/thu-loi/", refused),
    path("thu-quyen/", denied),
    *project_urls,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_a_page_that_raises_shows_the_message_with_a_400() -> None:
    response = signed_in(make_person()).get("/thu-loi/")
    page = response.content.decode()
    assert response.status_code == 400
    assert MESSAGE in page and 'data-status="400"' in page and 'data-code="period_locked"' in page
    assert "Quay lại" not in page  # no page to go back to without a Referer


def test_a_form_post_offers_the_way_back_to_its_own_page_only() -> None:
    client = signed_in(make_person())
    response = client.post("/thu-loi/", {"x": "1"}, HTTP_REFERER="http://testserver/thong-ke/")
    assert response.status_code == 400 and MESSAGE in response.content.decode()
    assert 'href="http://testserver/thong-ke/"' in response.content.decode()
    elsewhere = client.post("/thu-loi/", {"x": "1"}, HTTP_REFERER="https://evil.example/")
    assert elsewhere.status_code == 400 and "evil.example" not in elsewhere.content.decode()


def test_an_api_or_json_request_gets_the_code_and_the_message_as_json() -> None:
    client = signed_in(make_person())
    for response in (
        client.get("/api/thu-loi/"),
        client.get("/thu-loi/", HTTP_ACCEPT="application/json"),
        client.post("/thu-loi/", data=json.dumps({"a": 1}), content_type="application/json"),
    ):
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        assert body["code"] == "period_locked" and body["detail"] == MESSAGE and body["errors"] == [MESSAGE]


def test_an_htmx_request_gets_a_partial_and_an_event_carrying_the_message() -> None:
    response = signed_in(make_person()).post("/thu-loi/", HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    body = response.content.decode()
    assert MESSAGE in body and "<html" not in body  # a partial, not a whole page
    assert json.loads(response["HX-Trigger"]) == {"domain-error": {"code": "period_locked", "message": MESSAGE}}


def test_other_exceptions_are_left_to_their_own_handlers() -> None:
    """A policy refusal stays a 403 (PermissionDenied), not a domain 400."""
    response = signed_in(make_person()).get("/thu-quyen/")
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["query", "form"])
def test_a_nul_character_is_refused_at_the_door_with_the_field_named(where: str) -> None:
    """PostgreSQL cannot hold or compare NUL: a search with one was a 500 (issue 8.6)."""
    from django.test import Client

    client = Client()
    if where == "query":
        response = client.get("/tai-khoan/dang-nhap/", {"next": "/\x00"})
    else:  # as a browser posts a form without files
        body = urlencode({"username": "a\x00b", "password": "x"})
        response = client.post("/tai-khoan/dang-nhap/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    page = response.content.decode()
    assert "NUL" in page
    assert ("next" if where == "query" else "username") in page
