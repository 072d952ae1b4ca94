"""Requests of conclusions addressed to the user's commission (issue 14 item 6).

The lower commission reports on the subject's behalf here: the request, its due date, what was reported and
sent back, and the evidence it sent — without reading the rest of the case file, which stays need-to-know.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import policies
from .choices import RequestState
from .models import RemedialRequest, RequestReport

PER_PAGE = 50
WAITING = (RequestState.OPEN, RequestState.SENT_BACK)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    units = policies.officer_units(request.user)
    if not units:
        raise PermissionDenied
    show_all = request.GET.get("tat_ca") == "1"
    rows = RemedialRequest.objects.filter(responsible_unit__in=units).select_related(
        "conclusion__case__unit", "responsible_unit"
    )
    if not show_all:
        rows = rows.filter(state__in=WAITING)
    page = Paginator(rows.order_by("due", "pk"), PER_PAGE).get_page(request.GET.get("trang"))
    return render(
        request,
        "cases/requests.html",
        {"page": page, "rows": _with_reports(list(page.object_list)), "show_all": show_all},
    )


def _with_reports(items: list[RemedialRequest]) -> list[tuple[RemedialRequest, list[RequestReport]]]:
    """Each request with its reports, newest first (one query for the page)."""
    reports: dict[int, list[RequestReport]] = {}
    found = RequestReport.objects.filter(request__in=items).select_related("evidence").order_by("-reported_at", "-pk")
    for report in found:
        reports.setdefault(report.request_id, []).append(report)
    return [(item, reports.get(item.pk, [])) for item in items]


def waiting_count(user: Any) -> int:
    units = policies.officer_units(user)
    return RemedialRequest.objects.filter(responsible_unit__in=units, state__in=WAITING).count() if units else 0
