"""Quy định 11 Art. 6.4 and 7: opening, the automatic lock, extensions; the trial purge of the Kế hoạch."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import signed_in
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.stats.choices import PeriodState, PeriodType, ReportState
from kiemtra.stats.models import FormVersion, Report, ReportingPeriod, Value
from kiemtra.stats.services import periods, reports
from kiemtra.stats.tasks import lock_periods_at_deadline
from kiemtra.stats.tests.factories import Chain, make_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain() -> Chain:
    return make_chain()


def _open(chain: Chain, **overrides):
    now = timezone.now()
    args: dict[str, Any] = dict(
        code="K1",
        name="Kỳ 1",
        period_type=PeriodType.SIX_MONTHS,
        data_start=(now - dt.timedelta(days=100)).date(),
        data_cutoff=(now + dt.timedelta(days=20)).date(),
        opens_at=now,
        deadline=now + dt.timedelta(days=30),
        form_versions=[chain.version],
    )
    args.update(overrides)
    chain.period = periods.open_period(chain.sysadmin, **args)
    return chain.period


def test_art7_1_a_period_opens_at_the_latest_15_days_before_its_data_cutoff(chain: Chain) -> None:
    now = timezone.now()
    with pytest.raises(DomainError) as late:
        _open(chain, data_cutoff=(now + dt.timedelta(days=10)).date())
    assert late.value.code == "opened_too_late" and "15 ngày" in late.value.message
    assert not ReportingPeriod.objects.exists()
    period = _open(chain)
    assert period.reports.count() == 6
    assert FormVersion.objects.get(pk=chain.version.pk).frozen  # used by an opened period: frozen


def test_art7_4_an_ad_hoc_period_needs_a_notice_and_skips_the_15_day_rule(chain: Chain) -> None:
    now = timezone.now()
    with pytest.raises(DomainError) as exc:
        _open(chain, period_type=PeriodType.AD_HOC, data_cutoff=now.date())
    assert exc.value.code == "notice_required"
    period = _open(
        chain,
        period_type=PeriodType.AD_HOC,
        data_cutoff=now.date(),
        notice="Báo cáo đột xuất theo Công văn 99-CV/UBKTTW",
    )
    assert period.notice.startswith("Báo cáo đột xuất")


def test_only_the_system_admin_opens_periods(chain: Chain) -> None:
    with pytest.raises(PolicyDenied):
        periods.open_period(
            chain.statistician[chain.tree.province.pk],
            code="X",
            name="X",
            period_type=PeriodType.YEAR,
            data_start=timezone.now().date(),
            data_cutoff=timezone.now().date(),
            opens_at=timezone.now(),
            deadline=timezone.now() + dt.timedelta(days=1),
            form_versions=[chain.version],
        )


def test_art7_3_the_scheduled_task_locks_at_the_deadline(chain: Chain) -> None:
    period = _open(chain)
    assert lock_periods_at_deadline() == 0
    ReportingPeriod.objects.filter(pk=period.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=2), deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    assert lock_periods_at_deadline() == 6
    period.refresh_from_db()
    assert period.state == PeriodState.LOCKED
    assert set(Report.objects.filter(period=period).values_list("state", flat=True)) == {ReportState.ENDED}
    assert AuditEvent.objects.filter(action="stats.period.locked").count() == 1


def test_art6_4_a_granted_extension_reopens_the_units_reports_until_the_new_deadline(chain: Chain) -> None:
    period = _open(chain)
    province = chain.tree.province
    ReportingPeriod.objects.filter(pk=period.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=2), deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    periods.lock_due_periods()
    commune_report = chain.report(chain.tree.commune)
    with pytest.raises(DomainError):
        reports.save_values(
            chain.statistician[chain.tree.commune.pk], commune_report, chain.cells(R1_C1=1), expected_revision=0
        )
    with pytest.raises(DomainError) as not_provincial:
        periods.request_extension(
            chain.approver[chain.tree.commune.pk], period, chain.tree.commune, reason="x", days=3, document_ref="CV"
        )
    assert not_provincial.value.code == "not_provincial"
    request = periods.request_extension(
        chain.approver[province.pk], period, province, reason="Bão số 3", days=3, document_ref="CV 15"
    )
    periods.decide_extension(chain.sysadmin, request, grant=True, new_deadline=timezone.now() + dt.timedelta(days=3))
    commune_report = chain.report(chain.tree.commune)
    assert commune_report.state == ReportState.DRAFT
    reports.save_values(
        chain.statistician[chain.tree.commune.pk],
        commune_report,
        chain.cells(R1_C1=1),
        expected_revision=commune_report.revision,
    )
    assert chain.report(chain.tree.other_commune).state == ReportState.ENDED  # another province: still ended
    periods.lock_due_periods()  # the period lock does not end a report still within its extension
    assert chain.report(chain.tree.commune).state == ReportState.DRAFT


def test_trial_purge_removes_trial_periods_only(chain: Chain) -> None:
    real = _open(chain)
    trial = _open(chain, code="THU", name="Chạy thử", is_trial=True)
    trial_report = Report.objects.get(period=trial, unit=chain.tree.commune)
    reports.save_values(
        chain.statistician[chain.tree.commune.pk], trial_report, chain.cells(R1_C1=9), expected_revision=0
    )
    with pytest.raises(PolicyDenied):
        periods.purge_trial_data(chain.statistician[chain.tree.commune.pk])
    assert periods.purge_trial_data(chain.sysadmin) == 1
    assert not Value.objects.filter(report__period_id=trial.pk).exists()
    assert ReportingPeriod.objects.filter(pk=real.pk).exists() and Report.objects.filter(period=real).count() == 6


def test_period_pages(chain: Chain) -> None:
    period = _open(chain)
    admin_client = signed_in(chain.sysadmin)
    assert "Mở kỳ báo cáo mới" in admin_client.get("/thong-ke/ky/").content.decode()
    statistician = signed_in(chain.statistician[chain.tree.province.pk])
    page = statistician.get(f"/thong-ke/ky/{period.pk}/").content.decode()
    assert period.name in page and "Mở kỳ báo cáo mới" not in statistician.get("/thong-ke/ky/").content.decode()
    assert statistician.post("/thong-ke/ky/xoa-du-lieu-thu/", {"confirm": "XÓA DỮ LIỆU THỬ"}).status_code == 403
    response = admin_client.post("/thong-ke/ky/xoa-du-lieu-thu/", {"confirm": "xoa"}, follow=True)
    assert "phải gõ đúng cụm từ xác nhận" in response.content.decode()


def test_opening_through_the_page_reports_the_rule(chain: Chain) -> None:
    now = timezone.localtime()
    response = signed_in(chain.sysadmin).post(
        "/thong-ke/ky/",
        {
            "code": "K9",
            "name": "Kỳ 9",
            "period_type": PeriodType.YEAR,
            "data_start": "2026-01-01",
            "data_cutoff": (now + dt.timedelta(days=5)).strftime("%Y-%m-%d"),
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "deadline": (now + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
            "form_versions": [chain.version.pk],
        },
    )
    assert response.status_code == 200 and "Điều 7.1" in response.content.decode()
    assert not ReportingPeriod.objects.exists()


def test_an_admin_has_no_statistics_pages(chain: Chain) -> None:
    from kiemtra.accounts.choices import Role
    from kiemtra.conftest import give, make_person

    admin = make_person(unit=chain.tree.province)
    give(admin, chain.tree.province, Role.ADMIN)
    assert signed_in(admin).get("/thong-ke/ky/").status_code == 403


def test_the_trial_purge_can_be_scheduled(chain: Chain) -> None:
    from kiemtra.stats.models import TrialPurge
    from kiemtra.stats.tasks import purge_trial_data_when_due

    trial = _open(chain, code="THU", name="Chạy thử", is_trial=True)
    real = _open(chain, code="K2", name="Kỳ 2")
    with pytest.raises(DomainError):
        periods.schedule_trial_purge(chain.sysadmin, timezone.now() - dt.timedelta(minutes=1))
    client = signed_in(chain.sysadmin)
    when = timezone.localtime() + dt.timedelta(hours=2)
    client.post("/thong-ke/ky/xoa-du-lieu-thu/", {"confirm": "XÓA DỮ LIỆU THỬ", "at": when.strftime("%Y-%m-%dT%H:%M")})
    assert 'data-testid="scheduled-purge"' in client.get("/thong-ke/ky/").content.decode()
    assert purge_trial_data_when_due() == 0 and ReportingPeriod.objects.filter(pk=trial.pk).exists()
    assert periods.purge_trial_when_due(now=timezone.now() + dt.timedelta(hours=3)) == 1
    assert (
        not ReportingPeriod.objects.filter(pk=trial.pk).exists() and ReportingPeriod.objects.filter(pk=real.pk).exists()
    )
    assert TrialPurge.objects.get().purged == ["THU"]
