"""The approval chain (Quy định 11 Art. 6, 8, 9, 10) and saving a report's values.

The states and moves are in ``transitions``; this module adds what each move
needs besides (forwarding's completeness, a reason for a return, a correction's
request) and saving values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError

from ..choices import ReportState, RequestState
from ..expressions import Ref
from ..grid import Cell, CellError, Grid, Problem
from ..models import CorrectionRequest, Report, ReportSnapshot, Value
from . import rollup
from .transitions import TRANSITIONS, ensure_writable, locked, move, require_permission

S = ReportState


def direct_subordinate_reports(report: Report) -> list[Report]:
    return list(
        Report.objects.filter(
            unit__parent_id=report.unit_id, period_id=report.period_id, form_version_id=report.form_version_id
        ).select_related("unit")
    )


# --- validation ------------------------------------------------------------------


def _other_resolver(report: Report) -> Any:
    """Values of other forms of the same unit and period, and of the previous equivalent period."""
    cache: dict[tuple[str, bool], tuple[rollup.Figures, Grid | None]] = {}

    def figures_for(form_code: str | None, previous: bool) -> tuple[rollup.Figures, Grid | None]:
        code = form_code or report.form_version.form.code
        if (code, previous) in cache:
            return cache[(code, previous)]
        reports = Report.objects.filter(unit_id=report.unit_id, form_version__form__code=code)
        if previous:
            target = (
                reports.filter(
                    period__period_type=report.period.period_type,
                    period__data_cutoff__lt=report.period.data_cutoff,
                    period__is_trial=False,
                )
                .order_by("-period__data_cutoff")
                .first()
            )
        else:
            target = reports.filter(period_id=report.period_id).first()
        found = (rollup.consolidated(target), Grid.of(target.form_version)) if target is not None else ({}, None)
        cache[(code, previous)] = found
        return found

    def resolve(ref: Ref) -> Decimal:
        figures, grid = figures_for(ref.form, ref.previous)
        if grid is None or ref.row not in grid.row_by_code or ref.col not in grid.column_by_code:
            return Decimal(0)
        value = figures.get((grid.row_by_code[ref.row].pk, grid.column_by_code[ref.col].pk))
        return value if isinstance(value, Decimal) else Decimal(0)

    return resolve


def validate(report: Report, figures: rollup.Figures | None = None) -> list[Problem]:
    grid = Grid.of(report.form_version)
    return grid.check(_other_resolver(report), figures if figures is not None else rollup.consolidated(report))


# --- saving values ------------------------------------------------------------------


@dataclass
class SaveResult:
    report: Report
    changed: int
    problems: list[Problem]


class BadCells(DomainError):
    """Values that cannot be stored, by cell; nothing of the save was stored."""

    def __init__(self, cells: dict[Cell, str]) -> None:
        super().__init__("; ".join(cells.values()), code="bad_value")
        self.cells = cells


class StaleRevision(DomainError):
    """Someone saved the report since this user loaded it; ``theirs`` lists what they changed."""

    def __init__(self, theirs: dict[str, str]) -> None:
        super().__init__(
            _(
                "Báo cáo vừa được người khác cập nhật (%(n)s ô). Dữ liệu của bạn chưa bị mất: xem các ô đã thay đổi, "
                "rồi lưu lại."
            )
            % {"n": len(theirs)},
            code="stale_revision",
        )
        self.theirs = theirs


@transaction.atomic
def save_values(
    actor: Any, report: Report, changes: dict[Cell, object], *, expected_revision: int, now: dt.datetime | None = None
) -> SaveResult:
    """Save typed values, recompute computed cells, bump the revision; refuse bad input as a whole."""
    report = locked(report)
    policies.require(actor, "stats.enter", report.unit)
    if report.state != S.DRAFT:
        raise DomainError(_("Chỉ cập nhật được báo cáo đang ở trạng thái 'Đang cập nhật'."), code="not_editable")
    ensure_writable(report, now)
    grid = Grid.of(report.form_version)
    parsed: dict[Cell, Decimal | str | None] = {}
    errors: dict[Cell, str] = {}
    for cell, raw in changes.items():
        if cell[0] not in grid.row_by_id or cell[1] not in grid.column_by_id:
            errors[cell] = _("Ô không thuộc biểu này.")
            continue
        if grid.is_computed(cell):
            continue  # computed cells are ours to fill
        try:
            parsed[cell] = grid.parse(cell, raw)
        except CellError as exc:
            errors[cell] = str(exc)
    if errors:
        raise BadCells(errors)
    current = rollup.own_values(report)
    if expected_revision != report.revision:
        theirs = _changed_since(report, expected_revision)
        raise StaleRevision(theirs)
    merged = {cell: v for cell, v in current.items() if not grid.is_computed(cell)}
    for cell, value in parsed.items():
        if value is None:
            merged.pop(cell, None)
        else:
            merged[cell] = value
    computed = grid.compute(merged)
    changed = _write(report, current, computed)
    report.revision += 1
    report.entered_by_upper = not policies.can(actor, "stats.forward", report.unit)
    fields = ["revision", "entered_by_upper", "updated_at"]
    if actor.pk not in report.entered_by:
        report.entered_by = [*report.entered_by, actor.pk]
        fields.append("entered_by")
    report.save(update_fields=fields)
    problems = validate(report, rollup.consolidated(report))
    # Last, so the audit chain's head is locked only for the moment of the insert.
    audit.record(
        actor,
        "stats.report.values_saved",
        report,
        changed=len(changed),
        revision=report.revision,
        on_behalf=report.entered_by_upper,
        before={rollup.key(c): str(current.get(c, "")) for c in changed},
        after={rollup.key(c): str(computed.get(c, "")) for c in changed},
    )
    return SaveResult(report, len(changed), problems)


def _write(report: Report, current: rollup.Figures, wanted: rollup.Figures) -> list[Cell]:
    changed = [c for c in set(current) | set(wanted) if current.get(c) != wanted.get(c)]
    gone = [c for c in changed if c not in wanted]
    for cell in gone:
        Value.objects.filter(report=report, row_id=cell[0], column_id=cell[1]).delete()
    upserts = []
    for cell in changed:
        value = wanted.get(cell)
        if value is not None:
            number, text = (value, "") if isinstance(value, Decimal) else (None, value)
            upserts.append(Value(report=report, row_id=cell[0], column_id=cell[1], number=number, text=text))
    Value.objects.bulk_create(
        upserts,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["report", "row", "column"],
        update_fields=["number", "text"],
    )
    return changed


def _changed_since(report: Report, revision: int) -> dict[str, str]:
    """Cells the other saves touched, from the audit trail of value saves."""
    from kiemtra.audit.models import AuditEvent

    changed: dict[str, str] = {}
    events = AuditEvent.objects.filter(
        action="stats.report.values_saved", object_id=str(report.pk), object_type="stats.report"
    ).order_by("seq")
    for event in events:
        if int(event.extra.get("revision", 0)) > revision and event.after:
            changed.update(event.after)
    return changed


# --- the chain ------------------------------------------------------------------------


def _forwardable(report: Report) -> None:
    """Art. 8.4 + 6.2: only with 100 % of the direct subordinates received and no blocking error."""
    missing = [r.unit.name for r in direct_subordinate_reports(report) if r.state != S.RECEIVED]
    if missing:
        raise DomainError(
            _("Chưa tiếp nhận đủ báo cáo của cấp dưới (%(n)s đơn vị chưa tiếp nhận: %(units)s).")
            % {"n": len(missing), "units": ", ".join(missing[:5]) + ("…" if len(missing) > 5 else "")},
            code="subordinates_missing",
        )
    blocking = Grid.blocking(validate(report))
    if blocking:
        raise DomainError(
            _("Còn lỗi phải sửa: %(m)s") % {"m": "; ".join(p.message for p in blocking)}, code="blocking_errors"
        )


@transaction.atomic
def forward_report(actor: Any, report: Report) -> Report:
    return move(actor, report, "forward", then=_forwardable)


@transaction.atomic
def approve_report(actor: Any, report: Report) -> Report:
    return move(actor, report, "approve")


def _reason(actor: Any, action: str, report: Report, reason: str) -> str:
    require_permission(actor, action, report)
    if not reason.strip():
        raise DomainError(_("Phải ghi rõ lý do trả lại."), code="reason_required")
    return reason.strip()


@transaction.atomic
def return_report(actor: Any, report: Report, reason: str) -> Report:
    """Art. 9.2: the approver sends the report back to the statistician, with a written reason."""
    return move(actor, report, "return", _reason(actor, "return", report, reason))


@transaction.atomic
def send_report(actor: Any, report: Report) -> Report:
    """Art. 9.3: the approved report goes to the direct upper commission; the Centre's is final."""
    return move(actor, report, "send")


@transaction.atomic
def receive_report(actor: Any, report: Report) -> Report:
    """Art. 8.2: the upper statistician receives; the upper totals change in the same transaction."""
    return move(actor, report, "receive")


@transaction.atomic
def return_from_above(actor: Any, report: Report, reason: str) -> Report:
    """Art. 10: the upper statistician returns a lower report, with a reason, while its own report is home.

    The upper report, if forwarded or approved, cascades back to its statistician (``move``).
    """
    return move(actor, report, "return_from_above", _reason(actor, "return_from_above", report, reason))


SERVICES: dict[str, Callable[..., Report]] = {
    "forward": forward_report,
    "approve": approve_report,
    "return": return_report,
    "send": send_report,
    "receive": receive_report,
    "return_from_above": return_from_above,
}


def perform(actor: Any, report: Report, action: str, reason: str = "") -> Report:
    """The chain action named ``action`` (the report page's buttons)."""
    if TRANSITIONS[action].needs_reason:
        return SERVICES[action](actor, report, reason)
    return SERVICES[action](actor, report)


# --- corrections after the period (Art. 10) --------------------------------------------


@transaction.atomic
def request_correction(actor: Any, report: Report, *, reason: str, document_ref: str) -> CorrectionRequest:
    if not (policies.can(actor, "stats.approve", report.unit) or policies.can(actor, "stats.forward", report.unit)):
        raise policies.PolicyDenied("stats.request_correction")
    if report.period.deadline > timezone.now():
        raise DomainError(_("Kỳ báo cáo chưa kết thúc: sửa trực tiếp trong kỳ."), code="period_open")
    if not reason.strip() or not document_ref.strip():
        raise DomainError(_("Phải có văn bản đề nghị và lý do chỉnh lý."), code="incomplete_request")
    request = CorrectionRequest.objects.create(
        report=report, reason=reason.strip(), document_ref=document_ref.strip(), requested_by=actor
    )
    audit.record(actor, "stats.correction.requested", request, unit=report.unit)
    return request


@transaction.atomic
def decide_correction(
    actor: Any, request: CorrectionRequest, *, grant: bool, until: dt.datetime | None = None
) -> CorrectionRequest:
    """The Centre reopens the report as a new edition; the old figures stay in the snapshots."""
    policies.require(actor, "stats.configure")
    request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != RequestState.PENDING:
        raise DomainError(_("Đề nghị này đã được quyết định."), code="already_decided")
    request.state = RequestState.GRANTED if grant else RequestState.REFUSED
    request.decided_by, request.decided_at = actor, timezone.now()
    if grant:
        if until is None or until <= timezone.now():
            raise DomainError(_("Thời hạn chỉnh lý phải ở tương lai."), code="bad_deadline")
        move(actor, request.report, "correction", request.reason, audited=False, reopened_until=until)
        request.reopened_until = until
    request.save()
    audit.record(actor, "stats.correction.decided", request, unit=request.report.unit, granted=grant)
    return request


def changes_since_approval(report: Report) -> dict[Cell, tuple[str, str]]:
    """Cell by cell: (value when last approved, value now) for every cell that differs."""
    approved = report.snapshots.filter(kind=ReportSnapshot.Kind.APPROVED).first()
    if approved is None:
        return {}
    then = {rollup.unkey(k): v for k, v in approved.consolidated.items()}
    now = {cell: rollup.text(v) for cell, v in rollup.consolidated(report).items()}
    return {
        cell: (then.get(cell, ""), now.get(cell, ""))
        for cell in set(then) | set(now)
        if then.get(cell, "") != now.get(cell, "")
    }
