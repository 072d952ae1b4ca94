"""Opening a case from an approved letters proposal (issue 14 item 2), against a small interface.

The letters module owns ``InspectionProposal``; cases never writes its models.
The integrator connects letters' "approve proposal" flow to :func:`open_from_proposal`:
the proposal object needs ``pk``, ``subject_name``, ``subject_kind``, ``grounds``,
``letters`` (an iterable of letters with ``pk`` or a related manager) and ``unit``.
The denouncer's identity is never read here: only the letters' ids travel, so it
stays sealed in the letters module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from django.utils.translation import gettext as _

from kiemtra.core.errors import DomainError

from .choices import CaseKind, CaseSource, SubjectKind
from .models import CaseFile
from .services.cases import Opening, open_case


class Proposal(Protocol):
    pk: Any
    subject_name: str
    subject_kind: str
    grounds: str
    letters: Any
    unit: Any


def _letter_ids(letters: Any) -> list[str]:
    items = letters.all() if hasattr(letters, "all") else letters
    return [str(getattr(letter, "pk", letter)) for letter in items]


def open_from_proposal(
    actor: Any, proposal: Proposal, *, decision_number: str, decision_date: dt.date, signer: str
) -> CaseFile:
    """The accused and the letters carried over without re-typing; the link recorded on the case."""
    if getattr(proposal, "state", "approved") not in ("approved", "APPROVED"):
        raise DomainError(_("Chỉ mở cuộc kiểm tra từ đề xuất đã được phê duyệt."), code="proposal_state")
    ref = f"letters.proposal:{proposal.pk}"
    if CaseFile.objects.filter(proposal_ref=ref).exists():
        raise DomainError(_("Đề xuất này đã được mở thành hồ sơ."), code="proposal_used")
    subject_kind = proposal.subject_kind if proposal.subject_kind in SubjectKind.values else SubjectKind.MEMBER
    kind = CaseKind.INSPECTION_MEMBER if subject_kind == SubjectKind.MEMBER else CaseKind.INSPECTION_ORGANISATION
    return open_case(
        actor,
        proposal.unit,
        Opening(
            kind=kind,
            subject_kind=subject_kind,
            subject_name=proposal.subject_name,
            decision_number=decision_number,
            decision_date=decision_date,
            signer=signer,
            grounds=proposal.grounds,
            letter_refs=_letter_ids(proposal.letters),
            proposal_ref=ref,
        ),
        source=CaseSource.PROPOSAL,
    )
