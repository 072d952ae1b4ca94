"""Issue 14 "Done when": a programme approved → a case opened from an item with a team (a conflicted member
refused) → steps across a holiday → conclusion with discipline → the decision in the discipline database →
follow-up tasks verified and one sent back → the conclusion carried out.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.discipline.models import Decision
from kiemtra.discipline.services.from_cases import decisions_of_case
from kiemtra.workdays.models import CalendarDay

from ..choices import CaseKind, CaseState, ProgrammeState, RequestState, SubjectKind
from ..models import CaseFile, ConflictDeclaration, Programme, TeamMember
from ..services import cases, followup, programmes
from .factories import opening, person

pytestmark = pytest.mark.django_db


def _holidays() -> None:
    # National Day 2025: 1 and 2 September off (the stored calendar, not code).
    for day in (dt.date(2025, 9, 1), dt.date(2025, 9, 2)):
        CalendarDay.objects.update_or_create(date=day, defaults={"name": "Quốc khánh", "kind": "off"})


def test_a_case_from_programme_to_conclusion_carried_out(org_tree: Tree) -> None:
    _holidays()
    unit = org_tree.province
    officer = person(unit, Role.CASE_OFFICER)
    leader = person(unit, Role.CASE_TEAM_LEADER)
    lead = person(unit, Role.CASE_LEADERSHIP)
    subject_unit = org_tree.commune
    conflicted = person(unit, Role.CASE_OFFICER)
    ConflictDeclaration.objects.create(person=conflicted, subject_name="đồng chí trần văn b", reason="Anh em họ")
    insider = person(subject_unit, Role.CASE_OFFICER)

    # 1. The programme: drafted by an official, approved by the leadership.
    item = programmes.ItemInput(
        kind=CaseKind.INSPECTION_MEMBER,
        subject_kind=SubjectKind.MEMBER,
        subject_name="Đồng chí Trần Văn B",
        subject_unit=subject_unit,
        planned_start=dt.date(2025, 8, 1),
        planned_end=dt.date(2025, 11, 30),
        lead="Ủy viên UBKT Nguyễn Văn A",
    )
    programme = programmes.draft_programme(officer, unit, 2025, [item])
    with pytest.raises(PolicyDenied):
        programmes.approve_programme(officer, programme)  # an official does not approve
    programmes.approve_programme(lead, programme)
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.APPROVED

    # 2. The case opened from the item; its steps planned in working days across the holiday.
    case = cases.open_case(lead, unit, opening(subject_unit=subject_unit), item=programme.items.get())
    assert case.source == "programme"
    first = case.steps.order_by("order").first()
    assert first is not None and first.planned_start == dt.date(2025, 8, 28)
    # 5 working days from Thu 28/8: 29/8, (weekend, 1–2/9 off) 3, 4, 5, 8/9.
    assert first.planned_end == dt.date(2025, 9, 8)
    assert case.steps.count() == 10

    # 3. The team: a conflicted member and one from the subject's own unit are refused, nothing stored.
    for bad in (conflicted, insider):
        with pytest.raises(DomainError) as refused:
            cases.set_team(lead, case, leader, [officer, bad])
        assert refused.value.code == "conflict"
        assert not TeamMember.objects.filter(case=case).exists()
    cases.set_team(lead, case, leader, [officer])
    assert set(case.team.values_list("role", flat=True)) == {"leader", "member"}

    # 4. Steps recorded by the team.
    cases.record_step(officer, first, started=dt.date(2025, 8, 28), finished=dt.date(2025, 9, 5))
    first.refresh_from_db()
    assert first.actual_end == dt.date(2025, 9, 5)

    # 5. The conclusion with discipline; the decision in the discipline database, linked both ways.
    conclusion = followup.conclude(
        lead,
        case,
        violations_found=True,
        content="Vi phạm quy định về kê khai tài sản",
        concluded_on=dt.date(2025, 11, 20),
        categories=["asset_declaration"],
        discipline_required=True,
        requests=[
            followup.RequestInput("Kiểm điểm trước chi bộ", dt.date(2025, 12, 20), subject_unit),
            followup.RequestInput("Bổ sung bản kê khai", dt.date(2025, 12, 31), subject_unit),
        ],
    )
    case.refresh_from_db()
    assert case.state == CaseState.CONCLUDED
    decision = followup.record_discipline(
        lead, conclusion, number="12-QĐ/UBKT", issued_on=dt.date(2025, 11, 25), penalty="warning"
    )
    conclusion.refresh_from_db()
    assert conclusion.discipline_decision_id == decision.pk
    assert [d.pk for d in decisions_of_case(followup.case_ref(case))] == [decision.pk]
    stored = Decision.objects.get(pk=decision.pk)
    assert (
        stored.penalty == "warning" and stored.state == "pending" and stored.source_case_ref == f"cases.case:{case.pk}"
    )

    # 6. Follow-up: one request verified, one sent back then verified; carried out only at the end.
    first_request, second_request = conclusion.requests.order_by("due")
    reporter = person(subject_unit, Role.CASE_OFFICER)  # the lower commission reports on the subject's behalf
    followup.report_done(reporter, first_request, "Đã kiểm điểm ngày 10/12")
    followup.verify(leader, first_request, accepted=True)
    followup.report_done(officer, second_request, "Đã nộp")
    with pytest.raises(DomainError):
        followup.verify(leader, second_request, accepted=False, reason="")
    followup.verify(leader, second_request, accepted=False, reason="Thiếu bản kê khai có chữ ký")
    second_request.refresh_from_db()
    assert second_request.state == RequestState.SENT_BACK
    conclusion.refresh_from_db()
    assert conclusion.carried_out_at is None
    followup.report_done(officer, second_request, "Nộp lại bản có chữ ký")
    followup.verify(lead, second_request, accepted=True)
    conclusion.refresh_from_db()
    assert conclusion.carried_out_at is not None


def test_a_case_only_from_an_approved_programme_of_the_unit(org_tree: Tree) -> None:
    unit = org_tree.province
    officer = person(unit, Role.CASE_OFFICER)
    lead = person(unit, Role.CASE_LEADERSHIP)
    item = programmes.ItemInput(
        CaseKind.FINANCE, SubjectKind.ORGANISATION, "Đảng ủy xã A", dt.date(2025, 3, 1), dt.date(2025, 4, 1)
    )
    programme = programmes.draft_programme(officer, unit, 2025, [item])
    with pytest.raises(DomainError) as refused:
        cases.open_case(lead, unit, opening(kind=CaseKind.FINANCE), item=programme.items.get())
    assert refused.value.code == "item"
    assert not CaseFile.objects.exists()


def test_an_amendment_is_a_new_version_and_the_old_one_is_kept(org_tree: Tree) -> None:
    unit = org_tree.province
    officer = person(unit, Role.CASE_OFFICER)
    lead = person(unit, Role.CASE_LEADERSHIP)
    item = programmes.ItemInput(
        CaseKind.THEMATIC_SUPERVISION,
        SubjectKind.ORGANISATION,
        "Đảng ủy xã A",
        dt.date(2025, 3, 1),
        dt.date(2025, 4, 1),
    )
    v1 = programmes.approve_programme(lead, programmes.draft_programme(officer, unit, 2025, [item]))
    with pytest.raises(DomainError):
        programmes.amend_programme(officer, v1, [item], reason=" ")
    v2 = programmes.amend_programme(officer, v1, [item, item], reason="Bổ sung theo chỉ đạo")
    assert programmes.in_force(unit, 2025) == v1
    programmes.approve_programme(lead, v2)
    assert programmes.in_force(unit, 2025) == v2
    assert Programme.objects.get(pk=v1.pk).state == ProgrammeState.SUPERSEDED
    assert [line.cases for line in programmes.plan_versus_actual(v2)] == [0, 0]


def test_a_bad_decision_is_refused_with_the_field_named_and_nothing_stored(org_tree: Tree) -> None:
    lead = person(org_tree.province, Role.CASE_LEADERSHIP)
    for bad, code in (
        ({"decision_number": " "}, "decision_number"),
        ({"signer": ""}, "signer"),
        ({"subject_name": ""}, "subject_name"),
        ({"decision_date": dt.date(2999, 1, 1)}, "decision_date"),
    ):
        with pytest.raises(DomainError) as refused:
            cases.open_case(lead, org_tree.province, opening(**bad))
        assert refused.value.code == code
    assert not CaseFile.objects.exists()


def test_a_follow_up_inspection_opens_only_from_an_unfulfilled_conclusion(org_tree: Tree) -> None:
    lead = person(org_tree.province, Role.CASE_LEADERSHIP)
    member = person(org_tree.province, Role.CASE_OFFICER)
    case = cases.open_case(lead, org_tree.province, opening())
    cases.set_team(lead, case, member, [])
    conclusion = followup.conclude(
        lead,
        case,
        violations_found=True,
        content="Có vi phạm",
        concluded_on=dt.date(2025, 10, 1),
        requests=[followup.RequestInput("Khắc phục", dt.date(2025, 11, 1))],
    )
    again = followup.open_follow_up(lead, conclusion, opening())
    assert (again.source, again.follows_up_id) == ("follow_up", conclusion.pk)
    request = conclusion.requests.get()
    followup.report_done(member, request, "Đã khắc phục")
    followup.verify(lead, request, accepted=True)
    conclusion.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        followup.open_follow_up(lead, conclusion, opening())
    assert refused.value.code == "carried_out"
