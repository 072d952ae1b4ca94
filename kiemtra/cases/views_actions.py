"""The case's actions as pages: open a file, assign the team, conclude, report on a request, verify it.

Each view reads the posted fields, calls the service (which checks the policy and
validates), and goes back to the case; a ``DomainError`` becomes a 400 with its
Vietnamese message naming the field (the kernel's middleware), nothing stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies as account_policies
from kiemtra.accounts.choices import Function, Module
from kiemtra.accounts.models import RoleGrant, User
from kiemtra.core.errors import DomainError
from kiemtra.core.widgets import parse_date
from kiemtra.orgs.models import OrgUnit

from . import forms
from .choices import CaseKind, SubjectKind
from .models import CaseFile, ProgrammeItem, RemedialRequest
from .services import cases, followup


def _date(request: HttpRequest, field: str, label: str) -> dt.date:
    day = parse_date(request.POST.get(field))
    if day is None:
        raise DomainError(_("%(field)s: nhập ngày theo dạng ngày/tháng/năm.") % {"field": label}, code=field)
    return day


def _leading_units(user: Any) -> list[OrgUnit]:
    return [g.unit for g in account_policies.grants_in(user, Module.CASES) if Function.CASE_LEADERSHIP in g.functions]


@login_required
def open_page(request: HttpRequest) -> HttpResponse:
    units = _leading_units(request.user)
    if not units:
        raise PermissionDenied
    items = ProgrammeItem.objects.filter(programme__unit__in=units, programme__state="approved").select_related(
        "programme__unit"
    )
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), units[0])
        item = items.filter(pk=request.POST.get("item") or 0).first()
        opening = cases.Opening(
            kind=item.kind if item else request.POST.get("kind", ""),
            subject_kind=item.subject_kind if item else request.POST.get("subject_kind", ""),
            subject_name=item.subject_name if item else request.POST.get("subject_name", ""),
            decision_number=request.POST.get("decision_number", ""),
            decision_date=_date(request, "decision_date", _("Ngày quyết định")),
            signer=request.POST.get("signer", ""),
            subject_unit=item.subject_unit if item else None,
        )
        case = cases.open_case(request.user, item.programme.unit if item else unit, opening, item=item)
        messages.success(request, _("Đã mở hồ sơ %(number)s.") % {"number": case.decision_number})
        return redirect("cases:case", case.pk)
    return render(
        request,
        "cases/open.html",
        {
            "units": units,
            "items": items,
            "selected": request.GET.get("item", ""),
            "kinds": CaseKind.choices,
            "subject_kinds": SubjectKind.choices,
        },
    )


def case_people(case: CaseFile) -> list[User]:
    """Who may be put on the team: holders of an officer role at the case's commission."""
    ids = RoleGrant.objects.active().filter(unit=case.unit, module=Module.CASES).values_list("person_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name"))


@login_required
@require_POST
def set_team(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(CaseFile.objects.select_related("unit"), pk=pk)
    people = {str(p.pk): p for p in case_people(case)}
    leader = people.get(request.POST.get("leader", ""))
    if leader is None:
        raise DomainError(_("Trưởng đoàn: chọn một người của ủy ban kiểm tra."), code="leader")
    members = [people[m] for m in request.POST.getlist("members") if m in people]
    cases.set_team(request.user, case, leader, members)
    messages.success(request, _("Đã phân công đoàn kiểm tra."))
    return redirect("cases:case", pk)


@login_required
@require_POST
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    """Every field of the structured conclusion (issue 14 item 5); the requests are rows of a table."""
    case = get_object_or_404(CaseFile.objects.select_related("unit", "subject_unit"), pk=pk)
    if not account_policies.can(request.user, "cases.case.manage", case):
        raise PermissionDenied
    fields = forms.conclusion_fields(request.POST, case)
    followup.conclude(
        request.user,
        case,
        violations_found=fields.violations_found,
        shortcomings=fields.shortcomings,
        categories=fields.categories,
        content=fields.content,
        responsibility=fields.responsibility,
        concluded_on=fields.concluded_on,
        discipline_required=fields.discipline_required,
        penalty=fields.penalty,
        measures=fields.measures,
        notice_number=fields.notice_number,
        requests=fields.requests,
    )
    messages.success(request, _("Đã ghi kết luận."))
    return redirect("cases:case", pk)


@login_required
@require_POST
def report_request(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(RemedialRequest.objects.select_related("conclusion__case__unit"), pk=pk)
    upload = request.FILES.get("evidence")
    evidence = (upload.name or "bang-chung", upload.read()) if upload is not None else None
    followup.report_done(request.user, item, request.POST.get("text", ""), evidence_file=evidence)
    messages.success(request, _("Đã ghi báo cáo thực hiện yêu cầu."))
    # Back where the report was written: the lower commission does not read the case file itself.
    if account_policies.can(request.user, "cases.case.read", item.conclusion.case):
        return redirect("cases:case", item.conclusion.case_id)
    return redirect("cases:requests")


@login_required
@require_POST
def verify_request(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(RemedialRequest.objects.select_related("conclusion__case__unit"), pk=pk)
    accepted = request.POST.get("decision") == "verify"
    followup.verify(request.user, item, accepted=accepted, reason=request.POST.get("reason", ""))
    messages.success(request, _("Đã xác minh yêu cầu.") if accepted else _("Đã trả lại báo cáo."))
    return redirect("cases:case", item.conclusion.case_id)
