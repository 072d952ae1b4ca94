"""The validation report of a unit: every current report with the rules it breaks."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Case, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from ..choices import Severity
from ..models import Report
from ..services import board as board_services
from .entry import _unit_for

PAGE_SIZE = 25  # reports with their problems: a page of messages, not a province's


@login_required
def validation_report(request: HttpRequest) -> HttpResponse:
    """For the unit and, with ``cap_duoi=1``, its direct subordinates (those the user follows)."""
    unit = _unit_for(request, request.GET.get("don_vi"))
    with_subordinates = request.GET.get("cap_duoi") == "1"
    # One query for every report, and the checks batched (``validate_many``): a province's
    # 127 communes × 14 forms are checked in a fixed number of queries.
    unit_ids = [unit.pk]
    if with_subordinates:  # the units first: an OR across the join made PostgreSQL scan every report
        unit_ids += list(unit.children.filter(valid_to__isnull=True).values_list("pk", flat=True))
    batch = list(
        Report.objects.filter(board_services.current(), unit_id__in=unit_ids)
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
    blocking_total = warning_total = valid_below = 0
    for report in batch:
        problems = checked[report.pk]
        blocking = [p for p in problems if p.severity == Severity.BLOCKING]
        warnings = [p for p in problems if p.severity == Severity.WARNING]
        blocking_total += len(blocking)
        warning_total += len(warnings)
        if report.unit_id != unit.pk and not problems:
            valid_below += 1  # a subordinate's valid report is counted, not listed
            continue
        rows.append({"report": report, "blocking": blocking, "warnings": warnings})
    # The rows are paged: a province's page stays small whatever its communes got wrong.
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(1, int(request.GET["trang"]) if request.GET.get("trang", "").isdigit() else 1), pages)
    base = {"don_vi": str(unit.pk), **({"cap_duoi": "1"} if with_subordinates else {})}
    return render(
        request,
        "stats/validation.html",
        {
            "unit": unit,
            "rows": rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
            "with_subordinates": with_subordinates,
            "blocking_total": blocking_total,
            "warning_total": warning_total,
            "valid_below": valid_below,
            "page": page,
            "pages": pages,
            "previous_url": "?" + urlencode({**base, "trang": page - 1}) if page > 1 else "",
            "next_url": "?" + urlencode({**base, "trang": page + 1}) if page < pages else "",
            "breadcrumbs": [(_("Báo cáo thống kê"), "stats:reports"), (_("Kiểm tra số liệu"), None)],
        },
    )


urlpatterns: list[URLPattern] = [path("kiem-tra-so-lieu/", validation_report, name="validation")]
