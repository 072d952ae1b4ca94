"""Who may move a report, and the bad moves that are refused with nothing changed (Art. 8, 9, 10)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import give, make_person
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.stats.choices import ReportState
from kiemtra.stats.services import reports, rollup
from kiemtra.stats.tests.factories import Chain, make_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain() -> Chain:
    chain = make_chain()
    chain.open()
    return chain


def test_an_admin_enters_no_statistics(chain: Chain) -> None:
    admin = make_person(unit=chain.tree.commune)
    give(admin, chain.tree.commune, Role.ADMIN)
    with pytest.raises(PolicyDenied):
        reports.save_values(admin, chain.report(chain.tree.commune), chain.cells(R1_C1=1), expected_revision=0)
    assert rollup.own_values(chain.report(chain.tree.commune)) == {}


def test_upper_statistician_may_enter_on_behalf_and_the_record_says_so(chain: Chain) -> None:
    """Art. 6.1: a lower unit that cannot connect gives its data to the upper unit."""
    report = chain.report(chain.tree.commune)
    reports.save_values(chain.statistician[chain.tree.province.pk], report, chain.cells(R1_C1=4), expected_revision=0)
    report = chain.report(chain.tree.commune)
    assert report.entered_by_upper and chain.cell(chain.tree.commune, "1", "1") == 4
    with pytest.raises(PolicyDenied):  # another province may not
        reports.save_values(
            chain.statistician[chain.tree.other_province.pk],
            report,
            chain.cells(R1_C1=5),
            expected_revision=report.revision,
        )


def test_each_step_belongs_to_its_role(chain: Chain) -> None:
    commune = chain.tree.commune
    report = chain.report(commune)
    with pytest.raises(PolicyDenied):
        reports.forward_report(chain.approver[commune.pk], report)  # forwarding is the statistician's
    reports.forward_report(chain.statistician[commune.pk], report)
    with pytest.raises(PolicyDenied):
        reports.approve_report(chain.statistician[commune.pk], report)  # approving is the approver's
    reports.approve_report(chain.approver[commune.pk], report)
    reports.send_report(chain.approver[commune.pk], report)
    with pytest.raises(PolicyDenied):
        reports.receive_report(chain.statistician[commune.pk], report)  # not one's own report
    with pytest.raises(PolicyDenied):
        reports.receive_report(chain.statistician[chain.tree.other_province.pk], report)
    reports.receive_report(chain.statistician[chain.tree.province.pk], report)
    assert chain.report(commune).state == ReportState.RECEIVED


def test_illegal_moves_are_refused(chain: Chain) -> None:
    commune = chain.tree.commune
    report = chain.report(commune)
    with pytest.raises(DomainError) as exc:
        reports.send_report(chain.approver[commune.pk], report)
    assert exc.value.code == "illegal_transition"
    with pytest.raises(DomainError) as exc:
        reports.return_report(chain.approver[commune.pk], report, "")
    assert exc.value.code == "reason_required"
    reports.forward_report(chain.statistician[commune.pk], report)
    with pytest.raises(DomainError) as exc:
        reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=1), expected_revision=0)
    assert exc.value.code == "not_editable"  # forwarded: only the approver's return reopens it (Art. 10)
    reports.return_report(chain.approver[commune.pk], report, "Thiếu số liệu cột 2")
    report = chain.report(commune)
    assert report.state == ReportState.DRAFT and report.return_reason == "Thiếu số liệu cột 2"
    last = report.transitions.last()
    assert last is not None and last.reason == "Thiếu số liệu cột 2"


def test_the_centres_approved_report_is_final(chain: Chain) -> None:
    centre = chain.report(chain.tree.centre)
    with pytest.raises(DomainError) as exc:
        reports.send_report(chain.centre_approver, centre)
    assert exc.value.code in {"top_level", "illegal_transition"}


def test_bad_values_are_refused_whole_with_the_cell_named(chain: Chain) -> None:
    commune = chain.tree.commune
    report = chain.report(commune)
    reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=7), expected_revision=0)
    bad = {**chain.cells(R1_C2=3), **{k: "mười" for k in chain.cells(R2_C1=0)}}
    with pytest.raises(DomainError) as exc:
        reports.save_values(chain.statistician[commune.pk], report, bad, expected_revision=1)
    assert exc.value.code == "bad_value" and "dòng 2, cột 1: 'mười' không phải là số" in exc.value.message
    for wrong, message in [("-1", "không được là số âm"), ("2,5", "phải là số nguyên")]:
        with pytest.raises(DomainError) as exc:
            reports.save_values(
                chain.statistician[commune.pk], report, {k: wrong for k in chain.cells(R1_C1=0)}, expected_revision=1
            )
        assert message in exc.value.message
    assert chain.cell(commune, "1", "1") == 7 and chain.cell(commune, "1", "2") == 0


def test_vietnamese_thousands_separators_are_understood(chain: Chain) -> None:
    commune = chain.tree.commune
    report = chain.report(commune)
    reports.save_values(
        chain.statistician[commune.pk], report, {k: "1.234" for k in chain.cells(R1_C1=0)}, expected_revision=0
    )
    assert chain.cell(commune, "1", "1") == Decimal(1234)


def test_two_people_saving_the_same_report_lose_nothing(chain: Chain) -> None:
    commune = chain.tree.commune
    report = chain.report(commune)
    upper = chain.statistician[chain.tree.province.pk]
    reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=5), expected_revision=0)
    with pytest.raises(reports.StaleRevision) as stale:
        reports.save_values(upper, report, chain.cells(R1_C2=8), expected_revision=0)
    row1 = chain.version.rows.get(code="1").pk
    col1 = chain.version.columns.get(code="1").pk
    assert stale.value.theirs[f"{row1}:{col1}"] == "5"
    assert chain.cell(commune, "1", "1") == 5 and chain.cell(commune, "1", "2") == 0
    reports.save_values(upper, report, chain.cells(R1_C2=8), expected_revision=1)  # after seeing the change
    assert chain.cell(commune, "1", "1") == 5 and chain.cell(commune, "1", "2") == 8


def test_what_changed_since_the_last_approval_is_shown_cell_by_cell(chain: Chain) -> None:
    commune = chain.tree.commune
    report = chain.report(commune)
    reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=5), expected_revision=0)
    reports.forward_report(chain.statistician[commune.pk], report)
    reports.approve_report(chain.approver[commune.pk], report)
    reports.return_report(chain.approver[commune.pk], report, "Sửa dòng 1")
    reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=6), expected_revision=1)
    changes = reports.changes_since_approval(chain.report(commune))
    row1, col1 = chain.version.rows.get(code="1").pk, chain.version.columns.get(code="1").pk
    assert changes[(row1, col1)] == ("5", "6")
    assert all(old != new for old, new in changes.values())
