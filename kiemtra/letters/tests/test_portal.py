"""The citizens' portal, signed in through the live OpenID provider the foundation's VNeID tests use.

A citizen is not a staff account: signing in creates no ``User`` and no grant; "my letters"
shows their letters' state and the reply; a daily limit per person; the same attachment checks.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kiemtra.accounts.models import RoleGrant, User
from kiemtra.accounts.tests.test_vneid_oidc import (  # noqa: F401  (pytest fixtures)
    CITIZEN_ID,
    RegisteredClient,
    provider,
    running_provider,
)
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree
from kiemtra.letters.choices import Channel
from kiemtra.letters.models import Letter
from kiemtra.letters.services import records

from .conftest import PDF_BYTES, Register

pytestmark = pytest.mark.django_db
PORTAL_CALLBACK = "http://testserver/don-thu/cong-dan/vneid/callback/"


class PortalClient(RegisteredClient):
    """The same registered relying party, with the portal's callback among its redirect URIs."""

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri == PORTAL_CALLBACK or super().check_redirect_uri(redirect_uri)


@pytest.fixture
def portal_provider(provider: Any) -> Any:  # noqa: F811
    original = provider.client
    provider.client = PortalClient()
    yield provider
    provider.client = original


def sign_in(client: Client, oidc_provider: Any) -> Any:
    start = client.get("/don-thu/cong-dan/vneid/")
    assert start.status_code == 302 and start["Location"].startswith(f"{oidc_provider.issuer}/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == PORTAL_CALLBACK
    return client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})


def letter_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "denunciation",
        "addressed_unit": "",
        "full_name": "Đinh Thị Hằng",
        "phone": "0903123456",
        "address": "45 Lý Thường Kiệt, Hà Nội",
        "keep_identity_confidential": "on",
        "title": "Tố cáo cán bộ phường",
        "content": "Cán bộ phường nhận tiền để làm nhanh hồ sơ <script>alert(1)</script>.",
        "about_name": "Tạ Văn Phúc",
        "about_position": "Cán bộ địa chính",
        "about_organisation": "UBND phường",
    }
    data.update(overrides)
    return data


def test_a_citizen_signs_in_with_vneid_sends_a_letter_and_follows_it(portal_provider: Any, people: Register) -> None:
    client = Client()
    accounts_before = User.objects.count()
    response = sign_in(client, portal_provider)
    assert response.status_code == 302 and response["Location"] == "/don-thu/cong-dan/cua-toi/"
    # No staff account, no grant, no Django sign-in: the citizen is only in the portal's session.
    assert User.objects.count() == accounts_before and "_auth_user_id" not in client.session
    assert client.get("/don-thu/").status_code == 302  # the register wants a staff sign-in
    form = letter_form(addressed_unit=str(people.tree.province.pk))
    form["attachments"] = [SimpleUploadedFile("chung-cu.pdf", PDF_BYTES, "application/pdf")]
    sent = client.post("/don-thu/cong-dan/gui/", form)
    assert sent.status_code == 302, sent.content.decode()[:2000]
    letter = Letter.objects.get()
    assert letter.channel == Channel.PORTAL and letter.holding_unit == people.tree.province
    assert records.senders_of(letter)[0]["citizen_id"] == CITIZEN_ID
    assert letter.attachments.count() == 1
    mine = client.get("/don-thu/cong-dan/cua-toi/").content.decode()
    assert letter.tracking_code in mine and "Đã tiếp nhận" in mine
    assert "<script>alert(1)</script>" not in client.get("/don-thu/cong-dan/cua-toi/").content.decode()
    records.give_reply(people.officer, letter, "Ủy ban đã tiếp nhận và đang xác minh.")
    mine = client.get("/don-thu/cong-dan/cua-toi/").content.decode()
    assert "Ủy ban đã tiếp nhận và đang xác minh." in mine and "Đã trả lời" in mine
    assert AuditEvent.objects.filter(action="letters.portal.signed_in").exists()
    assert CITIZEN_ID not in str(list(AuditEvent.objects.values_list("extra", flat=True)))


def test_my_letters_shows_only_the_signed_in_citizens_letters(portal_provider: Any, people: Register) -> None:
    first = Client()
    sign_in(first, portal_provider)
    first.post("/don-thu/cong-dan/gui/", letter_form(title="Thư của người thứ nhất"))
    portal_provider.citizen_id = "079199001234"
    second = Client()
    sign_in(second, portal_provider)
    assert "Thư của người thứ nhất" not in second.get("/don-thu/cong-dan/cua-toi/").content.decode()
    assert "Thư của người thứ nhất" in first.get("/don-thu/cong-dan/cua-toi/").content.decode()


def test_the_portal_needs_a_vneid_sign_in(db: None, org_tree: Tree) -> None:
    client = Client()
    assert client.get("/don-thu/cong-dan/gui/")["Location"] == "/don-thu/cong-dan/"
    assert client.post("/don-thu/cong-dan/gui/", letter_form())["Location"] == "/don-thu/cong-dan/"
    assert not Letter.objects.exists()


def test_a_person_may_send_only_the_daily_limit(portal_provider: Any, people: Register, settings: Any) -> None:
    settings.LETTERS_PORTAL_DAILY_LIMIT = 2
    client = Client()
    sign_in(client, portal_provider)
    for _ in range(2):
        assert client.post("/don-thu/cong-dan/gui/", letter_form()).status_code == 302
    refused = client.post("/don-thu/cong-dan/gui/", letter_form())
    assert refused.status_code == 400
    assert "Mỗi người chỉ gửi được 2 đơn một ngày" in refused.content.decode()
    assert Letter.objects.count() == 2


def test_a_disguised_attachment_is_refused_and_nothing_is_stored(portal_provider: Any, people: Register) -> None:
    client = Client()
    sign_in(client, portal_provider)
    form = letter_form()
    form["attachments"] = [SimpleUploadedFile("hop-dong.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")]
    refused = client.post("/don-thu/cong-dan/gui/", form)
    assert refused.status_code == 400
    assert "hop-dong.pdf" in refused.content.decode() and "PDF, JPEG, PNG hoặc DOCX" in refused.content.decode()
    assert not Letter.objects.exists()
    assert not RoleGrant.objects.filter(person__identifier_code__startswith="vneid").exists()
