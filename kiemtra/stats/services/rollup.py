"""Exact, live roll-up: consolidated = own + Σ consolidated of the received direct subordinates.

Every receive adds the subordinate's figures to the parent's ``ChildTotal``
and every return from above takes the same figures out again, in the same
transaction as the state change: the totals are right the moment a report is
received. ``recompute_period`` rebuilds everything from scratch with a few
``INSERT … SELECT … GROUP BY`` statements (repair, and the benchmark).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction

from ..choices import ReportState
from ..grid import Cell
from ..models import ChildTotal, Column, Report, ReportingPeriod, ReportSnapshot, Value

Figures = dict[Cell, Decimal | str]


def key(cell: Cell) -> str:
    return f"{cell[0]}:{cell[1]}"


def unkey(text: str) -> Cell:
    row, column = text.split(":")
    return int(row), int(column)


def own_values(report: Report) -> Figures:
    return {
        (row, column): number if number is not None else text
        for row, column, number, text in Value.objects.filter(report=report).values_list(
            "row_id", "column_id", "number", "text"
        )
    }


def child_totals(report: Report) -> dict[Cell, Decimal]:
    return {
        (row, column): number
        for row, column, number in ChildTotal.objects.filter(report=report).values_list("row_id", "column_id", "number")
    }


def plus_children(own: Figures, report: Report) -> Figures:
    """``own`` figures plus the totals of the received direct subordinates: the consolidated figures."""
    figures = dict(own)
    for cell, number in child_totals(report).items():
        mine = figures.get(cell)
        figures[cell] = (mine if isinstance(mine, Decimal) else Decimal(0)) + number
    return figures


def consolidated(report: Report) -> Figures:
    return plus_children(own_values(report), report)


def text(value: Decimal | str) -> str:
    """One spelling per number whatever the database returns ("5", not "5.0000")."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    return value


def encode(figures: Figures) -> dict[str, str]:
    return {key(cell): text(value) for cell, value in figures.items()}


def snapshot(report: Report, kind: str) -> ReportSnapshot:
    return ReportSnapshot.objects.create(
        report=report,
        kind=kind,
        edition=report.edition,
        revision=report.revision,
        own=encode(own_values(report)),
        consolidated=encode(consolidated(report)),
    )


def parent_report(report: Report) -> Report | None:
    if report.unit.parent_id is None:
        return None
    return (
        Report.objects.select_related("unit")
        .filter(unit_id=report.unit.parent_id, period_id=report.period_id, form_version_id=report.form_version_id)
        .first()
    )


def rolling_columns(report: Report) -> set[int]:
    return set(Column.objects.filter(version_id=report.form_version_id, rolls_up=True).values_list("pk", flat=True))


def _numbers(figures: dict[str, str], columns: set[int]) -> dict[Cell, Decimal]:
    result = {}
    for text_key, value in figures.items():
        cell = unkey(text_key)
        if cell[1] in columns:
            try:
                result[cell] = Decimal(value)
            except ArithmeticError:
                continue  # a text cell
    return result


@transaction.atomic
def include(child: Report, figures: dict[str, str], sign: int) -> list[Report]:
    """Add (sign=1) or take out (sign=-1) a subordinate's figures; returns the reports updated.

    Walks up while the report just updated has itself been received above, so
    every ancestor that already counts it stays exact.
    """
    updated: list[Report] = []
    delta = {cell: sign * number for cell, number in _numbers(figures, rolling_columns(child)).items()}
    parent = parent_report(child)
    while parent is not None and delta:
        parent = Report.objects.select_for_update(of=("self",)).select_related("unit").get(pk=parent.pk)
        _apply(parent, delta)
        updated.append(parent)
        if parent.state != ReportState.RECEIVED:
            break
        parent = parent_report(parent)
    return updated


def _apply(report: Report, delta: dict[Cell, Decimal]) -> None:
    """Add ``delta`` to the report's totals: one read, one upsert (the report row is locked by the caller)."""
    existing = dict(
        ((row, column), number)
        for row, column, number in ChildTotal.objects.filter(
            report=report, row_id__in={cell[0] for cell in delta}
        ).values_list("row_id", "column_id", "number")
    )
    ChildTotal.objects.bulk_create(
        [
            ChildTotal(report=report, row_id=row, column_id=column, number=existing.get((row, column), 0) + number)
            for (row, column), number in delta.items()
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["report", "row", "column"],
        update_fields=["number"],
    )


# Aggregate first (about 100,000 groups from 10 million values), then join the groups to
# their parent reports: the planner hashes instead of sorting every joined row (bench/rollup.py).
# A row belongs to one form version, so (parent unit, row, column) identifies the parent report's cell.
RECOMPUTE_LEVEL = """
INSERT INTO stats_childtotal (report_id, row_id, column_id, number)
SELECT pr.id, agg.row_id, agg.column_id, agg.number
FROM (
    SELECT parent_id, row_id, column_id, SUM(number) AS number FROM (
        SELECT cu.parent_id AS parent_id, v.row_id AS row_id, v.column_id AS column_id, v.number AS number
        FROM stats_report cr
        JOIN orgs_orgunit cu ON cu.id = cr.unit_id
        JOIN stats_value v ON v.report_id = cr.id
        WHERE cr.period_id = %(period)s AND cr.state = 'received' AND cu.depth = %(depth)s
            AND v.number IS NOT NULL
        UNION ALL
        SELECT cu.parent_id, t.row_id, t.column_id, t.number
        FROM stats_report cr
        JOIN orgs_orgunit cu ON cu.id = cr.unit_id
        JOIN stats_childtotal t ON t.report_id = cr.id
        WHERE cr.period_id = %(period)s AND cr.state = 'received' AND cu.depth = %(depth)s
    ) AS parts
    GROUP BY parent_id, row_id, column_id
) AS agg
JOIN stats_column col ON col.id = agg.column_id AND col.rolls_up
JOIN stats_row rw ON rw.id = agg.row_id
JOIN stats_report pr ON pr.unit_id = agg.parent_id AND pr.period_id = %(period)s
    AND pr.form_version_id = rw.version_id
"""


@transaction.atomic
def recompute_period(period: ReportingPeriod) -> int:
    """Rebuild every consolidated figure of the period from the values, deepest level first."""
    ChildTotal.objects.filter(report__period=period).delete()
    depths = sorted(set(Report.objects.filter(period=period).values_list("unit__depth", flat=True)), reverse=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The default 4 MB spills the aggregate of a national period to disk (bench/rollup.py).
            cursor.execute("SET LOCAL work_mem = '64MB'")
        for depth in depths:
            if depth == 0:
                continue
            cursor.execute(RECOMPUTE_LEVEL, {"period": period.pk, "depth": depth})
    return ChildTotal.objects.filter(report__period=period).count()
