"""Centre → province → communes: the whole chain, with the consolidated figures checked after every step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.stats.choices import ReportState
from kiemtra.stats.models import Report, ReportingPeriod
from kiemtra.stats.services import periods, reports, rollup
from kiemtra.stats.tests.factories import Chain, make_chain

pytestmark = pytest.mark.django_db
S = ReportState


def file_up_to_sent(chain: Chain, unit, **values: int) -> Report:
    """Enter, forward, approve and send one unit's report."""
    report = chain.report(unit)
    reports.save_values(chain.statistician[unit.pk], report, chain.cells(**values), expected_revision=report.revision)
    reports.forward_report(chain.statistician[unit.pk], report)
    reports.approve_report(chain.approver[unit.pk], report)
    return reports.send_report(chain.approver[unit.pk], report)


def test_whole_chain_with_returns_cascade_lock_extension_correction_and_trial_purge() -> None:
    chain = make_chain()
    tree, (ba_dinh, ngoc_ha) = chain.tree, chain.communes
    province_statistician = chain.statistician[tree.province.pk]
    period = chain.open()
    assert Report.objects.filter(period=period).count() == 6  # centre, 2 provinces, 3 communes

    # 1. A commune files; its province receives it: the province total moves at once.
    file_up_to_sent(chain, ba_dinh, R1_C1=10, R2_C1=4, R1_C2=3)
    assert chain.cell(ba_dinh, "3", "3") == 17  # computed: (10 + 3) + (4 + 0)
    assert chain.cell(tree.province, "1", "1") == 0  # sent, not yet received
    reports.receive_report(province_statistician, chain.report(ba_dinh))
    assert chain.cell(tree.province, "1", "1") == 10 and chain.cell(tree.province, "3", "3") == 17

    # 2. The province cannot forward before 100 % of its communes are received (Art. 6.2).
    with pytest.raises(DomainError) as missing:
        reports.forward_report(province_statistician, chain.report(tree.province))
    assert missing.value.code == "subordinates_missing" and ngoc_ha.name in missing.value.message

    # 3. The second commune; the province adds its own figures, files up; the Centre receives.
    file_up_to_sent(chain, ngoc_ha, R1_C1=5, R2_C1=1)
    reports.receive_report(province_statistician, chain.report(ngoc_ha))
    assert chain.cell(tree.province, "1", "1") == 15
    file_up_to_sent(chain, tree.province, R1_C1=2)
    assert chain.cell(tree.province, "1", "1") == 17 and chain.cell(tree.province, "1", "1", consolidated=False) == 2
    reports.receive_report(chain.centre_statistician, chain.report(tree.province))
    file_up_to_sent(chain, tree.other_commune, R1_C1=7)
    reports.receive_report(chain.statistician[tree.other_province.pk], chain.report(tree.other_commune))
    file_up_to_sent(chain, tree.other_province)
    reports.receive_report(chain.centre_statistician, chain.report(tree.other_province))
    assert chain.cell(tree.centre, "1", "1") == 24 and chain.cell(tree.centre, "2", "1") == 5

    # 4. Returns from above cascade top-down: the province cannot return a commune while its report is
    #    at the Centre; the Centre returns the province first.
    with pytest.raises(DomainError) as upward:
        reports.return_from_above(province_statistician, chain.report(ba_dinh), "Sai số liệu")
    assert upward.value.code == "upper_already_sent"
    with pytest.raises(DomainError):
        reports.return_from_above(chain.centre_statistician, chain.report(tree.province), "  ")
    reports.return_from_above(chain.centre_statistician, chain.report(tree.province), "Kiểm tra lại xã Ba Đình")
    assert chain.report(tree.province).state == S.DRAFT
    assert chain.cell(tree.centre, "1", "1") == 7  # only the other province is left in the Centre's total
    reports.return_from_above(province_statistician, chain.report(ba_dinh), "Dòng 2 chưa đúng")
    assert chain.report(ba_dinh).return_reason == "Dòng 2 chưa đúng"
    assert chain.cell(tree.province, "1", "1") == 7  # own 2 + Ngọc Hà 5

    # 5. The commune corrects and files again; a blocking rule stops a wrong figure.
    report = chain.report(ba_dinh)
    reports.save_values(
        chain.statistician[ba_dinh.pk], report, chain.cells(R2_C1=12), expected_revision=report.revision
    )
    with pytest.raises(DomainError) as blocked:
        reports.forward_report(chain.statistician[ba_dinh.pk], report)
    assert blocked.value.code == "blocking_errors" and "không được lớn hơn" in blocked.value.message
    reports.save_values(
        chain.statistician[ba_dinh.pk], report, chain.cells(R2_C1=3), expected_revision=report.revision + 1
    )
    reports.forward_report(chain.statistician[ba_dinh.pk], report)
    reports.approve_report(chain.approver[ba_dinh.pk], report)
    reports.send_report(chain.approver[ba_dinh.pk], report)
    reports.receive_report(province_statistician, report)
    assert chain.cell(tree.province, "2", "1") == 4  # 3 + Ngọc Hà 1
    province = chain.report(tree.province)
    reports.forward_report(province_statistician, province)
    reports.approve_report(chain.approver[tree.province.pk], province)
    reports.send_report(chain.approver[tree.province.pk], province)
    reports.receive_report(chain.centre_statistician, province)
    assert chain.cell(tree.centre, "1", "1") == 24 and chain.cell(tree.centre, "2", "1") == 4

    # 6. The lock races a late save: the write is refused even before the task runs.
    late = period.deadline + dt.timedelta(seconds=1)
    centre = chain.report(tree.centre)
    with pytest.raises(DomainError) as locked:
        reports.save_values(
            chain.centre_statistician, centre, chain.cells(R1_C1=1), expected_revision=centre.revision, now=late
        )
    assert locked.value.code == "period_locked"
    assert chain.cell(tree.centre, "1", "1", consolidated=False) == 0
    ended = periods.lock_period(period, now=late)
    assert ended == 1 and chain.report(tree.centre).state == S.ENDED
    assert chain.report(tree.province).state == S.RECEIVED  # finished reports are not touched
    assert chain.cell(tree.centre, "1", "1") == 24  # ended, totals frozen and still readable

    # 7. An extension (Art. 6.4): asked by a provincial commission, granted by the Centre.
    ReportingPeriod.objects.filter(pk=period.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    ReportingPeriod.objects.filter(pk=period.pk).update(opens_at=timezone.now() - dt.timedelta(days=2))
    with pytest.raises(DomainError):
        reports.return_from_above(chain.centre_statistician, chain.report(tree.other_province), "x")  # Centre ended
    request = periods.request_extension(
        chain.approver[tree.other_province.pk],
        period,
        tree.other_province,
        reason="Bão lũ",
        days=5,
        document_ref="CV 88",
    )
    with pytest.raises(PolicyDenied):
        periods.decide_extension(
            province_statistician, request, grant=True, new_deadline=timezone.now() + dt.timedelta(days=5)
        )
    periods.decide_extension(chain.sysadmin, request, grant=True, new_deadline=timezone.now() + dt.timedelta(days=5))

    # 8. After the period: a written correction request, decided by the Centre, opens a new edition.
    commune_report = chain.report(ba_dinh)
    correction = reports.request_correction(
        chain.approver[ba_dinh.pk], commune_report, reason="Bỏ sót 1 trường hợp", document_ref="CV 12"
    )
    reports.decide_correction(chain.sysadmin, correction, grant=True, until=timezone.now() + dt.timedelta(days=3))
    commune_report = chain.report(ba_dinh)
    assert (commune_report.state, commune_report.edition) == (S.DRAFT, 2)
    assert chain.cell(tree.province, "1", "1") == 7  # the old figures left the province total...
    assert commune_report.snapshots.filter(kind="received", edition=1).exists()  # ...and stay readable
    reports.save_values(
        chain.statistician[ba_dinh.pk], commune_report, chain.cells(R1_C1=11), expected_revision=commune_report.revision
    )
    assert chain.cell(ba_dinh, "1", "1") == 11

    # 9. A trial period is purged with all its data, and nothing else.
    trial_chain = chain
    real_period = period
    trial = trial_chain.open(trial=True, code="THU-01")
    values_before = rollup.own_values(Report.objects.get(pk=commune_report.pk))
    assert periods.purge_trial_data(chain.sysadmin) == 1
    assert not ReportingPeriod.objects.filter(pk=trial.pk).exists()
    assert ReportingPeriod.objects.filter(pk=real_period.pk).exists()
    assert rollup.own_values(Report.objects.get(pk=commune_report.pk)) == values_before


def test_recompute_from_scratch_equals_the_live_totals() -> None:
    chain = make_chain()
    tree = chain.tree
    period = chain.open()
    for commune, n in zip(chain.communes, (3, 4), strict=True):
        file_up_to_sent(chain, commune, R1_C1=n, R1_C2=n * 10)
        reports.receive_report(chain.statistician[tree.province.pk], chain.report(commune))
    file_up_to_sent(chain, tree.province, R1_C1=1)
    reports.receive_report(chain.centre_statistician, chain.report(tree.province))
    live = {u.pk: rollup.child_totals(chain.report(u)) for u in (tree.centre, tree.province)}
    assert rollup.recompute_period(period) > 0
    assert {u.pk: rollup.child_totals(chain.report(u)) for u in (tree.centre, tree.province)} == live
    assert chain.cell(tree.centre, "1", "2") == Decimal(70)
