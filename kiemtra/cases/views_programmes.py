"""The yearly programmes in scope (the upper commission sees its subordinates'): list, detail with plan versus
actual, drafting, amending and approving."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies as account_policies

from . import forms, policies
from .choices import CaseKind, SubjectKind
from .models import CaseFile, Programme
from .services import programmes

PAGE_SIZE = 20
BLANK_ROWS = 3


def drafting_units(user: object) -> list:
    """Where this user drafts programmes: the commissions where it holds an officer's function."""
    return [u for u in policies.officer_units(user) if account_policies.can(user, "cases.programme.draft", u)]


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    scope = account_policies.scope(request.user, policies.SCOPE)
    if not scope:
        raise PermissionDenied
    text = (request.GET.get("nam") or "").strip()
    year = int(text) if text.isdigit() and len(text) == 4 else timezone.localdate().year
    shown = scope.filter(Programme.objects.filter(year=year)).select_related("unit").order_by("unit__path", "-version")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "programme": p,
            "lines": programmes.plan_versus_actual(p),
            "may_approve": p.state == "draft" and account_policies.can(request.user, "cases.programme.approve", p.unit),
        }
        for p in page.object_list
    ]
    context = {"rows": rows, "year": year, "page": page, "may_draft": bool(drafting_units(request.user))}
    return render(request, "cases/programmes.html", context)


def _visible(request: HttpRequest, pk: int) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("unit", "drafted_by", "approved_by"), pk=pk)
    if not account_policies.can(request.user, "cases.view", programme.unit):
        raise PermissionDenied
    return programme


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The items with plan versus actual, the cases opened from each, the other versions, the actions allowed."""
    programme = _visible(request, pk)
    lines = programmes.plan_versus_actual(programme)
    opened = CaseFile.objects.filter(programme_item__key__in=[line.item.key for line in lines]).order_by("pk")
    by_key: dict[str, list[CaseFile]] = {}
    for case in opened.select_related("programme_item"):
        by_key.setdefault(case.programme_item.key, []).append(case)  # type: ignore[union-attr]
    user = request.user
    return render(
        request,
        "cases/programme.html",
        {
            "programme": programme,
            "lines": [(line, by_key.get(line.item.key, [])) for line in lines],
            "versions": Programme.objects.filter(unit=programme.unit, year=programme.year).order_by("version"),
            "may_approve": programme.state == "draft"
            and account_policies.can(user, "cases.programme.approve", programme.unit),
            "may_amend": programme.state == "approved"
            and account_policies.can(user, "cases.programme.draft", programme.unit),
            "may_open": programme.state == "approved" and account_policies.can(user, "cases.open", programme.unit),
        },
    )


def _form(request: HttpRequest, template_rows: list[dict], **context: object) -> HttpResponse:
    rows = template_rows + [{}] * BLANK_ROWS
    return render(
        request,
        "cases/programme_form.html",
        {"rows": rows, "kinds": CaseKind.choices, "subject_kinds": SubjectKind.choices, **context},
    )


@login_required
def programme_new(request: HttpRequest) -> HttpResponse:
    """An official drafts the year's programme of a commission; the leadership approves it on its page."""
    units = drafting_units(request.user)
    if not units:
        raise PermissionDenied
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
        if unit is None:
            raise PermissionDenied
        year = forms.year_field(request.POST)
        rows = forms.item_rows(request.POST)
        programme = programmes.draft_programme(request.user, unit, year, rows.items)
        messages.success(request, _("Đã lưu dự thảo chương trình năm %(year)s.") % {"year": year})
        return redirect("cases:programme", programme.pk)
    return _form(request, [], units=units, year=timezone.localdate().year + 1)


@login_required
def programme_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft version of an approved programme, starting from its items; the approved one stays in force."""
    programme = _visible(request, pk)
    if not account_policies.can(request.user, "cases.programme.draft", programme.unit):
        raise PermissionDenied
    if request.method == "POST":
        rows = forms.item_rows(request.POST)
        amended = programmes.amend_programme(
            request.user, programme, rows.items, request.POST.get("reason", ""), rows.keys
        )
        messages.success(request, _("Đã lưu dự thảo sửa đổi (phiên bản %(v)s).") % {"v": amended.version})
        return redirect("cases:programme", amended.pk)
    current = [
        {
            "kind": i.kind,
            "subject_kind": i.subject_kind,
            "subject_name": i.subject_name,
            "planned_start": i.planned_start,
            "planned_end": i.planned_end,
            "lead": i.lead,
            "key": i.key,
        }
        for i in programme.items.all()
    ]
    return _form(request, current, programme=programme)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.select_related("unit"), pk=pk)
    programmes.approve_programme(request.user, programme)
    messages.success(request, _("Đã phê duyệt chương trình."))
    return redirect("cases:programme", programme.pk)
