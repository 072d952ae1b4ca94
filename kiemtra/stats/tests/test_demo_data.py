"""The demo statistics (issue item 10): a current period with reports at every step, exact roll-up, idempotent.

The national tree takes ~15 s to load and open a period over, so this test builds the same units (real
codes) on a small tree; ``kiemtra stats_forms demo-data`` runs the same function over the national tree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.conftest import give, make_person, make_unit
from kiemtra.orgs.choices import DepartmentRole, UnitKind
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats.choices import ReportState
from kiemtra.stats.demo import BA_DINH, load_demo_statistics
from kiemtra.stats.grid import Grid
from kiemtra.stats.models import Column, Report, ReportingPeriod, ReportTransition, Value
from kiemtra.stats.services import reports, rollup

pytestmark = pytest.mark.django_db
S = ReportState


def small_national_tree() -> None:
    """The units the demo uses, with their real codes, and the demo accounts it relies on."""
    centre = make_unit(UnitKind.CENTRAL, code="UBKTTW", name="Cơ quan Ủy ban Kiểm tra Trung ương")
    general = make_unit(UnitKind.DEPARTMENT, centre, code="UBKTTW.VTH", role=DepartmentRole.GENERAL_AFFAIRS)
    make_unit(UnitKind.DEPARTMENT, centre, code="UBKTTW.VP", role=DepartmentRole.OFFICE)
    hanoi = make_unit(UnitKind.PROVINCIAL, centre, code="T01", name="Ủy ban Kiểm tra Thành ủy Hà Nội")
    ba_dinh = make_unit(UnitKind.COMMUNE, hanoi, code=BA_DINH, name="Ủy ban Kiểm tra Đảng ủy Phường Ba Đình")
    for code in ("X00008", "X00025", "X00070", "X00082"):
        make_unit(UnitKind.COMMUNE, hanoi, code=code)
    for province, communes in (("T79", ("X26734", "X26737", "X26740")), ("T46", ("X19753", "X19774"))):
        unit = make_unit(UnitKind.PROVINCIAL, centre, code=province)
        for code in communes:
            make_unit(UnitKind.COMMUNE, unit, code=code)
    make_unit(UnitKind.PROVINCIAL, centre, code="DU.QH", name="Ủy ban Kiểm tra Đảng ủy Quốc hội")
    make_unit(UnitKind.PROVINCIAL, centre, code="DU.CP")
    for code, unit, role in [
        ("tw.quantri", general, Role.SYSTEM_ADMIN),
        ("tw.thongke", general, Role.STATISTICIAN),
        ("tw.pheduyet", general, Role.APPROVER),
        ("hn.thongke", hanoi, Role.STATISTICIAN),
        ("hn.pheduyet", hanoi, Role.APPROVER),
        ("badinh.thongke", ba_dinh, Role.STATISTICIAN),
        ("badinh.pheduyet", ba_dinh, Role.APPROVER),
    ]:
        give(make_person(code, unit=unit), unit, role)


def test_demo_statistics_at_every_step_with_exact_roll_up() -> None:
    small_national_tree()
    now = timezone.now()
    summary = load_demo_statistics(now, communes_per_province=4)
    period = ReportingPeriod.objects.get()
    assert period.opens_at <= now < period.deadline
    cutoff_end = timezone.make_aware(dt.datetime.combine(period.data_cutoff, dt.time.max))
    assert period.opens_at <= cutoff_end - dt.timedelta(days=15)  # Art. 7.1
    assert period.form_versions.count() == 12  # 13 and 14 are yearly

    # Reports at every stage of the chain; returns carry their reason; the province entered for a commune.
    for state in (S.DRAFT, S.PENDING_APPROVAL, S.APPROVED, S.SUBMITTED, S.RECEIVED):
        assert summary.states[state] > 0, (state, summary)
    returned = Report.objects.filter(period=period, state=S.DRAFT).exclude(return_reason="")
    assert returned.exists()
    actions = set(ReportTransition.objects.filter(report__in=returned).values_list("action", flat=True))
    assert actions >= {"return", "return_from_above"}
    assert summary.on_behalf > 0 and Report.objects.filter(entered_by_upper=True).exists()

    # Phường Ba Đình (the demo accounts) has its reports in visible states, moved by its own people.
    ba_dinh = {r.form_version.form.code: r for r in Report.objects.filter(period=period, unit__code=BA_DINH)}
    assert ba_dinh["01"].state == S.RECEIVED and ba_dinh["02"].state == S.PENDING_APPROVAL
    assert ba_dinh["03"].state == S.DRAFT and ba_dinh["03"].return_reason
    assert ba_dinh["04"].state == S.APPROVED and ba_dinh["05"].state == S.SUBMITTED
    actors = set(
        ReportTransition.objects.filter(report__unit__code=BA_DINH).values_list("actor__identifier_code", flat=True)
    )
    assert {"badinh.thongke", "badinh.pheduyet", "hn.thongke"} <= actors
    # Other communes got their own statistician and approver through the account services.
    assert User.objects.filter(identifier_code__startswith="demo.x").exists()

    # Hà Nội's board shows a mix; its consolidated figures = its own + Σ its received communes.
    hanoi = OrgUnit.objects.get(code="T01")
    assert len(set(Report.objects.filter(period=period, unit__parent=hanoi).values_list("state", flat=True))) >= 3
    rolling = set(Column.objects.filter(rolls_up=True).values_list("pk", flat=True))
    checked = 0
    for report in Report.objects.filter(period=period, unit=hanoi):
        expected: dict[tuple[int, int], Decimal] = {}
        received = Report.objects.filter(
            period=period, unit__parent=hanoi, state=S.RECEIVED, form_version=report.form_version
        )
        parts = [rollup.own_values(report), *(rollup.consolidated(r) for r in received)]
        for figures in parts:
            for cell, value in figures.items():
                if isinstance(value, Decimal) and cell[1] in rolling:
                    expected[cell] = expected.get(cell, Decimal(0)) + value
        got = {c: v for c, v in rollup.consolidated(report).items() if isinstance(v, Decimal) and v}
        assert got == {c: v for c, v in expected.items() if v}, report
        checked += bool(received)
    assert checked >= 3

    # Beyond draft, no report breaks a blocking rule; the Centre received a committee's report.
    moved = Report.objects.filter(period=period).exclude(state=S.DRAFT)
    for report in moved.select_related("form_version__form", "unit", "period"):
        assert Grid.blocking(reports.validate(report)) == [], report
    assert Report.objects.get(period=period, unit__code="DU.QH", form_version__form__code="01").state == S.RECEIVED

    # Idempotent: a second run changes nothing.
    def counts() -> tuple[int, ...]:
        return tuple(m.objects.count() for m in (ReportingPeriod, Report, Value, ReportTransition, User))

    before = counts()
    again = load_demo_statistics(now, communes_per_province=4)
    assert not again.created and again.states == summary.states
    assert counts() == before
