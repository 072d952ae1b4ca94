"""Issue 14 items 2 and 6: "warnings at 50 / 75 / 90 % of the planned duration"; "reminders before and after
the due date, escalating to the commission's leadership and then to the upper commission"; the jobs are
registered with the kernel; a case opened from an approved letters proposal carries the letters and the accused.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree
from kiemtra.core import registry
from kiemtra.core.errors import DomainError
from kiemtra.notifications.models import Notification

from ..choices import CaseSource
from ..models import CaseFile
from ..services import cases, followup
from ..sources import open_from_proposal
from .factories import case_with_team, person

pytestmark = pytest.mark.django_db


def test_the_jobs_are_registered() -> None:
    paths = {job.path for job in registry.jobs()}
    assert {"kiemtra.cases.tasks.warn_steps", "kiemtra.cases.tasks.remind_follow_ups"} <= paths


def test_a_running_step_warns_the_team_once_at_each_threshold(
    org_tree: Tree, django_capture_on_commit_callbacks
) -> None:
    lead = person(org_tree.province, Role.CASE_LEADERSHIP)
    member = person(org_tree.province, Role.CASE_OFFICER)
    case = case_with_team(org_tree.province, lead, member, decision_date=dt.date(2025, 3, 3))  # a Monday
    step = case.steps.order_by("order").first()
    assert step is not None and step.working_days == 5
    with django_capture_on_commit_callbacks(execute=True):
        assert cases.warn_running_steps(dt.date(2025, 3, 4)) == 0  # 1 of 5 days: 20 %
        assert cases.warn_running_steps(dt.date(2025, 3, 6)) == 1  # 3 of 5: 60 % → the 50 % warning
        assert cases.warn_running_steps(dt.date(2025, 3, 6)) == 0  # given once
        assert cases.warn_running_steps(dt.date(2025, 3, 7)) == 1  # 4 of 5: 80 % → 75 %
        assert cases.warn_running_steps(dt.date(2025, 3, 10)) >= 1  # 5 of 5 → 90 %
    step.refresh_from_db()
    assert step.warned == 90
    assert Notification.objects.filter(recipient=member, kind="cases/step_warning").count() >= 3


def test_follow_up_reminders_escalate_to_leadership_then_upper_commission(
    org_tree: Tree, django_capture_on_commit_callbacks
) -> None:
    lead = person(org_tree.commune, Role.CASE_LEADERSHIP)
    member = person(org_tree.commune, Role.CASE_OFFICER)
    upper = person(org_tree.province, Role.CASE_LEADERSHIP)
    case = case_with_team(org_tree.commune, lead, member)
    conclusion = followup.conclude(
        lead,
        case,
        violations_found=True,
        content="Có vi phạm",
        concluded_on=dt.date(2025, 10, 1),
        requests=[followup.RequestInput("Khắc phục", dt.date(2025, 11, 1))],
    )
    request = conclusion.requests.get()

    def run(day: dt.date) -> None:
        with django_capture_on_commit_callbacks(execute=True):  # delivered on commit
            followup.remind_requests(day)

    run(dt.date(2025, 10, 29))  # before due: the team
    assert Notification.objects.filter(recipient=member, kind="cases/follow_up").count() == 1
    assert not Notification.objects.filter(recipient=lead, kind="cases/follow_up").exists()
    run(dt.date(2025, 11, 5))  # 4 days late: the leadership
    assert Notification.objects.filter(recipient=lead, kind="cases/follow_up").exists()
    assert not Notification.objects.filter(recipient=upper, kind="cases/follow_up").exists()
    run(dt.date(2025, 11, 20))  # long overdue: the upper commission
    assert Notification.objects.filter(recipient=upper, kind="cases/follow_up").exists()
    request.refresh_from_db()
    assert request.reminder_level == 4
    assert list(followup.overdue(dt.date(2025, 11, 20))) == [request]


def test_a_case_opens_from_an_approved_proposal_with_its_letters_and_accused(org_tree: Tree) -> None:
    """The stand-in has the interface the letters module's InspectionProposal exposes."""
    lead = person(org_tree.province, Role.CASE_LEADERSHIP)
    proposal = SimpleNamespace(
        pk=77,
        state="approved",
        subject_name="Đồng chí Lê Văn Đ",
        subject_kind="member",
        grounds="Đơn tố cáo có cơ sở",
        letters=[SimpleNamespace(pk=5), SimpleNamespace(pk=9)],
        unit=org_tree.province,
    )
    case = open_from_proposal(
        lead, proposal, decision_number="20-QĐ/UBKT", decision_date=dt.date(2025, 9, 1), signer="Chủ nhiệm"
    )
    assert case.source == CaseSource.PROPOSAL
    assert (case.subject_name, case.letter_refs, case.proposal_ref) == (
        "Đồng chí Lê Văn Đ",
        ["5", "9"],
        "letters.proposal:77",
    )
    assert case.steps.count() == 10
    with pytest.raises(DomainError) as again:
        open_from_proposal(lead, proposal, decision_number="21-QĐ/UBKT", decision_date=dt.date(2025, 9, 1), signer="X")
    assert again.value.code == "proposal_used"
    draft = SimpleNamespace(**{**proposal.__dict__, "pk": 78, "state": "draft"})
    with pytest.raises(DomainError):
        open_from_proposal(lead, draft, decision_number="22-QĐ/UBKT", decision_date=dt.date(2025, 9, 1), signer="X")
    assert CaseFile.objects.count() == 1
