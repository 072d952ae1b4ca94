"""Discipline decisions beside forms 05 and 06 (Quy định 11 Art. 12), and prefilling a report from them.

The page needs the unit in both the reader's statistics scope and discipline
scope. Prefilling is a two-step action: a preview lists every cell that will
change, then a POST applies exactly that list (``statistics_link.prefill``,
which writes through the statistics service).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module
from kiemtra.accounts.policies import Scope
from kiemtra.accounts.views.common import acting_user
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats.choices import ReportState
from kiemtra.stats.lookup import tree_choices
from kiemtra.stats.models import Column, Report, ReportingPeriod

from .. import filters
from ..choices import IssuingLevel
from ..statistics_link import FORM_SUBJECTS, compare, prefill, row_items, version_for


def _scopes(request: HttpRequest) -> tuple[Scope, Scope]:
    stats, discipline = (policies.scope(request.user, m) for m in (Module.STATS, Module.DISCIPLINE))
    if not stats or not discipline:
        raise PolicyDenied("discipline.stats_link")
    return stats, discipline


def _require_unit(unit: OrgUnit, stats: Scope, discipline: Scope) -> None:
    if unit not in stats or unit not in discipline:
        raise PolicyDenied("discipline.stats_link")


def _int(value: str | None) -> int | None:
    """A non-negative whole number that fits the database, or None."""
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


@dataclass
class HeaderCell:
    label: str
    colspan: int = 1
    rowspan: int = 1
    title: str = ""


def header(columns: list[Column]) -> tuple[list[HeaderCell], list[HeaderCell]]:
    """Two header rows: "Hình thức kỷ luật: Khiển trách" groups under "Hình thức kỷ luật", as on the paper form."""
    top: list[HeaderCell] = []
    below: list[HeaderCell] = []
    group_of_last = ""
    for column in columns:
        group, sep, item = column.label.partition(": ")
        if sep:
            if group == group_of_last:
                top[-1].colspan += 1
            else:
                top.append(HeaderCell(group))
            below.append(HeaderCell(f"{column.code}. {item}", title=column.label))
            group_of_last = group
        else:
            top.append(HeaderCell(f"{column.code}. {column.label}", rowspan=2, title=column.label))
            group_of_last = ""
    return top, below


def page_url(unit: OrgUnit, period: ReportingPeriod, form_code: str, **more: str) -> str:
    query = {"unit": unit.pk, "period": period.pk, "form": form_code, **more}
    return f"{reverse('discipline:stats_link')}?{urlencode(query)}"


@login_required
def stats_link(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    stats, discipline = _scopes(request)
    units = [u for u in tree_choices(discipline) if u in stats]
    periods = list(
        ReportingPeriod.objects.filter(form_versions__form__code__in=list(FORM_SUBJECTS))
        .distinct()
        .order_by("-data_cutoff", "code")
    )
    problems: list[str] = []
    unit_id = _int(request.GET.get("unit"))
    if request.GET.get("unit") and unit_id is None:
        problems.append(_("Mã đơn vị không hợp lệ."))
    unit = get_object_or_404(OrgUnit, pk=unit_id) if unit_id is not None else (units[0] if units else None)
    if unit is not None:
        _require_unit(unit, stats, discipline)
        if unit not in units:
            units.append(unit)
    period_id = _int(request.GET.get("period"))
    if request.GET.get("period") and period_id is None:
        problems.append(_("Kỳ báo cáo không hợp lệ."))
    if period_id is not None:
        period: ReportingPeriod | None = get_object_or_404(ReportingPeriod, pk=period_id)
    else:
        period = next((p for p in periods if not p.is_trial), periods[0] if periods else None)
    form_code = filters.clean_value(request.GET.get("form") or "05")
    if form_code not in FORM_SUBJECTS:
        problems.append(_("Biểu '%(f)s' không thống kê kỷ luật: chọn biểu 05 hoặc 06.") % {"f": form_code[:20]})
        form_code = "05"
    context: dict[str, Any] = {
        "units": units,
        "periods": periods,
        "forms": [
            ("05", _("Biểu 05 — Thi hành kỷ luật đảng viên")),
            ("06", _("Biểu 06 — Thi hành kỷ luật tổ chức đảng")),
        ],
        "unit": unit,
        "period": period,
        "form_code": form_code,
        "problems": problems,
        "row_items": [],
        "breadcrumbs": [(_("Đối chiếu với thống kê"), None)],
    }
    version = version_for(period, form_code) if period is not None else None
    items = row_items(period.data_cutoff if period is not None else None) if version is None else None
    if unit is not None and period is not None and version is not None:
        comparison = compare(unit, period, version)
        report = comparison.report
        may_enter = policies.can(actor, "stats.enter", unit)
        context.update(
            comparison=comparison,
            report=report,
            may_enter=may_enter,
            can_prefill=bool(may_enter and report is not None and report.state == ReportState.DRAFT),
            preview=request.GET.get("preview") == "1",
            preview_url=page_url(unit, period, form_code, preview="1"),
            back_url=page_url(unit, period, form_code),
            header=header([c for c in comparison.shape.grid.columns if c.cell_type != "text"]),
        )
        items = comparison.shape.row_items
    context["row_items"] = [
        (IssuingLevel(level).label, item) for level, item in (items or {}).items() if level in IssuingLevel.values
    ]
    return render(request, "discipline/stats_link.html", context)


@login_required
@require_POST
def stats_prefill(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    stats, discipline = _scopes(request)
    report_id = _int(request.POST.get("report"))
    if report_id is None:
        messages.error(request, _("Thiếu báo cáo cần điền sẵn."))
        return redirect("discipline:stats_link")
    report = get_object_or_404(Report.objects.select_related("unit", "period", "form_version__form"), pk=report_id)
    _require_unit(report.unit, stats, discipline)
    back = page_url(report.unit, report.period, report.form_version.form.code)
    revision = _int(request.POST.get("revision"))
    if revision is None:
        messages.error(request, _("Thiếu số phiên bản của báo cáo: hãy xem trước rồi xác nhận lại."))
        return redirect(back)
    try:
        plan = filters.clean_value(request.POST.get("plan", ""))
        result, cells = prefill(actor, report, expected_revision=revision, plan_digest=plan)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(
        request,
        _("Đã điền sẵn %(n)s ô của báo cáo từ cơ sở dữ liệu kỷ luật (đã ghi nhật ký).") % {"n": cells},
    )
    for problem in result.problems:
        messages.warning(request, problem.message)
    return redirect(back)


urlpatterns: list[URLPattern] = [
    path("doi-chieu-thong-ke/", stats_link, name="stats_link"),
    path("doi-chieu-thong-ke/dien-san/", stats_prefill, name="stats_prefill"),
]
