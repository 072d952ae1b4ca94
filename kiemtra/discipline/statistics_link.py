"""The link to statistics (Quy định 11 Art. 12; issue 4 item 7): forms 05 and 06 counted from the decisions.

For a unit and a reporting period, the published decisions of the unit's
subtree are counted per row ("cấp thực hiện": the issuing level) and column
(penalty, committee members, field of violation) of form 05 (members) or 06
(organisations), and set beside the figures of the unit's report.

Choices, written down here because the forms and the database do not say them:

* **Dates.** A decision counts in the period when the day it was issued
  (``issued_on``; ``effective_on`` when the issue date is unknown) falls in
  [``data_start``, ``data_cutoff``]: the forms count disciplinary measures
  taken ("thi hành kỷ luật") in the period, and a decision takes effect the
  day it is signed unless it says otherwise.
* **Amendments.** A decision that changes or annuls an earlier one (after a
  complaint) is not a new disciplinary measure and is not counted.
* **Rows.** The catalog ``StatsLinkRule`` (kind "row", shipped in
  ``data/catalog.json`` from Quyết định 2011-QĐ/UBKTTW, editable in the admin,
  the rows valid on the period's cut-off day) maps each issuing level to one
  row item of the catalog "Cấp thực hiện". The database keeps commune-level Party committees
  and grassroots Party committees (đảng ủy cơ sở) as one level, so their
  decisions count in the row "Cấp ủy cấp xã (và ban thường vụ)"; the rows
  "Đảng ủy bộ phận" and "Đảng ủy cơ sở" are not computed (shown "—", never
  prefilled). The Party Central Committee, the Politburo and the Secretariat
  share one row. A decision of another level ("Khác") is in no row, and the
  page says how many there are.
* **Columns.** "Hình thức kỷ luật: X" counts the penalty whose catalog row
  (kind "penalty") names X; "Trong đó: cấp ủy
  viên" counts members of a Party committee; "Nội dung vi phạm: X" counts the
  decisions with a category whose ``stats_item`` is X (a decision with two
  fields of violation counts in both, as on the paper form). Columns the
  database does not hold (suspension, legal and administrative measures) are
  not computed. Computed cells (totals) are derived by the form's own formulas.
* **Own and consolidated.** The unit's subtree is compared with the
  consolidated figures (own + received subordinates). Prefilling writes the
  unit's *own* cells, so it uses the decisions of the subtree minus the
  subtrees of the direct subordinates that file the same form in the period:
  their figures arrive through their own reports, and counting them twice
  would double them in the consolidation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.core.text import fold
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats import prefill as prefill_plan
from kiemtra.stats.grid import Cell, Grid
from kiemtra.stats.models import FormVersion, Report, ReportingPeriod, Row
from kiemtra.stats.prefill import Change, Figure, digest
from kiemtra.stats.services import reports, rollup

from .choices import StatsLinkKind, SubjectType
from .models import Decision, StatsLinkRule

# The forms of Quy định 11 that count discipline: form code → whom they count.
FORM_SUBJECTS: dict[str, str] = {"05": SubjectType.MEMBER, "06": SubjectType.ORGANIZATION}


def link_rules(day: dt.date | None = None) -> dict[str, dict[str, str]]:
    """The catalog in force on ``day``, one read: kind → {issuing level or penalty code → item of the form}."""
    rules: dict[str, dict[str, str]] = {kind: {} for kind in StatsLinkKind.values}
    valid = StatsLinkRule.objects.valid_on(day or dt.date.today()).order_by("valid_from", "pk")
    for kind, key, item in valid.values_list("kind", "key", "item"):
        rules[kind][key] = item
    return rules


def row_items(day: dt.date | None = None) -> dict[str, str]:
    """Issuing level → the row item of forms 05/06 that counts its decisions, as in force on ``day``."""
    return link_rules(day)[StatsLinkKind.ROW]


def penalty_items(day: dt.date | None = None) -> dict[str, str]:
    """Penalty code → the item of the column group "Hình thức kỷ luật" that counts it."""
    return link_rules(day)[StatsLinkKind.PENALTY]


PENALTY_GROUP = fold("Hình thức kỷ luật")
CATEGORY_GROUP = fold("Nội dung vi phạm")
COMMITTEE_LABEL = fold("Trong đó: cấp ủy viên")
TOTAL_START = fold("Tổng số")


def subject_of(version: FormVersion) -> str | None:
    return FORM_SUBJECTS.get(version.form.code)


# --- the shape of the form --------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """What an input column counts: ``kind`` is penalty, category, committee or total."""

    kind: str
    item: str = ""  # penalty code, or the folded violation item


def measure_of(label: str, penalties: dict[str, str] | None = None) -> Measure | None:
    """What a column counts, by its label; ``penalties`` from ``penalty_items`` (read when not given)."""
    penalties = penalty_items() if penalties is None else penalties
    folded = fold(label)
    if folded == COMMITTEE_LABEL:
        return Measure("committee")
    group, _sep, item = folded.partition(": ")
    if group == PENALTY_GROUP:
        code = next((c for c, name in penalties.items() if fold(name) == item), None)
        return Measure("penalty", code) if code else None
    if group == CATEGORY_GROUP and item:
        return Measure("category", item)
    if folded.startswith(TOTAL_START):
        return Measure("total")
    return None


@dataclass
class Layout:
    """Which rows and columns of a version the decisions can fill, and how."""

    grid: Grid
    row_levels: dict[int, set[str]]  # row id → issuing levels counted in it
    measures: dict[int, Measure]  # column id → what the column counts
    row_items: dict[str, str] = field(default_factory=dict)  # issuing level → row item (the catalog used)

    def computable(self, cell: Cell) -> bool:
        row, column = self.grid.row_by_id[cell[0]], self.grid.column_by_id[cell[1]]
        return (row.pk in self.row_levels or bool(row.formula)) and (column.pk in self.measures or bool(column.formula))

    @property
    def input_cells(self) -> list[Cell]:
        """The cells a statistician types that the decisions can fill."""
        return [(r, c) for r in self.row_levels for c in self.measures if not self.grid.is_computed((r, c))]


def layout(version: FormVersion, day: dt.date | None = None) -> Layout:
    """The shape of ``version`` for the link, with the catalog rows in force on ``day`` (today when None)."""
    grid = Grid.of(version)
    rules = link_rules(day)
    by_item: dict[str, set[str]] = defaultdict(set)
    for level, item in rules[StatsLinkKind.ROW].items():
        by_item[fold(item)].add(level)
    row_levels = {r.pk: by_item[fold(r.label)] for r in grid.rows if not r.formula and fold(r.label) in by_item}
    penalties = rules[StatsLinkKind.PENALTY]
    measures = {
        c.pk: m
        for c in grid.columns
        if not c.formula and c.cell_type != "text" and (m := measure_of(c.label, penalties))
    }
    return Layout(grid, row_levels, measures, rules[StatsLinkKind.ROW])


# --- counting ---------------------------------------------------------------------------------


def decisions_for(
    unit: OrgUnit, period: ReportingPeriod, subject_type: str, *, excluding: list[OrgUnit] | tuple[()] = ()
) -> QuerySet[Decision]:
    """Published original decisions about ``subject_type`` of ``unit``'s subtree, dated in the period."""
    decisions = (
        Decision.objects.published()
        .annotate(counted_on=Coalesce("issued_on", "effective_on"))
        .filter(
            subject_type=subject_type,
            unit__path__startswith=unit.path,
            counted_on__gte=period.data_start,
            counted_on__lte=period.data_cutoff,
            amends__isnull=True,
            amends_number="",
        )
    )
    for below in excluding:
        decisions = decisions.exclude(unit__path__startswith=below.path)
    return decisions.order_by()


@dataclass
class Counted:
    figures: rollup.Figures  # input cells counted, then the form's formulas
    decisions: int
    outside_rows: int  # decisions whose issuing level has no row of the form


def count(shape: Layout, decisions: QuerySet[Decision]) -> Counted:
    """Two GROUP BY queries whatever the number of decisions; nothing decrypted (plain columns only)."""
    by_level: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total = 0
    rows = decisions.values("issuing_level", "penalty").annotate(
        n=Count("pk"), committee=Count("pk", filter=Q(party_committee_member=True))
    )
    for row in rows:
        counts = by_level[row["issuing_level"]]
        counts[f"penalty:{row['penalty']}"] += row["n"]
        counts["committee"] += row["committee"]
        counts["total"] += row["n"]
        total += row["n"]
    categories = decisions.values("issuing_level", "categories__stats_item").annotate(n=Count("pk", distinct=True))
    for row in categories:
        if not row["categories__stats_item"]:
            continue  # no category (the LEFT JOIN's empty row), or one without a form column
        by_level[row["issuing_level"]][f"category:{fold(row['categories__stats_item'])}"] += row["n"]
    in_rows = {level for levels in shape.row_levels.values() for level in levels}
    outside = sum(counts["total"] for level, counts in by_level.items() if level not in in_rows)
    values: dict[Cell, Decimal | str] = {}
    for row_id, levels in shape.row_levels.items():
        for column_id, measure in shape.measures.items():
            key = measure.kind if measure.kind in ("committee", "total") else f"{measure.kind}:{measure.item}"
            values[(row_id, column_id)] = Decimal(sum(by_level[level][key] for level in levels))
    figures = {cell: v for cell, v in shape.grid.compute(values).items() if shape.computable(cell)}
    return Counted(figures, total, outside)


# --- the comparison ---------------------------------------------------------------------------


@dataclass
class Comparison:
    unit: OrgUnit
    period: ReportingPeriod
    version: FormVersion
    report: Report | None
    shape: Layout
    rows: list[tuple[Row, list[Figure]]]
    counted: Counted
    counted_own: Counted
    covered: list[OrgUnit] = field(default_factory=list)  # direct subordinates filing the form

    @property
    def differences(self) -> int:
        return sum(f.differs for _row, figures in self.rows for f in figures)

    @property
    def plan(self) -> list[Change]:
        """What a prefill would change: the own input cells whose count differs from the stored value."""
        columns = self.shape.grid.column_by_id
        return [
            Change(f.cell, row, columns[f.cell[1]].label, f.own, f.counted_own)
            for row, figures in self.rows
            for f in figures
            if f.input and f.counted_own is not None and f.differs_own
        ]

    @property
    def plan_digest(self) -> str:
        return digest(self.plan)


def version_for(period: ReportingPeriod, form_code: str) -> FormVersion | None:
    return period.form_versions.select_related("form").filter(form__code=form_code).first()


def compare(unit: OrgUnit, period: ReportingPeriod, version: FormVersion) -> Comparison:
    subject_type = subject_of(version)
    if subject_type is None:
        raise DomainError(
            _("Biểu %(f)s không thống kê kỷ luật.") % {"f": version.form.code}, code="not_a_discipline_form"
        )
    shape = layout(version, period.data_cutoff)
    report = (
        Report.objects.select_related("unit", "period", "form_version__form")
        .filter(unit=unit, period=period, form_version=version)
        .first()
    )
    covered = list(
        OrgUnit.objects.filter(parent=unit, reports__period=period, reports__form_version=version).distinct()
    )
    counted = count(shape, decisions_for(unit, period, subject_type))
    counted_own = count(shape, decisions_for(unit, period, subject_type, excluding=covered))
    own = rollup.own_values(report) if report else {}
    consolidated = rollup.consolidated(report) if report else {}

    def number(figures: rollup.Figures, cell: Cell) -> Decimal | None:
        value = figures.get(cell)
        return value if isinstance(value, Decimal) else None

    rows = []
    for row in shape.grid.rows:
        figures = []
        for column in shape.grid.columns:
            if column.cell_type == "text":
                continue
            cell = (row.pk, column.pk)
            figures.append(
                Figure(
                    cell,
                    number(consolidated, cell) if report else None,
                    number(own, cell) if report else None,
                    number(counted.figures, cell),
                    number(counted_own.figures, cell),
                    not shape.grid.is_computed(cell),
                )
            )
        rows.append((row, figures))
    return Comparison(unit, period, version, report, shape, rows, counted, counted_own, covered)


# --- prefilling -------------------------------------------------------------------------------


@transaction.atomic
def prefill(actor: Any, report: Report, *, expected_revision: int, plan_digest: str) -> tuple[reports.SaveResult, int]:
    """Write the counted own figures into the report through the statistics service, then record the origin.

    ``save_values`` applies the locks, the validation, the revision check and its own audit record.
    Returns its result and the number of input cells prefilled (the totals it recomputed are extra).
    """
    policies.require(actor, "stats.enter", report.unit)
    if report.unit not in policies.scope(actor, Module.DISCIPLINE):
        raise PolicyDenied("discipline.view")
    comparison = compare(report.unit, report.period, report.form_version)
    return prefill_plan.apply(
        actor,
        report,
        comparison.plan,
        plan_digest=plan_digest,
        expected_revision=expected_revision,
        action="stats.report.prefilled_from_discipline",
        nothing_message=_("Số liệu của báo cáo đã khớp với cơ sở dữ liệu kỷ luật: không có ô nào cần điền."),
        decisions=comparison.counted_own.decisions,
    )
