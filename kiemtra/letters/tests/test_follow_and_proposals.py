"""Following the lower commissions (Quy định 06 Art. 7.2, 7.5) and proposals to inspect (reference 000 (3))."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.letters.choices import Channel, Kind, ProposalState, ProposalTarget
from kiemtra.letters.models import Letter
from kiemtra.letters.services import follow, handling, identity, proposals, records
from kiemtra.letters.tests.conftest import Register

pytestmark = pytest.mark.django_db
D = dt.date


def paper(unit: Any, kind: str = Kind.DENUNCIATION, **extra: Any) -> Letter:
    return records.create(
        None,
        records.NewLetter(
            channel=Channel.POST,
            kind=kind,
            holding_unit=unit,
            received_on=extra.pop("received_on", timezone.localdate()),
            title="Đơn",
            content="Ông Lê Văn Cường giao đất công cho doanh nghiệp người nhà.",
            senders=[records.Sender(full_name="Trần Thị Gửi", address="Xóm 3")],
            **extra,
        ),
    )


def test_an_upper_commission_follows_a_lower_ones_register_and_not_the_other_way(
    org_tree: Tree, people: Register
) -> None:
    """Art. 7.2: the upper commission follows the lower ones' updating of letter data."""
    letter = paper(org_tree.commune)
    handling.classify(
        people.commune_officer, letter, handling.Classification(kind=Kind.DENUNCIATION, field_code="land")
    )
    handling.check_eligibility(people.commune_officer, letter, handling.EligibilityCheck())
    paper(org_tree.commune, Kind.FEEDBACK)
    today = timezone.localdate()
    seen = follow.overview(people.officer, org_tree.commune, today - dt.timedelta(days=30), today)
    assert seen.total == 2 and seen.by_kind == {"denunciation": 1, "feedback": 1}
    assert seen.completeness == 50.0 and seen.score == 75.0
    assert AuditEvent.objects.filter(action="letters.follow.read").exists()
    assert org_tree.commune in follow.lower_commissions(people.officer)
    for outsider in (people.commune_officer, people.other, people.admin):
        with pytest.raises(PolicyDenied):
            follow.overview(
                outsider, org_tree.province if outsider is people.commune_officer else org_tree.commune, today, today
            )


def test_a_data_request_is_recorded_answered_without_identities_and_every_read_audited(
    org_tree: Tree, people: Register
) -> None:
    """Art. 7.5: the upper commission may request the lower one's letter data."""
    letter = paper(org_tree.commune)
    today = timezone.localdate()
    with pytest.raises(PolicyDenied):
        follow.request_data(people.other, org_tree.commune, "Số liệu quý IV", today, today)
    request = follow.request_data(people.officer, org_tree.commune, "Số liệu quý IV", today, today)
    with pytest.raises(PolicyDenied):
        follow.provide(people.officer, request)
    request = follow.provide(people.commune_officer, request)
    data = follow.read_provided(people.officer, request)
    assert [row["tracking_code"] for row in data["letters"]] == [letter.tracking_code]
    assert "Trần Thị Gửi" not in str(data) and "Cường" not in str(data)
    assert AuditEvent.objects.filter(action="letters.data_request.read").count() == 1


def test_a_proposal_to_inspect_is_drafted_approved_by_the_leader_and_taken_over(
    org_tree: Tree, people: Register
) -> None:
    letters = [paper(org_tree.province), paper(org_tree.province)]
    with pytest.raises(DomainError):
        proposals.draft(
            people.officer,
            org_tree.province,
            target_kind=ProposalTarget.MEMBER,
            target_name="",
            grounds="x",
            letters=letters,
        )
    with pytest.raises(PolicyDenied):
        proposals.draft(
            people.other,
            org_tree.province,
            target_kind=ProposalTarget.MEMBER,
            target_name="Lê Văn Cường",
            grounds="Nhiều đơn",
            letters=letters,
        )
    proposal = proposals.draft(
        people.officer,
        org_tree.province,
        target_kind=ProposalTarget.MEMBER,
        target_name="Lê Văn Cường",
        grounds="Nhiều đơn phản ánh cùng nội dung về đất đai",
        letters=letters,
    )
    assert proposal.state == ProposalState.SUBMITTED
    assert proposals.letter_codes(proposal) == sorted(x.tracking_code for x in letters)
    with pytest.raises(PolicyDenied):
        proposals.decide(people.officer, proposal, approve=True)  # the drafter is not the leader
    identity.designate_leader(people.admin, org_tree.province, people.custodian, "QĐ 5")
    with pytest.raises(DomainError):
        proposals.take_over(people.officer, proposal, "HS-1")  # not approved yet
    proposals.decide(people.custodian, proposal, approve=True)
    assert list(proposals.approved_for(org_tree.province)) == [proposal]
    assert not proposals.approved_for(org_tree.other_province).exists()
    taken = proposals.take_over(people.officer, proposal, "HS-2026-001")
    assert taken.state == ProposalState.TAKEN and taken.case_ref == "HS-2026-001"
    assert not proposals.approved_for(org_tree.province).exists()
    with pytest.raises(DomainError):
        proposals.take_over(people.officer, proposal, "HS-2026-002")
