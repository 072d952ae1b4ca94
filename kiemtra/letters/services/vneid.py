"""The VNeID inbound API's work: clients, signatures, idempotent submissions, status.

A submission is idempotent on (client, submission_id): the pair is unique in the
database, and a keyed digest of the canonical JSON body tells a retry (same
body → the same tracking code) from a conflict (another body → 409). Two
retries racing each other both try to insert; the loser's IntegrityError sends
it to read the winner's row.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.audit import services as audit
from kiemtra.core.crypto import decrypt_text, encrypt_text
from kiemtra.core.errors import DomainError

from .. import inserts
from ..models import Letter, VneidClient, VneidSubmission
from . import intake_audit, records

MAX_CLOCK_SKEW_SECONDS = 300


# --- clients ---------------------------------------------------------------------------------


@transaction.atomic
def add_client(actor: Any, name: str) -> tuple[VneidClient, str]:
    """A new client and its secret, shown once (the database keeps it encrypted)."""
    name = name.strip()
    if not name:
        raise DomainError(_("Cần đặt tên ứng dụng."), code="name")
    secret = secrets.token_urlsafe(32)
    client = VneidClient.objects.create(
        client_id="vneid-" + secrets.token_hex(6), name=name[:200], secret_encrypted=encrypt_text(secret)
    )
    audit.record(actor, "letters.vneid_client.added", client, client_id=client.client_id)
    return client, secret


@transaction.atomic
def revoke_client(actor: Any, client_id: str) -> VneidClient:
    client = VneidClient.objects.select_for_update().filter(client_id=client_id).first()
    if client is None:
        raise DomainError(_("Không có ứng dụng %(id)s.") % {"id": client_id}, code="unknown_client")
    if not client.active:
        raise DomainError(_("Ứng dụng %(id)s đã bị thu hồi.") % {"id": client_id}, code="revoked")
    client.active = False
    client.revoked_at = timezone.now()
    client.save(update_fields=["active", "revoked_at"])
    audit.record(actor, "letters.vneid_client.revoked", client, client_id=client.client_id)
    return client


# --- signatures ------------------------------------------------------------------------------


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Lowercase hex HMAC-SHA256 over ``"<timestamp>.<raw body>"``, keyed by the secret's UTF-8 bytes."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


_secrets: dict[str, tuple[int, str]] = {}


def _secret(client: VneidClient) -> str:
    # Decrypting costs little, but 200 requests a second make it add up; the cache follows the row.
    cached = _secrets.get(client.client_id)
    if cached and cached[0] == client.pk:
        return cached[1]
    secret = decrypt_text(client.secret_encrypted)
    _secrets[client.client_id] = (client.pk, secret)
    return secret


class Unauthorized(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _check(client_id: str, timestamp: str, signature: str) -> None:
    if not client_id or not timestamp or not signature:
        raise Unauthorized("missing_signature", _("Thiếu X-Client-Id, X-Timestamp hoặc X-Signature."))


def _verify(client: VneidClient | None, timestamp: str, signature: str, body: bytes, now: float | None) -> VneidClient:
    if client is None:
        raise Unauthorized("unknown_client", _("Ứng dụng không được đăng ký hoặc đã bị thu hồi."))
    try:
        sent = int(timestamp)
    except ValueError:
        raise Unauthorized("bad_timestamp", _("X-Timestamp phải là số giây Unix.")) from None
    if abs((time.time() if now is None else now) - sent) > MAX_CLOCK_SKEW_SECONDS:
        raise Unauthorized("stale_timestamp", _("X-Timestamp lệch quá 300 giây so với đồng hồ của máy chủ."))
    expected = sign(_secret(client), timestamp, body)
    if not hmac.compare_digest(expected, signature.strip().lower()):
        raise Unauthorized("bad_signature", _("Chữ ký X-Signature không đúng."))
    return client


def authenticate(client_id: str, timestamp: str, signature: str, body: bytes, now: float | None = None) -> VneidClient:
    """The client whose secret signed this request now (±300 s), or Unauthorized."""
    _check(client_id, timestamp, signature)
    client = VneidClient.objects.filter(client_id=client_id, active=True).first()
    return _verify(client, timestamp, signature, body, now)


@dataclass(frozen=True)
class Known:
    """A submission already stored under (client, submission_id): what a retry needs to answer."""

    pk: int
    body_digest: str
    tracking_code: str
    status: str


def authenticate_submission(
    client_id: str, timestamp: str, signature: str, body: bytes, submission_id: str | None, now: float | None = None
) -> tuple[VneidClient, Known | None]:
    """``authenticate`` and the earlier submission under the same id, in one query (the intake's hot path).

    The submission is looked up before the signature is checked (its id comes from the body) but
    nothing of it is used, or told, unless the signature holds.
    """
    _check(client_id, timestamp, signature)
    sub, letter = VneidSubmission._meta.db_table, Letter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.secret_encrypted, s.id, s.body_digest, l.tracking_code, l.status "  # noqa: S608 — table names from the models
            f"FROM {VneidClient._meta.db_table} c "
            f"LEFT JOIN {sub} s ON s.client_id = c.id AND s.submission_id = %s "
            f"LEFT JOIN {letter} l ON l.id = s.letter_id "
            f"WHERE c.client_id = %s AND c.active",
            [submission_id if isinstance(submission_id, str) else "", client_id],
        )
        row = cursor.fetchone()
    client = None
    if row is not None:
        client = VneidClient(pk=row[0], client_id=client_id, secret_encrypted=row[1], active=True)
        client._state.adding = False
        client._state.db = connection.alias
    client = _verify(client, timestamp, signature, body, now)
    known = Known(row[2], row[3], row[4], row[5]) if row is not None and row[2] is not None else None
    return client, known


# --- submissions -----------------------------------------------------------------------------


def body_digest(payload: Any) -> str:
    """Keyed digest of the canonical JSON: equal bodies match whatever their spacing or key order."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(settings.FIELD_ENCRYPTION_KEY.encode(), canonical, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Outcome:
    tracking_code: str
    status: str
    created: bool


class Conflict(Exception):
    """The same submission_id came with another body."""


def _answer(known: Known | None, submission_id: str, digest: str) -> Outcome | None:
    if known is None:
        return None
    if not hmac.compare_digest(known.body_digest, digest):
        raise Conflict(submission_id)
    return Outcome(known.tracking_code, known.status, created=False)


def _existing(client: VneidClient, submission_id: str) -> Known | None:
    found = (
        VneidSubmission.objects.filter(client=client, submission_id=submission_id)
        .values_list("pk", "body_digest", "letter__tracking_code", "letter__status")
        .first()
    )
    return Known(*found) if found else None


_NOT_LOOKED_UP: Any = object()


def receive(
    client: VneidClient,
    submission_id: str,
    digest: str,
    new: records.NewLetter,
    *,
    known: Known | None = _NOT_LOOKED_UP,
) -> Outcome:
    """Store a submission once, whatever the number of retries and their timing.

    ``known``: what ``authenticate_submission`` found under this id (None: nothing), when the
    caller has looked already.
    """
    if known is _NOT_LOOKED_UP:
        known = _existing(client, submission_id)
    answer = _answer(known, submission_id, digest)
    if answer is not None:
        return answer
    batched = intake_audit.supported() and not transaction.get_connection().in_atomic_block
    journal = inserts.Children(
        VneidSubmission,
        {
            "client_id": [client.pk],
            "submission_id": [submission_id],
            "body_digest": [digest],
            "created_at": [timezone.now()],
            "audited_at": [None if batched else timezone.now()],
        },
    )
    try:
        # Without files, a batched intake is one INSERT statement (``inserts``), atomic by itself: no
        # BEGIN and COMMIT round trips around it. Files, or the audit event, make it a transaction.
        alone = batched and not new.attachments and not new.scans and connection.vendor == "postgresql"
        with contextlib.nullcontext() if alone else transaction.atomic():
            letter = records.create(f"VNeID {client.client_id}", new, rows=[journal], audit_now=not batched)
    except IntegrityError:
        # A concurrent retry inserted the same (client, submission_id) first: answer as it did.
        answer = _answer(_existing(client, submission_id), submission_id, digest)
        if answer is None:
            raise
        return answer
    if batched:
        intake_audit.audit_received(letter.pk)
    return Outcome(letter.tracking_code, letter.status, created=True)


def find(client: VneidClient, submission_id: str) -> Letter | None:
    found = VneidSubmission.objects.select_related("letter").filter(client=client, submission_id=submission_id).first()
    return found.letter if found else None
