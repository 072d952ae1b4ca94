"""The letter forms from the letters (Quy định 06 Art. 7.4; Letters II item 8): forms 07, 08, 09, 12.

For a unit and a reporting period, the letters held by the commissions of the unit's subtree and
received in [``data_start``, ``data_cutoff``] are counted per row (the level of the commission
that holds them) and column (by the column's label), set beside the report's figures, and the
unit's own input cells that differ can be prefilled through the statistics save service
(``stats.prefill``, the same plan-and-digest as the discipline link), recorded as such.

Choices written down here because the forms do not say them:
- rows: forms 07/08/09 count by "cấp thực hiện": a commune commission's letters in "Ủy ban kiểm
  tra cấp xã", a provincial one's in "Ủy ban kiểm tra cấp tỉnh", the Centre's in "Ủy ban Kiểm tra
  Trung ương"; form 12 by the commission's level;
- 07 counts denunciations against members, 08 against organisations (``accused_is_organisation``);
  "phải giải quyết" = found eligible; "đã giải quyết" = concluded or answered with a finding;
  "phải thi hành kỷ luật" is not computed (the letters record only those disciplined);
- 09 counts complaints about discipline (field ``discipline``); the reasons for a change are not
  recorded on letters and are not computed;
- 12: "Người gửi" and "Chuyển theo thẩm quyền" from the letter's record (a letter referred away
  counts where it was received first is not tracked: it counts where it is held).
Own figures exclude the subtrees of direct subordinates filing the same form, whose letters arrive
through their own reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.core.text import fold
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats import prefill as prefill_plan
from kiemtra.stats.grid import Cell, Grid
from kiemtra.stats.models import FormVersion, Report, ReportingPeriod
from kiemtra.stats.services import reports, rollup

from .choices import ComplaintOutcome, Eligibility, Finding, Kind, ReferralState, Status
from .models import Letter
from .policies import SCOPE

FORMS = ("07", "08", "09", "12")
DONE = (Status.CONCLUDED, Status.ANSWERED)
ROWS_BY_LEVEL = {
    "07": {
        "commune": "uy ban kiem tra cap xa",
        "provincial": "uy ban kiem tra cap tinh",
        "central": "uy ban kiem tra trung uong",
    },
}
ROWS_BY_LEVEL["08"] = ROWS_BY_LEVEL["09"] = ROWS_BY_LEVEL["07"]
ROWS_BY_LEVEL["12"] = {
    "commune": "uy ban kiem tra cap xa va tuong duong",
    "provincial": "uy ban kiem tra cap tinh va tuong duong",
    "central": "uy ban kiem tra trung uong",
}

Count = Callable[[QuerySet[Letter]], int]


def _n(q: Q) -> Count:
    return lambda letters: letters.filter(q).count()


def _sum(field: str, q: Q) -> Count:
    return lambda letters: int(letters.filter(q).aggregate(s=Sum(field))["s"] or 0)


ELIGIBLE = Q(eligibility=Eligibility.ELIGIBLE)
RESOLVED = Q(status__in=DONE)
MEASURES: dict[str, dict[str, Count]] = {
    "07": {
        "so don to cao nhan duoc": _n(Q()),
        "so don phai giai quyet": _n(ELIGIBLE),
        "so don da giai quyet": _n(RESOLVED),
        "ket luan: to dung va dung mot phan": _n(RESOLVED & Q(finding__in=[Finding.TRUE, Finding.PARTLY_TRUE])),
        "ket luan: to sai": _n(RESOLVED & Q(finding=Finding.FALSE)),
        "ket luan: chua du co so ket luan": _n(RESOLVED & Q(finding=Finding.NO_BASIS)),
        "so dang vien co vi pham": _sum("violations", RESOLVED),
        "so dang vien da thi hanh ky luat": _sum("disciplined", RESOLVED),
    },
    "09": {
        "so don khieu nai ky luat nhan duoc": _n(Q()),
        "thuoc tham quyen giai quyet": _n(ELIGIBLE),
        "da giai quyet": _n(RESOLVED),
        "ket qua: giu nguyen hinh thuc ky luat": _n(RESOLVED & Q(complaint_outcome=ComplaintOutcome.KEPT)),
        "thay doi: tang hinh thuc ky luat": _n(RESOLVED & Q(complaint_outcome=ComplaintOutcome.HEAVIER)),
        "thay doi: giam hinh thuc ky luat": _n(RESOLVED & Q(complaint_outcome=ComplaintOutcome.LIGHTER)),
        "thay doi: xoa ky luat": _n(RESOLVED & Q(complaint_outcome=ComplaintOutcome.REMOVED)),
    },
    "12": {
        "loai don: khieu nai": _n(Q(kind=Kind.COMPLAINT)),
        "loai don: to cao": _n(Q(kind=Kind.DENUNCIATION)),
        "loai don: phan anh": _n(Q(kind=Kind.FEEDBACK)),
        "loai don: kien nghi": _n(Q(kind=Kind.RECOMMENDATION)),
        "kenh tiep nhan: truc tiep": _n(Q(channel="in_person")),
        "kenh tiep nhan: buu chinh": _n(Q(channel="post")),
        "kenh tiep nhan: vneid, cong thong tin dien tu": _n(Q(channel__in=["vneid", "portal"])),
        "kenh tiep nhan: co quan, don vi khac chuyen den": _n(Q(referrals__state=ReferralState.ACCEPTED)),
        "trong do: don giau ten, mao ten": _n(Q(anonymous=True) | Q(false_name=True)),
        "ket qua xu ly: thuoc tham quyen giai quyet": _n(ELIGIBLE & ~Q(status=Status.REFERRED)),
        "ket qua xu ly: chuyen theo tham quyen": _n(Q(status__in=[Status.REFERRED, Status.SENT_OUTSIDE])),
        "ket qua xu ly: huong dan, tra lai don": _n(Q(status=Status.GUIDED)),
        "ket qua xu ly: luu don": _n(Q(status__in=[Status.FILED, Status.KEPT])),
    },
}
MEASURES["08"] = {k.replace("dang vien", "to chuc dang"): v for k, v in MEASURES["07"].items()}


def letters_for(
    form: str, unit: OrgUnit, period: ReportingPeriod, excluding: list[OrgUnit] | tuple[()] = ()
) -> QuerySet[Letter]:
    letters = Letter.objects.filter(
        holding_unit__path__startswith=unit.path,
        received_on__gte=period.data_start,
        received_on__lte=period.data_cutoff,
    )
    if form in ("07", "08"):
        letters = letters.filter(kind=Kind.DENUNCIATION, accused_is_organisation=form == "08")
    elif form == "09":
        letters = letters.filter(kind=Kind.COMPLAINT, field_code="discipline")
    for below in excluding:
        letters = letters.exclude(holding_unit__path__startswith=below.path)
    return letters.distinct().order_by()


def _level(kind: str) -> str:
    return "central" if kind in ("central", "department") else kind


def count(version: FormVersion, letters: QuerySet[Letter]) -> dict[Cell, Decimal | str]:
    """The computable input cells and the form's formulas over them."""
    form = version.form.code
    grid = Grid.of(version)
    rows = {fold(r.label): r for r in grid.rows if not r.formula}
    measures = {c.pk: MEASURES[form][fold(c.label)] for c in grid.columns if fold(c.label) in MEASURES[form]}
    values: dict[Cell, Decimal | str] = {}
    kinds = set(letters.values_list("holding_unit__kind", flat=True).distinct())
    for level, label in ROWS_BY_LEVEL[form].items():
        row = rows.get(label)
        if row is None:
            continue
        at_level = letters.filter(holding_unit__kind__in=[k for k in kinds if _level(k) == level])
        for column_id, measure in measures.items():
            values[(row.pk, column_id)] = Decimal(measure(at_level))
    computed = grid.compute(values)
    return {cell: v for cell, v in computed.items() if cell in values or grid.is_computed(cell)}


@dataclass
class Comparison:
    version: FormVersion
    report: Report | None
    rows: list[tuple[Any, list[tuple[Cell, Decimal | None, Decimal | None]]]]  # (row, [(cell, report, letters)])
    plan: list[prefill_plan.Change]

    @property
    def differences(self) -> int:
        return sum(
            1
            for _r, cells in self.rows
            for _c, stored, counted in cells
            if counted is not None and counted != (stored or 0)
        )

    @property
    def plan_digest(self) -> str:
        return prefill_plan.digest(self.plan)


def compare(actor: Any, unit: OrgUnit, period: ReportingPeriod, version: FormVersion) -> Comparison:
    if version.form.code not in FORMS:
        raise DomainError(_("Biểu %(f)s không thống kê đơn thư.") % {"f": version.form.code}, code="not_a_letters_form")
    if unit not in policies.scope(actor, SCOPE) and not policies.can(actor, "letters.follow.read", unit):
        raise PolicyDenied("letters.letter.read")
    form = version.form.code
    report = Report.objects.filter(unit=unit, period=period, form_version=version).first()
    covered = list(
        OrgUnit.objects.filter(parent=unit, reports__period=period, reports__form_version=version).distinct()
    )
    counted = count(version, letters_for(form, unit, period))
    counted_own = count(version, letters_for(form, unit, period, covered))
    consolidated = rollup.consolidated(report) if report else {}
    own = rollup.own_values(report) if report else {}
    grid = Grid.of(version)

    def number(figures: Any, cell: Cell) -> Decimal | None:
        value = figures.get(cell)
        return value if isinstance(value, Decimal) else None

    rows = [
        (
            row,
            [
                (cell, number(consolidated, cell), number(counted, cell))
                for c in grid.columns
                if (cell := (row.pk, c.pk))
            ],
        )
        for row in grid.rows
    ]
    plan = [
        prefill_plan.Change(cell, grid.row_by_id[cell[0]], grid.column_by_id[cell[1]].label, number(own, cell), value)
        for cell, value in counted_own.items()
        if isinstance(value, Decimal) and not grid.is_computed(cell) and value != (number(own, cell) or 0)
    ]
    return Comparison(version, report, rows, plan)


def prefill(actor: Any, report: Report, *, expected_revision: int, plan_digest: str) -> tuple[reports.SaveResult, int]:
    """Write the letters' own counts into the report through the statistics save service, recorded as such."""
    policies.require(actor, "stats.enter", report.unit)
    comparison = compare(actor, report.unit, report.period, report.form_version)
    return prefill_plan.apply(
        actor,
        report,
        comparison.plan,
        plan_digest=plan_digest,
        expected_revision=expected_revision,
        action="stats.report.prefilled_from_letters",
        nothing_message=_("Số liệu của báo cáo đã khớp với sổ đơn thư: không có ô nào cần điền."),
    )
