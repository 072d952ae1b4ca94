"""Letters II end to end: a VNeID denunciation referred from a commune to its province, accepted, suspended,
extended, concluded, answered and read back through the signed status API; a complaint out of time; an
anonymous denunciation kept as information; the clock across Tết and a "làm bù" Saturday."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from kiemtra.conftest import Tree
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.letters.choices import Channel, Eligibility, Finding, InformationReason, Kind, Status
from kiemtra.letters.models import HandlingStep, Letter, TimeLimit
from kiemtra.letters.services import clock, handling, identity, records, results
from kiemtra.letters.tests.conftest import Platform, Register, submission
from kiemtra.workdays.models import CalendarDay
from kiemtra.workdays.services import load_csv, load_shipped

pytestmark = pytest.mark.django_db
D = dt.date


def paper(unit: Any, kind: str, **extra: Any) -> Letter:
    defaults: dict[str, Any] = {
        "channel": Channel.POST,
        "kind": kind,
        "holding_unit": unit,
        "received_on": extra.pop("received_on", timezone.localdate()),
        "title": "Đơn",
        "content": extra.pop("content", "Nội dung đơn về việc giao đất công trái phép."),
        "senders": [records.Sender(full_name="Nguyễn Văn Gửi", address="Thôn Đông")],
    }
    defaults.update(extra)
    return records.create(None, records.NewLetter(**defaults))


def test_a_vneid_denunciation_goes_from_commune_to_province_and_its_reply_reaches_the_status_api(
    org_tree: Tree, people: Register, platform: Platform, django_capture_on_commit_callbacks: Any
) -> None:
    """Quy định 06 Art. 7.1: each commission handles what is within its remit; the sender follows the status."""
    body = submission("vn-e2e", addressed_unit_code=org_tree.commune.code)
    with django_capture_on_commit_callbacks(execute=True):
        assert platform.post(body).status_code == 201
    letter = Letter.objects.get(vneid_submission__submission_id="vn-e2e")
    assert letter.holding_unit == org_tree.commune
    commune, province = people.commune_officer, people.officer

    letter = handling.classify(
        commune,
        letter,
        handling.Classification(
            kind=Kind.DENUNCIATION, field_code="land", accused_unit=org_tree.commune, accused_rank="provincial_managed"
        ),
    )
    # Competence is suggested from the accused's rank, one level up: the province.
    assert handling.suggest_competent(letter) == org_tree.province
    letter = handling.check_eligibility(commune, letter, handling.EligibilityCheck())
    assert letter.eligibility == Eligibility.ELIGIBLE
    referral = handling.refer(commune, letter, org_tree.province, "Người bị tố cáo do Ban Thường vụ tỉnh ủy quản lý")
    letter.refresh_from_db()
    assert letter.holding_unit == org_tree.province and letter.due_on is None
    # The province sees it in its register with the whole history; the commune no longer works on it.
    assert list(HandlingStep.objects.filter(letter=letter).values_list("action", flat=True)) == [
        "classified",
        "eligibility",
        "referred",
    ]
    with pytest.raises(PolicyDenied):
        handling.accept(commune, referral)
    status = platform.status("vn-e2e").json()
    assert status["status"] == "referred" and org_tree.province.name in status["status_label"]

    letter = handling.accept(province, referral, on=D(2026, 12, 7))
    assert letter.clock_start == D(2026, 12, 7) and letter.status == Status.HANDLING
    plain_due = letter.due_on
    assert plain_due is not None
    handling.assign(province, letter, people.colleague)
    letter = clock.suspend(people.colleague, letter, "Chờ hồ sơ đất của UBND phường", on=D(2026, 12, 8))
    letter = clock.resume(people.colleague, letter, on=D(2026, 12, 15))  # Tue 8 – Mon 15: 5 working days
    assert letter.due_on is not None and letter.due_on > plain_due
    explained = clock.explain(letter)
    assert explained is not None and explained.suspensions[0].days == 5
    letter = clock.extend(people.colleague, letter, "Vụ việc phức tạp, cần xác minh thêm")
    assert letter.extended_days == 30
    with pytest.raises(DomainError):
        clock.extend(people.colleague, letter, "lần hai")
    assert "gia hạn 30 ngày" in platform.status("vn-e2e").json()["status_label"]

    letter = results.conclude(
        people.colleague,
        letter,
        results.Result(summary="Có căn cứ một phần", finding=Finding.PARTLY_TRUE, violations=1, disciplined=1),
    )
    letter = results.draft_reply(people.colleague, letter, "denunciation-result")
    assert platform.status("vn-e2e").json()["reply"] is None  # not before the leader approves
    leader = people.custodian
    with pytest.raises(PolicyDenied):
        results.approve_reply(leader, letter)
    identity.designate_leader(people.admin, org_tree.province, leader, "QĐ 12/QĐ-UBKT")
    results.approve_reply(leader, letter)
    answer = platform.status("vn-e2e").json()
    assert answer["status"] == "answered" and "Tố cáo đúng một phần" in answer["reply"]
    assert letter.tracking_code in answer["reply"]


def test_a_complaint_about_discipline_after_one_month_is_out_of_time(org_tree: Tree, people: Register) -> None:
    """Complaints about a disciplinary decision must come within one month of receiving it."""
    late = paper(org_tree.province, Kind.COMPLAINT, received_on=D(2026, 11, 20))
    on_time = paper(org_tree.province, Kind.COMPLAINT, received_on=D(2026, 11, 15))
    for letter in (late, on_time):
        handling.classify(
            people.officer,
            letter,
            handling.Classification(kind=Kind.COMPLAINT, field_code="discipline", decision_received_on=D(2026, 10, 15)),
        )
    assert handling.check_eligibility(people.officer, late, handling.EligibilityCheck()).eligibility == (
        Eligibility.OUT_OF_TIME
    )
    assert handling.check_eligibility(people.officer, on_time, handling.EligibilityCheck()).eligibility == (
        Eligibility.ELIGIBLE
    )
    # Out of time: a handler may still be named (to answer the sender), but no statutory clock starts.
    late = handling.assign(people.officer, Letter.objects.get(pk=late.pk), people.colleague)
    assert (late.clock_start, late.due_on, late.status) == (None, None, Status.RECEIVED)
    with pytest.raises(DomainError) as refused:
        handling.assign(people.officer, late, people.colleague)
    assert refused.value.code == "already_handler"


def test_a_letter_that_complains_and_denounces_is_handled_as_a_complaint(org_tree: Tree, people: Register) -> None:
    letter = paper(org_tree.province, Kind.DENUNCIATION)
    letter = handling.classify(
        people.officer, letter, handling.Classification(kind=Kind.DENUNCIATION, mixed=True, field_code="discipline")
    )
    assert letter.kind == Kind.COMPLAINT and letter.declared_kind == Kind.DENUNCIATION
    assert "tố cáo" in HandlingStep.objects.get(letter=letter, action="classified").note


@pytest.mark.parametrize(
    ("extra", "check", "reason"),
    [
        ({"anonymous": True, "senders": []}, handling.EligibilityCheck(), InformationReason.ANONYMOUS),
        ({"false_name": True}, handling.EligibilityCheck(), InformationReason.FALSE_NAME),
        ({}, handling.EligibilityCheck(sender_address_known=False), InformationReason.NO_ADDRESS),
        ({}, handling.EligibilityCheck(repeat_without_new_facts=True), InformationReason.REPEAT),
    ],
)
def test_denunciations_without_a_known_sender_or_new_facts_are_kept_as_information(
    org_tree: Tree, people: Register, extra: dict[str, Any], check: handling.EligibilityCheck, reason: str
) -> None:
    letter = paper(org_tree.province, Kind.DENUNCIATION, **extra)
    letter = handling.check_eligibility(people.officer, letter, check)
    assert (letter.eligibility, letter.information_reason, letter.status) == (
        Eligibility.INFORMATION,
        reason,
        Status.KEPT,
    )
    with pytest.raises(DomainError):
        handling.assign(people.officer, letter, people.colleague)


def test_another_commission_cannot_handle_or_accept_what_is_not_in_its_register(
    org_tree: Tree, people: Register
) -> None:
    letter = paper(org_tree.province, Kind.FEEDBACK)
    with pytest.raises(PolicyDenied):
        handling.check_eligibility(people.other, letter, handling.EligibilityCheck())
    with pytest.raises(PolicyDenied):
        handling.check_eligibility(people.admin, letter, handling.EligibilityCheck())
    assert Letter.objects.get(pk=letter.pk).eligibility == ""


def test_a_referral_sent_back_returns_to_the_sender_commission_with_the_reason(
    org_tree: Tree, people: Register
) -> None:
    letter = paper(org_tree.commune, Kind.FEEDBACK)
    handling.check_eligibility(people.commune_officer, letter, handling.EligibilityCheck())
    referral = handling.refer(people.commune_officer, letter, org_tree.province, "Thuộc thẩm quyền tỉnh")
    with pytest.raises(DomainError):
        handling.send_back(people.officer, referral, "  ")
    letter = handling.send_back(people.officer, referral, "Thuộc thẩm quyền xã")
    assert letter.holding_unit == org_tree.commune and letter.status == Status.REGISTERED
    assert HandlingStep.objects.filter(letter=letter, action="referral_returned", note="Thuộc thẩm quyền xã").exists()


def test_the_clock_skips_tet_and_counts_a_lam_bu_saturday(org_tree: Tree, people: Register) -> None:
    """Working days skip weekends and the calendar's days off, and count a weekend day made a working day."""
    load_shipped("test")
    # A provincial row of 5 working days for feedback comes before the general one (demo catalog).
    TimeLimit.objects.create(
        code="t", kind=Kind.FEEDBACK, level="provincial", days=5, source="test", valid_from=D(2024, 1, 1)
    )
    # Received Fri 24/1/2025; Tết 27–31/1: working day 1 is Mon 3/2, day 5 Fri 7/2.
    tet = paper(org_tree.province, Kind.FEEDBACK, received_on=D(2025, 1, 24))
    handling.check_eligibility(people.officer, tet, handling.EligibilityCheck())
    tet = handling.assign(people.officer, tet, people.colleague)
    assert tet.due_on == D(2025, 2, 7)
    explained = clock.explain(tet)
    assert explained is not None and D(2025, 1, 29) in explained.days_skipped and len(explained.days_skipped) == 9
    # Received Thu 24/4/2025: Fri 25 = 1, Sat 26 (làm bù) = 2, Mon 28 = 3, Tue 29 = 4; 30/4–2/5 off; Mon 5/5 = 5.
    bridge = paper(org_tree.province, Kind.FEEDBACK, received_on=D(2025, 4, 24))
    handling.check_eligibility(people.officer, bridge, handling.EligibilityCheck())
    assert handling.assign(people.officer, bridge, people.colleague).due_on == D(2025, 5, 5)


def test_due_dates_of_open_letters_follow_a_calendar_change(
    org_tree: Tree, people: Register, django_capture_on_commit_callbacks: Any
) -> None:
    letter = paper(org_tree.province, Kind.DENUNCIATION, received_on=D(2026, 12, 1))
    handling.check_eligibility(people.officer, letter, handling.EligibilityCheck())
    letter = handling.assign(people.officer, letter, people.colleague)
    before = letter.due_on
    assert before is not None
    explained = clock.explain(letter)
    assert explained is not None and explained.due == before and any("90" in line for line in explained.lines())
    # A new day off inside the period moves the due date one working day later, after the commit.
    inside = D(2026, 12, 2)
    assert inside.weekday() < 5 and not CalendarDay.objects.filter(date=inside).exists()
    with django_capture_on_commit_callbacks(execute=True):
        load_csv(people.admin, f"date,name,kind\n{inside.isoformat()},Nghỉ đột xuất,off\n")
    letter.refresh_from_db()
    assert letter.due_on is not None and letter.due_on > before
    assert clock.overdue(today=letter.due_on + dt.timedelta(days=1)).filter(pk=letter.pk).exists()
    assert not clock.overdue(today=letter.due_on).filter(pk=letter.pk).exists()


def test_the_due_date_cli_counts_working_days_and_calendar_days(capsys: Any) -> None:
    from django.core.management import call_command

    load_shipped("test")
    call_command("letters", "due-date", "--start", "2025-01-24", "--working-days", "5")
    call_command("letters", "due-date", "--start", "2025-08-29", "--days", "3")  # Mon 1/9 → off; 2/9 off → 3/9
    assert capsys.readouterr().out.split() == ["2025-02-07", "2025-09-03"]


def test_the_holidays_cli_loads_a_csv_updating_a_present_date_and_lists_a_year(tmp_path: Any, capsys: Any) -> None:
    from django.core.management import call_command

    CalendarDay.objects.create(date=D(2031, 1, 1), name="Cũ", kind="working")
    path = tmp_path / "days.csv"
    path.write_text("date,name,kind\n2031-01-01,Tết Dương lịch,off\n2031-01-04,Làm bù,working\n", encoding="utf-8")
    call_command("letters", "holidays", "load", str(path))
    call_command("letters", "holidays", "list", "--year", "2031")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == '{"created": 1, "updated": 1}'
    assert out[1:] == ["2031-01-01,Tết Dương lịch,off", "2031-01-04,Làm bù,working"]


def test_handlers_and_the_leader_hear_of_overdue_letters(
    org_tree: Tree, people: Register, django_capture_on_commit_callbacks: Any
) -> None:
    from kiemtra.core import events

    heard: list[tuple[str, tuple[int, ...]]] = []
    letter = paper(org_tree.province, Kind.FEEDBACK, received_on=D(2026, 1, 5))
    handling.check_eligibility(people.officer, letter, handling.EligibilityCheck())
    letter = handling.assign(people.officer, letter, people.colleague)
    identity.designate_leader(people.admin, org_tree.province, people.custodian, "QĐ 9")
    original = events.announce

    def spy(kind: str, recipients: Any, *args: Any, **kwargs: Any) -> None:
        heard.append((kind, tuple(sorted(int(getattr(r, "pk", r)) for r in recipients))))
        original(kind, recipients, *args, **kwargs)

    events.announce = spy  # type: ignore[assignment]
    try:
        assert clock.notify_due(today=D(2026, 12, 7)) == 1
    finally:
        events.announce = original  # type: ignore[assignment]
    assert heard == [("letters.letter.overdue", tuple(sorted([people.colleague.pk, people.custodian.pk])))]
