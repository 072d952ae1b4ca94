"""Applying an uploaded workbook (the preview ``excel.parse_upload`` made) — a state change, so a service.

Every changed report of the workbook is saved through ``reports.save_values`` in
one transaction, quoting the revision recorded at download: a report changed
since then is refused as stale and nothing of the file is stored.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError

from ..models import Report
from . import reports

if TYPE_CHECKING:  # excel imports the services; the preview is only a type here
    from ..excel import UploadPreview


def stale_message(name: str) -> str:
    return _(
        "%(name)s: báo cáo đã được cập nhật trên phần mềm sau khi tệp được tải về. Để không ghi đè số liệu mới, "
        "tệp không được áp dụng: hãy tải biểu mới (có số liệu), sửa lại rồi tải lên."
    ) % {"name": name}


@transaction.atomic
def apply_upload(actor: Any, preview: UploadPreview, now: dt.datetime | None = None) -> list[Report]:
    """Save every changed report of the workbook, all or nothing; returns the reports saved."""
    if preview.errors:
        raise DomainError(
            _("Tệp còn %(n)s ô sai: sửa rồi tải lên lại. Chưa có số liệu nào được lưu.") % {"n": len(preview.errors)},
            code="bad_value",
        )
    if not preview.changed:
        raise DomainError(_("Tệp không có số liệu nào khác với số liệu đang lưu."), code="no_changes")
    saved = []
    for item in preview.changed:
        name = _("%(sheet)s (%(unit)s)") % {"sheet": item.sheet, "unit": item.report.unit.name}
        try:
            result = reports.save_values(
                actor, item.report, dict(item.values), expected_revision=item.revision, now=now
            )
        except reports.StaleRevision as exc:
            # Raising leaves the atomic block: the reports saved before this one are rolled back too.
            raise DomainError(
                stale_message(name) + " " + _("Chưa có số liệu nào trong tệp được lưu."), code="stale_revision"
            ) from exc
        except DomainError as exc:  # a PolicyDenied is not one: it passes through, a 403
            raise DomainError(
                _("%(name)s: %(message)s Chưa có số liệu nào trong tệp được lưu.") % {"name": name, "message": exc},
                code=exc.code,
            ) from exc
        saved.append(result.report)
    audit.record(
        actor,
        "stats.import",
        None,
        unit=saved[0].unit if len({r.unit_id for r in saved}) == 1 else None,
        filename=preview.filename,
        reports=[r.pk for r in saved],
        revisions=[r.revision for r in saved],
    )
    return saved
