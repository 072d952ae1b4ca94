"""The progress board (per commission, and for the upper one across its subordinates) and the overdue lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kiemtra.accounts import policies as account_policies

from . import policies
from .models import CaseFile, CaseStep
from .services.followup import by_province, overdue_by_unit


def board_rows(scope: account_policies.Scope, year: int, today: object) -> list[dict]:
    """Per commission: open, concluded, closed files of the year and the open ones with a late step."""
    cases = scope.filter(CaseFile.objects.filter(year=year))
    late_cases = (
        scope.filter(
            CaseStep.objects.filter(
                case__year=year, case__state="open", actual_end__isnull=True, planned_end__lt=today
            ),
            "case__unit",
        )
        .values("case_id")
        .distinct()
    )
    rows = list(
        cases.values("unit_id", "unit__name")
        .annotate(
            open=Count("pk", filter=Q(state="open")),
            concluded=Count("pk", filter=Q(state="concluded")),
            closed=Count("pk", filter=Q(state="closed")),
            late=Count("pk", filter=Q(pk__in=late_cases)),
        )
        .order_by("unit__name")
    )
    return rows


@login_required
def board(request: HttpRequest) -> HttpResponse:
    scope = account_policies.scope(request.user, policies.SCOPE)
    if not scope:
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("nam") or today.year)
    except ValueError:
        year = today.year
    return render(request, "cases/board.html", {"rows": board_rows(scope, year, today), "year": year})


@login_required
def overdue_list(request: HttpRequest) -> HttpResponse:
    """Conclusions with a request past due, by commission and by province."""
    scope = account_policies.scope(request.user, policies.SCOPE)
    if not scope:
        raise PermissionDenied
    rows = overdue_by_unit(scope)
    return render(request, "cases/overdue.html", {"rows": rows, "provinces": by_province(rows)})
