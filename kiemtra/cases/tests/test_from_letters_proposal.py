"""Issue 14, "a case opened from a letters proposal": the real proposal of the letters module, approved by the
commission's leader, becomes a case carrying the accused and the letters — never the senders — and is taken once."""

from __future__ import annotations

import datetime as dt

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree, give
from kiemtra.core.errors import DomainError
from kiemtra.letters.choices import ProposalState, ProposalTarget
from kiemtra.letters.models import InspectionProposal, Letter
from kiemtra.letters.services import identity
from kiemtra.letters.services import proposals as letter_proposals
from kiemtra.letters.tests.conftest import Register, letters_storage, people  # noqa: F401  (fixtures)
from kiemtra.letters.tests.test_follow_and_proposals import paper

from ..choices import CaseSource
from ..models import CaseFile
from ..services.from_letters import open_from_letters, waiting

pytestmark = pytest.mark.django_db


def approved_proposal(org_tree: Tree, people: Register) -> tuple[InspectionProposal, list[Letter]]:  # noqa: F811
    """Two letters of the province, a proposal to inspect Lê Văn Cường drafted from them, approved by its leader."""
    letters = [paper(org_tree.province), paper(org_tree.province)]
    proposal = letter_proposals.draft(
        people.officer,
        org_tree.province,
        target_kind=ProposalTarget.MEMBER,
        target_name="Lê Văn Cường",
        grounds="Nhiều đơn phản ánh cùng nội dung về đất đai",
        letters=letters,
    )
    identity.designate_leader(people.admin, org_tree.province, people.custodian, "QĐ 5")
    letter_proposals.decide(people.custodian, proposal, approve=True)
    return proposal, letters


def test_an_approved_letters_proposal_opens_one_case_and_is_marked_taken(
    org_tree: Tree,
    people: Register,  # noqa: F811
) -> None:
    proposal, letters = approved_proposal(org_tree, people)
    # The commission's leadership for cases, who also works on its letter register.
    leader = people.custodian
    give(leader, org_tree.province, Role.CASE_LEADERSHIP)
    give(leader, org_tree.province, Role.USER)
    assert list(waiting(org_tree.province)) == [proposal]

    case = open_from_letters(
        leader, proposal, decision_number="30-QĐ/UBKT", decision_date=dt.date(2026, 9, 1), signer="Chủ nhiệm"
    )

    assert case.source == CaseSource.PROPOSAL and case.subject_name == "Lê Văn Cường"
    assert sorted(case.letter_refs) == sorted(str(x.pk) for x in letters)
    assert "Trần Thị Gửi" not in repr(case.__dict__)  # the sender stays in the letters module
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.TAKEN and proposal.case_ref == str(case.pk)
    assert not waiting(org_tree.province).exists()
    with pytest.raises(DomainError):
        open_from_letters(leader, proposal, decision_number="31-QĐ/UBKT", decision_date=dt.date(2026, 9, 2), signer="X")
    assert CaseFile.objects.count() == 1
