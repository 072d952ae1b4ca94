"""Creating, opening and amending a letter: the envelope, the versions, the audit records.

Nothing is overwritten: an edit keeps the previous sealed content and senders in
a ``LetterVersion`` with who changed it and why (Quy định 06 Art. 2.2). Audit
records name the letter by its tracking code and list changed *field names*,
never their values: the audit log is not encrypted.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import RoleGrant, User
from kiemtra.audit import services as audit
from kiemtra.core import events
from kiemtra.core.crypto import lookup_digest
from kiemtra.core.errors import DomainError
from kiemtra.core.text import fold, nfc
from kiemtra.orgs.models import OrgUnit

from .. import envelope, files, inserts, keyring, search_keys
from ..choices import Channel, Kind, Status
from ..models import Attachment, Letter, LetterVersion
from . import related

MAX_CONTENT_CHARS = 20_000
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone


@dataclass
class Sender:
    full_name: str = ""
    citizen_id: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    party_member: bool = False
    organisation: bool = False  # the sender is an organisation


@dataclass
class About:
    """The person or organisation the letter is about (for a denunciation: the accused)."""

    name: str = ""
    position: str = ""
    organisation: str = ""
    unit: str = ""
    rank: str = ""  # rank of the position (cấp quản lý)

    def is_empty(self) -> bool:
        return not any(asdict(self).values())


@dataclass
class NewLetter:
    channel: str
    kind: str
    holding_unit: OrgUnit
    received_on: Any
    title: str
    content: str
    summary: str = ""
    addressed_unit: OrgUnit | None = None
    senders: list[Sender] = field(default_factory=list)
    anonymous: bool = False
    false_name: bool = False
    keep_identity_confidential: bool = False
    about: About = field(default_factory=About)
    field_code: str = ""
    locality: str = ""
    attachments: list[files.IncomingFile] = field(default_factory=list)
    scans: list[files.IncomingFile] = field(default_factory=list)  # paper: read by OCR
    submitted_at: Any = None
    citizen_id: str = ""  # the signed-in or VNeID-verified sender: "my letters" and the daily limit


@dataclass(frozen=True)
class LetterKeys:
    data: bytes
    identity: bytes


def keys_of(letter: Letter) -> LetterKeys:
    return LetterKeys(
        data=keyring.unwrap(letter.key_id, letter.data_key_wrapped),
        identity=keyring.unwrap(letter.key_id, letter.identity_key_wrapped),
    )


def new_tracking_code() -> str:
    chars = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))
    return f"DT-{chars[:5]}-{chars[5:]}"


def _clean(text: str, limit: int = 500) -> str:
    return nfc(text or "")[:limit]


def validate(new: NewLetter) -> None:
    if new.kind not in Kind.values:
        raise DomainError(_("Loại đơn không hợp lệ."), code="kind")
    if new.channel not in Channel.values:
        raise DomainError(_("Kênh tiếp nhận không hợp lệ."), code="channel")
    if not nfc(new.content or "") and not new.scans:
        raise DomainError(_("Nội dung đơn không được để trống."), code="content")
    if len(new.content or "") > MAX_CONTENT_CHARS:
        raise DomainError(_("Nội dung đơn dài quá %(n)d ký tự.") % {"n": MAX_CONTENT_CHARS}, code="content_too_long")
    if not new.anonymous and not any(s.full_name.strip() for s in new.senders):
        raise DomainError(_("Cần ghi họ tên người gửi, hoặc đánh dấu đơn nặc danh."), code="senders")


def _content(new: NewLetter) -> dict[str, Any]:
    return {
        "title": _clean(new.title, 500),
        "summary": _clean(new.summary, 4000),
        "content": nfc(new.content or ""),
        "about": {k: _clean(v, 255) for k, v in asdict(new.about).items()},
    }


def _senders(new: NewLetter) -> list[dict[str, Any]]:
    if new.anonymous:
        return []
    return [
        {
            "full_name": _clean(s.full_name, 255),
            "citizen_id": _clean(s.citizen_id, 20),
            "address": _clean(s.address, 500),
            "phone": _clean(s.phone, 32),
            "email": _clean(s.email, 254),
            "party_member": bool(s.party_member),
            "organisation": bool(s.organisation),
        }
        for s in new.senders
        if s.full_name.strip()
    ]


def _read_scan(data: bytes, filename: str) -> str:
    """The scan's text (text layer or OCR), or nothing when it cannot be read: the scan is kept either way."""
    from kiemtra.core import ocr

    try:
        return ocr.read_document(data, filename).text
    except ocr.ReadError:
        return ""


@dataclass(frozen=True)
class _CheckedFile:
    incoming: files.IncomingFile
    content_type: str
    is_scan: bool
    text: str


def _check_and_read(new: NewLetter) -> list[_CheckedFile]:
    """Every file checked by its bytes (before anything is stored); scans read by OCR."""
    every = [(f, False) for f in new.attachments] + [(f, True) for f in new.scans]
    types = files.check_all([f for f, _scan in every])
    return [
        _CheckedFile(
            incoming,
            content_type,
            is_scan,
            _read_scan(incoming.data, incoming.filename) if is_scan and content_type != files.DOCX else "",
        )
        for (incoming, is_scan), content_type in zip(every, types, strict=True)
    ]


def _store_attachments(letter: Letter, keys: LetterKeys, checked: list[_CheckedFile]) -> None:
    if not checked:
        return
    made = []
    for number, item in enumerate(checked, 1):
        made.append(
            Attachment(
                letter=letter,
                number=number,
                content_type=item.content_type,
                size=len(item.incoming.data),
                stored_name=files.store(envelope.seal_bytes(keys.data, item.incoming.data)),
                name_sealed=envelope.seal(keys.data, _clean(item.incoming.filename, 255)),
                text_sealed=envelope.seal(keys.data, item.text) if item.text else "",
                is_scan=item.is_scan,
            )
        )
    Attachment.objects.bulk_create(made)


_units: dict[str, tuple[float, OrgUnit]] = {}
UNITS_TTL_SECONDS = 60.0
_ROOT = "\x00root"  # the key of the root commission among the codes


def _cached_unit(key: str, find: Callable[[], OrgUnit | None]) -> OrgUnit | None:
    """A current unit kept a minute per process: each intake names one, and the tree changes rarely.

    Any save or delete of a unit empties the cache (``forget_units``); the minute bounds what a
    change made by a queryset update, or in another process, leaves stale.
    """
    cached = _units.get(key)
    now = time.monotonic()
    if cached is not None and now - cached[0] < UNITS_TTL_SECONDS:
        return cached[1]
    unit = find()
    if unit is not None:  # an unknown code is asked again: it may be created the next minute
        _units[key] = (now, unit)
    return unit


def forget_units(*_args: Any, **_kwargs: Any) -> None:
    _units.clear()
    _recipients.clear()


def unit_by_code(code: str) -> OrgUnit | None:
    """The current unit with this org-tree code (its parent loaded: ``commission_of`` reads it), or None."""
    return _cached_unit(
        code, lambda: OrgUnit.objects.filter(code=code, valid_to__isnull=True).select_related("parent").first()
    )


def root_commission() -> OrgUnit:
    """Where a letter goes when the sender did not know whom to address: the Central Commission."""
    root = _cached_unit(
        _ROOT, lambda: OrgUnit.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("pk").first()
    )
    if root is None:
        raise DomainError(_("Chưa có cây đơn vị."), code="no_tree")
    return root


_recipients: dict[int, tuple[float, list[int]]] = {}
RECIPIENTS_TTL_SECONDS = 60.0


def commission_users(unit: OrgUnit) -> list[int]:
    """Who works on a commission's register: its user accounts (and, at the Centre, the departments' ones).

    Kept a minute per process: at hundreds of letters a second the same few commissions are asked
    again and again, and a grant given a minute ago missing one notification is harmless (the
    register and the home card count from the letters themselves).
    """
    cached = _recipients.get(unit.pk)
    now = time.monotonic()
    if cached is not None and now - cached[0] < RECIPIENTS_TTL_SECONDS:
        return cached[1]
    users = _commission_users(unit)
    _recipients[unit.pk] = (now, users)
    return users


def _commission_users(unit: OrgUnit) -> list[int]:
    grants = RoleGrant.objects.active().filter(role=Role.USER)
    return list(
        grants.filter(
            unit__in=OrgUnit.objects.filter(pk=unit.pk) | OrgUnit.objects.filter(parent=unit, kind="department")
        )
        .values_list("person_id", flat=True)
        .distinct()
    )


def create(
    actor: Any,
    new: NewLetter,
    *,
    status: str = Status.RECEIVED,
    rows: Sequence[inserts.Children] = (),
    audit_now: bool = True,
) -> Letter:
    """Seal and store a new letter in ``new.holding_unit``'s register. Call inside a transaction.

    ``rows``: the caller's own rows pointing at the letter (``letter`` field: the VNeID
    submission), inserted with it. ``audit_now=False``: the caller journals the intake and
    appends its audit event after the commit (``intake_audit``), so the chain's lock is not held
    by the letter's transaction.
    """
    validate(new)
    checked = _check_and_read(new)
    content = _content(new)
    scan_texts = [c.text for c in checked if c.text]
    if scan_texts and not content["content"]:
        content["content"] = "\n\n".join(scan_texts)
    senders = _senders(new)
    data_key, identity_key = keyring.new_data_key(), keyring.new_data_key()
    key_id, data_wrapped = keyring.wrap(data_key)
    _same, identity_wrapped = keyring.wrap(identity_key, key_id)
    now = timezone.now()
    # ``actor`` is a staff account (paper), a label for the platform or the citizen (VNeID, portal).
    staff = actor if isinstance(actor, User) else None
    letter = Letter(
        kind=new.kind,
        declared_kind=new.kind,
        channel=new.channel,
        status=status,
        addressed_unit=new.addressed_unit,
        holding_unit=new.holding_unit,
        received_on=new.received_on,
        received_at=now,
        submitted_at=new.submitted_at,
        received_by=staff,
        registered_by=staff if status == Status.REGISTERED else None,
        registered_at=now if status == Status.REGISTERED else None,
        anonymous=new.anonymous,
        false_name=new.false_name,
        keep_identity_confidential=new.keep_identity_confidential,
        sender_count=len(senders),
        field_code=_clean(new.field_code, 32),
        locality=_clean(new.locality, 120),
        key_id=key_id,
        data_key_wrapped=data_wrapped,
        identity_key_wrapped=identity_wrapped,
        content_sealed=envelope.seal(data_key, content),
        identity_sealed=envelope.seal(identity_key, senders),
        citizen_digest=lookup_digest(new.citizen_id) if new.citizen_id.strip() else "",
        accused_digest=accused_digest(content["about"]["name"]),
    )
    # 10 characters of a 32-letter alphabet: 50 bits, so a collision is a one-in-10^9 event even with
    # a million letters; the unique index still refuses one, and the sender's retry gets a new code.
    letter.tracking_code = new_tracking_code()
    # The letter, its name-word digests, what related-letter suggestion needs (computed now: it never
    # opens another letter later) and the caller's rows: one statement on PostgreSQL (``inserts``).
    inserts.insert(
        letter,
        [
            search_keys.rows([s["full_name"] for s in senders] + [content["about"]["name"]]),
            *related.rows(related.indexed_text(content)),
            *rows,
        ],
    )
    _store_attachments(letter, LetterKeys(data_key, identity_key), checked)
    if audit_now:
        record_received(actor, letter, attachments=len(new.attachments) + len(new.scans))
    # Who to tell is looked up after the commit: the audit chain's lock is not held for it.
    transaction.on_commit(lambda: _announce_received(letter))
    return letter


def accused_digest(name: str) -> str:
    """The accused's folded name as a keyed digest: "same accused" without storing the name."""
    folded = fold(name or "")
    return lookup_digest(f"accused:{folded}") if folded else ""


def record_received(actor: Any, letter: Letter, *, attachments: int) -> None:
    """The audit event of an intake (written here, or in a batch by ``intake_audit`` for VNeID)."""
    audit.record(
        actor,
        "letters.letter.received",
        letter,
        unit=letter.holding_unit,
        channel=letter.channel,
        kind=letter.kind,
        attachments=attachments,
    )


def _announce_received(letter: Letter) -> None:
    events.announce(
        "letters.letter.received",
        commission_users(letter.holding_unit),
        _("Đơn thư mới %(code)s") % {"code": letter.tracking_code},
        url=f"/don-thu/{letter.uid}/",
        unit=letter.holding_unit,
    )


# --- reading ---------------------------------------------------------------------------------


def data_key_of(letter: Letter) -> bytes:
    """The data key alone: listing titles never needs to unwrap the identity key."""
    return keyring.unwrap(letter.key_id, letter.data_key_wrapped)


def content_of(letter: Letter, keys: LetterKeys | None = None) -> dict[str, Any]:
    data_key = keys.data if keys is not None else data_key_of(letter)
    return dict(envelope.open_sealed(data_key, letter.content_sealed) or {})


def senders_of(letter: Letter, keys: LetterKeys | None = None) -> list[dict[str, Any]]:
    keys = keys or keys_of(letter)
    return list(envelope.open_sealed(keys.identity, letter.identity_sealed) or [])


def reply_of(letter: Letter) -> str | None:
    if not letter.reply_sealed:
        return None
    return str(envelope.open_sealed(data_key_of(letter), letter.reply_sealed))


def open_letter(actor: Any, letter: Letter) -> dict[str, Any]:
    """A staff member opens a letter: content always logged as a read; the senders only if they may."""
    policies.require(actor, "letters.letter.read", letter)
    keys = keys_of(letter)
    shown = policies.can(actor, "letters.identity.read", letter)
    audit.record_read(actor, "letters.letter.read", letter, unit=letter.holding_unit)
    if shown and letter.identity_protected:
        audit.record_read(actor, "letters.identity.read", letter, unit=letter.holding_unit)
    return {
        "content": content_of(letter, keys),
        "senders": senders_of(letter, keys) if shown else None,
        "reply": envelope.open_sealed(keys.data, letter.reply_sealed) if letter.reply_sealed else None,
    }


# --- changes ---------------------------------------------------------------------------------

CONTENT_FIELDS = ("title", "summary", "content", "about")
CLEAR_FIELDS = ("kind", "field_code", "locality", "anonymous", "false_name")


@transaction.atomic
def amend(actor: Any, letter: Letter, *, reason: str, changes: dict[str, Any]) -> Letter:
    """Edit a letter keeping what it was: a version with who and why, never an overwrite."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    policies.require(actor, "letters.letter.edit", letter)
    if not nfc(reason):
        raise DomainError(_("Cần ghi lý do sửa đơn thư."), code="reason")
    unknown = set(changes) - set(CONTENT_FIELDS) - set(CLEAR_FIELDS) - {"senders"}
    if unknown:
        raise DomainError(_("Không sửa được trường: %(f)s") % {"f": ", ".join(sorted(unknown))}, code="field")
    if "kind" in changes and changes["kind"] not in Kind.values:
        raise DomainError(_("Loại đơn không hợp lệ."), code="kind")
    keys = keys_of(letter)
    content = content_of(letter, keys)
    senders = senders_of(letter, keys)
    changed: list[str] = []
    for name in CONTENT_FIELDS:
        if name in changes and changes[name] != content.get(name):
            value = changes[name]
            if name == "content" and len(value) > MAX_CONTENT_CHARS:
                raise DomainError(_("Nội dung đơn dài quá %(n)d ký tự.") % {"n": MAX_CONTENT_CHARS}, code="content")
            content[name] = {k: _clean(v, 255) for k, v in value.items()} if name == "about" else nfc(value)
            changed.append(name)
    if "senders" in changes:
        if not policies.can(actor, "letters.identity.read", letter):
            raise DomainError(_("Bạn không được xem, nên không được sửa, thông tin người gửi."), code="senders")
        new_senders = _senders(NewLetter("", "", letter.holding_unit, None, "", "", senders=changes["senders"]))
        if new_senders != senders:
            senders = new_senders
            changed.append("senders")
    previous = {name: getattr(letter, name) for name in CLEAR_FIELDS}
    for name in CLEAR_FIELDS:
        if name in changes and changes[name] != previous[name]:
            setattr(letter, name, changes[name])
            changed.append(name)
    if not changed:
        raise DomainError(_("Không có thay đổi nào để lưu."), code="no_change")
    LetterVersion.objects.create(
        letter=letter,
        number=letter.version,
        content_sealed=letter.content_sealed,
        identity_sealed=letter.identity_sealed,
        fields={k: v for k, v in previous.items()},
        changed=changed,
        actor=actor,
        reason=_clean(reason, 500),
    )
    letter.content_sealed = envelope.seal(keys.data, content)
    letter.identity_sealed = envelope.seal(keys.identity, senders)
    letter.sender_count = len(senders)
    search_keys.store(letter, [s["full_name"] for s in senders] + [content["about"].get("name", "")])
    letter.version += 1
    letter.save()
    if {"title", "summary", "content"} & set(changed):
        related.reindex(letter, related.indexed_text(content))  # suggestions follow the text as amended
    audit.record(
        actor, "letters.letter.amended", letter, unit=letter.holding_unit, changed=changed, version=letter.version
    )
    return letter


@transaction.atomic
def register(actor: Any, letter: Letter) -> Letter:
    """Enter a letter that arrived online in the commission's register (a person has looked at it)."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    policies.require(actor, "letters.letter.register", letter)
    if letter.status != Status.RECEIVED:
        raise DomainError(_("Đơn thư này đã được vào sổ."), code="already_registered")
    letter.status = Status.REGISTERED
    letter.registered_by = actor
    letter.registered_at = timezone.now()
    letter.save(update_fields=["status", "registered_by", "registered_at", "updated_at"])
    audit.record(actor, "letters.letter.registered", letter, unit=letter.holding_unit)
    return letter


@transaction.atomic
def give_reply(actor: Any, letter: Letter, text: str) -> Letter:
    """The answer to the sender, shown on the portal and through the VNeID status API (Letters II approves it)."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    policies.require(actor, "letters.letter.edit", letter)
    if not nfc(text):
        raise DomainError(_("Nội dung trả lời không được để trống."), code="reply")
    letter.reply_sealed = envelope.seal(keys_of(letter).data, nfc(text))
    letter.replied_at = timezone.now()
    letter.status = Status.ANSWERED
    letter.save(update_fields=["reply_sealed", "replied_at", "status", "updated_at"])
    audit.record(actor, "letters.letter.answered", letter, unit=letter.holding_unit)
    return letter
