"""Đối soát: the reviewer's values are checked against the catalog in force on the decision's day, then published.

Penalties (Điều lệ Đảng; Quy định 69-QĐ/TW 2022): a member may be reprimanded,
warned, dismissed or expelled, a probationary member only reprimanded or warned;
an organisation reprimanded, warned or dissolved.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.discipline.choices import AmendKind, DecisionState, PenaltyCode, SubjectType
from kiemtra.discipline.models import Decision, FieldReview, Penalty
from kiemtra.discipline.services import reconciliation

from .factories import make_decision, make_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(org_tree: Tree) -> User:
    person = make_person()
    give(person, org_tree.province, Role.DISCIPLINE_EDITOR)
    return person


def _refused(editor: User, decision: Decision, values: dict[str, object], code: str) -> str:
    before = (decision.state, decision.penalty, Decision.objects.get(pk=decision.pk).search_text)
    with pytest.raises(DomainError) as caught:
        reconciliation.reconcile(editor, decision, values)
    assert caught.value.code == code
    stored = Decision.objects.get(pk=decision.pk)
    assert (stored.state, stored.penalty, stored.search_text) == before
    assert not FieldReview.objects.filter(decision=decision).exists()
    return caught.value.message


def test_accepting_every_field_publishes_and_keeps_one_verdict_per_field(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province)
    published = reconciliation.reconcile(editor, decision, {})
    assert published.state == DecisionState.PUBLISHED and published.reconciled_by == editor
    reviews = FieldReview.objects.filter(decision=decision)
    assert reviews.count() == 22 and not reviews.filter(corrected=True).exists()
    event = AuditEvent.objects.get(action="discipline.decision.reconciled")
    assert event.extra["corrected"] == [] and event.extra["accepted"] == 22


def test_a_corrected_field_is_kept_as_labelled_data(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province, subject_name="Nguyễn Văn Anh", birth_year=1986)
    reconciliation.reconcile(editor, decision, {"subject_name": "Nguyễn Văn Ánh", "birth_year": 1968})
    corrected = {r.name: r for r in FieldReview.objects.filter(decision=decision, corrected=True)}
    assert set(corrected) == {"subject_name", "birth_year"}
    assert (corrected["subject_name"].extracted, corrected["subject_name"].final) == (
        "Nguyễn Văn Anh",
        "Nguyễn Văn Ánh",
    )
    assert corrected["birth_year"].confidence == pytest.approx(0.9)
    stored = Decision.objects.get(pk=decision.pk)
    assert stored.details().subject_name == "Nguyễn Văn Ánh" and stored.birth_year == 1968
    assert "anh" in stored.search_text.split()


def test_a_probationary_member_can_only_be_reprimanded_or_warned(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province, probationary=True)
    message = _refused(editor, decision, {"penalty": PenaltyCode.EXPULSION}, "probationary_penalty")
    assert "dự bị" in message and "69-QĐ/TW" in message
    assert reconciliation.reconcile(editor, decision, {"penalty": PenaltyCode.REPRIMAND}).penalty == "reprimand"


@pytest.mark.parametrize(
    ("subject_type", "penalty"),
    [(SubjectType.ORGANIZATION, PenaltyCode.EXPULSION), (SubjectType.MEMBER, PenaltyCode.DISSOLUTION)],
)
def test_a_penalty_of_the_other_kind_of_subject_is_refused(
    org_tree: Tree, editor: User, subject_type: str, penalty: str
) -> None:
    decision = make_pending(org_tree.province, subject_type=subject_type)
    message = _refused(editor, decision, {"penalty": penalty}, "penalty_not_applicable")
    assert "không áp dụng" in message


def test_the_penalty_catalog_in_force_on_the_decisions_day_decides(org_tree: Tree, editor: User) -> None:
    """Rules live in data: close a penalty row and decisions after that day can no longer use it."""
    Penalty.objects.filter(code=PenaltyCode.DISMISSAL, subject_type=SubjectType.MEMBER, valid_to=None).update(
        valid_to=dt.date(2026, 1, 1)
    )
    later = make_pending(org_tree.province, issued_on=dt.date(2026, 3, 1))
    _refused(editor, later, {"penalty": PenaltyCode.DISMISSAL}, "penalty_not_applicable")
    earlier = make_pending(org_tree.province, issued_on=dt.date(2025, 3, 1), subject_name="Trần Văn Hải")
    assert reconciliation.reconcile(editor, earlier, {"penalty": PenaltyCode.DISMISSAL}).penalty == "dismissal"


def test_missing_fields_are_named_all_at_once(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province)
    message = _refused(editor, decision, {"subject_name": "", "number": " "}, "missing_fields")
    assert "số quyết định" in message and "họ tên" in message


def test_a_birth_year_that_is_not_a_number_is_refused(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province)
    assert "không phải là số" in _refused(editor, decision, {"birth_year": "năm 68"}, "bad_birth_year")


def test_only_an_editor_of_the_decisions_own_unit_reconciles(org_tree: Tree) -> None:
    decision = make_pending(org_tree.commune)
    for unit, role in ((org_tree.province, Role.DISCIPLINE_EDITOR), (org_tree.commune, Role.DISCIPLINE_VIEWER)):
        person = make_person()
        give(person, unit, role)
        with pytest.raises(PolicyDenied):
            reconciliation.reconcile(person, decision, {})
    assert Decision.objects.get(pk=decision.pk).state == DecisionState.PENDING


def test_a_decision_is_reconciled_once(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province)
    reconciliation.reconcile(editor, decision, {})
    with pytest.raises(DomainError) as caught:
        reconciliation.reconcile(editor, decision, {"penalty": PenaltyCode.REPRIMAND})
    assert caught.value.code == "already_reconciled"
    assert Decision.objects.get(pk=decision.pk).penalty == PenaltyCode.WARNING


def test_rejecting_needs_a_reason_and_keeps_the_record(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province)
    with pytest.raises(DomainError):
        reconciliation.reconcile(editor, decision, {"subject_name": ""})
    with pytest.raises(DomainError) as caught:
        reconciliation.reject(editor, decision, "  ")
    assert caught.value.code == "reason_required"
    reconciliation.reject(editor, decision, "Giấy mời họp, không phải quyết định")
    assert Decision.objects.get(pk=decision.pk).state == DecisionState.REJECTED
    assert AuditEvent.objects.get(action="discipline.decision.rejected").extra["reason"].startswith("Giấy mời")


def test_a_later_decision_after_a_complaint_is_linked_to_the_one_it_changes(org_tree: Tree, editor: User) -> None:
    earlier = make_decision(org_tree.province, number="Số 12-QĐ/UBKT", penalty=PenaltyCode.EXPULSION)
    change = make_pending(org_tree.province, number="Số 40-QĐ/UBKT", amends_number="12-QĐ/UBKT")
    changed = reconciliation.reconcile(editor, change, {"penalty": PenaltyCode.WARNING})
    assert (changed.amends, changed.amend_kind) == (earlier, AmendKind.CHANGE)
    annul = make_pending(org_tree.province, number="Số 41-QĐ/UBKT", amends_number="Số 12-QĐ/UBKT", penalty="")
    annulled = reconciliation.reconcile(editor, annul, {})
    assert (annulled.amends, annulled.amend_kind) == (earlier, AmendKind.ANNUL)
    assert set(earlier.amended_by.all()) == {changed, annulled}


def test_decisions_about_the_same_person_share_one_identity(org_tree: Tree, editor: User) -> None:
    first = reconciliation.reconcile(editor, make_pending(org_tree.province, number="Số 1-QĐ"), {})
    second = reconciliation.reconcile(editor, make_pending(org_tree.province, number="Số 2-QĐ"), {})
    namesake = reconciliation.reconcile(editor, make_pending(org_tree.province, number="Số 3-QĐ", birth_year=1975), {})
    assert first.person == second.person != namesake.person
    assert first.person is not None and first.person.name == "Nguyễn Văn An"
