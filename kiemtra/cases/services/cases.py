"""Opening a case file, its team, its steps on the working-day calendar, who may read it (issue 14 items 2–3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies as account_policies
from kiemtra.audit import services as audit
from kiemtra.core import events
from kiemtra.core.errors import DomainError
from kiemtra.core.text import nfc
from kiemtra.orgs.models import OrgUnit
from kiemtra.workdays import calendar as workdays

from .. import policies
from ..choices import WARNING_THRESHOLDS, AccessKind, CaseKind, CaseSource, CaseState, SubjectKind, TeamRole
from ..models import CaseAccess, CaseFile, CaseStep, ConflictDeclaration, ProgrammeItem, StepTemplate, TeamMember


@dataclass
class Opening:
    kind: str
    subject_kind: str
    subject_name: str
    decision_number: str
    decision_date: dt.date
    signer: str
    subject_unit: OrgUnit | None = None
    grounds: str = ""
    outline: str = ""
    letter_refs: list[str] = field(default_factory=list)
    proposal_ref: str = ""


def _check(opening: Opening) -> None:
    if opening.kind not in CaseKind.values:
        raise DomainError(_("Loại cuộc kiểm tra, giám sát không hợp lệ."), code="kind")
    if opening.subject_kind not in SubjectKind.values:
        raise DomainError(_("Loại đối tượng không hợp lệ."), code="subject_kind")
    if not opening.subject_name.strip():
        raise DomainError(_("Phải ghi đối tượng kiểm tra, giám sát."), code="subject_name")
    if not opening.decision_number.strip():
        raise DomainError(_("Phải ghi số quyết định."), code="decision_number")
    if not opening.signer.strip():
        raise DomainError(_("Phải ghi người ký quyết định."), code="signer")
    if opening.decision_date > timezone.localdate():
        raise DomainError(_("Ngày quyết định không được sau hôm nay."), code="decision_date")


def templates_for(kind: str, on: dt.date) -> list[StepTemplate]:
    """The steps of this kind of case in force on the decision date."""
    return list(
        StepTemplate.objects.filter(kind=kind, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("order")
    )


def _plan_steps(case: CaseFile) -> None:
    """Planned dates step after step, in working days from the decision date on the holiday calendar."""
    cal = workdays.current()
    start = case.decision_date
    steps = []
    for t in templates_for(case.kind, case.decision_date):
        end = cal.add_working_days(start, t.working_days)
        steps.append(
            CaseStep(
                case=case,
                order=t.order,
                code=t.code,
                title=t.title,
                working_days=t.working_days,
                planned_start=start,
                planned_end=end,
            )
        )
        start = end
    CaseStep.objects.bulk_create(steps)
    if steps:
        case.planned_end = steps[-1].planned_end
        case.save(update_fields=["planned_end"])


@transaction.atomic
def open_case(
    actor: Any,
    unit: OrgUnit,
    opening: Opening,
    *,
    source: str = CaseSource.DIRECT,
    item: ProgrammeItem | None = None,
    follows_up: Any = None,
) -> CaseFile:
    account_policies.require(actor, "cases.open", unit)
    opening.subject_name = nfc(opening.subject_name.strip())
    _check(opening)
    if item is not None:
        if item.programme.unit_id != unit.pk or item.programme.state != "approved":
            raise DomainError(_("Chỉ mở cuộc kiểm tra từ chương trình đã phê duyệt của đơn vị."), code="item")
        source = CaseSource.PROGRAMME
    if CaseFile.objects.filter(unit=unit, decision_number=opening.decision_number.strip()).exists():
        raise DomainError(_("Số quyết định này đã được dùng cho một hồ sơ khác."), code="decision_number")
    case = CaseFile.objects.create(
        unit=unit,
        kind=opening.kind,
        source=source,
        subject_kind=opening.subject_kind,
        subject_name=opening.subject_name,
        subject_unit=opening.subject_unit,
        programme_item=item,
        follows_up=follows_up,
        proposal_ref=opening.proposal_ref,
        letter_refs=list(opening.letter_refs),
        grounds=opening.grounds,
        outline=opening.outline,
        decision_number=opening.decision_number.strip(),
        decision_date=opening.decision_date,
        signer=opening.signer.strip(),
        year=opening.decision_date.year,
        opened_by=actor,
    )
    _plan_steps(case)
    audit.record(actor, "cases.case.opened", case, unit=unit, source=source, decision=case.decision_number)
    return case


def conflict_of(person: Any, case: CaseFile) -> str:
    """Why this person may not be on this case's team, or "" (issue 14 item 2)."""
    if case.subject_unit_id and person.home_unit_id == case.subject_unit_id:
        return _("%(name)s công tác tại chính đơn vị là đối tượng kiểm tra.") % {"name": person.full_name}
    declared = ConflictDeclaration.objects.filter(person=person)
    subject = nfc(case.subject_name).casefold()
    for d in declared:
        if (case.subject_unit_id and d.subject_unit_id == case.subject_unit_id) or (
            d.subject_name and nfc(d.subject_name).casefold() == subject
        ):
            return _("%(name)s đã kê khai xung đột lợi ích với đối tượng kiểm tra.") % {"name": person.full_name}
    return ""


@transaction.atomic
def set_team(actor: Any, case: CaseFile, leader: Any, members: list[Any]) -> CaseFile:
    """The leadership assigns the team; a conflicted person is refused and nothing is changed."""
    account_policies.require(actor, "cases.case.manage", case)
    case = CaseFile.objects.select_for_update().get(pk=case.pk)
    if case.state != CaseState.OPEN:
        raise DomainError(_("Hồ sơ đã kết luận: không thay đổi đoàn."), code="state")
    people = [leader, *[m for m in members if m.pk != leader.pk]]
    for person in people:
        reason = conflict_of(person, case)
        if reason:
            raise DomainError(reason, code="conflict")
    before = sorted(case.team.values_list("person_id", flat=True))
    case.team.all().delete()
    TeamMember.objects.bulk_create(
        TeamMember(case=case, person=p, role=TeamRole.LEADER if p.pk == leader.pk else TeamRole.MEMBER) for p in people
    )
    audit.record(
        actor, "cases.team.set", case, unit=case.unit, before={"team": before}, after={"team": [p.pk for p in people]}
    )
    events.announce(
        "cases/team",
        people,
        _("Anh/chị được cử vào đoàn kiểm tra theo quyết định %(number)s") % {"number": case.decision_number},
        url=case_url(case),
        unit=case.unit,
    )
    return case


def case_url(case: CaseFile) -> str:
    from django.urls import reverse

    return reverse("cases:case", args=[case.pk])


@transaction.atomic
def record_step(
    actor: Any, step: CaseStep, *, started: dt.date | None = None, finished: dt.date | None = None
) -> CaseStep:
    account_policies.require(actor, "cases.case.work", step.case)
    step = CaseStep.objects.select_for_update().get(pk=step.pk)
    today = timezone.localdate()
    for value, code in ((started, "actual_start"), (finished, "actual_end")):
        if value is not None and value > today:
            raise DomainError(_("Ngày thực hiện không được sau hôm nay."), code=code)
    if started:
        step.actual_start = started
    if finished:
        if not (step.actual_start or started):
            step.actual_start = step.planned_start
        if finished < (step.actual_start or finished):
            raise DomainError(_("Ngày kết thúc bước phải sau ngày bắt đầu."), code="actual_end")
        step.actual_end = finished
    step.save(update_fields=["actual_start", "actual_end"])
    audit.record(actor, "cases.step.recorded", step.case, unit=step.case.unit, step=step.code)
    return step


def elapsed_percent(step: CaseStep, today: dt.date) -> int:
    """How much of the step's planned working days have gone (on the holiday calendar)."""
    if step.working_days <= 0:
        return 100
    used = workdays.current().working_days_between(step.planned_start, today)
    return int(used * 100 / step.working_days)


def warn_running_steps(today: dt.date | None = None) -> int:
    """The 50 / 75 / 90 % warnings of unfinished steps, each given once, to the team and the leadership."""
    today = today or timezone.localdate()
    sent = 0
    running = CaseStep.objects.filter(
        actual_end__isnull=True, planned_start__lt=today, warned__lt=WARNING_THRESHOLDS[-1], case__state="open"
    ).select_related("case", "case__unit")
    for step in running.iterator():
        percent = elapsed_percent(step, today)
        reached = max((t for t in WARNING_THRESHOLDS if percent >= t), default=0)
        if reached <= step.warned:
            continue
        with transaction.atomic():
            CaseStep.objects.filter(pk=step.pk, warned__lt=reached).update(warned=reached)
            team = list(step.case.team.values_list("person_id", flat=True))
            events.announce(
                "cases/step_warning",
                team,
                _("Bước \u201c%(step)s\u201d của hồ sơ %(number)s đã dùng %(percent)s%% thời gian dự kiến")
                % {"step": step.title, "number": step.case.decision_number, "percent": reached},
                url=case_url(step.case),
                unit=step.case.unit,
            )
        sent += 1
    return sent


@transaction.atomic
def add_reader(actor: Any, case: CaseFile, person: Any, reason: str) -> CaseAccess:
    """The leadership lets someone outside the team read the file (need-to-know, recorded)."""
    account_policies.require(actor, "cases.case.manage", case)
    if not reason.strip():
        raise DomainError(_("Phải ghi lý do cho phép xem hồ sơ."), code="reason")
    access = CaseAccess.objects.create(
        case=case, person=person, kind=AccessKind.ADDED, reason=reason.strip(), granted_by=actor
    )
    audit.record(actor, "cases.access.added", case, unit=case.unit, person=person.pk, reason=reason)
    return access


@transaction.atomic
def request_content(actor: Any, case: CaseFile, reason: str) -> CaseAccess:
    """An upper commission reads a subordinate's file on a recorded request, told to the file's leadership."""
    account_policies.require(actor, "cases.case.request_content", case)
    if not reason.strip():
        raise DomainError(_("Phải ghi lý do yêu cầu xem hồ sơ."), code="reason")
    access = CaseAccess.objects.create(
        case=case, person=actor, kind=AccessKind.UPPER_REQUEST, reason=reason.strip(), granted_by=actor
    )
    audit.record(actor, "cases.access.requested", case, unit=case.unit, reason=reason)
    events.announce(
        "cases/upper_request",
        leadership_of(case.unit),
        _("Ủy ban kiểm tra cấp trên đã yêu cầu xem hồ sơ %(number)s") % {"number": case.decision_number},
        url=case_url(case),
        unit=case.unit,
    )
    return access


def leadership_of(unit: OrgUnit) -> list[int]:
    from kiemtra.accounts.choices import Role
    from kiemtra.accounts.models import RoleGrant

    return list(
        RoleGrant.objects.active().filter(unit=unit, role=Role.CASE_LEADERSHIP).values_list("person_id", flat=True)
    )


def open_case_for_reading(actor: Any, case: CaseFile) -> CaseFile:
    """Every read of a file's content is audited."""
    account_policies.require(actor, "cases.case.read", case)
    with transaction.atomic():
        audit.record_read(actor, "cases.case.read", case, unit=case.unit)
    return case


__all__ = ["Opening", "policies"]
