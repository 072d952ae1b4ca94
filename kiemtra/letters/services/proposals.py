"""Proposals to inspect or supervise, drawn from letters (Letters II item 9; ``reference/000_…`` (3)).

A handler drafts (the organisation or member, grounds, the linked letters — whose
senders stay sealed: the proposal names letters by tracking code only) and
submits it; the commission's leader approves or refuses; the case-files module
lists ``approved_for(unit)`` and calls ``take_over(actor, proposal, case)``,
which marks it taken, so nothing is typed twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core import events
from kiemtra.core.errors import DomainError
from kiemtra.core.text import nfc
from kiemtra.orgs.models import OrgUnit

from ..choices import ProposalState, ProposalTarget
from ..models import InspectionProposal, Leader, Letter


@transaction.atomic
def draft(
    actor: Any,
    unit: OrgUnit,
    *,
    target_kind: str,
    target_name: str,
    grounds: str,
    letters: Iterable[Letter],
    target_unit: OrgUnit | None = None,
) -> InspectionProposal:
    policies.require(actor, "letters.proposal.draft", unit)
    letters = list(letters)
    if target_kind not in ProposalTarget.values:
        raise DomainError(_("Cần chọn đối tượng: tổ chức đảng hoặc đảng viên."), code="target_kind")
    if not nfc(target_name).strip():
        raise DomainError(_("Cần ghi tên tổ chức đảng hoặc đảng viên."), code="target_name")
    if not nfc(grounds).strip():
        raise DomainError(_("Cần ghi căn cứ đề nghị."), code="grounds")
    if not letters:
        raise DomainError(_("Cần gắn ít nhất một đơn thư làm căn cứ."), code="letters")
    if any(letter.holding_unit_id != unit.pk for letter in letters):
        raise DomainError(_("Chỉ gắn đơn thư trong sổ của cơ quan mình."), code="letters")
    proposal = InspectionProposal.objects.create(
        unit=unit,
        target_kind=target_kind,
        target_unit=target_unit,
        target_name=nfc(target_name).strip()[:255],
        grounds=nfc(grounds).strip(),
        drafted_by=actor,
        state=ProposalState.SUBMITTED,
    )
    proposal.letters.set(letters)
    audit.record(actor, "letters.proposal.drafted", proposal, unit=unit, letters=len(letters))
    leaders = Leader.objects.filter(unit=unit, active=True).values_list("person_id", flat=True)
    events.announce(
        "letters.proposal.to_approve",
        list(leaders),
        _("Đề nghị kiểm tra, giám sát chờ duyệt"),
        url=f"/don-thu/de-nghi/{proposal.pk}/",
        unit=unit,
    )
    return proposal


@transaction.atomic
def decide(actor: Any, proposal: InspectionProposal, *, approve: bool, reason: str = "") -> InspectionProposal:
    proposal = InspectionProposal.objects.select_for_update().get(pk=proposal.pk)
    policies.require(actor, "letters.proposal.decide", proposal.unit)
    if proposal.state != ProposalState.SUBMITTED:
        raise DomainError(_("Đề nghị này không còn chờ duyệt."), code="state")
    if not approve and not nfc(reason).strip():
        raise DomainError(_("Cần ghi lý do không duyệt."), code="reason")
    proposal.state = ProposalState.APPROVED if approve else ProposalState.REFUSED
    proposal.decided_by, proposal.decided_at, proposal.decision_reason = actor, timezone.now(), nfc(reason)[:1000]
    proposal.save()
    audit.record(actor, f"letters.proposal.{proposal.state}", proposal, unit=proposal.unit)
    return proposal


def approved_for(unit: OrgUnit) -> QuerySet[InspectionProposal]:
    """What the case-files module may take over for ``unit``: approved, not yet taken."""
    return (
        InspectionProposal.objects.filter(unit=unit, state=ProposalState.APPROVED)
        .select_related("target_unit")
        .prefetch_related("letters")
        .order_by("decided_at", "pk")
    )


def letter_codes(proposal: InspectionProposal) -> list[str]:
    """The linked letters by tracking code: never a sender."""
    return sorted(proposal.letters.values_list("tracking_code", flat=True))


@transaction.atomic
def take_over(actor: Any, proposal: InspectionProposal, case: Any) -> InspectionProposal:
    """The case-files module has opened ``case`` from the proposal: mark it taken (once)."""
    proposal = InspectionProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != ProposalState.APPROVED:
        raise DomainError(_("Chỉ tiếp nhận đề nghị đã được duyệt và chưa được tiếp nhận."), code="state")
    if not (policies.can(actor, "letters.proposal.read", proposal.unit)):
        raise DomainError(_("Bạn không làm việc tại cơ quan có đề nghị này."), code="unit")
    proposal.state = ProposalState.TAKEN
    proposal.taken_by, proposal.taken_at = actor, timezone.now()
    proposal.case_ref = str(getattr(case, "pk", case))[:100]
    proposal.save()
    audit.record(actor, "letters.proposal.taken", proposal, unit=proposal.unit, case=proposal.case_ref)
    return proposal
