"""The org-tree admin page: browse, add, rename, move, merge and close units."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.core import policy
from kiemtra.core.errors import DomainError
from kiemtra.core.text import fold

from . import services
from .choices import DepartmentRole, UnitKind
from .forms import RegionalAssignmentForm, UnitChangeForm, UnitCreateForm
from .history import described
from .models import OrgUnit, OrgUnitQuerySet


def _errors(form: Form) -> str:
    """Each error with its field's label (not the field's code name, which is English)."""
    parts: list[str] = []
    for name, errors in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else ""
        parts += [str(e) if not label or str(e).startswith(label) else f"{label}: {e}" for e in errors]
    return "; ".join(parts)


def _require_manage(request: HttpRequest) -> None:
    policy.require(request.user, "orgs.manage")


SEARCH_CAP = 200  # matches shown with their ancestors; more asks the user to narrow the search
KIND_ORDER = {kind: i for i, kind in enumerate(UnitKind.values)}  # departments before provinces under the Centre


def _order(node: Node) -> tuple[int, int, str]:
    return (node.unit.depth, KIND_ORDER.get(node.unit.kind, 9), node.unit.name)


def _nodes(qs: OrgUnitQuerySet, closed: bool) -> OrgUnitQuerySet:
    """Units with the number of their (active, unless ``closed``) children, in name order."""
    children = Q() if closed else Q(children__valid_to__isnull=True)
    qs = qs.select_related("parent").annotate(n_children=Count("children", filter=children))
    return qs.order_by("name")


@dataclass
class Node:
    unit: OrgUnit
    children: list[Node] = field(default_factory=list)
    match: bool = False

    @property
    def expandable(self) -> bool:
        return bool(getattr(self.unit, "n_children", 0))


def _search_tree(matches: list[OrgUnit], closed: bool) -> list[Node]:
    """The matches and their ancestors as a tree: each match under the chain of units above it."""
    ancestor_ids = {int(pk) for unit in matches for pk in unit.path.strip("/").split("/") if pk}
    qs = OrgUnit.objects.filter(pk__in=ancestor_ids | {u.pk for u in matches})
    nodes = {u.pk: Node(u) for u in _nodes(qs, closed)}
    for unit in matches:
        nodes[unit.pk].match = True
    roots: list[Node] = []
    for node in sorted(nodes.values(), key=_order):
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    """The tree: the Centre and what is under it; a province opens to its communes on demand (htmx)."""
    _require_manage(request)
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    closed = request.GET.get("closed") == "1"
    base = OrgUnit.objects.all() if closed else OrgUnit.objects.active()
    roots: list[Node]
    found = None
    if q or kind:
        qs = base
        if q:
            # Every word, anywhere ("ba dinh" also finds "Phong Dinh … Ba"); when some units hold the
            # words as typed, side by side, those are what the user meant.
            qs = base.search(q)
            phrase = qs.filter(search_text__contains=fold(q))
            qs = phrase if phrase.exists() else qs
        if kind:
            qs = qs.filter(kind=kind)
        found = qs.count()
        roots = _search_tree(list(qs.order_by("path")[:SEARCH_CAP]), closed)
    else:
        top = list(_nodes(base.filter(parent__isnull=True), closed))
        second = _nodes(base.filter(parent__in=top), closed)
        roots = [Node(u) for u in top]
        by_pk = {n.unit.pk: n for n in roots}
        for node in sorted((Node(u) for u in second), key=_order):
            if node.unit.parent_id in by_pk:
                by_pk[node.unit.parent_id].children.append(node)
    from .loader import summary

    return render(
        request,
        "orgs/list.html",
        {
            "roots": roots,
            "found": found,
            "cap": SEARCH_CAP,
            "q": q,
            "kind": kind,
            "closed": closed,
            "kinds": UnitKind.choices,
            "summary": [(UnitKind(k).label, n) for k, n in summary().items()],
            "create_form": UnitCreateForm(),
        },
    )


@login_required
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    """The units directly under one unit: what the tree loads when a branch is opened."""
    _require_manage(request)
    unit = get_object_or_404(OrgUnit, pk=pk)
    closed = request.GET.get("closed") == "1"
    children = unit.children.all() if closed else unit.children.filter(valid_to__isnull=True)
    nodes = sorted((Node(u) for u in _nodes(children, closed)), key=_order)
    return render(request, "orgs/_branch.html", {"nodes": nodes, "closed": closed, "parent": unit})


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    unit = get_object_or_404(OrgUnit.objects.select_related("parent", "successor"), pk=pk)
    return render(
        request,
        "orgs/detail.html",
        {
            "unit": unit,
            "events": described(list(unit.events.select_related("actor").order_by("-effective_date", "-id"))),
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
        messages.error(request, _("Thông tin chưa hợp lệ: %(e)s") % {"e": _errors(form)})
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
        messages.error(request, _("Thông tin chưa hợp lệ: %(e)s") % {"e": _errors(form)})
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
        messages.error(request, _("Thông tin chưa hợp lệ: %(e)s") % {"e": _errors(form)})
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
