"""Documents of a case file: encrypted at rest, versioned, text read by the shared reader, searchable (item 4).

Each document has its own data key, wrapped by the master keyring the letters
module keeps outside the database (the same envelope encryption): a stolen
database or bucket holds neither the bytes nor the text in clear.

Search uses keyed digests of the folded words (``core.crypto.blind_word``), the
same scheme as classified discipline decisions and letters: the database never
holds a document's words, only HMACs of them, and a query is turned into the
same HMACs. The trade-off, accepted: exact words only (no prefixes, no ranking).
Full-text over decrypted text would need the plaintext (or a decrypted index) in
the database or the search engine, which is what encryption at rest is meant to
prevent. Results are then restricted to the files the user may read.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from kiemtra.accounts import policies as account_policies
from kiemtra.audit import services as audit
from kiemtra.core import ocr
from kiemtra.core.crypto import blind_word
from kiemtra.core.errors import DomainError
from kiemtra.core.text import fold
from kiemtra.letters import envelope, keyring

from ..models import CaseDocument, CaseFile

MAX_BYTES = 50 * 1024 * 1024
WORD = re.compile(r"\w+")


def words_of(text: str) -> set[str]:
    return {w for w in WORD.findall(fold(text)) if len(w) > 1}


def tokens_of(text: str) -> str:
    return " ".join(sorted(blind_word(w) for w in words_of(text)))


def read_text(data: bytes, filename: str, *, use_ocr: bool = True) -> tuple[str, str]:
    """(text, content type) by the kernel reader: the text layer, else Tesseract when ``use_ocr``."""
    try:
        result = ocr.read_document(data, filename, ocr=use_ocr)
    except ocr.ReadError as problem:
        raise DomainError(problem.message, code=problem.code) from None
    return result.text, result.content_type


def store(
    actor: Any,
    case: CaseFile,
    title: str,
    filename: str,
    data: bytes,
    *,
    text: str | None = None,
    content_type: str = "",
    use_ocr: bool = True,
    check_policy: bool = True,
) -> CaseDocument:
    """A new document, or a new version of one with the same title; nothing is overwritten."""
    if check_policy:
        account_policies.require(actor, "cases.case.work", case)
    if not title.strip():
        raise DomainError(_("Phải ghi tên tài liệu."), code="title")
    if not data:
        raise DomainError(_("Tệp %(name)s rỗng.") % {"name": filename}, code="empty")
    if len(data) > MAX_BYTES:
        raise DomainError(_("Tệp %(name)s quá lớn.") % {"name": filename}, code="too_large")
    if text is None:
        text, content_type = read_text(data, filename, use_ocr=use_ocr)
    data_key = keyring.new_data_key()
    key_id, wrapped = keyring.wrap(data_key)
    with transaction.atomic():
        last = CaseDocument.objects.filter(case=case, title=title.strip()).aggregate(v=Max("version"))["v"] or 0
        name = default_storage.save(
            f"cases/{case.pk}/{ocr.sha256(data)[:16]}.bin", ContentFile(envelope.seal_bytes(data_key, data))
        )
        document = CaseDocument.objects.create(
            case=case,
            title=title.strip(),
            version=last + 1,
            filename=filename[:255],
            content_type=content_type,
            sha256=ocr.sha256(data),
            envelope={"key_id": key_id, "wrapped": wrapped},
            storage_name=name,
            text_encrypted=envelope.seal(data_key, text),
            search_tokens=tokens_of(text),
            uploaded_by=actor,
        )
        audit.record(
            actor, "cases.document.stored", case, unit=case.unit, document=document.pk, version=document.version
        )
    return document


def _key(document: CaseDocument) -> bytes:
    return keyring.unwrap(document.envelope["key_id"], document.envelope["wrapped"])


def read_bytes(actor: Any, document: CaseDocument) -> bytes:
    """The original, for someone who may read the file (or reopen evidence they sent); every read audited."""
    account_policies.require(actor, "cases.document.read", document)
    with default_storage.open(document.storage_name, "rb") as handle:
        data = envelope.open_bytes(_key(document), handle.read())
    with transaction.atomic():
        audit.record_read(actor, "cases.document.read", document.case, unit=document.case.unit, document=document.pk)
    return data


def text_of(document: CaseDocument) -> str:
    """The decrypted text (for the archive copy, built by a service that already checked the reader)."""
    return str(envelope.open_sealed(_key(document), document.text_encrypted) or "")


def readable_cases(actor: Any) -> QuerySet[CaseFile]:
    """The files whose content this user may read: team, leadership of the unit, added readers."""
    from django.db.models import Q

    from kiemtra.accounts.choices import Function, Module

    if not account_policies.grants_in(actor, Module.CASES):
        return CaseFile.objects.none()
    led = [
        g.unit.pk for g in account_policies.grants_in(actor, Module.CASES) if Function.CASE_LEADERSHIP in g.functions
    ]
    return CaseFile.objects.filter(Q(unit_id__in=led) | Q(team__person=actor) | Q(accesses__person=actor)).distinct()


def search(actor: Any, query: str) -> QuerySet[CaseDocument]:
    """Documents having every word of the query, among the files this user may read."""
    words = words_of(query)
    if not words:
        raise DomainError(_("Từ khóa: nhập ít nhất một từ (hai chữ cái trở lên) để tìm."), code="query")
    qs = CaseDocument.objects.filter(case__in=readable_cases(actor))
    for word in words:
        qs = qs.filter(search_tokens__contains=blind_word(word))
    return qs.select_related("case").order_by("-uploaded_at")


def record_search(actor: Any, shown: list[CaseDocument]) -> None:
    """The titles a search showed are a read of those files: audited (their ids, never the query's words)."""
    with transaction.atomic():
        audit.record(
            actor,
            "cases.document.searched",
            None,
            is_read=True,
            documents=[d.pk for d in shown],
            cases=sorted({d.case_id for d in shown}),
        )
