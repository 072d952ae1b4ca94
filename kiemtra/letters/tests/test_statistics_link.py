"""Forms 07/08/09/12 from the letters (Quy định 06 Art. 7.4: the letter figures reconcile with the forms of
the statistics system), beside the report's figures, prefilled through the statistics save service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person
from kiemtra.core.errors import PolicyDenied
from kiemtra.letters import statistics_link
from kiemtra.letters.choices import Channel, Finding, Kind
from kiemtra.letters.models import Letter
from kiemtra.letters.services import handling, records, results
from kiemtra.letters.tests.conftest import Register
from kiemtra.stats import formsets
from kiemtra.stats.choices import PeriodType
from kiemtra.stats.models import FormVersion, Report, Value
from kiemtra.stats.services import periods, rollup

pytestmark = pytest.mark.django_db


def paper(unit: Any, kind: str, **extra: Any) -> Letter:
    return records.create(
        None,
        records.NewLetter(
            channel=Channel.POST,
            kind=kind,
            holding_unit=unit,
            received_on=timezone.localdate() - dt.timedelta(days=5),
            title="Đơn",
            content="Nội dung",
            **{"senders": [records.Sender(full_name="Người Gửi")], **extra},
        ),
    )


@pytest.fixture
def period(org_tree: Tree) -> Any:
    formsets.load_demo()
    versions = list(FormVersion.objects.filter(form__code__in=["07", "12"]).select_related("form"))
    sysadmin = make_person(unit=org_tree.general_affairs)
    give(sysadmin, org_tree.general_affairs, Role.SYSTEM_ADMIN)
    now = timezone.now()
    return periods.open_period(
        sysadmin,
        code="2026-H2",
        name="6 tháng cuối năm 2026",
        period_type=PeriodType.SIX_MONTHS,
        data_start=(now - dt.timedelta(days=150)).date(),
        data_cutoff=(now + dt.timedelta(days=20)).date(),
        opens_at=now - dt.timedelta(hours=1),
        deadline=now + dt.timedelta(days=30),
        form_versions=versions,
    )


def test_forms_07_and_12_are_counted_from_the_letters_and_prefilled(
    org_tree: Tree, people: Register, period: Any
) -> None:
    officer = people.officer
    give(officer, org_tree.province, Role.STATISTICIAN)
    concluded = paper(org_tree.province, Kind.DENUNCIATION)
    handling.check_eligibility(officer, concluded, handling.EligibilityCheck())
    concluded = handling.assign(officer, concluded, people.colleague)
    results.conclude(people.colleague, concluded, results.Result("Đúng", finding=Finding.TRUE, violations=2))
    paper(org_tree.province, Kind.DENUNCIATION, anonymous=True, senders=[])
    paper(org_tree.province, Kind.FEEDBACK)
    v07 = FormVersion.objects.get(form__code="07", periods=period)
    comparison = statistics_link.compare(officer, org_tree.province, period, v07)

    def cell(version: FormVersion, row: str, column: str) -> tuple[int, int]:
        return (version.rows.get(label=row).pk, version.columns.get(label=column).pk)

    counted = {c: n for _row, cells in comparison.rows for c, _stored, n in cells}
    row = "Ủy ban kiểm tra cấp tỉnh"
    assert counted[cell(v07, row, "Số đơn tố cáo nhận được")] == 2
    assert counted[cell(v07, row, "Số đơn phải giải quyết")] == 1
    assert counted[cell(v07, row, "Kết luận: tố đúng và đúng một phần")] == 1
    assert counted[cell(v07, row, "Số đảng viên có vi phạm")] == 2
    assert comparison.differences > 0
    report = Report.objects.get(unit=org_tree.province, period=period, form_version=v07)
    _result, cells = statistics_link.prefill(officer, report, expected_revision=0, plan_digest=comparison.plan_digest)
    own = rollup.own_values(Report.objects.get(pk=report.pk))
    assert own[cell(v07, row, "Số đơn tố cáo nhận được")] == Decimal(2) and cells == len(comparison.plan)
    assert AuditEvent.objects.filter(action="stats.report.prefilled_from_letters").exists()
    v12 = FormVersion.objects.get(form__code="12", periods=period)
    c12 = {c: n for _r, cs in statistics_link.compare(officer, org_tree.province, period, v12).rows for c, _s, n in cs}
    tinh = "Ủy ban kiểm tra cấp tỉnh và tương đương"
    assert c12[cell(v12, tinh, "Tổng số đơn nhận được")] == 3
    assert c12[cell(v12, tinh, "Trong đó: đơn giấu tên, mạo tên")] == 1
    assert c12[cell(v12, tinh, "Kênh tiếp nhận: Bưu chính")] == 3


def test_prefill_needs_the_right_to_enter_statistics_and_changes_nothing_otherwise(
    org_tree: Tree, people: Register, period: Any
) -> None:
    paper(org_tree.province, Kind.DENUNCIATION)
    v07 = FormVersion.objects.get(form__code="07", periods=period)
    comparison = statistics_link.compare(people.officer, org_tree.province, period, v07)
    report = Report.objects.get(unit=org_tree.province, period=period, form_version=v07)
    with pytest.raises(PolicyDenied):
        statistics_link.prefill(people.officer, report, expected_revision=0, plan_digest=comparison.plan_digest)
    with pytest.raises(PolicyDenied):
        statistics_link.compare(people.other, org_tree.province, period, v07)
    assert not Value.objects.filter(report=report).exists()
