"""Ingest: files in, evidence stored, decisions extracted and queued for reconciliation.

``start_batch`` only stores the uploaded files (encrypted) as queued items and
returns at once; ``process_queued`` — run by the scheduler process in the
embedded set-up and by Celery beat at scale — reads, OCRs and extracts them one
by one, so a batch of hundreds of scans shows a progress bar instead of
holding a request. One bad file gets its outcome and the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core import events
from kiemtra.core.crypto import decrypt_bytes, encrypt_bytes, encrypt_text
from kiemtra.core.errors import DomainError
from kiemtra.orgs.models import OrgUnit

from ..choices import BatchState, Confidentiality, IngestOutcome
from ..extraction import reading
from ..extraction.extractor import extract
from ..extraction.types import ExtractedDecision
from ..models import DocumentPage, IngestBatch, IngestItem, SourceDocument
from . import records

log = logging.getLogger(__name__)

# .txt: a published announcement or communiqué copied as text is a source like a signed decision
ACCEPTED_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt"})
MAX_FILE_BYTES = 60 * 1024 * 1024
MAX_BATCH_FILES = 2000
# Longer than OCR of the largest accepted file takes; a claim older than this belongs to a dead worker.
STALE_CLAIM = dt.timedelta(hours=1)
MAX_ZIP_BYTES = 2 * 1024 * 1024 * 1024  # unpacked: a zip bomb is refused before it fills the disk


class Upload:
    """One uploaded file: bytes in hand, or a file read only when its turn comes — a batch of hundreds of
    scans is never all in memory at once (Django keeps large uploads in temporary files)."""

    def __init__(
        self, name: str, data: bytes | None = None, *, file: IO[bytes] | None = None, size: int | None = None
    ) -> None:
        self.name = name
        self._data = data
        self._file = file
        self.size = len(data) if data is not None else size if size is not None else getattr(file, "size", None)

    def stream(self) -> IO[bytes]:
        if self._data is not None:
            return io.BytesIO(self._data)
        assert self._file is not None
        self._file.seek(0)
        return self._file

    def read(self) -> bytes:
        return self._data if self._data is not None else self.stream().read()


def _expand(uploads: Iterable[Upload]) -> list[Upload]:
    """Zips are opened (one level); everything else is taken as it is and judged later, per file."""
    files: list[Upload] = []
    for upload in uploads:
        if PurePosixPath(upload.name).suffix.lower() != ".zip":
            files.append(upload)
            continue
        try:
            archive = zipfile.ZipFile(upload.stream())
            members = [m for m in archive.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
        except zipfile.BadZipFile as exc:
            raise DomainError(
                _("Tệp nén %(name)s bị hỏng, không mở được.") % {"name": upload.name}, code="bad_zip"
            ) from exc
        if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
            raise DomainError(_("Tệp nén %(name)s quá lớn khi giải nén.") % {"name": upload.name}, code="zip_too_big")
        for member in members:
            files.append(Upload(f"{upload.name}/{member.filename}", file=archive.open(member), size=member.file_size))
    return files


@transaction.atomic
def start_batch(
    actor: Any, unit: OrgUnit, uploads: Iterable[Upload], confidentiality: str = Confidentiality.ORDINARY
) -> IngestBatch:
    """Queue the files of one upload; nothing is read yet."""
    policies.require(actor, "discipline.ingest", unit)
    if confidentiality not in Confidentiality.values:
        raise DomainError(_("Độ mật không hợp lệ."), code="bad_confidentiality")
    files = _expand(uploads)
    if not files:
        raise DomainError(_("Chưa chọn tệp nào để tải lên."), code="no_files")
    if len(files) > MAX_BATCH_FILES:
        raise DomainError(
            _("Một lần tải lên tối đa %(n)s tệp; hãy chia nhỏ lô.") % {"n": MAX_BATCH_FILES}, code="too_many_files"
        )
    batch = IngestBatch.objects.create(unit=unit, created_by=actor, confidentiality=confidentiality, total=len(files))
    for position, upload in enumerate(files, 1):
        item = IngestItem(batch=batch, filename=upload.name[:255], position=position)
        too_big = upload.size is not None and upload.size > MAX_FILE_BYTES  # known before reading it
        data = b"" if too_big else upload.read()
        if too_big or len(data) > MAX_FILE_BYTES:
            item.outcome = IngestOutcome.UNSUPPORTED
            item.message = _("Tệp lớn hơn %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        else:
            item.pending.save(f"{uuid.uuid4().hex}.bin", ContentFile(encrypt_bytes(data)), save=False)
        item.save()
        del data  # one file's bytes at a time
    IngestBatch.objects.filter(pk=batch.pk).update(done=_finished_count(batch.pk))
    audit.record(actor, "discipline.batch.started", batch, unit=unit, files=len(files), confidentiality=confidentiality)
    return batch


def process_queued(limit: int = 20) -> int:
    """Work through queued files, oldest first; returns how many were processed.

    A file whose worker died mid-way (claimed longer than ``STALE_CLAIM`` ago) is queued again first.
    """
    IngestItem.objects.filter(outcome=IngestOutcome.PROCESSING, claimed_at__lt=timezone.now() - STALE_CLAIM).update(
        outcome=IngestOutcome.QUEUED, claimed_at=None
    )
    processed = 0
    for item_id in (
        IngestItem.objects.filter(outcome=IngestOutcome.QUEUED).order_by("pk").values_list("pk", flat=True)[:limit]
    ):
        process_item(item_id)
        processed += 1
    return processed


def process_item(item_id: int) -> IngestItem | None:
    """Read, extract and store one queued file; any failure becomes the file's outcome.

    Reading and OCR run outside any transaction (SQLite takes its write lock at
    BEGIN; minutes of OCR must not hold it); only the storing is one transaction.
    """
    with transaction.atomic():
        claimed = IngestItem.objects.filter(pk=item_id, outcome=IngestOutcome.QUEUED).update(
            outcome=IngestOutcome.PROCESSING, claimed_at=timezone.now()
        )
    if not claimed:
        return None  # another worker has it, or it is done
    item = IngestItem.objects.select_related("batch__unit", "batch__created_by").get(pk=item_id)
    try:
        data = decrypt_bytes(item.pending.read())
        read = _read(item, data)
        with transaction.atomic():
            if read is not None:
                _store(item, data, *read)
    except Exception as exc:  # one broken file must not stop the batch; the user sees the outcome
        log.exception("ingest of %s failed", item.filename)
        item.outcome, item.message = IngestOutcome.FAILED, _("Lỗi khi xử lý tệp: %(e)s") % {"e": exc}
    with transaction.atomic():
        _finish(item)
    return item


def _finish(item: IngestItem) -> None:
    if item.pending:
        name = item.pending.name
        item.pending = None  # type: ignore[assignment]
        default_storage.delete(name)
    item.save()
    batch = item.batch
    # Counted, not incremented: a file read twice (its first worker presumed dead) is still one file.
    done = _finished_count(batch.pk)
    IngestBatch.objects.filter(pk=batch.pk).update(done=done)
    batch.done = done  # the audit record below names the batch with its count: not the stale one in memory
    if done >= batch.total and IngestBatch.objects.filter(pk=batch.pk, state=BatchState.RUNNING).update(
        state=BatchState.DONE
    ):
        outcomes = dict(batch.items.values_list("outcome").annotate(n=Count("pk")).order_by("outcome"))
        audit.record(batch.created_by, "discipline.batch.finished", batch, unit=batch.unit, outcomes=outcomes)
        _announce_finished(batch, outcomes)


def _announce_finished(batch: IngestBatch, outcomes: dict[str, int]) -> None:
    """Tell the uploader the batch is read and how many decisions now wait for reconciliation."""
    extracted = outcomes.get(IngestOutcome.EXTRACTED, 0)
    events.announce(
        "discipline.batch.read",
        [batch.created_by_id],
        _("Đã đọc xong lô %(batch)s: %(n)s/%(total)s tệp có quyết định cần đối soát")
        % {"batch": batch.pk, "n": extracted, "total": batch.total},
        url=reverse("discipline:batch", args=[batch.pk]),
        unit=batch.unit_id,
    )


def _finished_count(batch_id: int) -> int:
    unfinished = (IngestOutcome.QUEUED, IngestOutcome.PROCESSING)
    return IngestItem.objects.filter(batch_id=batch_id).exclude(outcome__in=unfinished).count()


def _read(item: IngestItem, data: bytes) -> tuple[reading.ReadResult, list[ExtractedDecision]] | None:
    """The slow part: text layer or OCR, then extraction. None when the item got its outcome already."""
    try:
        result = reading.read_document(data, item.filename)
    except reading.ReadError as exc:
        item.outcome, item.message = _OUTCOME_OF_READ_ERROR.get(exc.code, IngestOutcome.FAILED), exc.message
        return None
    found = extract(result.pages)
    if not found:
        item.outcome = IngestOutcome.NOT_A_DECISION
        item.message = _("Không tìm thấy quyết định kỷ luật nào trong tài liệu (%(n)s trang).") % {
            "n": len(result.pages)
        }
        return None
    return result, found


def _store(item: IngestItem, data: bytes, result: reading.ReadResult, found: list[ExtractedDecision]) -> None:
    batch = item.batch
    sha256 = hashlib.sha256(data).hexdigest()
    existing = SourceDocument.objects.filter(sha256=sha256).first()
    if existing is not None:
        item.outcome, item.document = IngestOutcome.DUPLICATE_FILE, existing
        item.message = duplicate_message(batch.created_by, existing)
        return
    fresh = [d for d in found if not records.is_duplicate(d)]
    if not fresh:
        item.outcome = IngestOutcome.DUPLICATE_DECISION
        item.message = _("Các quyết định trong tệp đã có trong cơ sở dữ liệu (cùng số, cùng cơ quan ban hành).")
        return
    document = _store_document(item, data, sha256, result)
    for position, extracted in enumerate(fresh, 1):
        records.create_from_extraction(batch.created_by, batch.unit, document, position, extracted)
    item.document, item.decisions, item.outcome = document, len(fresh), IngestOutcome.EXTRACTED
    # What became of them since (waiting, published, rejected) is read from the decisions, not written here.
    item.message = _("Bóc tách được %(n)s quyết định.") % {"n": len(fresh)}
    if skipped := len(found) - len(fresh):
        item.message += " " + _("Bỏ qua %(n)s quyết định đã có.") % {"n": skipped}


def duplicate_message(uploader: Any, existing: SourceDocument) -> str:
    """The same file was stored before: named, with its day, only to someone who may open it.

    Anyone else learns that it was uploaded already, not which file, where or when (another unit's
    classified file is nobody else's business).
    """
    may_open = policies.can(uploader, "discipline.ingest", existing.unit) and (
        not existing.is_classified or policies.can(uploader, "discipline.read_classified", existing.unit)
    )
    if not may_open:
        return _("Tệp này đã được tải lên trước đây.")
    return _("Tệp trùng với tệp %(name)s đã tải lên ngày %(day)s.") % {
        "name": existing.filename,
        "day": timezone.localtime(existing.uploaded_at).strftime("%d/%m/%Y"),
    }


_OUTCOME_OF_READ_ERROR = {
    "corrupt": IngestOutcome.CORRUPT,
    "encrypted": IngestOutcome.ENCRYPTED,
    "empty": IngestOutcome.EMPTY,
    "unsupported": IngestOutcome.UNSUPPORTED,
    "too_many_pages": IngestOutcome.TOO_MANY_PAGES,
}


def _store_document(item: IngestItem, data: bytes, sha256: str, result: reading.ReadResult) -> SourceDocument:
    batch = item.batch
    document = SourceDocument(
        sha256=sha256,
        filename=PurePosixPath(item.filename).name[:255],
        content_type=result.content_type,
        size=len(data),
        unit=batch.unit,
        confidentiality=batch.confidentiality,
        uploaded_by=batch.created_by,
        page_count=len(result.pages),
    )
    document.file.save(f"{uuid.uuid4().hex}.bin", ContentFile(encrypt_bytes(data)), save=False)
    document.save()
    DocumentPage.objects.bulk_create(
        DocumentPage(
            document=document,
            number=page.number,
            source=page.source,
            ocr_confidence=page.confidence,
            stored_text=encrypt_text(page.text) if document.is_classified else page.text,
        )
        for page in result.pages
    )
    audit.record(batch.created_by, "discipline.document.stored", document, unit=batch.unit, pages=len(result.pages))
    return document
