"""The validation report of a unit: every current report with the rules it breaks."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Case, Q, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from ..choices import Severity
from ..models import Report
from ..services import board as board_services
from .entry import _unit_for


@login_required
def validation_report(request: HttpRequest) -> HttpResponse:
    """For the unit and, with ``cap_duoi=1``, its direct subordinates (those the user follows)."""
    unit = _unit_for(request, request.GET.get("don_vi"))
    with_subordinates = request.GET.get("cap_duoi") == "1"
    # One query for every report, and the checks batched (``validate_many``): a province's
    # 127 communes × 14 forms are checked in a fixed number of queries.
    condition = Q(unit=unit)
    if with_subordinates:
        condition |= Q(unit__parent=unit, unit__valid_to__isnull=True)
    batch = list(
        Report.objects.filter(board_services.current(), condition)
        .select_related("unit", "period", "form_version__form")
        .order_by(
            Case(When(unit=unit, then=0), default=1),
            "unit__name",
            "-period__deadline",
            "period__code",
            "form_version__form__code",
        )
    )
    checked = board_services.validate_many(batch)
    rows: list[dict[str, Any]] = []
    for report in batch:
        problems = checked[report.pk]
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
            "with_subordinates": with_subordinates,
            "blocking_total": sum(len(r["blocking"]) for r in rows),
            "warning_total": sum(len(r["warnings"]) for r in rows),
            "breadcrumbs": [(_("Báo cáo thống kê"), "stats:reports"), (_("Kiểm tra số liệu"), None)],
        },
    )


urlpatterns: list[URLPattern] = [path("kiem-tra-so-lieu/", validation_report, name="validation")]
