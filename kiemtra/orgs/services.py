"""Changes to the tree: add, rename, move, merge, close. History is kept, nothing is deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kiemtra.audit import services as audit
from kiemtra.core import policy
from kiemtra.core.errors import DomainError

from . import tree
from .choices import UnitEventKind, UnitKind
from .models import OrgUnit, OrgUnitEvent, RegionalAssignment

# What must be settled before a unit closes without a successor, registered by the
# apps above orgs (accounts: no active grant left at the unit). Each raises DomainError.
_closing_checks: list[Callable[[OrgUnit], None]] = []


def register_closing_check(check: Callable[[OrgUnit], None]) -> None:
    if check not in _closing_checks:
        _closing_checks.append(check)


# Which kind of unit may sit under which.
ALLOWED_PARENT_KINDS: dict[str, set[str | None]] = {
    UnitKind.CENTRAL: {None},
    UnitKind.DEPARTMENT: {UnitKind.CENTRAL},
    UnitKind.PROVINCIAL: {UnitKind.CENTRAL},
    UnitKind.COMMUNE: {UnitKind.PROVINCIAL},
}


def _check_parent(kind: str, parent: OrgUnit | None) -> None:
    if (parent.kind if parent else None) not in ALLOWED_PARENT_KINDS[kind]:
        raise DomainError(_("Đơn vị loại này không thể trực thuộc đơn vị đã chọn."), code="wrong_parent")
    if parent is not None and not parent.is_active:
        raise DomainError(_("Đơn vị cấp trên đã ngừng hoạt động."), code="parent_closed")


def _event(
    unit: OrgUnit,
    kind: str,
    day: dt.date,
    actor: Any,
    document_ref: str,
    before: Mapping[str, object],
    after: Mapping[str, object],
) -> None:
    OrgUnitEvent.objects.create(
        unit=unit,
        kind=kind,
        effective_date=day,
        before=dict(before),
        after=dict(after),
        document_ref=document_ref,
        actor=actor,
    )
    audit.record(actor, f"orgs.unit.{kind}", unit, before=dict(before), after=dict(after), document_ref=document_ref)


@transaction.atomic
def create_unit(
    actor: Any,
    *,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    valid_from: dt.date,
    department_role: str = "",
    document_ref: str = "",
) -> OrgUnit:
    policy.require(actor, "orgs.manage")
    code = code.strip()
    if OrgUnit.objects.filter(code=code).exists():
        raise DomainError(_("Mã đơn vị %(code)s đã được dùng.") % {"code": code}, code="code_taken")
    _check_parent(kind, parent)
    unit = OrgUnit.objects.create(
        code=code,
        name=name.strip(),
        short_name=name.strip(),
        kind=kind,
        department_role=department_role if kind == UnitKind.DEPARTMENT else "",
        parent=parent,
        valid_from=valid_from,
    )
    tree.refresh_subtree(unit)
    _event(unit, UnitEventKind.CREATED, valid_from, actor, document_ref, {}, {"name": unit.name, "code": code})
    return unit


@transaction.atomic
def rename_unit(actor: Any, unit: OrgUnit, *, name: str, effective: dt.date, document_ref: str) -> OrgUnit:
    policy.require(actor, "orgs.manage")
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if not name.strip():
        raise DomainError(_("Tên mới không được để trống."), code="name_required")
    before = {"name": unit.name}
    unit.name = name.strip()
    unit.save(update_fields=["name", "updated_at"])
    _event(unit, UnitEventKind.RENAMED, effective, actor, document_ref, before, {"name": unit.name})
    return unit


@transaction.atomic
def move_unit(actor: Any, unit: OrgUnit, *, new_parent: OrgUnit, effective: dt.date, document_ref: str) -> OrgUnit:
    policy.require(actor, "orgs.manage")
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if new_parent.path.startswith(unit.path):
        raise DomainError(_("Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó."), code="cycle")
    _check_parent(unit.kind, new_parent)
    before = {"parent": unit.parent.code if unit.parent else None}
    unit.parent = new_parent
    unit.save(update_fields=["parent", "updated_at"])
    tree.refresh_subtree(unit)
    _event(unit, UnitEventKind.MOVED, effective, actor, document_ref, before, {"parent": new_parent.code})
    return unit


@transaction.atomic
def close_unit(
    actor: Any, unit: OrgUnit, *, effective: dt.date, document_ref: str, successor: OrgUnit | None = None
) -> OrgUnit:
    policy.require(actor, "orgs.manage")
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        raise DomainError(_("Đơn vị đã ngừng hoạt động."), code="already_closed")
    if effective < unit.valid_from:
        raise DomainError(_("Ngày ngừng hoạt động phải sau ngày thành lập."), code="bad_date")
    if unit.children.filter(valid_to__isnull=True).exists():
        raise DomainError(
            _("Còn đơn vị trực thuộc đang hoạt động: chuyển hoặc hợp nhất chúng trước."), code="has_children"
        )
    if successor is None:
        for check in _closing_checks:
            check(unit)  # raises DomainError naming what still lives at the unit
    unit.valid_to = effective
    unit.successor = successor
    unit.save(update_fields=["valid_to", "successor", "updated_at"])
    RegionalAssignment.objects.filter(province=unit, valid_to__isnull=True).update(valid_to=effective)
    kind = UnitEventKind.MERGED if successor else UnitEventKind.CLOSED
    _event(
        unit,
        kind,
        effective,
        actor,
        document_ref,
        {"valid_to": None},
        {"valid_to": effective.isoformat(), "successor": successor.code if successor else None},
    )
    return unit


@transaction.atomic
def merge_units(actor: Any, sources: list[OrgUnit], *, into: OrgUnit, effective: dt.date, document_ref: str) -> OrgUnit:
    """Close ``sources`` into ``into``: their children move to it, their history stays readable."""
    policy.require(actor, "orgs.manage")
    if any(s.pk == into.pk for s in sources):
        raise DomainError(_("Đơn vị nhận hợp nhất không được nằm trong danh sách bị hợp nhất."), code="self_merge")
    for source in sources:
        if source.kind != into.kind:
            raise DomainError(_("Chỉ hợp nhất các đơn vị cùng cấp."), code="kind_mismatch")
        for child in source.children.filter(valid_to__isnull=True):
            move_unit(actor, child, new_parent=into, effective=effective, document_ref=document_ref)
        close_unit(actor, source, effective=effective, document_ref=document_ref, successor=into)
    return into


@transaction.atomic
def assign_provinces(
    actor: Any, department: OrgUnit, provinces: list[OrgUnit], *, effective: dt.date, document_ref: str = ""
) -> None:
    """Set the provinces a regional department follows (Quy định 11 Art. 3.4)."""
    policy.require(actor, "orgs.manage")
    wanted = {p.pk for p in provinces}
    current = RegionalAssignment.objects.filter(department=department, valid_to__isnull=True)
    current.exclude(province_id__in=wanted).update(valid_to=effective)
    RegionalAssignment.objects.filter(province_id__in=wanted, valid_to__isnull=True).exclude(
        department=department
    ).update(valid_to=effective)
    have = set(
        RegionalAssignment.objects.filter(department=department, valid_to__isnull=True).values_list(
            "province_id", flat=True
        )
    )
    RegionalAssignment.objects.bulk_create(
        [
            RegionalAssignment(department=department, province_id=pk, valid_from=effective, document_ref=document_ref)
            for pk in wanted - have
        ]
    )
    audit.record(actor, "orgs.regional.assigned", department, after={"provinces": sorted(wanted)})
