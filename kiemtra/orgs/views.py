"""The org-tree admin page: browse, add, rename, move, merge and close units."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.core import policy
from kiemtra.core.errors import DomainError

from . import services
from .choices import DepartmentRole
from .forms import RegionalAssignmentForm, UnitChangeForm, UnitCreateForm
from .models import OrgUnit


def _require_manage(request: HttpRequest) -> None:
    policy.require(request.user, "orgs.manage")


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    qs = OrgUnit.objects.select_related("parent").annotate(n_children=Count("children"))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.search(q)
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
    if request.GET.get("closed") != "1":
        qs = qs.filter(valid_to__isnull=True)
    page = Paginator(qs.order_by("path"), 50).get_page(request.GET.get("page"))
    from .loader import summary

    return render(
        request,
        "orgs/list.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "summary": summary(),
            "create_form": UnitCreateForm(),
        },
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    unit = get_object_or_404(OrgUnit.objects.select_related("parent", "successor"), pk=pk)
    return render(
        request,
        "orgs/detail.html",
        {
            "unit": unit,
            "events": unit.events.select_related("actor").order_by("-effective_date", "-id"),
            "children": unit.children.order_by("name")[:200],
            "followed": unit.regional_assignments.filter(valid_to__isnull=True).select_related("province"),
            "form": UnitChangeForm(),
            "regional_form": RegionalAssignmentForm(
                initial={"provinces": [a.province_id for a in unit.regional_assignments.filter(valid_to__isnull=True)]}
            )
            if unit.department_role == DepartmentRole.REGIONAL
            else None,
            "breadcrumbs": [(_("Cây đơn vị"), "orgs:list"), (unit.name, None)],
        },
    )


@login_required
@require_POST
def unit_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    form = UnitCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thông tin chưa hợp lệ: %(e)s") % {"e": form.errors.as_text()})
        return redirect("orgs:list")
    try:
        unit = services.create_unit(request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("orgs:list")
    messages.success(request, _("Đã thêm đơn vị %(u)s.") % {"u": unit})
    return redirect("orgs:detail", pk=unit.pk)


@login_required
@require_POST
def unit_change(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    unit = get_object_or_404(OrgUnit, pk=pk)
    form = UnitChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thông tin chưa hợp lệ: %(e)s") % {"e": form.errors.as_text()})
        return redirect("orgs:detail", pk=pk)
    data = form.cleaned_data
    common = {"effective": data["effective"], "document_ref": data["document_ref"]}
    action, target = data["action"], data["target"]
    try:
        if action == "rename":
            services.rename_unit(request.user, unit, name=data["name"], **common)
        elif action == "close":
            services.close_unit(request.user, unit, **common)
        elif target is None:
            raise DomainError(_("Phải chọn đơn vị đích."), code="target_required")
        elif action == "move":
            services.move_unit(request.user, unit, new_parent=target, **common)
        else:
            services.merge_units(request.user, [unit], into=target, **common)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("orgs:detail", pk=pk)
    messages.success(request, _("Đã cập nhật đơn vị."))
    return redirect("orgs:detail", pk=pk)


@login_required
@require_POST
def regional_assignment(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    department = get_object_or_404(OrgUnit, pk=pk, department_role=DepartmentRole.REGIONAL)
    form = RegionalAssignmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thông tin chưa hợp lệ: %(e)s") % {"e": form.errors.as_text()})
    else:
        services.assign_provinces(
            request.user,
            department,
            list(form.cleaned_data["provinces"]),
            effective=form.cleaned_data["effective"],
            document_ref=form.cleaned_data["document_ref"],
        )
        messages.success(request, _("Đã cập nhật địa bàn theo dõi."))
    return redirect("orgs:detail", pk=pk)
