"""A small form and a three-level tree with the people of the chain, for the statistics tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.conftest import Tree, give, make_person, make_unit
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats.choices import CellType, PeriodType, Severity
from kiemtra.stats.models import Column, Form, FormVersion, Report, ReportingPeriod, Row, ValidationRule
from kiemtra.stats.services import periods, rollup


def make_form(code: str = "01", categories: tuple[str, ...] = ("central", "provincial", "commune")) -> FormVersion:
    """Rows 1, 2 and 3 = 1 + 2; columns 1, 2 and 3 = 1 + 2; rule: row 2 ≤ row 1 in column 1."""
    form = Form.objects.create(code=code, title="Kiểm tra đảng viên khi có dấu hiệu vi phạm")
    version = FormVersion.objects.create(
        form=form, number=1, title=form.title, unit_categories=list(categories), period_types=[PeriodType.SIX_MONTHS]
    )
    for i, (label, formula) in enumerate([("Được kiểm tra", ""), ("Có vi phạm", ""), ("Cộng", "R1 + R2")], 1):
        Row.objects.create(version=version, code=str(i), label=label, position=i, formula=formula)
    for i, (label, formula) in enumerate([("Đảng viên", ""), ("Cấp ủy viên", ""), ("Tổng", "C1 + C2")], 1):
        Column.objects.create(
            version=version, code=str(i), label=label, position=i, formula=formula, cell_type=CellType.INTEGER
        )
    ValidationRule.objects.create(
        version=version,
        code="V1",
        expression="R2_C1 <= R1_C1",
        severity=Severity.BLOCKING,
        message="Số có vi phạm không được lớn hơn số được kiểm tra",
    )
    return version


@dataclass
class Chain:
    tree: Tree
    communes: list[OrgUnit]
    sysadmin: User
    centre_statistician: User
    centre_approver: User
    statistician: dict[int, User]
    approver: dict[int, User]
    version: FormVersion
    period: ReportingPeriod | None = None

    def report(self, unit: OrgUnit) -> Report:
        assert self.period is not None
        return Report.objects.select_related("unit", "period", "form_version__form").get(
            unit=unit, period=self.period, form_version=self.version
        )

    def cell(self, unit: OrgUnit, row: str, column: str, consolidated: bool = True) -> Decimal:
        report = self.report(unit)
        r = self.version.rows.get(code=row).pk
        c = self.version.columns.get(code=column).pk
        figures = rollup.consolidated(report) if consolidated else rollup.own_values(report)
        value = figures.get((r, c), Decimal(0))
        assert isinstance(value, Decimal)
        return value

    def cells(self, **values: int) -> dict[tuple[int, int], object]:
        """cells(R1_C1=5, R2_C1=2) → {(row id, column id): "5", ...}"""
        result: dict[tuple[int, int], object] = {}
        for name, value in values.items():
            row, column = name[1:].split("_C")
            result[(self.version.rows.get(code=row).pk, self.version.columns.get(code=column).pk)] = str(value)
        return result

    def open(
        self, *, deadline_in: dt.timedelta = dt.timedelta(days=30), trial: bool = False, code: str = "2026-H1"
    ) -> ReportingPeriod:
        now = timezone.now()
        self.period = periods.open_period(
            self.sysadmin,
            code=code,
            name=f"6 tháng đầu năm 2026 {code}",
            period_type=PeriodType.SIX_MONTHS,
            data_start=(now - dt.timedelta(days=150)).date(),
            data_cutoff=(now + dt.timedelta(days=20)).date(),
            opens_at=now - dt.timedelta(hours=1),
            deadline=now + deadline_in,
            form_versions=[self.version],
            is_trial=trial,
        )
        return self.period


def period_of(chain: Chain) -> ReportingPeriod:
    """The chain's opened period (for the type checker: ``chain.period`` is None until ``open``)."""
    assert chain.period is not None
    return chain.period


def make_chain() -> Chain:
    tree = Tree()
    second = make_unit(UnitKind.COMMUNE, tree.province, code="X00008B", name="UBKT Đảng ủy phường Ngọc Hà")
    communes = [tree.commune, second]
    tree.sibling_commune.valid_to = tree.sibling_commune.valid_from  # closed: not part of this period
    tree.sibling_commune.save()
    sysadmin = make_person(unit=tree.general_affairs)
    give(sysadmin, tree.general_affairs, Role.SYSTEM_ADMIN)
    centre_statistician = make_person(unit=tree.general_affairs)
    give(centre_statistician, tree.general_affairs, Role.STATISTICIAN)
    centre_approver = make_person(unit=tree.general_affairs)
    give(centre_approver, tree.general_affairs, Role.APPROVER)
    statistician, approver = {}, {}
    for unit in [tree.province, tree.other_province, *communes, tree.other_commune]:
        statistician[unit.pk] = make_person(unit=unit)
        give(statistician[unit.pk], unit, Role.STATISTICIAN)
        approver[unit.pk] = make_person(unit=unit)
        give(approver[unit.pk], unit, Role.APPROVER)
    return Chain(tree, communes, sysadmin, centre_statistician, centre_approver, statistician, approver, make_form())
