"""Forms 07/08/09/12 from the letters beside the report's figures (Quy định 06 Art. 7.4; Letters II item 8).

A statistician or leader picks a unit (a commission whose register they work on, or one directly below
that they follow) and a reporting period; per form the counts from the letters stand beside the
report's consolidated figures, differences highlighted. Prefilling is two steps like the discipline link
to forms 05/06: a preview lists the cells that will change, a POST applies exactly that plan
(``statistics_link.prefill``: the statistics save service, recorded as prefilled from letters).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies
from kiemtra.accounts.views.common import acting_user
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats.choices import ReportState
from kiemtra.stats.grid import Grid
from kiemtra.stats.models import Report, ReportingPeriod

from .. import statistics_link
from ..policies import SCOPE

FORM_TITLES = {
    "07": "Biểu 07 — Giải quyết tố cáo đối với đảng viên",
    "08": "Biểu 08 — Giải quyết tố cáo đối với tổ chức đảng",
    "09": "Biểu 09 — Giải quyết khiếu nại kỷ luật đảng",
    "12": "Biểu 12 — Tiếp nhận, xử lý đơn thư",
}


def _int(value: str | None, label: str) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise DomainError(_("%(field)s: giá trị không hợp lệ.") % {"field": label}, code="number")
    return int(text)


def unit_choices(actor: Any) -> list[OrgUnit]:
    """The commissions of the actor's registers and those directly below them (followed, Art. 7.2)."""
    ids = policies.scope(actor, SCOPE).unit_ids
    if not ids:
        raise PolicyDenied("letters.letter.read")
    mine = list(OrgUnit.objects.filter(pk__in=ids).order_by("path"))
    below = OrgUnit.objects.filter(parent_id__in=ids, valid_to__isnull=True).exclude(kind="department")
    return mine + list(below.order_by("path")[:500])


def page_url(unit: OrgUnit, period: ReportingPeriod, form: str, **more: str) -> str:
    return f"{reverse('letters:forms')}?{urlencode({'unit': unit.pk, 'period': period.pk, 'form': form, **more})}"


@dataclass
class Figure:
    stored: Decimal | None
    counted: Decimal | None
    differs: bool


@login_required
def forms_link(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    units = unit_choices(actor)
    periods = list(
        ReportingPeriod.objects.filter(form_versions__form__code__in=statistics_link.FORMS)
        .distinct()
        .order_by("-data_cutoff", "code")
    )
    unit_id = _int(request.GET.get("unit"), _("Đơn vị"))
    unit = get_object_or_404(OrgUnit, pk=unit_id) if unit_id is not None else (units[0] if units else None)
    if unit is not None and unit not in units:
        units.append(unit)  # a commission further below: ``compare`` decides whether it is followed
    period_id = _int(request.GET.get("period"), _("Kỳ báo cáo"))
    if period_id is not None:
        period: ReportingPeriod | None = get_object_or_404(ReportingPeriod, pk=period_id)
    else:
        period = next((p for p in periods if not p.is_trial), periods[0] if periods else None)
    form = request.GET.get("form") or "12"
    if form not in statistics_link.FORMS:
        raise DomainError(_("Biểu: chọn một trong các biểu 07, 08, 09, 12."), code="form")
    context: dict[str, Any] = {
        "units": units,
        "periods": periods,
        "unit": unit,
        "period": period,
        "form": form,
        "forms": list(FORM_TITLES.items()),
        "breadcrumbs": [(_("Đối chiếu biểu 07, 08, 09, 12 với đơn thư"), None)],
    }
    version = (
        period.form_versions.select_related("form").filter(form__code=form).first() if period is not None else None
    )
    if unit is not None and period is not None and version is not None:
        comparison = statistics_link.compare(actor, unit, period, version)
        report = comparison.report
        may_enter = policies.can(actor, "stats.enter", unit)
        columns = Grid.of(version).columns
        rows = [
            (
                row,
                [
                    Figure(
                        stored,
                        counted,
                        report is not None and counted is not None and counted != (stored or Decimal(0)),
                    )
                    for _cell, stored, counted in cells
                ],
            )
            for row, cells in comparison.rows
        ]
        context.update(
            comparison=comparison,
            report=report,
            rows=rows,
            columns=columns,
            may_enter=may_enter,
            can_prefill=bool(may_enter and report is not None and report.state == ReportState.DRAFT),
            preview=request.GET.get("preview") == "1",
            preview_url=page_url(unit, period, form, preview="1"),
            back_url=page_url(unit, period, form),
        )
    return render(request, "letters/forms_link.html", context)


@login_required
@require_POST
def forms_prefill(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    report_id = _int(request.POST.get("report"), _("Báo cáo"))
    if report_id is None:
        raise DomainError(_("Báo cáo: thiếu báo cáo cần điền sẵn."), code="report")
    report = get_object_or_404(Report.objects.select_related("unit", "period", "form_version__form"), pk=report_id)
    revision = _int(request.POST.get("revision"), _("Phiên bản báo cáo"))
    if revision is None:
        raise DomainError(_("Phiên bản báo cáo: thiếu, hãy xem trước rồi xác nhận lại."), code="revision")
    result, cells = statistics_link.prefill(
        actor, report, expected_revision=revision, plan_digest=request.POST.get("plan", "")[:64]
    )
    messages.success(request, _("Đã điền sẵn %(n)s ô của báo cáo từ sổ đơn thư (đã ghi nhật ký).") % {"n": cells})
    for problem in result.problems:
        messages.warning(request, problem.message)
    return redirect(page_url(report.unit, report.period, report.form_version.form.code))
