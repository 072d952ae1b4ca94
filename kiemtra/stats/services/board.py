"""The completeness board: which subordinate reports are where, and the bulk steps taken from it.

Reads are a fixed number of queries whatever the number of subordinates; the
bulk steps call the chain services of ``reports`` once per report, each in its
own transaction, so one refusal does not undo the others.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Function
from kiemtra.audit import services as audit
from kiemtra.audit.models import AuditEvent
from kiemtra.core import events
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.choices import DepartmentRole
from kiemtra.orgs.models import OrgUnit

from ..choices import PeriodState, ReportState
from ..grid import Grid
from ..models import FormVersion, Report, ReportingPeriod, ReportTransition
from . import reports
from .transitions import holders

S = ReportState
REMINDER = "stats.reminder.sent"
NOT_SENT = (S.DRAFT, S.PENDING_APPROVAL, S.APPROVED)

TRANSITION_LABELS = {
    "forward": gettext_lazy("Chuyển lãnh đạo phê duyệt"),
    "approve": gettext_lazy("Phê duyệt"),
    "return": gettext_lazy("Lãnh đạo trả lại"),
    "send": gettext_lazy("Gửi lên cấp trên"),
    "receive": gettext_lazy("Cấp trên tiếp nhận"),
    "return_from_above": gettext_lazy("Cấp trên trả lại"),
    "cascade": gettext_lazy("Trả lại do báo cáo cấp dưới bị trả lại (số liệu tổng hợp thay đổi)"),
    "lock": gettext_lazy("Khóa kỳ báo cáo"),
    "extension": gettext_lazy("Mở lại do được gia hạn"),
    "correction": gettext_lazy("Mở lại để chỉnh lý sau kỳ"),
}


def transition_label(action: str) -> str:
    return str(TRANSITION_LABELS.get(action, action))


def acting_unit(user: Any, unit: OrgUnit) -> OrgUnit:
    """The unit whose reports ``user`` works on from ``unit``.

    Art. 3.2.b-c: the approver and statisticians of Vụ Tổng hợp act for the
    Central Commission itself, so from that department they work on the Centre's reports.
    """
    if unit.department_role == DepartmentRole.GENERAL_AFFAIRS and unit.parent_id is not None:
        parent = unit.parent
        assert parent is not None
        if policies.has_function(user, Function.STATISTICIAN, parent) or policies.has_function(
            user, Function.APPROVER, parent
        ):
            return parent
    return unit


def follows(user: Any, unit: OrgUnit) -> bool:
    """Statisticians and approvers of a unit follow the reports of its direct subordinates."""
    return policies.has_function(user, Function.STATISTICIAN, unit) or policies.has_function(
        user, Function.APPROVER, unit
    )


def current(now: dt.datetime | None = None) -> Q:
    """Reports of an open period, or reopened after it (extension, correction) and not yet due."""
    return Q(period__state=PeriodState.OPEN) | Q(reopened_until__gt=now or timezone.now())


def current_reports(unit: OrgUnit, now: dt.datetime | None = None) -> list[Report]:
    return list(
        Report.objects.filter(current(now), unit=unit)
        .select_related("unit", "period", "form_version__form")
        .order_by("-period__deadline", "period__code", "form_version__form__code")
    )


def subordinate_progress(report: Report) -> tuple[int, int]:
    """(received, total) of the direct subordinates' reports for the same form and period."""
    counts = Report.objects.filter(
        unit__parent_id=report.unit_id, period_id=report.period_id, form_version_id=report.form_version_id
    ).aggregate(total=Count("id"), received=Count("id", filter=Q(state=S.RECEIVED)))
    return counts["received"], counts["total"]


# --- the board -------------------------------------------------------------------


@dataclass
class BoardRow:
    report: Report
    last: ReportTransition | None
    reminded_at: dt.datetime | None
    overdue: bool

    @property
    def last_label(self) -> str:
        return transition_label(self.last.action) if self.last else ""

    @property
    def can_remind(self) -> bool:
        return self.report.state in NOT_SENT


@dataclass
class BoardGroup:
    """One form of one period: the upper unit's own report and every direct subordinate's."""

    period: ReportingPeriod
    version: FormVersion
    upper: Report | None
    rows: list[BoardRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def received(self) -> int:
        return sum(1 for r in self.rows if r.report.state == S.RECEIVED)

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.rows if r.report.state == S.SUBMITTED)

    @property
    def percent(self) -> int:
        return round(100 * self.received / self.total) if self.total else 0

    @property
    def percent_step(self) -> int:
        """The percentage rounded down to a step of 5, for the width classes of the progress bar."""
        return self.percent - self.percent % 5

    @property
    def by_state(self) -> list[tuple[str, str, int]]:
        counts = Counter(r.report.state for r in self.rows)
        return [(state.value, str(state.label), counts[state.value]) for state in S if counts[state.value]]


def board(unit: OrgUnit, now: dt.datetime | None = None) -> list[BoardGroup]:
    """Every current form of ``unit`` with its direct subordinates' reports (four queries in all)."""
    now = now or timezone.now()
    last = ReportTransition.objects.filter(report=OuterRef("pk")).order_by("-at", "-id").values("id")[:1]
    subordinate = list(
        Report.objects.filter(current(now), unit__parent_id=unit.pk)
        .select_related("unit", "period", "form_version__form")
        .annotate(last_transition_id=Subquery(last))
        .order_by("period__code", "form_version__form__code", "unit__code")
    )
    own = {
        (r.period_id, r.form_version_id): r
        for r in Report.objects.filter(current(now), unit=unit).select_related("period", "form_version__form")
    }
    transition_ids = [r.last_transition_id for r in subordinate if r.last_transition_id]  # type: ignore[attr-defined]
    transitions = {t.pk: t for t in ReportTransition.objects.filter(pk__in=transition_ids).select_related("actor")}
    reminded = dict(
        AuditEvent.objects.filter(
            action=REMINDER, object_type="stats.report", object_id__in=[str(r.pk) for r in subordinate]
        )
        .order_by()
        .values_list("object_id")
        .annotate(last=Max("at"))
    )
    groups: dict[tuple[int, int], BoardGroup] = {}
    for report in subordinate:
        group_key = (report.period_id, report.form_version_id)
        if group_key not in groups:
            groups[group_key] = BoardGroup(report.period, report.form_version, own.get(group_key))
        groups[group_key].rows.append(
            BoardRow(
                report,
                transitions.get(report.last_transition_id),  # type: ignore[attr-defined]
                reminded.get(str(report.pk)),
                overdue=report.state in NOT_SENT and report.deadline <= now,
            )
        )
    return list(groups.values())


# --- bulk steps --------------------------------------------------------------------


@dataclass
class BulkOutcome:
    done: list[Report] = field(default_factory=list)
    skipped: list[tuple[Report, str]] = field(default_factory=list)
    not_ready: list[Report] = field(default_factory=list)


def receive_all_valid(
    actor: Any, unit: OrgUnit, *, period_id: int | None = None, version_id: int | None = None
) -> BulkOutcome:
    """Receive every submitted report of the direct subordinates that has no blocking problem (Art. 8.2)."""
    if not policies.has_function(actor, Function.STATISTICIAN, unit):
        raise PolicyDenied("stats.receive")
    candidates = Report.objects.filter(current(), unit__parent_id=unit.pk).select_related(
        "unit", "unit__parent", "period", "form_version__form"
    )
    if period_id is not None:
        candidates = candidates.filter(period_id=period_id)
    if version_id is not None:
        candidates = candidates.filter(form_version_id=version_id)
    outcome = BulkOutcome()
    for report in candidates.order_by("period__code", "form_version__form__code", "unit__code"):
        if report.state in NOT_SENT:
            outcome.not_ready.append(report)
            continue
        if report.state != S.SUBMITTED:
            continue
        blocking = Grid.blocking(reports.validate(report))
        if blocking:
            outcome.skipped.append((report, _("còn lỗi chặn: %(m)s") % {"m": "; ".join(p.message for p in blocking)}))
            continue
        try:
            reports.receive_report(actor, report)
        except (DomainError, PolicyDenied) as exc:
            outcome.skipped.append((report, exc.message if isinstance(exc, DomainError) else str(exc)))
        else:
            outcome.done.append(report)
    return outcome


def approve_all(actor: Any, unit: OrgUnit) -> BulkOutcome:
    """Approve every report of ``unit`` waiting for approval (Art. 9.1)."""
    if not policies.has_function(actor, Function.APPROVER, unit):
        raise PolicyDenied("stats.approve")
    outcome = BulkOutcome()
    for report in current_reports(unit):
        if report.state != S.PENDING_APPROVAL:
            continue
        try:
            reports.approve_report(actor, report)
        except DomainError as exc:
            outcome.skipped.append((report, exc.message))
        else:
            outcome.done.append(report)
    return outcome


@transaction.atomic
def send_reminder(actor: Any, report: Report) -> AuditEvent:
    """Remind a subordinate unit's statisticians and approvers (the "Nhắc" button), and record it."""
    upper = report.unit.parent
    if upper is None or not follows(actor, upper):
        raise PolicyDenied("stats.remind")
    if report.state not in NOT_SENT:
        raise DomainError(
            _("Báo cáo của %(u)s đã gửi lên hoặc đã kết thúc: không cần nhắc.") % {"u": report.unit.name},
            code="nothing_to_remind",
        )
    people = {*holders(Function.STATISTICIAN, [report.unit_id]), *holders(Function.APPROVER, [report.unit_id])}
    events.announce(
        "stats.report.reminder",
        people,
        _("Nhắc báo cáo Biểu %(form)s (%(period)s): hạn %(d)s")
        % {
            "form": report.form_version.form.code,
            "period": report.period.name,
            "d": timezone.localtime(report.deadline).strftime("%H:%M %d/%m/%Y"),
        },
        url=reverse("stats:report", args=[report.pk]),
        unit=report.unit_id,
    )
    return audit.record(
        actor, REMINDER, report, unit=report.unit, state=report.state, deadline=report.deadline.isoformat()
    )
