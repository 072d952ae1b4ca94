"""The VNeID inbound API, through real HTTP with real HMAC signatures (the issue's contract, exactly)."""

from __future__ import annotations

import base64
import json
import threading
import time
from typing import Any

import pytest
import requests

from kiemtra.audit.models import AuditEvent
from kiemtra.letters.choices import Channel, Status
from kiemtra.letters.models import Attachment, Letter, VneidSubmission
from kiemtra.letters.services import records, vneid

from .conftest import PDF_BYTES, Platform, sign, submission

pytestmark = pytest.mark.django_db


def nothing_stored() -> bool:
    return not Letter.objects.exists() and not VneidSubmission.objects.exists() and not Attachment.objects.exists()


def test_a_signed_submission_is_stored_in_the_addressed_commissions_register(platform: Platform) -> None:
    response = platform.post(submission())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "received" and body["tracking_code"].startswith("DT-")
    letter = Letter.objects.get(tracking_code=body["tracking_code"])
    assert letter.channel == Channel.VNEID and letter.holding_unit.code == "T01"
    assert letter.keep_identity_confidential and letter.kind == "denunciation"
    assert records.content_of(letter)["about"]["name"] == "Lê Văn Cường"
    assert records.senders_of(letter)[0]["citizen_id"] == "001190012345"
    assert letter.attachments.get().content_type == "application/pdf"
    assert AuditEvent.objects.filter(action="letters.letter.received", object_id=str(letter.pk)).exists()


def test_no_addressed_commission_goes_to_the_central_commission(platform: Platform) -> None:
    response = platform.post(submission(addressed_unit_code=None))
    assert response.status_code == 201
    assert Letter.objects.get().holding_unit.code == "UBKTTW"


def test_the_same_submission_again_answers_200_with_the_same_tracking_code(platform: Platform) -> None:
    """Idempotent: "The same submission_id with the same body again → 200 with the same tracking code"."""
    first = platform.post(submission())
    # The same JSON with other spacing and key order is the same body.
    again = platform.post(None, raw=json.dumps(submission(), indent=2, sort_keys=True).encode())
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()
    assert Letter.objects.count() == 1


def test_the_same_id_with_another_body_is_a_conflict(platform: Platform) -> None:
    platform.post(submission())
    response = platform.post(submission(content="Một nội dung khác hẳn."))
    assert response.status_code == 409 and response.json()["error"] == "conflict"
    assert Letter.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"headers": {"HTTP_X_SIGNATURE": "0" * 64}}, "bad_signature"),
        ({"headers": {"HTTP_X_SIGNATURE": ""}}, "missing_signature"),
        ({"headers": {"HTTP_X_CLIENT_ID": "vneid-khongco"}}, "unknown_client"),
        ({"offset": -301}, "stale_timestamp"),
        ({"offset": 301}, "stale_timestamp"),
        ({"headers": {"HTTP_X_TIMESTAMP": "hom-nay"}}, "bad_timestamp"),
    ],
)
def test_a_bad_signature_an_unknown_client_or_a_stale_timestamp_is_401_and_nothing_is_stored(
    platform: Platform, change: dict[str, Any], code: str
) -> None:
    response = platform.post(submission(), **change)
    assert response.status_code == 401
    assert response.json()["error"] == code and response.json()["message"]
    assert nothing_stored()


def test_a_signature_over_another_body_is_refused(platform: Platform) -> None:
    """The signature covers the raw body: a body changed in transit does not verify."""
    data = json.dumps(submission()).encode()
    signed = sign(platform.secret, data)
    tampered = data.replace(b"Tr\\u1ea7n", b"Tran")
    response = platform.http.post(
        "/api/vneid/v1/submissions",
        data=tampered,
        content_type="application/json",
        HTTP_X_CLIENT_ID=platform.client_id,
        **signed,
    )
    assert response.status_code == 401 and nothing_stored()


def test_a_revoked_client_is_refused(platform: Platform) -> None:
    vneid.revoke_client("CLI", platform.client_id)
    assert platform.post(submission()).status_code == 401
    assert AuditEvent.objects.filter(action="letters.vneid_client.revoked").exists()
    assert nothing_stored()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (submission(kind="gossip"), "kind"),
        (submission(sender={"full_name": "A", "citizen_id": "12345", "phone": "1", "address": "x"}), "sender"),
        (submission(content="x" * 20_001), "content"),
        (submission(addressed_unit_code="KHONG-CO"), "addressed_unit_code"),
        ({k: v for k, v in submission().items() if k != "title"}, "title"),
        (submission(attachments=[submission()["attachments"][0]] * 6), "attachments"),
    ],
)
def test_an_invalid_body_is_400_with_the_field_errors(platform: Platform, body: dict[str, Any], field: str) -> None:
    response = platform.post(body)
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert nothing_stored()


def test_a_body_that_is_not_json_is_400(platform: Platform) -> None:
    response = platform.post(None, raw=b"{not json")
    assert response.status_code == 400 and response.json()["error"] == "invalid_json"


def attachment(name: str, content_type: str, data: bytes) -> dict[str, str]:
    return {"filename": name, "content_type": content_type, "data_base64": base64.b64encode(data).decode()}


@pytest.mark.parametrize(
    ("item", "code"),
    [
        (attachment("hoa-don.pdf", "application/pdf", b"MZ\x90\x00\x03" + b"\x00" * 200), "attachment_type"),
        (attachment("anh.png", "image/png", PDF_BYTES), "attachment_disguised"),
        (attachment("bien-ban.pdf", "image/png", PDF_BYTES), "attachment_disguised"),
        (attachment("anh.gif", "image/gif", b"GIF89a" + b"\x00" * 50), "attachment_type"),
        (attachment("tai-lieu.docx", "application/zip", b"PK\x03\x04" + b"\x00" * 50), "attachment_type"),
        (
            {"filename": "x.pdf", "content_type": "application/pdf", "data_base64": "khong-phai-base64!"},
            "attachment_base64",
        ),
    ],
)
def test_a_disguised_or_unsupported_attachment_is_400(platform: Platform, item: dict[str, str], code: str) -> None:
    """ "an executable named .pdf, or a type outside PDF/JPEG/PNG/DOCX → 400"."""
    response = platform.post(submission(attachments=[item]))
    assert response.status_code == 400, response.content
    assert response.json()["error"] == code
    assert nothing_stored()


def test_an_attachment_over_10_mb_is_413(platform: Platform) -> None:
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)
    response = platform.post(submission(attachments=[attachment("lon.pdf", "application/pdf", big)]))
    assert response.status_code == 413 and nothing_stored()


def test_a_body_over_the_limit_is_413_before_it_is_read(platform: Platform, settings: Any) -> None:
    from kiemtra.letters import api

    response = platform.http.post(
        "/api/vneid/v1/submissions",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(api.MAX_BODY_BYTES + 1),
        HTTP_X_CLIENT_ID=platform.client_id,
    )
    assert response.status_code == 413 and nothing_stored()


def test_status_answers_with_the_state_the_label_and_the_reply(platform: Platform, people: Any) -> None:
    code = platform.post(submission("vn-42")).json()["tracking_code"]
    status = platform.status("vn-42")
    assert status.status_code == 200
    body = status.json()
    assert body["tracking_code"] == code and body["status"] == "received" and body["reply"] is None
    assert body["status_label"] == str(Status.RECEIVED.label) and body["updated_at"]
    letter = Letter.objects.get()
    records.give_reply(people.officer, letter, "Ủy ban đã xem xét và trả lời ông/bà như sau…")
    body = platform.status("vn-42").json()
    assert body["status"] == "answered" and body["reply"].startswith("Ủy ban đã xem xét")


def test_status_of_an_unknown_submission_is_404_and_unsigned_is_401(platform: Platform) -> None:
    assert platform.status("khong-co").status_code == 404
    assert platform.http.get("/api/vneid/v1/submissions/khong-co").status_code == 401
    platform.post(submission("vn-7"))
    assert platform.status("vn-7", offset=-400).status_code == 401


def test_another_client_cannot_read_a_submission_it_did_not_send(platform: Platform, client: Any) -> None:
    platform.post(submission("vn-8"))
    other = Platform(client)
    assert other.status("vn-8").status_code == 404


def test_the_openapi_schema_is_published(client: Any, db: None) -> None:
    response = client.get("/api/vneid/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert "/api/vneid/v1/submissions" in schema["paths"]
    assert "/api/vneid/v1/submissions/{submission_id}" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/vneid/v1/submissions"]["post"]["parameters"]}
    assert {"X-Client-Id", "X-Timestamp", "X-Signature"} <= names


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_store_one_letter_and_all_get_its_tracking_code(live_server: Any, org_tree: Any) -> None:
    """Idempotent "safe under concurrent retries": eight threads send the same submission at once.

    Needs a database with real concurrent connections: the in-memory SQLite test database is one
    connection shared by the server's threads, so this runs on PostgreSQL (DATABASE_URL).
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("concurrent transactions need PostgreSQL (set DATABASE_URL)")

    _client, secret = vneid.add_client("CLI", "VNeID")
    data = json.dumps(submission("vn-race")).encode()
    barrier = threading.Barrier(8)
    answers: list[tuple[int, str]] = []

    def send() -> None:
        barrier.wait()
        response = requests.post(
            f"{live_server.url}/api/vneid/v1/submissions",
            data=data,
            headers={
                "Content-Type": "application/json",
                "X-Client-Id": _client.client_id,
                "X-Timestamp": (ts := str(int(time.time()))),
                "X-Signature": vneid.sign(secret, ts, data),
            },
            timeout=60,
        )
        answers.append((response.status_code, response.json().get("tracking_code", response.text)))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(s for s, _ in answers).count(201) == 1, answers
    assert {s for s, _ in answers} <= {200, 201}
    assert len({code for _, code in answers}) == 1
    assert Letter.objects.count() == 1 and VneidSubmission.objects.count() == 1
    # Its "received" event joined the audit chain before any answer went out, exactly once.
    assert AuditEvent.objects.filter(action="letters.letter.received").count() == 1
    assert not VneidSubmission.objects.filter(audited_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_submissions_are_each_audited_once_in_batches(live_server: Any, org_tree: Any) -> None:
    """The batched audit of intake: every letter one "received" event, in the chain before its answer."""
    from django.db import connection

    from kiemtra.audit.services import verify

    if connection.vendor == "sqlite":
        pytest.skip("concurrent transactions need PostgreSQL (set DATABASE_URL)")
    client, secret = vneid.add_client("CLI", "VNeID")
    answers: list[tuple[int, bool]] = []

    def send(n: int) -> None:
        data = json.dumps(submission(f"many-{n}", attachments=[])).encode()
        ts = str(int(time.time()))
        response = requests.post(
            f"{live_server.url}/api/vneid/v1/submissions",
            data=data,
            headers={
                "Content-Type": "application/json",
                "X-Client-Id": client.client_id,
                "X-Timestamp": ts,
                "X-Signature": vneid.sign(secret, ts, data),
            },
            timeout=60,
        )
        # Read at once, in this thread: the event is already in the chain when the answer arrives.
        audited = AuditEvent.objects.filter(
            action="letters.letter.received", object_repr=response.json().get("tracking_code", "-")
        ).exists()
        answers.append((response.status_code, audited))
        connection.close()  # this thread's own connection, or the test database cannot be dropped

    threads = [threading.Thread(target=send, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [(201, True)] * 12
    received = AuditEvent.objects.filter(action="letters.letter.received")
    assert received.count() == Letter.objects.count() == 12
    assert received.values("object_id").distinct().count() == 12
    assert not VneidSubmission.objects.filter(audited_at__isnull=True).exists()
    assert verify().ok
