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


def consolidated(report: Report) -> Figures:
    figures = own_values(report)
    for cell, number in child_totals(report).items():
        mine = figures.get(cell)
        figures[cell] = (mine if isinstance(mine, Decimal) else Decimal(0)) + number
    return figures


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
        parent = Report.objects.select_for_update().select_related("unit").get(pk=parent.pk)
        _apply(parent, delta)
        updated.append(parent)
        if parent.state != ReportState.RECEIVED:
            break
        parent = parent_report(parent)
    return updated


def _apply(report: Report, delta: dict[Cell, Decimal]) -> None:
    existing = {
        (t.row_id, t.column_id): t for t in ChildTotal.objects.filter(report=report, row_id__in={c[0] for c in delta})
    }
    changed, new = [], []
    for cell, number in delta.items():
        total = existing.get(cell)
        if total is None:
            new.append(ChildTotal(report=report, row_id=cell[0], column_id=cell[1], number=number))
        else:
            total.number += number
            changed.append(total)
    ChildTotal.objects.bulk_update(changed, ["number"], batch_size=1000)
    ChildTotal.objects.bulk_create(new, batch_size=1000)


RECOMPUTE_LEVEL = """
INSERT INTO stats_childtotal (report_id, row_id, column_id, number)
SELECT parent_id, row_id, column_id, SUM(number) FROM (
    SELECT pr.id AS parent_id, v.row_id AS row_id, v.column_id AS column_id, SUM(v.number) AS number
    FROM stats_report cr
    JOIN orgs_orgunit cu ON cu.id = cr.unit_id
    JOIN stats_report pr ON pr.unit_id = cu.parent_id AND pr.period_id = cr.period_id
        AND pr.form_version_id = cr.form_version_id
    JOIN stats_value v ON v.report_id = cr.id
    JOIN stats_column col ON col.id = v.column_id
    WHERE cr.period_id = %(period)s AND cr.state = 'received' AND cu.depth = %(depth)s
        AND col.rolls_up AND v.number IS NOT NULL
    GROUP BY pr.id, v.row_id, v.column_id
    UNION ALL
    SELECT pr.id, t.row_id, t.column_id, SUM(t.number)
    FROM stats_report cr
    JOIN orgs_orgunit cu ON cu.id = cr.unit_id
    JOIN stats_report pr ON pr.unit_id = cu.parent_id AND pr.period_id = cr.period_id
        AND pr.form_version_id = cr.form_version_id
    JOIN stats_childtotal t ON t.report_id = cr.id
    WHERE cr.period_id = %(period)s AND cr.state = 'received' AND cu.depth = %(depth)s
    GROUP BY pr.id, t.row_id, t.column_id
) AS parts
GROUP BY parent_id, row_id, column_id
"""


@transaction.atomic
def recompute_period(period: ReportingPeriod) -> int:
    """Rebuild every consolidated figure of the period from the values, deepest level first."""
    ChildTotal.objects.filter(report__period=period).delete()
    depths = sorted(set(Report.objects.filter(period=period).values_list("unit__depth", flat=True)), reverse=True)
    with connection.cursor() as cursor:
        for depth in depths:
            if depth == 0:
                continue
            cursor.execute(RECOMPUTE_LEVEL, {"period": period.pk, "depth": depth})
    return ChildTotal.objects.filter(report__period=period).count()
