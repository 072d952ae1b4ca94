"""One state machine for the report: every move through one table, the page's buttons from the same answer,
separation of duties per report (Art. 3.1.d) and the deadline covering receipt (Art. 7.3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.conftest import give, make_person, signed_in
from kiemtra.core.errors import DomainError
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats.choices import ReportState
from kiemtra.stats.models import Report, ReportingPeriod, ReportTransition
from kiemtra.stats.services import periods, reports, transitions
from kiemtra.stats.tests.factories import Chain, make_chain, period_of

pytestmark = pytest.mark.django_db
S = ReportState


@pytest.fixture
def chain() -> Chain:
    chain = make_chain()
    chain.open()
    return chain


def _sent_commune(chain: Chain, commune: OrgUnit | None = None) -> Report:
    """The commune's report filled, forwarded, approved and sent by its own two people."""
    commune = commune or chain.tree.commune
    report = chain.report(commune)
    reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=5, R2_C1=2), expected_revision=0)
    reports.forward_report(chain.statistician[commune.pk], chain.report(commune))
    reports.approve_report(chain.approver[commune.pk], chain.report(commune))
    return reports.send_report(chain.approver[commune.pk], chain.report(commune))


def _actions(user: object, report: Report) -> set[str]:
    return {t.action for t in transitions.available_transitions(user, report)}


# --- Art. 3.1.d: two people, whatever the grants say ------------------------------------------


def test_art3_1d_the_upper_statistician_who_entered_a_communes_figures_cannot_approve_them(chain: Chain) -> None:
    """Quy định 11 Art. 3.1.d: "tài khoản thống kê và tài khoản phê duyệt là 02 cá nhân riêng biệt" — the probe's
    hn.thongke held an approver grant at a commune, entered its figures on its behalf and approved them."""
    commune, province = chain.tree.commune, chain.tree.province
    upper = chain.statistician[province.pk]
    give(upper, commune, Role.APPROVER)
    reports.save_values(upper, chain.report(commune), chain.cells(R1_C1=5), expected_revision=0)
    reports.forward_report(chain.statistician[commune.pk], chain.report(commune))
    assert "approve" not in _actions(upper, chain.report(commune))
    with pytest.raises(DomainError) as refused:
        reports.approve_report(upper, chain.report(commune))
    assert refused.value.code == "separation_of_duties" and "Điều 3.1.d" in refused.value.message
    assert chain.report(commune).state == S.PENDING_APPROVAL
    # Someone else may.
    reports.approve_report(chain.approver[commune.pk], chain.report(commune))
    assert chain.report(commune).state == S.APPROVED


def test_art3_1d_who_forwarded_a_report_cannot_approve_it(chain: Chain) -> None:
    commune = chain.tree.commune
    both = chain.statistician[commune.pk]
    give(both, commune, Role.APPROVER)  # a grant the grant-time rule would refuse: the report rule still holds
    reports.forward_report(both, chain.report(commune))
    with pytest.raises(DomainError) as refused:
        reports.approve_report(both, chain.report(commune))
    assert refused.value.code == "separation_of_duties"
    assert chain.report(commune).state == S.PENDING_APPROVAL
    assert not ReportTransition.objects.filter(action="approve").exists()


def test_art3_1d_who_approved_a_report_below_cannot_receive_it_above(chain: Chain) -> None:
    commune, province = chain.tree.commune, chain.tree.province
    upper = chain.statistician[province.pk]
    give(upper, commune, Role.APPROVER)
    report = chain.report(commune)
    reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=5), expected_revision=0)
    reports.forward_report(chain.statistician[commune.pk], chain.report(commune))
    reports.approve_report(upper, chain.report(commune))
    reports.send_report(upper, chain.report(commune))
    assert "receive" not in _actions(upper, chain.report(commune))
    with pytest.raises(DomainError) as refused:
        reports.receive_report(upper, chain.report(commune))
    assert refused.value.code == "separation_of_duties"
    assert chain.report(commune).state == S.SUBMITTED
    assert chain.cell(province, "1", "1") == 0  # nothing consolidated
    other = make_person(unit=province)
    give(other, province, Role.STATISTICIAN)
    reports.receive_report(other, chain.report(commune))
    assert chain.cell(province, "1", "1") == 5


# --- Art. 7.3: the deadline covers receipt ---------------------------------------------------


def test_art7_3_a_lower_report_cannot_be_received_after_the_deadline_before_the_lock_runs(chain: Chain) -> None:
    """Art. 7.3: after the deadline nothing is consolidated — even while the scheduled lock has not run yet."""
    _sent_commune(chain)
    ReportingPeriod.objects.filter(pk=period_of(chain).pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    province = chain.tree.province
    statistician = chain.statistician[province.pk]
    assert "receive" not in _actions(statistician, chain.report(chain.tree.commune))
    with pytest.raises(DomainError) as refused:
        reports.receive_report(statistician, chain.report(chain.tree.commune))
    assert refused.value.code == "period_locked"
    assert chain.report(chain.tree.commune).state == S.SUBMITTED
    assert chain.cell(province, "1", "1") == 0


def test_art6_4_an_extension_of_the_upper_unit_lets_it_receive_until_the_new_deadline(chain: Chain) -> None:
    _sent_commune(chain)
    province = chain.tree.province
    Report.objects.filter(unit=province).update(reopened_until=timezone.now() + dt.timedelta(days=2))
    ReportingPeriod.objects.filter(pk=period_of(chain).pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    reports.receive_report(chain.statistician[province.pk], chain.report(chain.tree.commune))
    assert chain.cell(province, "1", "1") == 5


# --- one table, one move ---------------------------------------------------------------------


def test_the_lock_the_cascade_the_extension_and_the_correction_are_moves_of_the_one_table(chain: Chain) -> None:
    """Every ReportTransition row names an action of the table and goes from one of its sources to its target."""
    commune, province = chain.tree.commune, chain.tree.province
    for unit in chain.communes:
        _sent_commune(chain, unit)
        reports.receive_report(chain.statistician[province.pk], chain.report(unit))
    reports.forward_report(chain.statistician[province.pk], chain.report(province))
    # A return from above cascades the forwarded province report back to draft.
    reports.return_from_above(chain.statistician[province.pk], chain.report(commune), "Sai số liệu dòng 1")
    assert chain.report(province).state == S.DRAFT and chain.cell(province, "1", "1") == 5  # the other commune
    # The lock ends what is unfinished; an extension reopens it.
    ReportingPeriod.objects.filter(pk=period_of(chain).pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    assert periods.lock_period(period_of(chain)) >= 2
    assert chain.report(commune).state == S.ENDED
    ext = periods.request_extension(
        chain.approver[province.pk], period_of(chain), province, reason="Bão", days=3, document_ref="CV 1"
    )
    periods.decide_extension(chain.sysadmin, ext, grant=True, new_deadline=timezone.now() + dt.timedelta(days=3))
    assert chain.report(commune).state == S.DRAFT
    for row in ReportTransition.objects.all():
        t = transitions.TRANSITIONS[row.action]
        assert row.from_state in t.sources and row.to_state == t.target, row
    assert {"cascade", "lock", "extension"} <= set(ReportTransition.objects.values_list("action", flat=True))


def test_a_correction_after_the_period_takes_a_received_reports_figures_out_of_the_upper_totals(chain: Chain) -> None:
    """Art. 10: the Centre reopens a report as a new edition; the roll-up follows the move, in the one place."""
    commune, province = chain.tree.commune, chain.tree.province
    _sent_commune(chain)
    reports.receive_report(chain.statistician[province.pk], chain.report(commune))
    assert chain.cell(province, "1", "1") == 5
    ReportingPeriod.objects.filter(pk=period_of(chain).pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    request = reports.request_correction(
        chain.approver[commune.pk], chain.report(commune), reason="Nhầm dòng 1", document_ref="CV 2"
    )
    reports.decide_correction(chain.sysadmin, request, grant=True, until=timezone.now() + dt.timedelta(days=5))
    report = chain.report(commune)
    assert report.state == S.DRAFT and report.edition == 2
    assert chain.cell(province, "1", "1") == 0


def test_the_report_page_shows_only_the_buttons_the_state_machine_allows(chain: Chain) -> None:
    """The page asks ``available_transitions``: no "Phê duyệt" button for who entered the figures."""
    commune = chain.tree.commune
    both = chain.statistician[commune.pk]
    give(both, commune, Role.APPROVER)
    reports.save_values(both, chain.report(commune), chain.cells(R1_C1=5), expected_revision=0)
    reports.forward_report(both, chain.report(commune))
    report = chain.report(commune)
    client = signed_in(both)
    page = client.get(reverse("stats:report", args=[report.pk]))
    assert page.status_code == 200
    assert reverse("stats:report_approve", args=[report.pk]) not in page.content.decode()
    assert reverse("stats:report_return", args=[report.pk]) in page.content.decode()  # returning is still theirs
    # And the button's URL, posted anyway, is refused by the service with the reason.
    answer = client.post(reverse("stats:report_approve", args=[report.pk]), follow=True)
    assert "Điều 3.1.d" in answer.content.decode()
    assert chain.report(commune).state == S.PENDING_APPROVAL


def test_locking_now_is_the_system_admins_and_goes_through_the_same_move(chain: Chain) -> None:
    """Art. 7.3: the lock ends unfinished reports; "Khóa kỳ" on the page is refused to anyone but the Centre."""
    period = period_of(chain)
    ReportingPeriod.objects.filter(pk=period.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    url = reverse("stats:period_lock", args=[period.pk])
    assert signed_in(chain.statistician[chain.tree.province.pk]).post(url).status_code == 403
    assert chain.report(chain.tree.commune).state == S.DRAFT
    assert signed_in(chain.sysadmin).post(url).status_code == 302
    assert chain.report(chain.tree.commune).state == S.ENDED
    lock = ReportTransition.objects.filter(action="lock").first()
    assert lock is not None and lock.actor == chain.sysadmin
