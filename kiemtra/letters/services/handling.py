"""Classification, eligibility and competence (Letters II items 1–2): every move by a person, in one transaction.

- The handler may correct the kind the sender chose; a letter that both
  complains and denounces is handled as a complaint and the sender is told to
  denounce separately.
- A complaint about a disciplinary decision must come within one month of
  receiving the decision.
- Anonymous, false-name or address-less denunciations, and repeats without new
  facts, are not handled as denunciations but kept as information (they can
  still feed a proposal to inspect).
- Competence: assign to a handler (own), refer to another commission (which
  accepts — its clock starts — or sends back with a reason), send to a body
  outside the system, guide the sender, or file away. The competent commission
  is *suggested* from the accused's unit and rank (``CompetenceRule`` rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts.models import User
from kiemtra.core import events
from kiemtra.core.errors import DomainError
from kiemtra.orgs.models import OrgUnit

from ..choices import Eligibility, InformationReason, Kind, ReferralState, Status
from ..models import ClassificationCorrection, CompetenceRule, FieldCategory, HandlerAssignment, Letter, Referral
from . import clock, identity, records
from .steps import NOT_OPEN, handle, require_state, required_text, step

# Where a letter stands before a person has decided what to do with it.
UNDECIDED = (Status.RECEIVED, Status.REGISTERED)


def one_month_after(day: dt.date) -> dt.date:
    """The same day of the next month (the last day of that month when it has no such day)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class Classification:
    kind: str
    field_code: str = ""
    locality: str = ""
    accused_unit: OrgUnit | None = None
    accused_rank: str = ""
    accused_is_organisation: bool = False
    decision_received_on: dt.date | None = None
    mixed: bool = False  # complains and denounces: handled as a complaint
    reason: str = ""


@transaction.atomic
def classify(actor: Any, letter: Letter, c: Classification) -> Letter:
    letter = handle(actor, letter)
    require_state(letter, (*UNDECIDED, Status.HANDLING), NOT_OPEN)
    kind = Kind.COMPLAINT if c.mixed else c.kind
    if kind not in Kind.values:
        raise DomainError(_("Loại đơn không hợp lệ."), code="kind")
    if c.field_code and not FieldCategory.objects.filter(code=c.field_code).exists():
        raise DomainError(_("Lĩnh vực không có trong danh mục."), code="field_code")
    if c.accused_rank and not CompetenceRule.objects.filter(rank=c.accused_rank).exists():
        raise DomainError(_("Cấp quản lý không có trong danh mục."), code="accused_rank")
    changes = {
        k: v
        for k, v in {"kind": kind, "field_code": c.field_code, "locality": c.locality}.items()
        if v != getattr(letter, k)
    }
    if changes:
        reason = c.reason or _("Phân loại đơn")
        letter = records.amend(actor, letter, reason=reason, changes=changes)
    letter.accused_unit = c.accused_unit
    letter.accused_rank = c.accused_rank
    letter.accused_is_organisation = c.accused_is_organisation
    letter.decision_received_on = c.decision_received_on
    letter.save(
        update_fields=["accused_unit", "accused_rank", "accused_is_organisation", "decision_received_on", "updated_at"]
    )
    # The handler's labels teach the classifier at its next training.
    ClassificationCorrection.objects.update_or_create(
        letter=letter, defaults={"kind": kind, "field_code": c.field_code or "other", "actor": actor}
    )
    note = _("Đơn vừa khiếu nại vừa tố cáo: giải quyết theo khiếu nại; hướng dẫn người gửi tách nội dung tố cáo.")
    step(actor, letter, "classified", note if c.mixed else "", kind=kind, field=c.field_code, mixed=c.mixed)
    return letter


@dataclass
class EligibilityCheck:
    complete: bool = True
    sender_address_known: bool = True
    repeat_without_new_facts: bool = False
    note: str = ""


@transaction.atomic
def check_eligibility(actor: Any, letter: Letter, check: EligibilityCheck) -> Letter:
    letter = handle(actor, letter)
    require_state(letter, UNDECIDED, NOT_OPEN)
    reason = ""
    if letter.kind == Kind.DENUNCIATION:
        if letter.anonymous:
            reason = InformationReason.ANONYMOUS
        elif letter.false_name:
            reason = InformationReason.FALSE_NAME
        elif not check.sender_address_known:
            reason = InformationReason.NO_ADDRESS
        elif check.repeat_without_new_facts:
            reason = InformationReason.REPEAT
    if reason:
        letter.eligibility, letter.information_reason, letter.status = Eligibility.INFORMATION, reason, Status.KEPT
    elif letter.kind == Kind.COMPLAINT and letter.field_code == "discipline" and letter.decision_received_on is None:
        raise DomainError(
            _("Đơn khiếu nại kỷ luật: cần ghi ngày người khiếu nại nhận quyết định kỷ luật."),
            code="decision_received_on",
        )
    elif (
        letter.kind == Kind.COMPLAINT
        and letter.decision_received_on is not None
        and letter.received_on > one_month_after(letter.decision_received_on)
    ):
        letter.eligibility, letter.information_reason = Eligibility.OUT_OF_TIME, ""
    elif not check.complete:
        letter.eligibility, letter.information_reason = Eligibility.INCOMPLETE, ""
    else:
        letter.eligibility, letter.information_reason = Eligibility.ELIGIBLE, ""
    letter.save(update_fields=["eligibility", "information_reason", "status", "updated_at"])
    step(actor, letter, "eligibility", check.note, eligibility=letter.eligibility, reason=reason)
    return letter


def suggest_competent(letter: Letter) -> OrgUnit | None:
    """The commission the catalog says is competent for the accused's unit and rank; a suggestion only."""
    if letter.accused_unit is None:
        return None
    rule = CompetenceRule.objects.filter(rank=letter.accused_rank).first()
    up = rule.levels_up if rule else 0
    unit = letter.accused_unit
    while up and unit.parent is not None:
        unit, up = unit.parent, up - 1
    return unit


def _require_eligible(letter: Letter) -> None:
    if letter.eligibility != Eligibility.ELIGIBLE:
        raise DomainError(_("Cần xác định đơn đủ điều kiện xử lý trước khi chuyển đơn."), code="eligibility")


@transaction.atomic
def assign(actor: Any, letter: Letter, person: User) -> Letter:
    """The one assignment of a letter (Letters I's "giao xử lý" and Letters II's "giao giải quyết").

    The person becomes a handler of the letter (and so sees a protected sender, Letters I); once the
    letter is found eligible, assigning it within the commission's competence starts the clock
    (Letters II) on the day the letter was received here, or the day a referral to here was accepted.
    A handler named before the eligibility check is assigned again, by the same form, to start it.
    """
    letter = handle(actor, letter, "letters.letter.assign")
    require_state(letter, (*UNDECIDED, Status.HANDLING, Status.SUSPENDED), NOT_OPEN)
    already = HandlerAssignment.objects.filter(letter=letter, person=person, active=True).exists()
    starts = letter.eligibility == Eligibility.ELIGIBLE and letter.clock_start is None
    if already and not starts:
        raise DomainError(
            _("Cán bộ xử lý: %(name)s đã được giao xử lý đơn thư này.") % {"name": person.full_name},
            code="already_handler",
        )
    if not already:
        identity.assign_handler(actor, letter, person)
    if starts:
        accepted = letter.referrals.filter(to_unit=letter.holding_unit, state=ReferralState.ACCEPTED).first()
        start = accepted.decided_at.date() if accepted and accepted.decided_at else letter.received_on
        clock.start(letter, start)
    if letter.status in UNDECIDED and letter.clock_start is not None:
        letter.status = Status.HANDLING
    letter.save()
    if letter.due_on:
        note = _("Hạn giải quyết %(due)s") % {"due": letter.due_on.strftime("%d/%m/%Y")}
    else:
        note = _("Chưa tính hạn: đơn chưa được xác định đủ điều kiện xử lý")
    step(actor, letter, "assigned", note, person=person.pk)
    return letter


def _end_handlers(letter: Letter) -> None:
    HandlerAssignment.objects.filter(letter=letter, active=True).update(active=False, ended_at=timezone.now())


@transaction.atomic
def refer(actor: Any, letter: Letter, to_unit: OrgUnit, reason: str) -> Referral:
    """To another commission: it appears in that register with its whole history; the sender sees where."""
    letter = handle(actor, letter)
    require_state(letter, UNDECIDED, NOT_OPEN)
    _require_eligible(letter)
    reason = required_text(reason, "reason", _("Cần ghi lý do chuyển đơn."))
    if to_unit.pk == letter.holding_unit_id or not to_unit.is_active or to_unit.kind == "department":
        raise DomainError(_("Cơ quan nhận phải là một ủy ban kiểm tra khác, đang hoạt động."), code="to_unit")
    referral = Referral.objects.create(
        letter=letter, from_unit=letter.holding_unit, to_unit=to_unit, reason=reason, sent_by=actor
    )
    step(
        actor, letter, "referred", _("Chuyển đến %(unit)s: %(r)s") % {"unit": to_unit.name, "r": reason}, to=to_unit.pk
    )
    _end_handlers(letter)
    letter.holding_unit = to_unit
    letter.status = Status.REFERRED
    letter.clock_start = letter.due_on = None
    letter.save()
    events.announce(
        "letters.letter.referred",
        records.commission_users(to_unit),
        _("Đơn %(code)s được chuyển đến, chờ tiếp nhận") % {"code": letter.tracking_code},
        url=f"/don-thu/{letter.uid}/",
        unit=to_unit,
    )
    return referral


def _pending_referral(actor: Any, referral: Referral) -> tuple[Referral, Letter]:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    letter = handle(actor, referral.letter, "letters.letter.refer_accept")
    if referral.state != ReferralState.PENDING or letter.holding_unit_id != referral.to_unit_id:
        raise DomainError(_("Đơn chuyển đến này đã được xử lý."), code="referral_state")
    return referral, letter


@transaction.atomic
def accept(actor: Any, referral: Referral, on: dt.date | None = None) -> Letter:
    """The receiving commission takes the letter: its clock starts on the day of acceptance."""
    referral, letter = _pending_referral(actor, referral)
    referral.state, referral.decided_by, referral.decided_at = ReferralState.ACCEPTED, actor, timezone.now()
    referral.save()
    letter.status = Status.HANDLING
    clock.start(letter, on or timezone.localdate())
    letter.save()
    step(actor, letter, "referral_accepted", from_unit=referral.from_unit_id)
    return letter


@transaction.atomic
def send_back(actor: Any, referral: Referral, reason: str) -> Letter:
    referral, letter = _pending_referral(actor, referral)
    reason = required_text(reason, "reason", _("Cần ghi lý do trả lại đơn."))
    referral.state, referral.decided_by, referral.decided_at = ReferralState.RETURNED, actor, timezone.now()
    referral.decision_reason = reason
    referral.save()
    step(actor, letter, "referral_returned", reason, to=referral.from_unit_id)
    letter.holding_unit = referral.from_unit
    letter.status = Status.REGISTERED
    letter.save()
    events.announce(
        "letters.letter.returned",
        records.commission_users(referral.from_unit),
        _("Đơn %(code)s bị trả lại: %(r)s") % {"code": letter.tracking_code, "r": reason},
        url=f"/don-thu/{letter.uid}/",
        unit=referral.from_unit,
    )
    return letter


@transaction.atomic
def send_outside(actor: Any, letter: Letter, body: str, reason: str) -> Letter:
    letter = handle(actor, letter)
    require_state(letter, UNDECIDED, NOT_OPEN)
    body = required_text(body, "outside_body", _("Cần ghi cơ quan nhận đơn."), 255)
    reason = required_text(reason, "reason", _("Cần ghi lý do chuyển đơn."))
    Referral.objects.create(
        letter=letter,
        from_unit=letter.holding_unit,
        outside_body=body,
        reason=reason,
        sent_by=actor,
        state=ReferralState.OUTSIDE,
    )
    letter.status = Status.SENT_OUTSIDE
    letter.save()
    step(actor, letter, "sent_outside", _("Chuyển %(body)s: %(r)s") % {"body": body, "r": reason})
    return letter


@transaction.atomic
def guide(actor: Any, letter: Letter, guidance: str) -> Letter:
    """Not ours to handle: tell the sender where to send it (the guidance becomes the reply draft)."""
    letter = handle(actor, letter)
    require_state(letter, UNDECIDED, NOT_OPEN)
    guidance = required_text(guidance, "guidance", _("Cần ghi nội dung hướng dẫn người gửi."))
    letter.status = Status.GUIDED
    letter.save()
    step(actor, letter, "guided", guidance)
    return letter


@transaction.atomic
def file_away(actor: Any, letter: Letter, reason: str) -> Letter:
    letter = handle(actor, letter)
    require_state(letter, (*UNDECIDED, Status.KEPT), NOT_OPEN)
    reason = required_text(reason, "reason", _("Cần ghi lý do lưu đơn."))
    letter.status = Status.FILED
    letter.save()
    step(actor, letter, "filed", reason)
    return letter


def destination_label(letter: Letter) -> str:
    """What the sender's status says: where the letter went, and any extension with its reason."""
    label = str(Status(letter.status).label)
    if letter.status in (Status.REFERRED, Status.SENT_OUTSIDE, Status.HANDLING, Status.SUSPENDED):
        last = letter.referrals.order_by("-sent_at", "-pk").first()
        if last is not None and last.state in (ReferralState.PENDING, ReferralState.ACCEPTED):
            label += " — " + (last.to_unit.name if last.to_unit else last.outside_body)
        elif last is not None and last.state == ReferralState.OUTSIDE:
            label += " — " + last.outside_body
    if letter.extended_days and letter.status in (Status.HANDLING, Status.SUSPENDED):
        label += " — " + _("gia hạn %(n)d ngày: %(r)s") % {"n": letter.extended_days, "r": letter.extension_reason}
    return label
