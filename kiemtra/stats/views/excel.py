"""Excel and PDF pages: download forms, upload a filled workbook (preview, then apply), exports.

Every view asks the policy first: downloads need ``stats.view`` on the unit, uploads
``stats.enter``. The uploaded file is kept server-side (default storage, under a random
token remembered in the uploader's session) between the preview and the confirmation;
the confirmation re-reads that file, never a diff sent back by the browser.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Function
from kiemtra.accounts.views.common import acting_user
from kiemtra.core.downloads import XLSX_CONTENT_TYPE, attachment
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.models import OrgUnit

from .. import excel
from ..ids import object_id
from ..models import Report, ReportingPeriod
from ..services import exports, uploads

UPLOAD_DIR = "stats/uploads"
SESSION_KEY = "stats_excel_uploads"
KEEP_UPLOADS = 5  # per session: a user previewing a sixth file forgets the oldest
STALE_UPLOAD = dt.timedelta(days=1)  # files of previews never confirmed are swept after this
PDF_CONTENT_TYPE = "application/pdf"


def _reports() -> Any:
    return Report.objects.select_related("unit", "unit__parent", "period", "form_version__form")


def _filename(*parts: str, ext: str) -> str:
    # ASCII names survive every browser and mail gateway; the Vietnamese title is inside the file.
    stem = "_".join(re.sub(r"[^A-Za-z0-9.-]+", "-", p).strip("-") for p in parts if p)
    return f"{stem}.{ext}"


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    return attachment(data, filename, content_type)


@login_required
@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(_reports(), pk=pk)
    filled = request.GET.get("filled") == "1"
    data = exports.report_workbook(acting_user(request), report, filled=filled)
    name = _filename(
        f"Bieu-{report.form_version.form.code}",
        report.unit.code,
        report.period.code,
        "" if filled else "trong",
        ext="xlsx",
    )
    return _download(data, name, XLSX_CONTENT_TYPE)


def _id(text: str) -> int:
    found = object_id(text)
    if found is None:
        raise ValueError(text)  # answered 404 by the callers
    return found


def _unit_from(request: HttpRequest, params: Any) -> OrgUnit:
    """The unit named by ``don_vi`` (an upper unit entering for a lower one), else the current unit."""
    if params.get("don_vi"):
        try:
            return get_object_or_404(OrgUnit, pk=_id(params["don_vi"]))
        except ValueError:
            raise Http404 from None
    unit = getattr(request, "current_unit", None)
    if unit is None:
        raise PolicyDenied("stats.view")
    return unit  # type: ignore[no-any-return]


@login_required
@require_GET
def period_xlsx(request: HttpRequest, period_pk: int) -> HttpResponse:
    """Every form of the unit for the period, one sheet each, in one workbook."""
    period = get_object_or_404(ReportingPeriod, pk=period_pk)
    unit = _unit_from(request, request.GET)
    policies.require(request.user, "stats.view", unit)  # before saying whether the unit has reports
    reports = list(_reports().filter(unit=unit, period=period).order_by("form_version__form__code"))
    if not reports:
        raise Http404(_("Đơn vị không có biểu nào trong kỳ báo cáo này."))
    filled = request.GET.get("filled") == "1"
    data = exports.period_workbook(acting_user(request), unit, period, reports, filled=filled)
    return _download(
        data,
        _filename("Bao-cao", unit.code, period.code, "" if filled else "trong", ext="xlsx"),
        XLSX_CONTENT_TYPE,
    )


@login_required
@require_GET
def report_consolidated_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(_reports(), pk=pk)
    data = exports.consolidated_workbook(acting_user(request), report)
    name = _filename(f"Tong-hop-Bieu-{report.form_version.form.code}", report.unit.code, report.period.code, ext="xlsx")
    return _download(data, name, XLSX_CONTENT_TYPE)


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(_reports(), pk=pk)
    data = exports.consolidated_pdf(acting_user(request), report)
    name = _filename(f"Bieu-{report.form_version.form.code}", report.unit.code, report.period.code, ext="pdf")
    return _download(data, name, PDF_CONTENT_TYPE)


# --- upload ------------------------------------------------------------------------


@dataclass
class Target:
    """What the user said they are uploading: a report, or a unit's forms for a period, or anything."""

    report: Report | None = None
    unit: OrgUnit | None = None
    period: ReportingPeriod | None = None

    def params(self) -> dict[str, str]:
        if self.report is not None:
            return {"bao_cao": str(self.report.pk)}
        found = {}
        if self.period is not None:
            found["ky"] = str(self.period.pk)
        if self.unit is not None:
            found["don_vi"] = str(self.unit.pk)
        return found

    def query(self) -> str:
        params = self.params()
        return "?" + urlencode(params) if params else ""


def _target(request: HttpRequest, params: Any) -> Target:
    """Resolve the context and check that the user may enter data there (403 otherwise)."""
    user = request.user
    try:
        if params.get("bao_cao"):
            report = get_object_or_404(_reports(), pk=_id(params["bao_cao"]))
            policies.require(user, "stats.enter", report.unit)
            return Target(report=report, unit=report.unit, period=report.period)
        period = get_object_or_404(ReportingPeriod, pk=_id(params["ky"])) if params.get("ky") else None
    except ValueError:
        raise Http404 from None
    if period is not None or params.get("don_vi"):
        unit = _unit_from(request, params)
        policies.require(user, "stats.enter", unit)
        return Target(unit=unit, period=period)
    # No context: any workbook of a unit the user enters data for (checked per sheet on upload).
    if not policies.has_function(user, Function.STATISTICIAN):
        raise PolicyDenied("stats.enter")
    return Target()


def _parse(request: HttpRequest, data: bytes, target: Target, filename: str) -> excel.UploadPreview:
    return excel.parse_upload(
        data,
        acting_user(request),
        target.unit,
        target.period,
        expected_version=target.report.form_version if target.report else None,
        filename=filename,
    )


def _sweep() -> None:
    """Delete files of previews that were never confirmed (best effort, the storage may be remote)."""
    try:
        _dirs, files = default_storage.listdir(UPLOAD_DIR)
        limit = timezone.now() - STALE_UPLOAD
        for name in files:
            full = f"{UPLOAD_DIR}/{name}"
            if default_storage.get_modified_time(full) < limit:
                default_storage.delete(full)
    except (OSError, NotImplementedError):
        pass


def _keep(request: HttpRequest, data: bytes, filename: str, target: Target) -> str:
    _sweep()
    token = secrets.token_urlsafe(24)
    stored = default_storage.save(f"{UPLOAD_DIR}/{token}.xlsx", ContentFile(data))
    pending: dict[str, dict[str, Any]] = request.session.get(SESSION_KEY, {})
    pending[token] = {"file": stored, "filename": filename, "params": target.params()}
    while len(pending) > KEEP_UPLOADS:
        oldest = next(iter(pending))
        default_storage.delete(pending.pop(oldest)["file"])
    request.session[SESSION_KEY] = pending
    return token


def _forget(request: HttpRequest, token: str) -> None:
    pending: dict[str, dict[str, Any]] = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    if entry is not None:
        default_storage.delete(entry["file"])
        request.session[SESSION_KEY] = pending


def _upload_page(
    request: HttpRequest, target: Target, errors: list[str] | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "stats/excel/upload.html",
        {"target": target, "errors": errors or [], "max_mb": excel.MAX_UPLOAD_BYTES // (1024 * 1024)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: read the workbook, check it, show the differences (nothing stored)."""
    target = _target(request, request.POST if request.method == "POST" else request.GET)
    if request.method == "GET":
        return _upload_page(request, target)
    file = request.FILES.get("tep")
    if file is None:
        return _upload_page(request, target, [_("Chọn tệp Excel (.xlsx) để tải lên.")], status=400)
    if file.size is not None and file.size > excel.MAX_UPLOAD_BYTES:
        return _upload_page(
            request, target, [_("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": excel.MAX_UPLOAD_BYTES // 2**20}], 400
        )
    data = file.read()
    filename = file.name or "tep.xlsx"
    try:
        preview = _parse(request, data, target, filename)
    except excel.UploadRefused as exc:
        return _upload_page(request, target, exc.reasons, status=400)
    token = _keep(request, data, filename, target)
    return render(request, "stats/excel/preview.html", {"preview": preview, "token": token, "target": target})


@login_required
@require_POST
def upload_apply(request: HttpRequest) -> HttpResponse:
    """Apply the previewed file, re-read from server-side storage, all reports in one transaction."""
    token = request.POST.get("token", "")
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or not default_storage.exists(entry["file"]):
        messages.error(request, _("Tệp đã tải lên không còn (phiên làm việc đã hết hạn): hãy tải tệp lên lại."))
        return redirect(reverse("stats:upload"))
    target = _target(request, entry["params"])
    with default_storage.open(entry["file"], "rb") as stored:
        data = stored.read()
    try:
        preview = _parse(request, data, target, entry["filename"])
        saved = uploads.apply_upload(acting_user(request), preview)
    except DomainError as exc:  # UploadRefused included
        messages.error(request, exc.message)
        _forget(request, token)
        return redirect(reverse("stats:upload") + target.query())
    _forget(request, token)
    messages.success(
        request,
        _("Đã cập nhật số liệu của %(n)s báo cáo từ tệp %(file)s: %(sheets)s.")
        % {
            "n": len(saved),
            "file": entry["filename"],
            "sheets": ", ".join(f"{r.form_version.form.code} — {r.unit.name}" for r in saved),
        },
    )
    return redirect(reverse("stats:upload") + target.query())


urlpatterns: list[URLPattern] = [
    path("bao-cao/<int:pk>/excel/", report_xlsx, name="report_xlsx"),
    path("bao-cao/<int:pk>/tong-hop/excel/", report_consolidated_xlsx, name="report_consolidated_xlsx"),
    path("bao-cao/<int:pk>/pdf/", report_pdf, name="report_pdf"),
    path("ky/<int:period_pk>/excel/", period_xlsx, name="period_xlsx"),
    path("excel/tai-len/", upload, name="upload"),
    path("excel/tai-len/ap-dung/", upload_apply, name="upload_apply"),
]
