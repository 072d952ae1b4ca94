"""The digitised backlog (issue 14 item 7; 001 3.1: every commission loads its files of 2010–now).

A folder per case: ``manifest.json`` with the case's metadata and its scanned
documents. ``start_import`` validates each folder's manifest, opens the case as a
closed historical file, and queues each document (stored encrypted while it
waits); ``process_queued`` reads them one at a time (text layer or OCR) — run by
the scheduler job, or to the end by the CLI — so a page shows a progress bar and
a bad file only fails itself. A document whose bytes are already in the system is
recognised by its SHA-256 and not stored twice.

Built on the discipline ingest's pattern rather than on its code: that machinery
is bound to discipline's own models (batch, item, source document, extraction),
and lifting it into the kernel would have changed discipline's tables and tests.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies as account_policies
from kiemtra.audit import services as audit
from kiemtra.core import ocr
from kiemtra.core.crypto import decrypt_bytes, encrypt_bytes
from kiemtra.core.errors import DomainError
from kiemtra.core.text import nfc
from kiemtra.orgs.models import OrgUnit

from ..choices import CaseKind, CaseSource, CaseState, SubjectKind
from ..models import CaseDocument, CaseFile, ImportBatch, ImportItem
from . import documents

MANIFEST = "manifest.json"
ACCEPTED = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"})
MAX_FILES = 5000


@dataclass(frozen=True)
class Incoming:
    folder: str
    name: str
    data: bytes


def from_directory(root: Path) -> list[Incoming]:
    """Every file one level down: ``root/<case folder>/<file>``."""
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for f in sorted(p for p in folder.iterdir() if p.is_file()):
            out.append(Incoming(folder.name, f.name, f.read_bytes()))
    return out


def from_zip(data: bytes) -> list[Incoming]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DomainError(_("Tệp tải lên không phải tệp nén ZIP hợp lệ."), code="zip") from None
    out = []
    for info in archive.infolist():
        parts = PurePosixPath(info.filename).parts
        if info.is_dir() or len(parts) < 2:
            continue
        out.append(Incoming(parts[-2], parts[-1], archive.read(info)))
    return out


def _date(value: Any, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(
            _("Trường %(field)s không phải ngày hợp lệ (YYYY-MM-DD).") % {"field": field}, code=field
        ) from None


def parse_manifest(data: bytes) -> dict[str, Any]:
    """The case's metadata; an error names the field."""
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DomainError(_("Tệp manifest.json không đọc được (JSON, UTF-8)."), code="manifest") from None
    if not isinstance(raw, dict):
        raise DomainError(_("Tệp manifest.json phải là một đối tượng JSON."), code="manifest")
    for field in ("kind", "subject_name", "decision_number", "decision_date", "signer"):
        if not str(raw.get(field) or "").strip():
            raise DomainError(_("manifest.json thiếu trường %(field)s.") % {"field": field}, code=field)
    if raw["kind"] not in CaseKind.values:
        raise DomainError(_("manifest.json: loại hồ sơ %(kind)s không hợp lệ.") % {"kind": raw["kind"]}, code="kind")
    subject_kind = raw.get("subject_kind") or SubjectKind.MEMBER
    if subject_kind not in SubjectKind.values:
        raise DomainError(_("manifest.json: loại đối tượng không hợp lệ."), code="subject_kind")
    decision_date = _date(raw["decision_date"], "decision_date")
    return {
        "kind": raw["kind"],
        "subject_kind": subject_kind,
        "subject_name": nfc(str(raw["subject_name"]).strip()),
        "decision_number": str(raw["decision_number"]).strip(),
        "decision_date": decision_date,
        "signer": str(raw["signer"]).strip(),
        "grounds": str(raw.get("summary") or ""),
    }


@transaction.atomic
def start_import(actor: Any, unit: OrgUnit, files: list[Incoming], *, use_ocr: bool = True) -> ImportBatch:
    account_policies.require(actor, "cases.import", unit)
    if not files:
        raise DomainError(_("Không có tệp nào để nạp."), code="files")
    if len(files) > MAX_FILES:
        raise DomainError(_("Một lần nạp tối đa %(n)d tệp.") % {"n": MAX_FILES}, code="files")
    batch = ImportBatch.objects.create(unit=unit, started_by=actor, use_ocr=use_ocr)
    by_folder: dict[str, list[Incoming]] = defaultdict(list)
    for f in files:
        by_folder[f.folder].append(f)
    items: list[ImportItem] = []
    for folder, folder_files in sorted(by_folder.items()):
        manifest = next((f for f in folder_files if f.name == MANIFEST), None)
        scans = [f for f in folder_files if f.name != MANIFEST]
        case, problem = None, ""
        if manifest is None:
            problem = _("Thư mục %(folder)s không có manifest.json.") % {"folder": folder}
        else:
            try:
                case = _backlog_case(actor, unit, parse_manifest(manifest.data))
            except DomainError as error:
                problem = str(error.message)
        for f in scans:
            item = ImportItem(batch=batch, case=case, folder=folder[:255], filename=f.name[:255])
            if problem:
                item.outcome, item.message = "failed", problem
            elif PurePosixPath(f.name).suffix.lower() not in ACCEPTED:
                item.outcome, item.message = "failed", _("Định dạng tệp %(name)s không được nhận.") % {"name": f.name}
            else:
                item.staged_name = default_storage.save(
                    f"cases/import/{batch.pk}/{len(items)}.bin", ContentFile(encrypt_bytes(f.data))
                )
            items.append(item)
        if not scans:
            items.append(
                ImportItem(
                    batch=batch,
                    case=case,
                    folder=folder[:255],
                    filename=MANIFEST,
                    outcome="failed" if problem else "stored",
                    message=problem,
                )
            )
    ImportItem.objects.bulk_create(items)
    audit.record(actor, "cases.import.started", batch, unit=unit, files=len(files), folders=len(by_folder))
    return batch


def _backlog_case(actor: Any, unit: OrgUnit, m: dict[str, Any]) -> CaseFile:
    if CaseFile.objects.filter(unit=unit, decision_number=m["decision_number"]).exists():
        raise DomainError(
            _("Hồ sơ số %(number)s đã có trong hệ thống.") % {"number": m["decision_number"]}, code="duplicate_case"
        )
    return CaseFile.objects.create(
        unit=unit,
        kind=m["kind"],
        source=CaseSource.BACKLOG,
        state=CaseState.CLOSED,
        subject_kind=m["subject_kind"],
        subject_name=m["subject_name"],
        decision_number=m["decision_number"],
        decision_date=m["decision_date"],
        signer=m["signer"],
        grounds=m["grounds"],
        year=m["decision_date"].year,
        opened_by=actor,
        closed_at=timezone.now(),
    )


def process_item(item: ImportItem) -> ImportItem:
    """Read and store one document; its outcome is recorded whatever happens to it."""
    data = decrypt_bytes(default_storage.open(item.staged_name, "rb").read())
    digest = ocr.sha256(data)
    existing = CaseDocument.objects.filter(sha256=digest).select_related("case").first()
    if existing is not None:
        item.outcome = "duplicate"
        item.message = _("Trùng với tài liệu \u201c%(title)s\u201d của hồ sơ %(number)s.") % {
            "title": existing.title,
            "number": existing.case.decision_number,
        }
        item.document = existing
    else:
        try:
            assert item.case is not None
            document = documents.store(
                item.batch.started_by,
                item.case,
                Path(item.filename).stem,
                item.filename,
                data,
                use_ocr=item.batch.use_ocr,
                check_policy=False,  # the batch's start checked cases.import; backlog files are closed
            )
            item.outcome, item.document = "stored", document
        except DomainError as error:
            item.outcome, item.message = "failed", str(error.message)
    default_storage.delete(item.staged_name)
    item.save(update_fields=["outcome", "message", "document"])
    return item


def process_queued(limit: int = 20) -> int:
    done = 0
    for item in ImportItem.objects.filter(outcome="queued").select_related("batch", "case")[:limit]:
        process_item(item)
        done += 1
        _finish_if_done(item.batch)
    return done


def _finish_if_done(batch: ImportBatch) -> None:
    if batch.state == "running" and not batch.items.filter(outcome="queued").exists():
        ImportBatch.objects.filter(pk=batch.pk).update(state="finished", finished_at=timezone.now())


def progress(batch: ImportBatch) -> dict[str, int]:
    counts = dict.fromkeys(("queued", "stored", "duplicate", "failed"), 0)
    for outcome in batch.items.values_list("outcome", flat=True):
        counts[outcome] = counts.get(outcome, 0) + 1
    total = sum(counts.values())
    counts["total"] = total
    counts["percent"] = int((total - counts["queued"]) * 100 / total) if total else 100
    return counts
