"""The denouncer's identity: handlers, custodians, and reveal requests with their decisions.

Every request, decision and read is in the audit log. An approved reveal is
personal (the requester alone) and time-limited (``REVEAL_HOURS``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core import events
from kiemtra.core.errors import DomainError
from kiemtra.core.text import nfc
from kiemtra.orgs.models import OrgUnit

from ..choices import RevealState
from ..models import Custodian, HandlerAssignment, Leader, Letter, RevealRequest
from ..policies import commission_of, register_scope


def reveal_hours() -> int:
    return int(getattr(settings, "LETTERS_REVEAL_HOURS", 72))


@transaction.atomic
def assign_handler(actor: Any, letter: Letter, person: Any) -> HandlerAssignment:
    """A handler works on the commission's register and sees this letter's senders."""
    policies.require(actor, "letters.letter.assign", letter)
    policies.forget(person)
    if letter.holding_unit not in register_scope(person):
        raise DomainError(
            _("%(name)s không làm việc trên sổ đơn thư của cơ quan này.") % {"name": person.full_name},
            code="handler_scope",
        )
    if HandlerAssignment.objects.filter(letter=letter, person=person, active=True).exists():
        raise DomainError(_("Cán bộ này đã được giao xử lý đơn thư."), code="already_handler")
    assignment = HandlerAssignment.objects.create(letter=letter, person=person, assigned_by=actor)
    audit.record(actor, "letters.handler.assigned", letter, unit=letter.holding_unit, person=person.pk)
    events.announce(
        "letters.handler.assigned",
        [person],
        _("Bạn được giao xử lý đơn thư %(code)s") % {"code": letter.tracking_code},
        url=f"/don-thu/{letter.uid}/",
        unit=letter.holding_unit,
    )
    return assignment


@transaction.atomic
def end_handler(actor: Any, letter: Letter, person: Any) -> None:
    policies.require(actor, "letters.letter.assign", letter)
    updated = HandlerAssignment.objects.filter(letter=letter, person=person, active=True).update(
        active=False, ended_at=timezone.now()
    )
    if not updated:
        raise DomainError(_("Cán bộ này không đang xử lý đơn thư."), code="not_handler")
    audit.record(actor, "letters.handler.ended", letter, unit=letter.holding_unit, person=person.pk)


@transaction.atomic
def designate_custodian(actor: Any, unit: OrgUnit, person: Any, document_ref: str) -> Custodian:
    policies.require(actor, "letters.custodian.designate", unit)
    unit = commission_of(unit)
    if not nfc(document_ref):
        raise DomainError(_("Cần ghi văn bản phân công người quản lý danh tính."), code="document_ref")
    if Custodian.objects.filter(unit=unit, person=person, active=True).exists():
        raise DomainError(_("Người này đã là người quản lý danh tính của cơ quan."), code="already_custodian")
    custodian = Custodian.objects.create(unit=unit, person=person, designated_by=actor, document_ref=nfc(document_ref))
    audit.record(actor, "letters.custodian.designated", custodian, unit=unit, person=person.pk)
    return custodian


def custodians_of(unit: OrgUnit) -> list[int]:
    return list(Custodian.objects.filter(unit=unit, active=True).values_list("person_id", flat=True))


@transaction.atomic
def request_reveal(actor: Any, letter: Letter, reason: str) -> RevealRequest:
    policies.require(actor, "letters.identity.reveal_request", letter)
    reason = nfc(reason)
    if len(reason) < 10:
        raise DomainError(_("Cần nêu rõ lý do đề nghị xem danh tính người gửi (ít nhất 10 ký tự)."), code="reason")
    if RevealRequest.objects.filter(letter=letter, requester=actor, state=RevealState.PENDING).exists():
        raise DomainError(_("Bạn đã có một đề nghị đang chờ quyết định cho đơn thư này."), code="pending")
    request = RevealRequest.objects.create(letter=letter, requester=actor, reason=reason[:1000])
    audit.record(
        actor, "letters.identity.reveal_requested", request, unit=letter.holding_unit, letter=letter.tracking_code
    )
    events.announce(
        "letters.identity.reveal_requested",
        custodians_of(letter.holding_unit),
        _("Đề nghị xem danh tính người gửi đơn %(code)s") % {"code": letter.tracking_code},
        url="/don-thu/danh-tinh/",
        unit=letter.holding_unit,
    )
    return request


@transaction.atomic
def decide_reveal(actor: Any, request: RevealRequest, *, approve: bool, reason: str) -> RevealRequest:
    request = RevealRequest.objects.select_for_update().select_related("letter__holding_unit").get(pk=request.pk)
    policies.require(actor, "letters.identity.reveal_decide", request)
    if request.state != RevealState.PENDING:
        raise DomainError(_("Đề nghị này đã được quyết định."), code="decided")
    reason = nfc(reason)
    if not reason:
        raise DomainError(_("Cần ghi lý do đồng ý hoặc từ chối."), code="decision_reason")
    now = timezone.now()
    request.state = RevealState.APPROVED if approve else RevealState.REFUSED
    request.decided_by = actor
    request.decided_at = now
    request.decision_reason = reason[:1000]
    request.expires_at = now + dt.timedelta(hours=reveal_hours()) if approve else None
    request.save()
    audit.record(
        actor,
        "letters.identity.reveal_approved" if approve else "letters.identity.reveal_refused",
        request,
        unit=request.letter.holding_unit,
        letter=request.letter.tracking_code,
        requester=request.requester_id,
        expires_at=request.expires_at.isoformat() if request.expires_at else None,
    )
    events.announce(
        "letters.identity.reveal_decided",
        [request.requester_id],
        (
            _("Đề nghị xem danh tính (đơn %(code)s) được đồng ý")
            if approve
            else _("Đề nghị xem danh tính (đơn %(code)s) bị từ chối")
        )
        % {"code": request.letter.tracking_code},
        url=f"/don-thu/{request.letter.uid}/",
        unit=request.letter.holding_unit,
    )
    return request


def pending_for(person: Any) -> Any:
    """The reveal requests waiting for this custodian's decision (never their own)."""
    units = Custodian.objects.filter(person=person, active=True).values_list("unit_id", flat=True)
    return (
        RevealRequest.objects.filter(letter__holding_unit_id__in=units, state=RevealState.PENDING)
        .exclude(requester=person)
        .select_related("letter", "requester")
    )


def designate_leader(actor: Any, unit: OrgUnit, person: Any, document_ref: str) -> Leader:
    """The commission's leader for letters (approves replies and proposals), named like a custodian."""
    policies.require(actor, "letters.leader.designate", unit)
    unit = commission_of(unit)
    if not nfc(document_ref):
        raise DomainError(_("Cần ghi văn bản phân công lãnh đạo phụ trách."), code="document_ref")
    if Leader.objects.filter(unit=unit, person=person, active=True).exists():
        raise DomainError(_("Người này đã là lãnh đạo phụ trách đơn thư của cơ quan."), code="already_leader")
    leader = Leader.objects.create(unit=unit, person=person, designated_by=actor, document_ref=nfc(document_ref))
    audit.record(actor, "letters.leader.designated", leader, unit=unit, person=person.pk)
    return leader
