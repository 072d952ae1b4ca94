"""The completeness board: which subordinate reports are where, and the bulk steps taken from it.

Reads are a fixed number of queries whatever the number of subordinates; the
bulk steps call the chain services of ``reports`` once per report, each in its
own transaction, so one refusal does not undo the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Function
from kiemtra.audit import services as audit
from kiemtra.audit.models import AuditEvent
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.core.events import announce
from kiemtra.core.text import fold
from kiemtra.orgs.choices import DepartmentRole
from kiemtra.orgs.models import OrgUnit

from .. import expressions
from ..choices import PeriodState, ReportState
from ..grid import Cell, Grid, Problem
from ..models import ChildTotal, FormVersion, Report, ReportingPeriod, ReportTransition
from ..models import Value as StoredValue
from . import reports
from .transitions import LEFT_UNIT

S = ReportState
REMINDER = "stats.reminder.sent"
NOT_SENT = (S.DRAFT, S.PENDING_APPROVAL, S.APPROVED)
ZERO = Decimal(0)

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
    """Remind a subordinate unit of a report not yet sent: its statisticians and approvers are told.

    The upper unit's statisticians and approvers follow their direct subordinates
    (Art. 8.2); the reminder is recorded in the audit log with who was told.
    """
    upper = report.unit.parent
    if upper is None or not follows(actor, upper):
        raise PolicyDenied("stats.remind")
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("unit", "period", "form_version__form")
        .get(pk=report.pk)
    )
    if report.state not in NOT_SENT:
        raise DomainError(
            _("Báo cáo của %(u)s đã gửi lên hoặc đã kết thúc: không cần nhắc.") % {"u": report.unit.name},
            code="nothing_to_remind",
        )
    recipients = reminder_recipients(report.unit)
    if not recipients:
        raise DomainError(
            _("%(u)s chưa có người thống kê hoặc lãnh đạo phê duyệt nào để nhắc.") % {"u": report.unit.name},
            code="nobody_to_remind",
        )
    deadline = timezone.localtime(report.deadline).strftime("%H:%M %d/%m/%Y")
    announce(
        REMINDER,
        recipients,
        _("Nhắc gửi báo cáo biểu %(form)s — %(period)s (hạn %(deadline)s)")
        % {"form": report.form_version.form.code, "period": report.period.name, "deadline": deadline},
        url=reverse("stats:report", args=[report.pk]),
        body=_("%(upper)s nhắc %(unit)s hoàn thành và gửi báo cáo đúng hạn.")
        % {"upper": upper.name, "unit": report.unit.name},
        unit=report.unit,
    )
    return audit.record(
        actor,
        REMINDER,
        report,
        unit=report.unit,
        state=report.state,
        deadline=report.deadline.isoformat(),
        recipients=[p.pk for p in recipients],
    )


# --- the board as a table: progress per form, then one filtered, sorted, paged list ----------

BOARD_PAGE_SIZE = 50
NOT_SENT_FILTER = "chua-gui"
OVERDUE_FILTER = "qua-han"
RETURNED_FILTER = "bi-tra-lai"
# The order of the chain, for sorting by state ("where is it?" reads best in this order).
STATE_ORDER = [S.DRAFT, S.PENDING_APPROVAL, S.APPROVED, S.SUBMITTED, S.RECEIVED, S.ENDED]
SORTS: dict[str, tuple[str, ...]] = {
    "don-vi": ("unit__name", "form_version__form__code", "pk"),
    "-don-vi": ("-unit__name", "form_version__form__code", "pk"),
    "bieu": ("form_version__form__code", "unit__name", "pk"),
    "-bieu": ("-form_version__form__code", "unit__name", "pk"),
    "trang-thai": ("state_rank", "unit__name", "form_version__form__code", "pk"),
    "-trang-thai": ("-state_rank", "unit__name", "form_version__form__code", "pk"),
    "han": ("deadline_at", "unit__name", "form_version__form__code", "pk"),
    "-han": ("-deadline_at", "unit__name", "form_version__form__code", "pk"),
}
DEFAULT_SORT = "don-vi"


@dataclass(frozen=True)
class BoardQuery:
    """What the user asked the board for: filters, sort and page, read from the query string."""

    period_id: int | None = None
    version_id: int | None = None
    state: str = ""
    name: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1


@dataclass
class FormProgress:
    """One form of one period: how many direct subordinates are at each state (from one aggregate)."""

    period: ReportingPeriod
    version: FormVersion
    upper: Report | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def received(self) -> int:
        return self.counts.get(S.RECEIVED, 0)

    @property
    def submitted(self) -> int:
        return self.counts.get(S.SUBMITTED, 0)

    @property
    def not_sent(self) -> int:
        return sum(self.counts.get(s, 0) for s in NOT_SENT)

    @property
    def percent(self) -> int:
        return round(100 * self.received / self.total) if self.total else 0

    @property
    def percent_step(self) -> int:
        return self.percent - self.percent % 5

    @property
    def by_state(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.counts[s.value]) for s in S if self.counts.get(s.value)]

    @property
    def upper_closed(self) -> bool:
        """The unit's own report has left it: receiving or returning below must wait (Art. 10)."""
        return self.upper is None or self.upper.state in LEFT_UNIT


def progress(unit: OrgUnit, now: dt.datetime | None = None) -> list[FormProgress]:
    """Every current form with its subordinates' counts by state: four queries whatever their number."""
    now = now or timezone.now()
    counts = (
        Report.objects.filter(current(now), unit__parent_id=unit.pk)
        .order_by()
        .values_list("period_id", "form_version_id", "state")
        .annotate(n=Count("id"))
    )
    by_group: dict[tuple[int, int], dict[str, int]] = {}
    for period_id, version_id, state, n in counts:
        by_group.setdefault((period_id, version_id), {})[state] = n
    if not by_group:
        return []
    periods = ReportingPeriod.objects.in_bulk({p for p, _v in by_group})
    versions = FormVersion.objects.select_related("form").in_bulk({v for _p, v in by_group})
    own = {
        (r.period_id, r.form_version_id): r
        for r in Report.objects.filter(current(now), unit=unit).only(
            "id", "state", "period_id", "form_version_id", "unit_id"
        )
    }
    groups = [FormProgress(periods[p], versions[v], own.get((p, v)), c) for (p, v), c in by_group.items()]
    groups.sort(key=lambda g: (g.period.code, g.version.form.code))
    return groups


def _state_filter(state: str, now: dt.datetime) -> Q | None:
    if state == NOT_SENT_FILTER:
        return Q(state__in=NOT_SENT)
    if state == OVERDUE_FILTER:
        # Report.deadline is the later of the period's deadline and an extension.
        return (
            Q(state__in=NOT_SENT)
            & Q(period__deadline__lte=now)
            & (Q(reopened_until__isnull=True) | Q(reopened_until__lte=now))
        )
    if state == RETURNED_FILTER:
        return Q(state=S.DRAFT) & ~Q(return_reason="")
    if state in S.values:
        return Q(state=state)
    return None


def board_queryset(unit: OrgUnit, query: BoardQuery, now: dt.datetime | None = None) -> Any:
    """The subordinates' current reports matching ``query``, sorted; not yet sliced."""
    now = now or timezone.now()
    qs = Report.objects.filter(current(now), unit__parent_id=unit.pk)
    if query.period_id is not None:
        qs = qs.filter(period_id=query.period_id)
    if query.version_id is not None:
        qs = qs.filter(form_version_id=query.version_id)
    condition = _state_filter(query.state, now)
    if condition is not None:
        qs = qs.filter(condition)
    for word in fold(query.name).split():  # "ba dinh" finds "Phường Ba Đình"
        qs = qs.filter(unit__search_text__contains=word)
    ranks = [When(state=s, then=Value(i)) for i, s in enumerate(STATE_ORDER)]
    qs = qs.annotate(
        state_rank=Case(*ranks, default=Value(len(STATE_ORDER)), output_field=IntegerField()),
        deadline_at=Greatest("period__deadline", Coalesce("reopened_until", "period__deadline")),
    )
    return qs.order_by(*SORTS.get(query.sort, SORTS[DEFAULT_SORT]))


@dataclass
class BoardPage:
    rows: list[BoardRow]
    total: int
    page: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def board_page(unit: OrgUnit, query: BoardQuery, now: dt.datetime | None = None) -> BoardPage:
    """One page of the filtered board: a count, the page's reports, their last steps and reminders."""
    now = now or timezone.now()
    qs = board_queryset(unit, query, now)
    total = qs.count()
    pages = max(1, -(-total // BOARD_PAGE_SIZE))
    page = min(max(1, query.page), pages)
    start = (page - 1) * BOARD_PAGE_SIZE
    last = ReportTransition.objects.filter(report=OuterRef("pk")).order_by("-at", "-id").values("id")[:1]
    found = list(
        qs.select_related("unit", "period", "form_version__form").annotate(last_transition_id=Subquery(last))[
            start : start + BOARD_PAGE_SIZE
        ]
    )
    return BoardPage(_rows(found, now), total, page, pages)


def _rows(found: list[Report], now: dt.datetime) -> list[BoardRow]:
    """Board rows of these reports, with their last step and last reminder (two queries)."""
    transition_ids = [r.last_transition_id for r in found if r.last_transition_id]  # type: ignore[attr-defined]
    transitions = {t.pk: t for t in ReportTransition.objects.filter(pk__in=transition_ids).select_related("actor")}
    reminded = dict(
        AuditEvent.objects.filter(action=REMINDER, object_type="stats.report", object_id__in=[str(r.pk) for r in found])
        .order_by()
        .values_list("object_id")
        .annotate(last=Max("at"))
    )
    return [
        BoardRow(
            report,
            transitions.get(report.last_transition_id),  # type: ignore[attr-defined]
            reminded.get(str(report.pk)),
            overdue=report.state in NOT_SENT and report.deadline <= now,
        )
        for report in found
    ]


# --- reminders ----------------------------------------------------------------------


def reminder_recipients(unit: OrgUnit) -> list[Any]:
    """The people who act on ``unit``'s reports: its statisticians and approvers (active grants)."""
    from kiemtra.accounts.choices import ROLE_FUNCTIONS
    from kiemtra.accounts.models import RoleGrant

    wanted = {Function.STATISTICIAN, Function.APPROVER}
    grants = RoleGrant.objects.active().filter(unit=unit, person__is_active=True).select_related("person")
    return sorted({g.person for g in grants if ROLE_FUNCTIONS[g.role] & wanted}, key=lambda p: p.pk)


# --- the data check of many reports at once ------------------------------------------


def _figures_of(report_ids: set[int]) -> dict[int, dict[Cell, Decimal | str]]:
    """Consolidated figures (own + received subordinates) of many reports in two queries.

    The same sums as ``rollup.consolidated``, one report at a time.
    """
    figures: dict[int, dict[Cell, Decimal | str]] = {pk: {} for pk in report_ids}
    values = StoredValue.objects.filter(report_id__in=report_ids).values_list(
        "report_id", "row_id", "column_id", "number", "text"
    )
    for report_id, row, column, number, text in values:
        figures[report_id][(row, column)] = number if number is not None else text
    totals = ChildTotal.objects.filter(report_id__in=report_ids).values_list(
        "report_id", "row_id", "column_id", "number"
    )
    for report_id, row, column, number in totals:
        mine = figures[report_id].get((row, column))
        figures[report_id][(row, column)] = (mine if isinstance(mine, Decimal) else Decimal(0)) + number
    return figures


def _outside_refs(grid: Grid) -> set[tuple[str, bool]]:
    """(form code, previous period?) of every reference of the grid's rules to another form or PREV()."""
    own = grid.version.form.code
    found = set()
    for rule in grid.rules:
        for ref in expressions.references(rule.expression):
            if (ref.form and ref.form != own) or ref.previous:
                found.add((ref.form or own, ref.previous))
    return found


def validate_many(batch: list[Report]) -> dict[int, list[Problem]]:
    """``reports.validate`` of every report of ``batch``, with a fixed number of queries.

    Reports need the period, its form version and form (``select_related``). Other
    forms of the same unit and period, and the previous equivalent period (``PREV``),
    are looked up for the whole batch at once, with the same choice as ``validate``:
    the latest non-trial period of the same type whose data cut-off is earlier.
    """
    if not batch:
        return {}
    grids = {r.form_version_id: Grid.of(r.form_version) for r in batch}
    needs = {version_id: _outside_refs(grid) for version_id, grid in grids.items()}
    wanted_codes = {code for refs in needs.values() for code, _previous in refs}
    unit_ids = {r.unit_id for r in batch}
    # (unit, period, form code) → report, for other forms of the same period.
    same_period: dict[tuple[int, int, str], tuple[int, int]] = {}
    # (unit, form code, period type) → [(cut-off, report, version)], latest first, for PREV().
    earlier: dict[tuple[int, str, str], list[tuple[dt.date, int, int]]] = {}
    if wanted_codes:
        rows = Report.objects.filter(unit_id__in=unit_ids, form_version__form__code__in=wanted_codes).values_list(
            "pk",
            "unit_id",
            "period_id",
            "form_version_id",
            "form_version__form__code",
            "period__period_type",
            "period__data_cutoff",
            "period__is_trial",
        )
        period_ids = {r.period_id for r in batch}
        for pk, unit_id, period_id, version_id, code, period_type, cutoff, trial in rows:
            if period_id in period_ids:
                same_period.setdefault((unit_id, period_id, code), (pk, version_id))
            if not trial:
                earlier.setdefault((unit_id, code, period_type), []).append((cutoff, pk, version_id))
        for candidates in earlier.values():
            candidates.sort(reverse=True)

    def target(report: Report, code: str, previous: bool) -> tuple[int, int] | None:
        if not previous:
            return same_period.get((report.unit_id, report.period_id, code))
        for cutoff, pk, version_id in earlier.get((report.unit_id, code, report.period.period_type), []):
            if cutoff < report.period.data_cutoff:
                return pk, version_id
        return None

    targets = {
        (r.pk, code, previous): target(r, code, previous) for r in batch for code, previous in needs[r.form_version_id]
    }
    found = {t for t in targets.values() if t is not None}
    figures = _figures_of({r.pk for r in batch} | {pk for pk, _v in found})
    missing = {version_id for _pk, version_id in found if version_id not in grids}
    for version in FormVersion.objects.select_related("form").filter(pk__in=missing):
        grids[version.pk] = Grid.of(version)

    cells: dict[int, dict[expressions.Ref, Cell | None]] = {}  # per form version: a reference → its cell

    def cell_of(version_id: int, ref: expressions.Ref) -> Cell | None:
        known = cells.setdefault(version_id, {})
        if ref not in known:
            grid = grids[version_id]
            row, col = grid.row_by_code.get(ref.row or ""), grid.column_by_code.get(ref.col or "")
            known[ref] = (row.pk, col.pk) if row is not None and col is not None else None
        return known[ref]

    result: dict[int, list[Problem]] = {}
    for report in batch:
        version_id = report.form_version_id
        own_code = report.form_version.form.code
        own, own_cells = figures[report.pk], cells.setdefault(version_id, {})

        # What Grid.check asks of its resolver, with each reference's cell found once per form.
        def resolve(
            ref: expressions.Ref,
            report: Report = report,
            own: Any = own,
            own_cells: Any = own_cells,
            own_code: str = own_code,
            version_id: int = version_id,
        ) -> Any:
            if ref.previous or (ref.form and ref.form != own_code):
                hit = targets.get((report.pk, ref.form or own_code, ref.previous))
                if hit is None:
                    return ZERO
                cell = cell_of(hit[1], ref)
                value = figures[hit[0]].get(cell) if cell is not None else None
            else:
                cell = own_cells[ref] if ref in own_cells else cell_of(version_id, ref)
                value = own.get(cell) if cell is not None else None
            return value if isinstance(value, Decimal) else ZERO

        result[report.pk] = [
            Problem(rule.code, rule.severity, rule.message)
            for rule in grids[version_id].rules
            if not expressions.evaluate(rule.expression, resolve)
        ]
    return result
