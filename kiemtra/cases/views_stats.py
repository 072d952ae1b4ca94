"""Forms 01–04 and 10 from the case files beside the report (issue 14 item 8), and prefilling the report.

The page needs the unit in both the reader's statistics scope and case scope;
prefilling applies exactly the preview shown (its digest), through the statistics
save service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats.models import Report, ReportingPeriod

from .statistics_link import FORM_KINDS, compare, prefill


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


@login_required
def stats_link(request: HttpRequest) -> HttpResponse:
    stats, cases = policies.scope(request.user, Module.STATS), policies.scope(request.user, Module.CASES)
    if not stats or not cases:
        raise PolicyDenied("cases.stats_link")
    periods = list(ReportingPeriod.objects.order_by("-data_cutoff")[:24])
    code = request.GET.get("bieu") or "01"
    if code not in FORM_KINDS:
        raise DomainError(_("Biểu %(f)s không tính từ hồ sơ kiểm tra.") % {"f": code}, code="form")
    period_id = _int(request.GET.get("ky"))
    period = next((p for p in periods if p.pk == period_id), periods[0] if periods else None)
    unit_id = _int(request.GET.get("don-vi"))
    units = [
        u for u in OrgUnit.objects.filter(valid_to__isnull=True).order_by("path")[:2000] if u in stats and u in cases
    ]
    unit = next((u for u in units if u.pk == unit_id), units[0] if units else None)
    comparison = None
    if period is not None and unit is not None:
        version = period.form_versions.select_related("form").filter(form__code=code).first()
        if version is not None:
            comparison = compare(unit, period, version)
    columns = list(comparison.version.columns.all()) if comparison else []
    labels = {c.pk: c.label for c in columns}
    return render(
        request,
        "cases/stats_link.html",
        {
            "comparison": comparison,
            "periods": periods,
            "period": period,
            "units": units,
            "unit": unit,
            "codes": list(FORM_KINDS),
            "code": code,
            "labels": labels,
        },
    )


@login_required
def stats_prefill(request: HttpRequest, report_pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("cases:stats_link")
    report = get_object_or_404(Report.objects.select_related("unit", "period", "form_version__form"), pk=report_pk)
    revision = _int(request.POST.get("revision"))
    if revision is None:
        raise DomainError(_("Thiếu phiên bản của báo cáo."), code="revision")
    prefill(request.user, report, expected_revision=revision, plan_digest=request.POST.get("plan", ""))
    messages.success(request, _("Đã điền sẵn số liệu từ hồ sơ kiểm tra vào báo cáo."))
    query = f"?ky={report.period_id}&bieu={report.form_version.form.code}&don-vi={report.unit_id}"
    return redirect(f"{request.build_absolute_uri('/kiem-tra/doi-chieu-thong-ke/')}{query}")
