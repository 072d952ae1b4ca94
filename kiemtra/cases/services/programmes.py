"""The yearly programme: drafted by officials, approved by the leadership, amended in versions (issue 14 item 1)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies as account_policies
from kiemtra.audit import services as audit
from kiemtra.core import events
from kiemtra.core.errors import DomainError
from kiemtra.orgs.models import OrgUnit

from ..choices import CaseKind, ProgrammeState, SubjectKind
from ..models import CaseFile, Programme, ProgrammeItem


@dataclass(frozen=True)
class ItemInput:
    kind: str
    subject_kind: str
    subject_name: str
    planned_start: dt.date
    planned_end: dt.date
    lead: str = ""
    subject_unit: OrgUnit | None = None


def _check_item(item: ItemInput) -> None:
    if item.kind not in CaseKind.values:
        raise DomainError(_("Loại cuộc kiểm tra, giám sát không hợp lệ."), code="kind")
    if item.subject_kind not in SubjectKind.values:
        raise DomainError(_("Loại đối tượng không hợp lệ."), code="subject_kind")
    if not item.subject_name.strip():
        raise DomainError(_("Phải ghi đối tượng kiểm tra, giám sát."), code="subject_name")
    if item.planned_end < item.planned_start:
        raise DomainError(_("Thời gian kết thúc phải sau thời gian bắt đầu."), code="planned_end")


@transaction.atomic
def draft_programme(actor: Any, unit: OrgUnit, year: int, items: list[ItemInput]) -> Programme:
    account_policies.require(actor, "cases.programme.draft", unit)
    if not items:
        raise DomainError(_("Chương trình phải có ít nhất một nội dung."), code="items")
    for item in items:
        _check_item(item)
        if item.planned_start.year != year:
            raise DomainError(_("Nội dung của chương trình phải bắt đầu trong năm của chương trình."), code="year")
    if Programme.objects.filter(unit=unit, year=year).exists():
        raise DomainError(_("Đơn vị đã có chương trình năm này: hãy sửa đổi chương trình."), code="exists")
    programme = Programme.objects.create(unit=unit, year=year, drafted_by=actor)
    _add_items(programme, items)
    audit.record(actor, "cases.programme.drafted", programme, unit=unit, year=year, items=len(items))
    return programme


def _add_items(programme: Programme, items: list[ItemInput], keys: list[str] | None = None) -> None:
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            programme=programme,
            kind=i.kind,
            subject_kind=i.subject_kind,
            subject_name=i.subject_name.strip(),
            subject_unit=i.subject_unit,
            planned_start=i.planned_start,
            planned_end=i.planned_end,
            lead=i.lead,
            key=(keys[n] if keys and n < len(keys) and keys[n] else uuid.uuid4().hex),
        )
        for n, i in enumerate(items)
    )


@transaction.atomic
def approve_programme(actor: Any, programme: Programme) -> Programme:
    account_policies.require(actor, "cases.programme.approve", programme.unit)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.state != ProgrammeState.DRAFT:
        raise DomainError(_("Chỉ phê duyệt được chương trình đang dự thảo."), code="state")
    # The version in force until now is kept, marked as amended.
    Programme.objects.filter(unit=programme.unit, year=programme.year, state=ProgrammeState.APPROVED).update(
        state=ProgrammeState.SUPERSEDED
    )
    programme.state = ProgrammeState.APPROVED
    programme.approved_by = actor
    programme.approved_at = timezone.now()
    programme.save(update_fields=["state", "approved_by", "approved_at"])
    audit.record(actor, "cases.programme.approved", programme, unit=programme.unit, version=programme.version)
    events.announce(
        "cases/programme_approved",
        [programme.drafted_by],
        _("Chương trình kiểm tra, giám sát năm %(year)s đã được phê duyệt") % {"year": programme.year},
        unit=programme.unit,
    )
    return programme


@transaction.atomic
def amend_programme(
    actor: Any, programme: Programme, items: list[ItemInput], reason: str, keys: list[str] | None = None
) -> Programme:
    """A new draft version; the approved one stays in force until the new one is approved."""
    account_policies.require(actor, "cases.programme.draft", programme.unit)
    if not reason.strip():
        raise DomainError(_("Phải ghi lý do sửa đổi chương trình."), code="reason")
    if programme.state != ProgrammeState.APPROVED:
        raise DomainError(_("Chỉ sửa đổi được chương trình đã phê duyệt."), code="state")
    for item in items:
        _check_item(item)
    if Programme.objects.filter(unit=programme.unit, year=programme.year, state=ProgrammeState.DRAFT).exists():
        raise DomainError(_("Đã có một dự thảo sửa đổi chưa phê duyệt."), code="draft_exists")
    last = Programme.objects.filter(unit=programme.unit, year=programme.year).order_by("-version").first()
    new = Programme.objects.create(
        unit=programme.unit,
        year=programme.year,
        version=(last.version if last else 0) + 1,
        amendment_reason=reason.strip(),
        drafted_by=actor,
    )
    _add_items(new, items, keys)
    audit.record(actor, "cases.programme.amended", new, unit=programme.unit, reason=reason, version=new.version)
    return new


@dataclass(frozen=True)
class PlanLine:
    item: ProgrammeItem
    cases: int
    concluded: int


def plan_versus_actual(programme: Programme) -> list[PlanLine]:
    """Each item of the programme with the cases opened and concluded from it (across versions, by key)."""
    items = list(programme.items.all())
    keys = [i.key for i in items]
    counts: dict[str, list[int]] = {k: [0, 0] for k in keys}
    for key, state in CaseFile.objects.filter(programme_item__key__in=keys).values_list("programme_item__key", "state"):
        counts[key][0] += 1
        if state != "open":
            counts[key][1] += 1
    return [PlanLine(i, counts[i.key][0], counts[i.key][1]) for i in items]


def in_force(unit: OrgUnit, year: int) -> Programme | None:
    return Programme.objects.filter(unit=unit, year=year, state=ProgrammeState.APPROVED).first()
