"""The statistics services announce what happened (issue 9.6), and only once the change is committed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from kiemtra.core import events
from kiemtra.stats.choices import PeriodType
from kiemtra.stats.models import ReportingPeriod
from kiemtra.stats.services import periods, reports
from kiemtra.stats.tests.factories import Chain, make_chain, period_of

pytestmark = pytest.mark.django_db
Heard = list[events.Announcement]


@pytest.fixture
def heard() -> Iterator[list[events.Announcement]]:
    """A channel of the test's own: what a delivery channel would be handed."""
    received: list[events.Announcement] = []
    events.register_channel("test.stats", received.append)
    yield received
    events._channels.pop("test.stats", None)


@pytest.fixture
def chain() -> Chain:
    return make_chain()


def _kinds(heard: list[events.Announcement]) -> list[str]:
    return [a.kind for a in heard]


def test_forwarding_tells_the_units_approvers_once_committed(
    chain: Chain, heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    chain.open()
    commune = chain.tree.commune
    with django_capture_on_commit_callbacks(execute=False) as pending:
        reports.forward_report(chain.statistician[commune.pk], chain.report(commune))
    assert heard == []  # nothing before the commit
    for callback in pending:
        callback()
    assert _kinds(heard) == ["stats.report.awaiting_approval"]
    assert heard[0].recipient_ids == (chain.approver[commune.pk].pk,)


def test_a_refused_or_rolled_back_move_announces_nothing(
    chain: Chain, heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    chain.open()
    commune = chain.tree.commune
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        reports.forward_report(chain.statistician[commune.pk], chain.report(commune))
        raise RuntimeError("rolled back")
    assert heard == []


def test_each_step_of_the_chain_tells_the_next_people(
    chain: Chain, heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    """Returned → its statisticians; waiting for approval → approvers; for receipt → the parent's statisticians."""
    chain.open()
    commune, province = chain.tree.commune, chain.tree.province
    with django_capture_on_commit_callbacks(execute=True):
        reports.forward_report(chain.statistician[commune.pk], chain.report(commune))
        reports.return_report(chain.approver[commune.pk], chain.report(commune), "Thiếu số liệu")
        reports.forward_report(chain.statistician[commune.pk], chain.report(commune))
        reports.approve_report(chain.approver[commune.pk], chain.report(commune))
        reports.send_report(chain.approver[commune.pk], chain.report(commune))
    by_kind = {a.kind: a for a in heard}
    assert _kinds(heard) == [
        "stats.report.awaiting_approval",
        "stats.report.returned",
        "stats.report.awaiting_approval",
        "stats.report.awaiting_receipt",
    ]
    assert by_kind["stats.report.returned"].recipient_ids == (chain.statistician[commune.pk].pk,)
    assert by_kind["stats.report.returned"].body == "Thiếu số liệu"
    assert by_kind["stats.report.awaiting_receipt"].recipient_ids == (chain.statistician[province.pk].pk,)


def test_opening_a_period_and_an_ad_hoc_period_tell_the_units(
    chain: Chain, heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    """Art. 7.4 (issue: 6.3): an ad hoc period is announced in the software to the units concerned."""
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        chain.open()
        periods.open_period(
            chain.sysadmin,
            code="DX-1",
            name="Đột xuất phòng chống tham nhũng",
            period_type=PeriodType.AD_HOC,
            data_start=(now - dt.timedelta(days=30)).date(),
            data_cutoff=now.date(),
            opens_at=now - dt.timedelta(hours=1),
            deadline=now + dt.timedelta(days=5),
            form_versions=[chain.version],
            notice="Báo cáo số liệu đến ngày hôm nay",
        )
    assert _kinds(heard) == ["stats.period.opened", "stats.period.ad_hoc"]
    ad_hoc = heard[1]
    assert ad_hoc.body == "Báo cáo số liệu đến ngày hôm nay"
    people = {chain.statistician[chain.tree.commune.pk].pk, chain.approver[chain.tree.province.pk].pk}
    assert people <= set(ad_hoc.recipient_ids)
    assert chain.sysadmin.pk not in ad_hoc.recipient_ids


def test_a_day_before_the_deadline_the_units_not_done_are_told_once(
    chain: Chain, heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    chain.open(deadline_in=dt.timedelta(hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert periods.warn_periods_about_to_lock() == 1
        assert periods.warn_periods_about_to_lock() == 0  # once
    assert _kinds(heard)[-1] == "stats.period.about_to_lock"
    assert chain.statistician[chain.tree.commune.pk].pk in heard[-1].recipient_ids
    assert ReportingPeriod.objects.get(pk=period_of(chain).pk).lock_warned_at is not None


def test_an_extension_decision_is_told_to_who_asked(
    chain: Chain, heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    chain.open()
    province = chain.tree.province
    ext = periods.request_extension(
        chain.approver[province.pk], period_of(chain), province, reason="Bão", days=3, document_ref="CV 1"
    )
    with django_capture_on_commit_callbacks(execute=True):
        periods.decide_extension(chain.sysadmin, ext, grant=False, note="Không đủ căn cứ")
    assert _kinds(heard) == ["stats.extension.decided"]
    assert heard[0].recipient_ids == (chain.approver[province.pk].pk,)


def test_the_reminder_button_sends_a_real_notification_to_the_lower_unit(
    chain: Chain, heard: Heard, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 9.6: the "Nhắc" of the progress board tells the lower unit's statisticians and approvers."""
    from kiemtra.stats.services import board

    chain.open()
    commune, province = chain.tree.commune, chain.tree.province
    with django_capture_on_commit_callbacks(execute=True):
        board.send_reminder(chain.statistician[province.pk], chain.report(commune))
    assert _kinds(heard) == ["stats.reminder.sent"]
    assert set(heard[0].recipient_ids) == {chain.statistician[commune.pk].pk, chain.approver[commune.pk].pk}
