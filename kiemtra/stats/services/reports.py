"""The approval chain (Quy định 11 Art. 6, 8, 9, 10) and saving a report's values.

draft ─forward→ pending_approval ─approve→ approved ─send→ submitted ─receive→ received
pending_approval/approved ─return (approver)→ draft
submitted/received ─return from above (upper statistician)→ draft
any unfinished state ─lock→ ended
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
from django.utils.translation import gettext_lazy

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError
from kiemtra.orgs.models import OrgUnit

from ..choices import ReportState, RequestState
from ..expressions import Ref
from ..grid import Cell, CellError, Grid, Problem
from ..models import CorrectionRequest, Report, ReportSnapshot, ReportTransition, Value
from . import rollup
from .periods import ensure_writable

S = ReportState
# action -> (policy action on the report's unit, states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "forward": ("stats.forward", (S.DRAFT,), S.PENDING_APPROVAL),
    "approve": ("stats.approve", (S.PENDING_APPROVAL,), S.APPROVED),
    "return": ("stats.return", (S.PENDING_APPROVAL, S.APPROVED), S.DRAFT),
    "send": ("stats.send", (S.APPROVED,), S.SUBMITTED),
    "receive": ("stats.receive", (S.SUBMITTED,), S.RECEIVED),
    "return_from_above": ("stats.return_from_above", (S.SUBMITTED, S.RECEIVED), S.DRAFT),
}
# The upper report has "left the upper unit" once it is sent (Art. 10: returns only before that).
LEFT_UNIT = (S.SUBMITTED, S.RECEIVED, S.ENDED)


def _move(
    actor: Any, report: Report, action: str, reason: str = "", *, then: Callable[[Report], object] | None = None
) -> Report:
    """Check and record one transition; ``then`` runs before the audit record, which must come last."""
    policy_action, sources, target = TRANSITIONS[action]
    policies.require(actor, policy_action, report.unit)
    if report.state not in sources:
        raise DomainError(
            _("Không thể %(action)s báo cáo đang ở trạng thái '%(state)s'.")
            % {"action": ACTION_LABELS[action], "state": ReportState(report.state).label},
            code="illegal_transition",
        )
    ReportTransition.objects.create(
        report=report, from_state=report.state, to_state=target, action=action, actor=actor, reason=reason
    )
    before = report.state
    report.state = target
    report.return_reason = reason if target == S.DRAFT else ""
    report.save(update_fields=["state", "return_reason", "updated_at"])
    if then is not None:
        then(report)
    # Last, so the audit chain's head is locked only for the moment of the insert.
    audit.record(
        actor, f"stats.report.{action}", report, before={"state": before}, after={"state": target}, reason=reason
    )
    return report


ACTION_LABELS = {
    "forward": gettext_lazy("chuyển lãnh đạo phê duyệt"),
    "approve": gettext_lazy("phê duyệt"),
    "return": gettext_lazy("trả lại"),
    "send": gettext_lazy("gửi lên cấp trên"),
    "receive": gettext_lazy("tiếp nhận"),
    "return_from_above": gettext_lazy("trả lại từ cấp trên"),
}


def _require(actor: Any, action: str, report: Report) -> None:
    """Permission before anything else, so a refusal reveals nothing about the report."""
    policies.require(actor, TRANSITIONS[action][0], report.unit)


def _locked(report: Report) -> Report:
    # of=("self",): lock the report row only — joined rows (the period!) would serialise every save.
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("unit", "period", "form_version__form")
        .get(pk=report.pk)
    )


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
    report = _locked(report)
    policies.require(actor, "stats.enter", report.unit)
    if report.state != S.DRAFT:
        raise DomainError(_("Chỉ cập nhật được báo cáo đang ở trạng thái 'Đang cập nhật'."), code="not_editable")
    ensure_writable(report, now)
    grid = Grid.of(report.form_version)
    parsed: dict[Cell, Decimal | str | None] = {}
    errors = []
    for cell, raw in changes.items():
        if cell[0] not in grid.row_by_id or cell[1] not in grid.column_by_id:
            errors.append(_("Ô không thuộc biểu này."))
            continue
        if grid.is_computed(cell):
            continue  # computed cells are ours to fill
        try:
            parsed[cell] = grid.parse(cell, raw)
        except CellError as exc:
            errors.append(str(exc))
    if errors:
        raise DomainError("; ".join(errors), code="bad_value")
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
    report.save(update_fields=["revision", "entered_by_upper", "updated_at"])
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


@transaction.atomic
def forward_report(actor: Any, report: Report) -> Report:
    """Art. 8.4 + 6.2: only with 100 % of the direct subordinates received and no blocking error."""
    _require(actor, "forward", report)
    report = _locked(report)
    ensure_writable(report)
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
    return _move(actor, report, "forward")


@transaction.atomic
def approve_report(actor: Any, report: Report) -> Report:
    _require(actor, "approve", report)
    report = _locked(report)
    ensure_writable(report)
    return _move(actor, report, "approve", then=lambda r: rollup.snapshot(r, ReportSnapshot.Kind.APPROVED))


@transaction.atomic
def return_report(actor: Any, report: Report, reason: str) -> Report:
    """Art. 9.2: the approver sends the report back to the statistician, with a written reason."""
    _require(actor, "return", report)
    if not reason.strip():
        raise DomainError(_("Phải ghi rõ lý do trả lại."), code="reason_required")
    report = _locked(report)
    return _move(actor, report, "return", reason.strip())


@transaction.atomic
def send_report(actor: Any, report: Report) -> Report:
    """Art. 9.3: the approved report goes to the direct upper commission; the Centre's is final."""
    _require(actor, "send", report)
    report = _locked(report)
    if report.unit.parent_id is None:
        raise DomainError(_("Báo cáo của UBKT Trung ương đã phê duyệt là báo cáo chính thức."), code="top_level")
    ensure_writable(report)
    return _move(actor, report, "send", then=lambda r: rollup.snapshot(r, ReportSnapshot.Kind.SENT))


@transaction.atomic
def receive_report(actor: Any, report: Report) -> Report:
    """Art. 8.2: the upper statistician receives; the upper totals change in the same transaction."""
    _require(actor, "receive", report)
    report = _locked(report)
    upper = rollup.parent_report(report)
    if upper is None or upper.state in LEFT_UNIT:
        raise DomainError(
            _("Báo cáo của cấp trên đã gửi đi hoặc đã kết thúc: không thể tiếp nhận."), code="upper_closed"
        )
    return _move(actor, report, "receive", then=_include_received)


def _include_received(report: Report) -> None:
    taken = rollup.snapshot(report, ReportSnapshot.Kind.RECEIVED)
    rollup.include(report, taken.consolidated, +1)


def _exclude_received(report: Report) -> None:
    included = report.snapshots.filter(kind=ReportSnapshot.Kind.RECEIVED).first()
    rollup.include(report, included.consolidated if included else {}, -1)


@transaction.atomic
def return_from_above(actor: Any, report: Report, reason: str) -> Report:
    """Art. 10: the upper statistician returns a lower report, with a reason, while its own report is home."""
    _require(actor, "return_from_above", report)
    if not reason.strip():
        raise DomainError(_("Phải ghi rõ lý do trả lại."), code="reason_required")
    report = _locked(report)
    upper = rollup.parent_report(report)
    if upper is None or upper.state in LEFT_UNIT:
        raise DomainError(
            _(
                "Báo cáo của cấp trên đã gửi đi: phải trả lại từ cấp trên xuống trước (trả lại theo thứ tự từ trên "
                "xuống)."
            ),
            code="upper_already_sent",
        )
    then = _exclude_received if report.state == S.RECEIVED else None
    report = _move(actor, report, "return_from_above", reason.strip(), then=then)
    if upper.state in (S.PENDING_APPROVAL, S.APPROVED):
        # The upper totals changed: its forwarded or approved report goes back to its statistician.
        upper = _locked(upper)
        ReportTransition.objects.create(
            report=upper, from_state=upper.state, to_state=S.DRAFT, action="cascade", actor=actor, reason=reason.strip()
        )
        before = upper.state
        upper.state = S.DRAFT
        upper.save(update_fields=["state", "updated_at"])
        audit.record(
            actor,
            "stats.report.cascade",
            upper,
            before={"state": before},
            after={"state": S.DRAFT},
            reason=reason.strip(),
        )
    return report


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
        report = _locked(request.report)
        if report.state == S.RECEIVED:
            included = report.snapshots.filter(kind=ReportSnapshot.Kind.RECEIVED).first()
            rollup.include(report, included.consolidated if included else {}, -1)
        ReportTransition.objects.create(
            report=report,
            from_state=report.state,
            to_state=S.DRAFT,
            action="correction",
            actor=actor,
            reason=request.reason,
        )
        report.state, report.edition, report.reopened_until = S.DRAFT, report.edition + 1, until
        report.save(update_fields=["state", "edition", "reopened_until", "updated_at"])
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


def unit_reports(unit: OrgUnit, period_id: int) -> list[Report]:
    return list(Report.objects.filter(unit=unit, period_id=period_id).select_related("form_version__form"))
