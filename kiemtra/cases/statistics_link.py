"""Forms 01, 02, 03, 04 and 10 counted from the case files, beside the report's figures (issue 14 item 8).

The same shape as the discipline link to forms 05/06: count, compare with the
report's consolidated and own figures, prefill the own cells through the
statistics save service (which applies its locks, validation and audit).

Choices, written down here because the forms do not say them:

* **Which files count.** A file counts in the period when its conclusion's date
  falls in [``data_start``, ``data_cutoff``]: the forms report inspections and
  supervisions *concluded* ("kết luận") in the period. Backlog files count too.
* **Rows.** The commission that ran the case is the acting level: a commune
  commission's files in "Ủy ban kiểm tra cấp xã", a provincial one's in "Ủy ban
  kiểm tra cấp tỉnh", the Central Commission's in "Ủy ban Kiểm tra Trung ương".
  Rows of Party committees and cells are not computed (the files are the
  commissions' own work).
* **Columns.** By label: the subject counts ("Số … được kiểm tra", "Đối tượng
  giám sát: …"); "có vi phạm" = violations found; "phải thi hành kỷ luật" =
  discipline required; "đã thi hành kỷ luật" = a decision recorded; form 03's
  results from violations/shortcomings; form 04's "chuyển kiểm tra" = an
  inspection opened from the supervision's conclusion; "Nội dung vi phạm: X"
  counts files whose categories name X. Committee members, amounts of money
  and the kinds of finance inspection are not held: not computed ("—").
* **Own and consolidated**: as the discipline link — own cells exclude the
  subtrees of direct subordinates that file the same form in the period.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.core.text import fold
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats.grid import Cell, Grid
from kiemtra.stats.models import FormVersion, Report, ReportingPeriod, Row
from kiemtra.stats.prefill import Figure
from kiemtra.stats.services import reports, rollup

from .choices import CaseKind, SubjectKind
from .models import Conclusion

FORM_KINDS: dict[str, tuple[str, ...]] = {
    "01": (CaseKind.INSPECTION_MEMBER,),
    "02": (CaseKind.INSPECTION_ORGANISATION,),
    "03": (CaseKind.INSPECTION_OF_INSPECTION,),
    "04": (CaseKind.THEMATIC_SUPERVISION, CaseKind.REGULAR_SUPERVISION),
    "10": (CaseKind.FINANCE,),
}
ROW_OF_KIND = {
    UnitKind.COMMUNE: fold("Ủy ban kiểm tra cấp xã"),
    UnitKind.PROVINCIAL: fold("Ủy ban kiểm tra cấp tỉnh"),
    UnitKind.CENTRAL: fold("Ủy ban Kiểm tra Trung ương"),
}


@dataclass(frozen=True)
class Fact:
    """What one concluded file says, for counting."""

    unit_kind: str
    subject_kind: str
    violations: bool
    shortcomings: bool
    discipline_required: bool
    disciplined: bool
    referred: bool
    categories: frozenset[str]


Test = Callable[[Fact], bool]

MEASURES: dict[str, Test] = {
    fold("Số đảng viên được kiểm tra"): lambda f: True,
    fold("Số tổ chức đảng được kiểm tra"): lambda f: True,
    fold("Kết luận: có vi phạm"): lambda f: f.violations,
    fold("Kết luận: phải thi hành kỷ luật"): lambda f: f.discipline_required,
    fold("Kết luận: đã thi hành kỷ luật"): lambda f: f.disciplined,
    fold("Phải thi hành kỷ luật"): lambda f: f.discipline_required,
    fold("Đã thi hành kỷ luật"): lambda f: f.disciplined,
    fold("Kết quả: thực hiện tốt"): lambda f: not f.violations and not f.shortcomings,
    fold("Kết quả: có thiếu sót, khuyết điểm"): lambda f: f.shortcomings and not f.violations,
    fold("Kết quả: có vi phạm"): lambda f: f.violations,
    fold("Đối tượng giám sát: tổ chức đảng"): lambda f: f.subject_kind == SubjectKind.ORGANISATION,
    fold("Đối tượng giám sát: đảng viên"): lambda f: f.subject_kind == SubjectKind.MEMBER,
    fold("Kết quả: phát hiện dấu hiệu vi phạm"): lambda f: f.violations,
    fold("Kết quả: chuyển kiểm tra khi có dấu hiệu vi phạm"): lambda f: f.referred,
    fold("Số đơn vị có vi phạm"): lambda f: f.violations,
}


def measure(label: str) -> Test | None:
    folded = fold(label)
    if folded in MEASURES:
        return MEASURES[folded]
    group, _sep, item = folded.partition(": ")
    if group.startswith(fold("Nội dung vi phạm")) and item:
        return lambda f: item in f.categories
    return None


def facts(unit: OrgUnit, period: ReportingPeriod, kinds: tuple[str, ...], excluding: list[OrgUnit]) -> list[Fact]:
    """One query for the concluded files of the subtree in the period (plus one for the referrals)."""
    qs = Conclusion.objects.filter(
        case__kind__in=kinds,
        case__unit__path__startswith=unit.path,
        concluded_on__gte=period.data_start,
        concluded_on__lte=period.data_cutoff,
    )
    for below in excluding:
        qs = qs.exclude(case__unit__path__startswith=below.path)
    rows = list(
        qs.values_list(
            "pk",
            "case__unit__kind",
            "case__subject_kind",
            "violations_found",
            "shortcomings",
            "discipline_required",
            "discipline_decision_id",
            "violation_categories",
        )
    )
    from .models import CaseFile

    referred = set(CaseFile.objects.filter(follows_up__in=[r[0] for r in rows]).values_list("follows_up_id", flat=True))
    return [
        Fact(
            kind,
            subject,
            bool(v),
            bool(s),
            bool(d),
            decision is not None,
            pk in referred,
            frozenset(fold(c) for c in cats or []),
        )
        for pk, kind, subject, v, s, d, decision, cats in rows
    ]


@dataclass
class Counted:
    figures: rollup.Figures
    files: int


def count(grid: Grid, found: list[Fact]) -> Counted:
    rows = {r.pk: kind for r in grid.rows for kind, label in ROW_OF_KIND.items() if fold(r.label) == label}
    columns = {c.pk: t for c in grid.columns if not c.formula and c.cell_type != "text" and (t := measure(c.label))}
    values: dict[Cell, Decimal | str] = {}
    for row_id, unit_kind in rows.items():
        here = [f for f in found if f.unit_kind == unit_kind]
        for column_id, test in columns.items():
            values[(row_id, column_id)] = Decimal(sum(1 for f in here if test(f)))
    computable_rows = set(rows) | {r.pk for r in grid.rows if r.formula}
    computable_cols = set(columns) | {c.pk for c in grid.columns if c.formula}
    figures = {
        cell: v for cell, v in grid.compute(values).items() if cell[0] in computable_rows and cell[1] in computable_cols
    }
    return Counted(figures, len(found))


@dataclass
class Comparison:
    unit: OrgUnit
    period: ReportingPeriod
    version: FormVersion
    report: Report | None
    rows: list[tuple[Row, list[Figure]]]
    counted: Counted
    counted_own: Counted
    covered: list[OrgUnit] = field(default_factory=list)

    @property
    def differences(self) -> int:
        return sum(f.differs for _r, figures in self.rows for f in figures)

    @property
    def plan(self) -> dict[Cell, Decimal]:
        return {
            f.cell: f.counted_own
            for _r, figures in self.rows
            for f in figures
            if f.input and f.counted_own is not None and f.differs_own
        }

    @property
    def plan_digest(self) -> str:
        text = ";".join(f"{c[0]}:{c[1]}={v}" for c, v in sorted(self.plan.items()))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def compare(unit: OrgUnit, period: ReportingPeriod, version: FormVersion) -> Comparison:
    kinds = FORM_KINDS.get(version.form.code)
    if kinds is None:
        raise DomainError(_("Biểu %(f)s không tính từ hồ sơ kiểm tra.") % {"f": version.form.code}, code="form")
    grid = Grid.of(version)
    report = Report.objects.filter(unit=unit, period=period, form_version=version).first()
    covered = list(
        OrgUnit.objects.filter(parent=unit, reports__period=period, reports__form_version=version).distinct()
    )
    counted = count(grid, facts(unit, period, kinds, []))
    counted_own = count(grid, facts(unit, period, kinds, covered))
    own = rollup.own_values(report) if report else {}
    consolidated = rollup.consolidated(report) if report else {}

    def number(figures: rollup.Figures, cell: Cell) -> Decimal | None:
        value = figures.get(cell)
        return value if isinstance(value, Decimal) else None

    rows = []
    for row in grid.rows:
        figures = [
            Figure(
                (row.pk, c.pk),
                number(consolidated, (row.pk, c.pk)) if report else None,
                number(own, (row.pk, c.pk)) if report else None,
                number(counted.figures, (row.pk, c.pk)),
                number(counted_own.figures, (row.pk, c.pk)),
                not grid.is_computed((row.pk, c.pk)),
            )
            for c in grid.columns
            if c.cell_type != "text"
        ]
        rows.append((row, figures))
    return Comparison(unit, period, version, report, rows, counted, counted_own, covered)


@transaction.atomic
def prefill(actor: Any, report: Report, *, expected_revision: int, plan_digest: str) -> reports.SaveResult:
    """Write the counted own figures through the statistics service; the confirmation applies what was shown."""
    policies.require(actor, "stats.enter", report.unit)
    if report.unit not in policies.scope(actor, "cases"):
        raise PolicyDenied("cases.view")
    comparison = compare(report.unit, report.period, report.form_version)
    if comparison.plan_digest != plan_digest:
        raise DomainError(_("Số liệu đã thay đổi từ lúc xem trước: hãy xem lại."), code="plan_changed")
    if not comparison.plan:
        raise DomainError(
            _("Số liệu của báo cáo đã khớp với hồ sơ: không có ô nào cần điền."), code="nothing_to_prefill"
        )
    changes: dict[Cell, object] = {cell: str(v) for cell, v in comparison.plan.items()}
    result = reports.save_values(actor, report, changes, expected_revision=expected_revision)
    audit.record(
        actor,
        "stats.report.prefilled_from_cases",
        result.report,
        cells=len(changes),
        files=comparison.counted_own.files,
        form=report.form_version.form.code,
    )
    return result
