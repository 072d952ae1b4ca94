"""The case list with its progress (per commission and for the upper one) and a case's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies as account_policies
from kiemtra.core.errors import DomainError
from kiemtra.discipline.choices import PenaltyCode

from . import categories as violation_categories
from . import forms, links, policies, views_file
from .models import CaseDocument, CaseFile, CaseStep, RequestReport
from .services.cases import open_case_for_reading, record_step
from .services.documents import read_bytes
from .views_actions import case_people

LIST_PAGE_SIZE = 50


@dataclass(frozen=True)
class Cursor:
    """A row's place in the list's order (newest decision first, then the newest file): the keyset of a page."""

    day: dt.date
    pk: int

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        if not text:
            return None
        day, _sep, pk = text.partition(".")
        try:
            return cls(dt.date.fromisoformat(day), int(pk))
        except ValueError:
            raise DomainError(_("Trang: liên kết trang không hợp lệ, hãy quay lại trang đầu."), code="page") from None

    @classmethod
    def of(cls, case: CaseFile) -> str:
        return f"{case.decision_date.isoformat()}.{case.pk}"


def _page_link(request: HttpRequest, **cursor: str) -> str:
    """The same filters, another page."""
    params = request.GET.copy()
    for name in ("sau", "truoc"):
        params.pop(name, None)
    params.update(cursor)
    return "?" + params.urlencode()


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Progress and conclusions of the files in scope; no content (need-to-know).

    Paged by keyset (the index on the decision date and id), not by offset and a count: a
    province's subtree holds hundreds of thousands of files, and a page reads only its rows
    plus one to know whether a next page exists.
    """
    scope = account_policies.scope(request.user, policies.SCOPE)
    mine = request.GET.get("mine") == "1"
    if not scope and not mine:
        raise PermissionDenied
    qs = CaseFile.objects.filter(team__person_id=request.user.pk) if mine else scope.filter(CaseFile.objects.all())
    qs = qs.select_related("unit")
    after, before = Cursor.parse(request.GET.get("sau")), Cursor.parse(request.GET.get("truoc"))
    if before is not None:
        newer = Q(decision_date__gt=before.day) | Q(decision_date=before.day, pk__gt=before.pk)
        oldest_first = qs.filter(newer, decision_date__gte=before.day).order_by("decision_date", "pk")
        rows = list(oldest_first[: LIST_PAGE_SIZE + 1])
        has_previous, has_next = len(rows) > LIST_PAGE_SIZE, True
        cases = rows[:LIST_PAGE_SIZE][::-1]
    else:
        if after is not None:
            older = Q(decision_date__lt=after.day) | Q(decision_date=after.day, pk__lt=after.pk)
            qs = qs.filter(older, decision_date__lte=after.day)
        rows = list(qs.order_by("-decision_date", "-pk")[: LIST_PAGE_SIZE + 1])
        has_previous, has_next = after is not None, len(rows) > LIST_PAGE_SIZE
        cases = rows[:LIST_PAGE_SIZE]
    today = timezone.localdate()
    return render(
        request,
        "cases/list.html",
        {
            "cases": cases,
            "today": today,
            "mine": mine,
            "first_url": _page_link(request) if has_previous else "",
            "previous_url": _page_link(request, truoc=Cursor.of(cases[0])) if has_previous and cases else "",
            "next_url": _page_link(request, sau=Cursor.of(cases[-1])) if has_next and cases else "",
        },
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(CaseFile.objects.select_related("unit"), pk=pk)
    user = request.user
    if not account_policies.can(user, "cases.case.read", case):
        if account_policies.can(user, "cases.case.request_content", case):
            return views_file.request_page(request, case)
        raise PermissionDenied
    open_case_for_reading(user, case)
    steps = list(case.steps.all())
    current = next((s for s in steps if s.actual_end is None), None)
    may_manage = account_policies.can(user, "cases.case.manage", case)
    conclusion = getattr(case, "conclusion", None)
    team = list(case.team.select_related("person"))
    accesses = list(case.accesses.select_related("person", "granted_by").order_by("granted_at", "pk"))
    people = case_people(case)
    excluded = {m.person_id for m in team} | {a.person_id for a in accesses}
    reports = _reports(conclusion)
    may_conclude = may_manage and conclusion is None and case.state == "open"
    requests = conclusion.requests.select_related("responsible_unit").order_by("due", "pk") if conclusion else []
    return render(
        request,
        "cases/case.html",
        {
            "case": case,
            "steps": steps,
            "current": current,
            "may_work": account_policies.can(user, "cases.case.work", case),
            "team": team,
            "documents": case.documents.order_by("title", "-version"),
            "may_manage": may_manage,
            "people": people if case.state == "open" else [],
            "accesses": accesses,
            "readers": [p for p in people if p.pk not in excluded] if may_manage else [],
            "conclusion": conclusion,
            "conclude_form": _conclude_form(case) if may_conclude else None,
            "discipline": links.discipline_of(user, case),
            "penalties": PenaltyCode.choices,
            "may_follow_up": conclusion is not None
            and conclusion.carried_out_at is None
            and account_policies.can(user, "cases.open", case.unit),
            "follows_up": links.followed_case(case),
            "requests": [
                (
                    r,
                    account_policies.can(request.user, "cases.request.report", r),
                    account_policies.can(request.user, "cases.request.verify", r),
                    reports.get(r.pk, []),
                )
                for r in requests
            ],
        },
    )


REQUEST_ROWS = 3  # empty rows of the requests' table on the conclusion form


def _conclude_form(case: CaseFile) -> dict[str, Any]:
    return {
        "categories": violation_categories.for_subject(case.subject_kind),
        "units": forms.responsible_units(case),
        "rows": range(REQUEST_ROWS),
    }


def _reports(conclusion: Any) -> dict[int, list[RequestReport]]:
    """Each request's reports with their evidence, newest first (one query)."""
    if conclusion is None:
        return {}
    out: dict[int, list[RequestReport]] = {}
    reports = RequestReport.objects.filter(request__conclusion=conclusion).select_related("evidence")
    for report in reports.order_by("-reported_at", "-pk"):
        out.setdefault(report.request_id, []).append(report)
    return out


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A document's original, for a reader of the file; the read is audited by the service."""
    doc = get_object_or_404(CaseDocument.objects.select_related("case", "case__unit"), pk=pk)
    if not account_policies.can(request.user, "cases.document.read", doc):
        raise PermissionDenied
    response = HttpResponse(read_bytes(request.user, doc), content_type=doc.content_type or "application/pdf")
    suffix = PurePosixPath(doc.filename).suffix.lower() or ".pdf"
    response["Content-Disposition"] = f'attachment; filename="{doc.pk}-v{doc.version}{suffix}"'
    return response


@login_required
@require_POST
def finish_step(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    """The team records that a step ended today."""
    step = get_object_or_404(CaseStep.objects.select_related("case", "case__unit"), pk=step_pk, case_id=pk)
    record_step(request.user, step, finished=timezone.localdate())
    messages.success(request, _("Đã ghi nhận hoàn thành bước \u201c%(step)s\u201d.") % {"step": step.title})
    return redirect("cases:case", pk)
