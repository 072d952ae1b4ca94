"""Closing a file: its archive copy as one PDF/A-2b document with a table of contents and a checksum (item 4).

002 VII.2 asks PDF/A for archives. WeasyPrint writes PDF/A-2b (``pdf_variant``);
the copy holds the decision, the team, the steps, the conclusion and the text of
every document, in order, after a table of contents. Its SHA-256 is kept on the
case (and in the audit record), so any later copy can be checked against it.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies as account_policies
from kiemtra.audit import services as audit
from kiemtra.core import ocr
from kiemtra.core.errors import DomainError
from kiemtra.letters import envelope, keyring

from ..choices import CaseState
from ..models import CaseFile
from .documents import text_of

PDF_VARIANT = "pdf/a-2b"


def render_archive(case: CaseFile) -> bytes:
    from weasyprint import HTML

    documents = [
        {"anchor": f"doc-{d.pk}", "title": d.title, "version": d.version, "filename": d.filename, "text": text_of(d)}
        for d in case.documents.order_by("uploaded_at", "pk")
    ]
    html = render_to_string(
        "cases/archive.html",
        {
            "case": case,
            "team": case.team.select_related("person"),
            "steps": case.steps.all(),
            "conclusion": getattr(case, "conclusion", None),
            "documents": documents,
        },
    )
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def close_case(actor: Any, case: CaseFile) -> CaseFile:
    """Only a concluded file is closed; the archive copy is stored encrypted and its checksum kept."""
    account_policies.require(actor, "cases.case.manage", case)
    case = CaseFile.objects.select_related("unit").get(pk=case.pk)
    if case.state != CaseState.CONCLUDED:
        raise DomainError(_("Chỉ lưu trữ được hồ sơ đã có kết luận."), code="state")
    pdf = render_archive(case)  # outside the transaction: rendering takes seconds
    checksum = ocr.sha256(pdf)
    data_key = keyring.new_data_key()
    key_id, wrapped = keyring.wrap(data_key)
    name = default_storage.save(
        f"cases/{case.pk}/archive-{checksum[:16]}.bin", ContentFile(envelope.seal_bytes(data_key, pdf))
    )
    with transaction.atomic():
        locked = CaseFile.objects.select_for_update().get(pk=case.pk)
        if locked.state != CaseState.CONCLUDED:
            default_storage.delete(name)
            raise DomainError(_("Chỉ lưu trữ được hồ sơ đã có kết luận."), code="state")
        locked.state = CaseState.CLOSED
        locked.closed_at = timezone.now()
        locked.archive_sha256 = checksum
        locked.archive_envelope = {"key_id": key_id, "wrapped": wrapped, "name": name}
        locked.save(update_fields=["state", "closed_at", "archive_sha256", "archive_envelope"])
        audit.record(actor, "cases.case.closed", locked, unit=locked.unit, sha256=checksum)
    return locked


def read_archive(actor: Any, case: CaseFile) -> bytes:
    account_policies.require(actor, "cases.case.read", case)
    if not case.archive_sha256:
        raise DomainError(_("Hồ sơ chưa được lưu trữ."), code="not_archived")
    env = case.archive_envelope
    with default_storage.open(env["name"], "rb") as handle:
        pdf = envelope.open_bytes(keyring.unwrap(env["key_id"], env["wrapped"]), handle.read())
    if ocr.sha256(pdf) != case.archive_sha256:
        raise DomainError(_("Bản lưu trữ không khớp mã kiểm tra."), code="checksum")
    with transaction.atomic():
        audit.record_read(actor, "cases.archive.read", case, unit=case.unit)
    return pdf
