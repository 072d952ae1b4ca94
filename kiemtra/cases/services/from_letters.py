"""A case opened from an approved letters proposal to inspect (issue 14 item 2, issue 13 item 9).

The letters module owns the proposal; this is the one place that reads it for
cases: the accused and the letters' ids travel, the senders never do (they stay
sealed in letters). The proposal is marked taken in the same transaction, so a
proposal opens at most one case and a failed opening leaves it approved.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.db import transaction

from kiemtra.accounts import policies as account_policies
from kiemtra.accounts.choices import Function, Module
from kiemtra.letters.models import InspectionProposal
from kiemtra.letters.services import proposals

from ..models import CaseFile
from ..sources import open_from_proposal


@transaction.atomic
def open_from_letters(
    actor: Any, proposal: Any, *, decision_number: str, decision_date: dt.date, signer: str
) -> CaseFile:
    proposal = InspectionProposal.objects.select_for_update().get(pk=proposal.pk)  # its state as stored, locked
    view = SimpleNamespace(
        pk=proposal.pk,
        state=proposal.state,
        subject_name=proposal.target_name,
        subject_kind=proposal.target_kind,
        grounds=proposal.grounds,
        letters=proposal.letters,
        unit=proposal.unit,
    )
    case = open_from_proposal(actor, view, decision_number=decision_number, decision_date=decision_date, signer=signer)
    proposals.take_over(actor, proposal, case)
    return case


def waiting(unit: Any) -> Any:
    """The approved proposals of ``unit`` no case has taken yet."""
    return proposals.approved_for(unit)


def led_units(actor: Any) -> list[Any]:
    """The commissions whose case leadership ``actor`` holds: those that open cases from proposals."""
    return [g.unit for g in account_policies.grants_in(actor, Module.CASES) if Function.CASE_LEADERSHIP in g.functions]


def waiting_for(actor: Any) -> Any:
    """The approved proposals waiting in every commission ``actor`` leads, oldest decision first."""
    units = led_units(actor)
    if not units:
        return InspectionProposal.objects.none()
    qs = waiting(units[0])
    for unit in units[1:]:
        qs = qs | waiting(unit)
    return qs.select_related("unit").order_by("decided_at", "pk")


def waiting_proposal(actor: Any, pk: int) -> Any:
    """One waiting proposal of a commission ``actor`` leads, or None (another's proposals are not shown)."""
    return waiting_for(actor).filter(pk=pk).first()


def letter_codes(proposal: Any) -> list[str]:
    """The proposal's letters by tracking code: never a sender (the letters module's own reader)."""
    return proposals.letter_codes(proposal)
