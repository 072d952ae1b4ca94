"""The report's state machine (Quy định 11 Art. 6-10): one table, one move function.

draft ─forward→ pending_approval ─approve→ approved ─send→ submitted ─receive→ received
pending_approval/approved ─return (approver)→ draft
submitted/received ─return from above (upper statistician)→ draft
pending_approval/approved ─cascade (a lower report was returned)→ draft
draft/pending_approval/approved ─lock (the deadline, Art. 7.3)→ ended
ended ─extension (the Centre granted more time, Art. 6.4)→ draft
after the period ─correction (the Centre reopened it, Art. 10)→ draft, a new edition

Every transition — a user's button, the scheduled lock, a cascade, a reopening —
goes through ``move``: permission, source state, gates, the transition record,
the roll-up side effect (``_roll_up``, the only place consolidated totals move),
the audit record and the announcement. ``available_transitions`` asks the same
questions without moving, so the report page shows exactly the buttons the
services would accept.

Two kinds of checks: **gates** (who, when: permission, state, deadline, the upper
report still home, separation of duties) decide whether a button exists; the
**requirements** of forwarding (100 % of subordinates received, no blocking
error) are about the figures, are checked by ``reports.forward_report`` and are
explained to the user rather than hiding the button.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemtra.accounts import policies
from kiemtra.accounts.choices import ROLE_FUNCTIONS, Function, Module
from kiemtra.accounts.models import RoleGrant
from kiemtra.audit import services as audit
from kiemtra.core import events
from kiemtra.core.errors import DomainError
from kiemtra.orgs.choices import DepartmentRole

from ..choices import ReportState
from ..models import Report, ReportSnapshot, ReportTransition
from . import rollup

S = ReportState
# The upper report has "left the upper unit" once it is sent (Art. 10: returns only before that).
LEFT_UNIT = (S.SUBMITTED, S.RECEIVED, S.ENDED)
UNFINISHED = (S.DRAFT, S.PENDING_APPROVAL, S.APPROVED)


@dataclass(frozen=True)
class Transition:
    action: str
    # Policy action on the report's unit; None: done by the system (the lock) or as the
    # consequence of another move (the cascade), whose own permission was checked.
    policy: str | None
    sources: tuple[str, ...]
    target: str
    label: Any
    snapshot: str = ""  # the figures kept at this step (ReportSnapshot.Kind)
    writes_before_deadline: bool = False  # refused at the deadline even before the lock job runs
    upper_must_be_home: bool = False  # acts on the upper report's totals (Art. 10: only while it is home)
    needs_reason: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "forward",
            "stats.forward",
            (S.DRAFT,),
            S.PENDING_APPROVAL,
            gettext_lazy("chuyển lãnh đạo phê duyệt"),
            writes_before_deadline=True,
        ),
        Transition(
            "approve",
            "stats.approve",
            (S.PENDING_APPROVAL,),
            S.APPROVED,
            gettext_lazy("phê duyệt"),
            snapshot=ReportSnapshot.Kind.APPROVED,
            writes_before_deadline=True,
        ),
        Transition(
            "return",
            "stats.return",
            (S.PENDING_APPROVAL, S.APPROVED),
            S.DRAFT,
            gettext_lazy("trả lại"),
            needs_reason=True,
        ),
        Transition(
            "send",
            "stats.send",
            (S.APPROVED,),
            S.SUBMITTED,
            gettext_lazy("gửi lên cấp trên"),
            snapshot=ReportSnapshot.Kind.SENT,
            writes_before_deadline=True,
        ),
        Transition(
            "receive",
            "stats.receive",
            (S.SUBMITTED,),
            S.RECEIVED,
            gettext_lazy("tiếp nhận"),
            snapshot=ReportSnapshot.Kind.RECEIVED,
            writes_before_deadline=True,
            upper_must_be_home=True,
        ),
        Transition(
            "return_from_above",
            "stats.return_from_above",
            (S.SUBMITTED, S.RECEIVED),
            S.DRAFT,
            gettext_lazy("trả lại từ cấp trên"),
            writes_before_deadline=True,
            upper_must_be_home=True,
            needs_reason=True,
        ),
        Transition(
            "cascade", None, (S.PENDING_APPROVAL, S.APPROVED), S.DRAFT, gettext_lazy("trả lại do cấp dưới bị trả lại")
        ),
        Transition("lock", None, UNFINISHED, S.ENDED, gettext_lazy("khóa kỳ báo cáo")),
        Transition("extension", "stats.configure", (S.ENDED,), S.DRAFT, gettext_lazy("mở lại do được gia hạn")),
        Transition(
            "correction",
            "stats.configure",
            (S.ENDED, S.APPROVED, S.SUBMITTED, S.RECEIVED),
            S.DRAFT,
            gettext_lazy("mở lại để chỉnh lý sau kỳ"),
        ),
    )
}
# The buttons of the report page, in this order.
CHAIN = ("forward", "approve", "send", "receive", "return", "return_from_above")


# --- the deadline ----------------------------------------------------------------------


def ensure_writable(report: Report, now: dt.datetime | None = None) -> None:
    """Refuse a late write even if the scheduled lock has not run yet (Art. 7.3)."""
    if refusal := _deadline_refusal(report, now or timezone.now()):
        raise refusal


def _deadline_refusal(report: Report, now: dt.datetime) -> DomainError | None:
    if report.state == S.ENDED:
        return DomainError(_("Kỳ báo cáo đã khóa: báo cáo đã kết thúc, không thể cập nhật."), code="period_locked")
    if now >= report.deadline:
        return DomainError(
            _("Đã quá thời hạn báo cáo (%(d)s): kỳ đã khóa, dữ liệu không được lưu.")
            % {"d": timezone.localtime(report.deadline).strftime("%H:%M %d/%m/%Y")},
            code="period_locked",
        )
    return None


# --- gates ------------------------------------------------------------------------------


def entered_or_forwarded(person_id: int | None, report: Report) -> bool:
    """Did this person save figures of the report or forward it? (Art. 3.1.d: then someone else approves.)"""
    if person_id is None:
        return False
    return (
        person_id in (report.entered_by or [])
        or report.transitions.filter(action="forward", actor_id=person_id).exists()
    )


def approved_below(person_id: int | None, report: Report) -> bool:
    return person_id is not None and report.transitions.filter(action="approve", actor_id=person_id).exists()


def _refusal(actor: Any, report: Report, t: Transition, now: dt.datetime, upper: Report | None) -> DomainError | None:
    """Why ``actor`` may not make this move now (the permission was checked before); None if they may."""
    if report.state not in t.sources:
        return DomainError(
            _("Không thể %(action)s báo cáo đang ở trạng thái '%(state)s'.")
            % {"action": t.label, "state": ReportState(report.state).label},
            code="illegal_transition",
        )
    if t.action == "send" and report.unit.parent_id is None:
        return DomainError(_("Báo cáo của UBKT Trung ương đã phê duyệt là báo cáo chính thức."), code="top_level")
    actor_id = getattr(actor, "pk", None)
    # Art. 3.1.d, whatever the grants say: the statistician and the approver are two people.
    if t.action == "approve" and entered_or_forwarded(actor_id, report):
        return DomainError(
            _(
                "Người đã nhập hoặc chuyển số liệu của báo cáo không được tự phê duyệt báo cáo đó (Điều 3.1.d: người "
                "thống kê và người phê duyệt phải là hai người khác nhau)."
            ),
            code="separation_of_duties",
        )
    if t.action == "receive" and approved_below(actor_id, report):
        return DomainError(
            _("Người đã phê duyệt báo cáo ở cấp dưới không được tự tiếp nhận báo cáo đó ở cấp trên (Điều 3.1.d)."),
            code="separation_of_duties",
        )
    if t.upper_must_be_home:
        if upper is None or upper.state in LEFT_UNIT:
            if t.action == "receive":
                message = _("Báo cáo của cấp trên đã gửi đi hoặc đã kết thúc: không thể tiếp nhận.")
                return DomainError(message, code="upper_closed")
            message = _(
                "Báo cáo của cấp trên đã gửi đi: phải trả lại từ cấp trên xuống trước (trả lại theo thứ tự từ trên "
                "xuống)."
            )
            return DomainError(message, code="upper_already_sent")
        if t.writes_before_deadline:
            # The upper report's totals change: its deadline (and extension) is the one that counts.
            return _deadline_refusal(upper, now)
    elif t.writes_before_deadline:
        return _deadline_refusal(report, now)
    return None


def _upper(report: Report, t: Transition) -> Report | None:
    return rollup.parent_report(report) if t.upper_must_be_home else None


def available_transitions(user: Any, report: Report, now: dt.datetime | None = None) -> list[Transition]:
    """The chain moves ``user`` may make on ``report`` now — the page's buttons, and what ``move`` accepts."""
    now = now or timezone.now()
    found = []
    upper_cache: dict[bool, Report | None] = {}
    for action in CHAIN:
        t = TRANSITIONS[action]
        if report.state not in t.sources or (t.policy and not policies.can(user, t.policy, report.unit)):
            continue
        if t.upper_must_be_home and True not in upper_cache:
            upper_cache[True] = rollup.parent_report(report)
        if _refusal(user, report, t, now, upper_cache.get(True)) is None:
            found.append(t)
    return found


def upper_has_left(report: Report) -> bool:
    """For the page: a returned-from-above button is missing because the upper report was sent."""
    upper = rollup.parent_report(report)
    return upper is None or upper.state in LEFT_UNIT


# --- the move ---------------------------------------------------------------------------


def locked(report: Report) -> Report:
    # of=("self",): lock the report row only — joined rows (the period!) would serialise every save.
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("unit", "period", "form_version__form")
        .get(pk=report.pk)
    )


def require_permission(actor: Any, action: str, report: Report) -> None:
    """Permission before anything else, so a refusal reveals nothing about the report."""
    policy = TRANSITIONS[action].policy
    if policy is not None:
        policies.require(actor, policy, report.unit)


def move(
    actor: Any,
    report: Report,
    action: str,
    reason: str = "",
    *,
    now: dt.datetime | None = None,
    audited: bool = True,
    reopened_until: dt.datetime | None = None,
    then: Callable[[Report], object] | None = None,
) -> Report:
    """Make one transition inside the caller's transaction; the report row is locked here.

    ``audited=False`` for moves a batch records once (the lock of a period, an extension's reopening).
    ``then`` runs after the move and before the audit record (forwarding's last checks need the lock).
    """
    t = TRANSITIONS[action]
    now = now or timezone.now()
    require_permission(actor, action, report)
    report = locked(report)
    upper = _upper(report, t)
    if refusal := _refusal(actor, report, t, now, upper):
        raise refusal
    if then is not None:
        then(report)
    before = report.state
    ReportTransition.objects.create(
        report=report, from_state=before, to_state=t.target, action=action, actor=_person(actor), reason=reason, at=now
    )
    report.state = t.target
    fields = ["state", "updated_at"]
    if action in ("return", "return_from_above", "cascade"):
        report.return_reason = reason
        fields.append("return_reason")
    elif t.target != S.DRAFT:
        report.return_reason = ""
        fields.append("return_reason")
    if action == "correction":
        report.edition += 1
        fields.append("edition")
    if reopened_until is not None:
        report.reopened_until = reopened_until
        fields.append("reopened_until")
    report.save(update_fields=fields)
    if t.snapshot:
        rollup.snapshot(report, t.snapshot)
    _roll_up(report, before, t.target)
    if action == "return_from_above" and upper is not None and upper.state in TRANSITIONS["cascade"].sources:
        # The upper totals changed: its forwarded or approved report goes back to its statistician.
        move(actor, upper, "cascade", reason, now=now)
    _announce(report, action, reason)
    if audited:
        # Last, so the audit chain's head is locked only for the moment of the insert.
        audit.record(
            actor, f"stats.report.{action}", report, before={"state": before}, after={"state": t.target}, reason=reason
        )
    return report


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _roll_up(report: Report, before: str, target: str) -> None:
    """The only place a move changes consolidated totals: in on receipt, out when a received report leaves."""
    if target == S.RECEIVED:
        taken = report.snapshots.filter(kind=ReportSnapshot.Kind.RECEIVED).first()
        rollup.include(report, taken.consolidated if taken else {}, +1)
    elif before == S.RECEIVED:
        included = report.snapshots.filter(kind=ReportSnapshot.Kind.RECEIVED).first()
        rollup.include(report, included.consolidated if included else {}, -1)


# --- who is told ---------------------------------------------------------------------------


def holders(function: str, units: Any) -> list[int]:
    """Ids of the people holding ``function`` (statistics module) at these units (ids, or a query of ids).

    The general affairs department's approver and statisticians act for the Centre (Art. 3.2).
    """
    roles = [role for role, functions in ROLE_FUNCTIONS.items() if function in functions]
    at_units = Q(unit_id__in=units) | Q(unit__parent_id__in=units, unit__department_role=DepartmentRole.GENERAL_AFFAIRS)
    return list(
        RoleGrant.objects.active()
        .filter(at_units, module=Module.STATS, role__in=roles, person__is_active=True)
        .values_list("person_id", flat=True)
        .distinct()
    )


def _announce(report: Report, action: str, reason: str) -> None:
    url = reverse("stats:report", args=[report.pk])
    name = {"form": report.form_version.form.code, "unit": report.unit.name, "period": report.period.name}
    if action in ("return", "return_from_above", "cascade"):
        events.announce(
            "stats.report.returned",
            holders(Function.STATISTICIAN, [report.unit_id]),
            _("Báo cáo Biểu %(form)s của %(unit)s (%(period)s) bị trả lại") % name,
            url=url,
            body=reason,
            unit=report.unit_id,
        )
    elif action == "forward":
        events.announce(
            "stats.report.awaiting_approval",
            holders(Function.APPROVER, [report.unit_id]),
            _("Báo cáo Biểu %(form)s của %(unit)s (%(period)s) chờ phê duyệt") % name,
            url=url,
            unit=report.unit_id,
        )
    elif action == "send" and report.unit.parent_id is not None:
        events.announce(
            "stats.report.awaiting_receipt",
            holders(Function.STATISTICIAN, [report.unit.parent_id]),
            _("Báo cáo Biểu %(form)s của %(unit)s (%(period)s) chờ tiếp nhận") % name,
            url=url,
            unit=report.unit.parent_id,
        )
