"""The validation report of a unit: every current report with the rules it breaks."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from ..choices import Severity
from ..services import board as board_services
from ..services import reports as report_services
from .entry import _unit_for


@login_required
def validation_report(request: HttpRequest) -> HttpResponse:
    """For the unit and, with ``cap_duoi=1``, its direct subordinates (those the user follows)."""
    unit = _unit_for(request, request.GET.get("don_vi"))
    units = [unit]
    if request.GET.get("cap_duoi") == "1":
        units += list(unit.children.filter(valid_to__isnull=True).order_by("name"))
    rows: list[dict[str, Any]] = []
    for each in units:
        for report in board_services.current_reports(each):
            problems = report_services.validate(report)
            rows.append(
                {
                    "report": report,
                    "blocking": [p for p in problems if p.severity == Severity.BLOCKING],
                    "warnings": [p for p in problems if p.severity == Severity.WARNING],
                }
            )
    return render(
        request,
        "stats/validation.html",
        {
            "unit": unit,
            "rows": rows,
            "with_subordinates": len(units) > 1,
            "blocking_total": sum(len(r["blocking"]) for r in rows),
            "warning_total": sum(len(r["warnings"]) for r in rows),
            "breadcrumbs": [(_("Báo cáo thống kê"), "stats:reports"), (_("Kiểm tra số liệu"), None)],
        },
    )


urlpatterns: list[URLPattern] = [path("kiem-tra-so-lieu/", validation_report, name="validation")]
