"""Look-up (tra cứu, Quy định 11 Art. 11): pivots of consolidated figures, within the user's scope.

A figure is the consolidated one: the unit's own value plus the totals of the
direct subordinates whose reports were received (``ChildTotal``). Figures of
approved, sent and received reports are official; figures of reports still
being prepared (draft, waiting for approval) or ended without being sent are
shown marked as provisional, or left out when only official figures are asked.

Rows and columns are matched by their code across the versions of a form, so
periods that use different versions of the same form line up.

Every pivot is one ``GROUP BY`` query, whatever the number of cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import CharField, DecimalField, F, TextChoices
from django.db.models import Value as Const
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from kiemtra.accounts.policies import Scope
from kiemtra.orgs.models import OrgUnit

from .choices import CellType, ReportState
from .models import ChildTotal, Column, Form, FormVersion, Report, ReportingPeriod, Row, Value
from .services import rollup

OFFICIAL_STATES = frozenset({ReportState.APPROVED, ReportState.SUBMITTED, ReportState.RECEIVED})
QUANTUM = Decimal("0.0001")  # the scale of stored values


class Layout(TextChoices):
    UNITS_PERIODS = "units_periods", _("Đơn vị × kỳ báo cáo (một chỉ tiêu)")
    INDICATORS_UNITS = "indicators_units", _("Chỉ tiêu × đơn vị (một kỳ báo cáo)")


@dataclass(frozen=True)
class Figure:
    """One cell of a pivot. ``state`` is None when the unit has no report of the form in the period."""

    value: Decimal | None = None
    state: str | None = None

    @property
    def provisional(self) -> bool:
        return self.state is not None and self.state not in OFFICIAL_STATES

    @property
    def text(self) -> str:
        return "" if self.value is None else rollup.text(self.value)

    @property
    def shown(self) -> str:
        """For the page: grouped the way the language writes numbers ("1.234,5" in Vietnamese)."""
        if self.value is None:
            return ""
        return numberformat.format(
            Decimal(self.text),
            get_format("DECIMAL_SEPARATOR"),
            grouping=3,
            thousand_sep=get_format("THOUSAND_SEPARATOR"),
            force_grouping=True,
        )

    @property
    def state_label(self) -> str:
        return str(ReportState(self.state).label) if self.state else ""


@dataclass
class PivotRow:
    code: str
    label: str
    cells: list[Figure]
    unit: OrgUnit | None = None


@dataclass
class Pivot:
    corner: str
    column_codes: list[str]
    column_labels: list[str]
    rows: list[PivotRow] = field(default_factory=list)

    @property
    def has_provisional(self) -> bool:
        return any(c.provisional for r in self.rows for c in r.cells)


@dataclass(frozen=True)
class Selection:
    """What the user asked for, already checked against the scope."""

    form: Form
    version: FormVersion  # the latest one: labels of rows and columns
    row_codes: list[str]
    column_code: str
    units: list[OrgUnit]
    periods: list[ReportingPeriod]  # oldest first
    layout: str = Layout.UNITS_PERIODS
    official_only: bool = False

    @property
    def rows(self) -> list[Row]:
        by_code = {r.code: r for r in self.version.rows.all()}
        return [by_code[c] for c in self.row_codes if c in by_code]

    @property
    def column(self) -> Column | None:
        return next((c for c in self.version.columns.all() if c.code == self.column_code), None)

    @property
    def table_periods(self) -> list[ReportingPeriod]:
        """Periods shown: all of them across, or only the latest one for indicators × units."""
        if self.layout == Layout.INDICATORS_UNITS:
            return self.periods[-1:]
        return self.periods

    @property
    def table_rows(self) -> list[str]:
        if self.layout == Layout.UNITS_PERIODS:
            return self.row_codes[:1]
        return self.row_codes


# --- choices offered ------------------------------------------------------------------


def latest_version(form: Form) -> FormVersion | None:
    return form.versions.prefetch_related("rows", "columns").order_by("-number").first()


def numeric_columns(version: FormVersion) -> list[Column]:
    return [c for c in version.columns.all() if c.cell_type != CellType.TEXT]


def periods_of(form: Form) -> list[ReportingPeriod]:
    """Periods whose form set includes a version of ``form``, oldest first."""
    return list(
        ReportingPeriod.objects.filter(form_versions__form=form).distinct().order_by("data_cutoff", "opens_at", "code")
    )


def scope_roots(scope: Scope) -> list[OrgUnit]:
    """The highest units of the scope: those whose parent is outside it."""
    units = OrgUnit.objects.active()
    if scope.everything:
        return list(units.filter(parent__isnull=True))
    candidates = units.filter(pk__in=scope.unit_ids).order_by("depth", "path")
    return [u for u in candidates if u.parent_id not in scope.unit_ids]


def tree_choices(scope: Scope) -> list[OrgUnit]:
    """Units offered as "the units under …": the scope's roots and the units directly below them."""
    roots = scope_roots(scope)
    below = scope.filter(OrgUnit.objects.active().filter(parent__in=roots).exclude(kind="department"), "pk")
    return sorted([*roots, *below], key=lambda u: u.path)


def units_under(
    scope: Scope, root: OrgUnit, *, whole_subtree: bool, form: Form, periods: Sequence[ReportingPeriod]
) -> list[OrgUnit]:
    """The units below ``root`` (and ``root``) that file ``form`` in one of ``periods``, within the scope."""
    units = OrgUnit.objects.filter(path__startswith=root.path)
    if not whole_subtree:
        units = units.filter(depth__lte=root.depth + 1)
    units = units.filter(reports__form_version__form=form, reports__period__in=list(periods)).distinct()
    return list(scope.filter(units, "pk").order_by("path"))


# --- the query ------------------------------------------------------------------------


def _number(raw: object) -> Decimal:
    if isinstance(raw, Decimal):
        return raw.quantize(QUANTUM)
    return Decimal(str(raw)).quantize(QUANTUM)  # SQLite sums come back as int or float


def figures(
    scope: Scope,
    *,
    form: Form,
    row_codes: Iterable[str],
    column_code: str,
    unit_ids: Iterable[int],
    period_ids: Iterable[int],
    official_only: bool = False,
) -> dict[tuple[int, int], tuple[str, dict[str, Decimal]]]:
    """{(unit id, period id): (report state, {row code: consolidated figure})} — one query.

    Own values and received subordinates' totals are stacked (``UNION ALL``)
    and summed per report and row; the reports themselves join in so that a
    report without figures still says that it exists and in which state.
    """
    rows, units, periods = list(row_codes), list(unit_ids), list(period_ids)
    if not (rows and units and periods):
        return {}
    reports = scope.filter(
        Report.objects.filter(form_version__form=form, unit_id__in=units, period_id__in=periods), "unit"
    )
    if official_only:
        reports = reports.filter(state__in=OFFICIAL_STATES)
    ids = reports.values("pk")
    wanted = {"report__in": ids, "row__code__in": rows, "column__code": column_code}
    own = (
        Value.objects.filter(number__isnull=False, **wanted)
        .annotate(rid=F("report_id"), rc=F("row__code"), n=F("number"))
        .order_by()
        .values_list("rid", "rc", "n")
    )
    received = (
        ChildTotal.objects.filter(**wanted)
        .annotate(rid=F("report_id"), rc=F("row__code"), n=F("number"))
        .order_by()
        .values_list("rid", "rc", "n")
    )
    present = (
        reports.annotate(
            rid=F("pk"), rc=Const(None, output_field=CharField()), n=Const(None, output_field=DecimalField())
        )
        .order_by()
        .values_list("rid", "rc", "n")
    )
    parts: list[str] = []
    params: list[Any] = []
    for qs in (present, own, received):
        sql, p = qs.query.sql_with_params()
        parts.append(sql)
        params.extend(p)
    report_table = connection.ops.quote_name(Report._meta.db_table)
    query = (
        f"SELECT r.unit_id, r.period_id, r.state, x.rc, SUM(x.n) FROM ({' UNION ALL '.join(parts)}) x "  # noqa: S608
        f"JOIN {report_table} r ON r.id = x.rid "
        "GROUP BY r.unit_id, r.period_id, r.state, x.rc"
    )
    result: dict[tuple[int, int], tuple[str, dict[str, Decimal]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for unit_id, period_id, state, row_code, total in cursor.fetchall():
            _state, by_row = result.setdefault((unit_id, period_id), (state, {}))
            if row_code is not None and total is not None:
                by_row[row_code] = _number(total)
    return result


def pivot(scope: Scope, selection: Selection) -> Pivot:
    """The table the user sees: units × periods for one indicator, or indicators × units for one period."""
    periods = selection.table_periods
    row_codes = selection.table_rows
    found = figures(
        scope,
        form=selection.form,
        row_codes=row_codes,
        column_code=selection.column_code,
        unit_ids=[u.pk for u in selection.units],
        period_ids=[p.pk for p in periods],
        official_only=selection.official_only,
    )

    def figure(unit: OrgUnit, period: ReportingPeriod, row_code: str) -> Figure:
        entry = found.get((unit.pk, period.pk))
        if entry is None:
            return Figure()
        state, by_row = entry
        return Figure(by_row.get(row_code, Decimal(0)), state)

    labels = {r.code: f"{r.code}. {r.label}" for r in selection.version.rows.all()}
    if selection.layout == Layout.INDICATORS_UNITS:
        period = periods[0] if periods else None
        table = Pivot(str(_("Chỉ tiêu")), [u.code for u in selection.units], [u.name for u in selection.units])
        for code in row_codes:
            cells = [figure(u, period, code) if period else Figure() for u in selection.units]
            table.rows.append(PivotRow(code, labels.get(code, code), cells))
        return table
    table = Pivot(str(_("Đơn vị")), [p.code for p in periods], [p.name for p in periods])
    code = row_codes[0] if row_codes else ""
    for unit in selection.units:
        table.rows.append(PivotRow(unit.code, unit.name, [figure(unit, p, code) for p in periods], unit))
    return table


# --- charts and the map ------------------------------------------------------------------

MAX_SERIES = 15
MAX_CATEGORIES = 60


def _plain(f: Figure) -> float | None:
    return float(f.value) if f.value is not None else None


def chart_data(selection: Selection, table: Pivot) -> dict[str, object]:
    """Categories and series for ECharts (bar or line), from the pivot itself."""
    if selection.layout == Layout.INDICATORS_UNITS:
        categories = table.column_labels[:MAX_CATEGORIES]
        series = [
            {"name": row.label, "data": [_plain(c) for c in row.cells[:MAX_CATEGORIES]]}
            for row in table.rows[:MAX_SERIES]
        ]
    else:
        categories = table.column_labels
        series = [{"name": row.label, "data": [_plain(c) for c in row.cells]} for row in table.rows[:MAX_SERIES]]
    return {
        "categories": categories,
        "series": series,
        "truncated": len(table.rows) > MAX_SERIES or len(table.column_labels) > len(categories),
        "kind": "line" if selection.layout == Layout.UNITS_PERIODS and len(categories) > 1 else "bar",
    }


def map_data(selection: Selection, table: Pivot) -> dict[str, object]:
    """Dots on longitude/latitude for the units that have coordinates, coloured by one figure.

    Units × periods: the latest period shown; indicators × units: the first indicator.
    """
    points = []
    if selection.layout == Layout.INDICATORS_UNITS:
        pairs = list(zip(selection.units, table.rows[0].cells, strict=True)) if table.rows else []
        caption = table.rows[0].label if table.rows else ""
    else:
        pairs = [(row.unit, row.cells[-1]) for row in table.rows if row.unit is not None and row.cells]
        caption = table.column_labels[-1] if table.column_labels else ""
    for unit, cell in pairs:
        if unit is None or unit.latitude is None or unit.longitude is None or cell.value is None:
            continue
        points.append(
            {
                "name": unit.name,
                "value": [float(unit.longitude), float(unit.latitude), float(cell.value)],
                "provisional": cell.provisional,
            }
        )
    return {
        "caption": caption,
        "points": points,
        "labels": {"lon": str(_("Kinh độ")), "lat": str(_("Vĩ độ")), "provisional": str(_("tạm thời"))},
    }
