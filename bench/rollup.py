"""Recompute every consolidated value of a period from scratch, against one hand-written GROUP BY.

.venv/bin/python bench/rollup.py --scale 0.05            # SQLite, 1 form: a quick check
DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiemtra .venv/bin/python bench/rollup.py

Data (set-up, not measured): the national tree; ``20 × scale`` forms of
15 rows × 10 columns (150 integer cells that roll up) filed by the Centre,
every provincial-level and every commune commission; one period opened by a
system admin through ``open_period``; every input cell of every report filled
(PostgreSQL ``COPY``); commune and provincial reports ``received``, the
Centre's a draft; ``VACUUM ANALYZE``.

Measured: ``rollup.recompute_period(period)`` (delete the period's
``ChildTotal`` rows, then one ``INSERT … SELECT … GROUP BY`` per tree level,
deepest first), best of ``--runs``.

Baseline, in the same run and alternating with it: one hand-written
``CREATE TEMP TABLE … AS SELECT parent, form version, row, column, SUM(number)
… GROUP BY`` over the same values (every value of a received report of the
period, joined to its report and unit) — the values rolled up one level,
materialised, so both sides write their result.

With ``--experiment`` it also times ``PROPOSED_LEVEL`` (below) monkeypatched
into ``rollup.RECOMPUTE_LEVEL`` — and, on PostgreSQL, the same with the
session's ``work_mem`` at 64MB — in rotation with the current SQL, and checks
each result the same way: experiments for a change to rollup.py, reported
separately under ``experiment_*``; ``ratio`` is always the current code's.

Checked: the provinces' ``ChildTotal`` rows equal the baseline's rows for
them, cell by cell; the Centre's consolidated figures (own + totals, read with
``rollup.consolidated``) equal a plain SUM over every value of every received
report of the period plus the Centre's own values, for every cell.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from common import report, scratch_database, seconds
from stats_data import (
    Shape,
    analyze,
    database_settings,
    load_values,
    make_versions,
    open_period,
    parser,
    set_states,
    system_admin,
)

BASELINE = """
CREATE TEMP TABLE bench_rollup AS
SELECT u.parent_id AS parent_id, r.form_version_id AS form_version_id, v.row_id AS row_id,
       v.column_id AS column_id, SUM(v.number) AS number
FROM stats_value v
JOIN stats_report r ON r.id = v.report_id
JOIN orgs_orgunit u ON u.id = r.unit_id
WHERE r.period_id = %(period)s AND r.state = 'received' AND v.number IS NOT NULL
GROUP BY u.parent_id, r.form_version_id, v.row_id, v.column_id
"""


# EXPERIMENT (--experiment), not the project's code: a proposed RECOMPUTE_LEVEL for rollup.py.
# Aggregate first — per (parent unit, row, column) over the children's values and totals — and only
# then join the ~100 k groups to the parent's report and the rolling columns, instead of joining
# every one of the 10 million values to the parent report and the column table and grouping by the
# parent *report* (whose group count the planner overestimates ×10, so it sorts the 10 M joined rows
# on disk, 380 MB, instead of hashing). A row belongs to one form version, so (parent, row, column)
# is the same grouping as (parent report, row, column). Same result, checked cell by cell below.
PROPOSED_LEVEL = """
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


class StatementTimer:
    """A Django execute wrapper: how long each statement of the recompute took."""

    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            label = " ".join(sql.split()[:2])
            if isinstance(params, dict) and "depth" in params:
                label = f"level depth={params['depth']}"
            self.timings.append((label, round(time.perf_counter() - start, 3)))


def main() -> None:
    args = _arguments()
    vendor = scratch_database("rollup")

    from django.db import connection

    from kiemtra.orgs.loader import load_national_tree
    from kiemtra.orgs.models import OrgUnit
    from kiemtra.stats.choices import ReportState
    from kiemtra.stats.models import ChildTotal, Report
    from kiemtra.stats.services import rollup

    forms = max(1, round(20 * args.scale))
    shape = Shape(rows=args.rows, columns=args.columns)
    setup: dict[str, float] = {}
    start = time.perf_counter()
    load_national_tree()
    setup["tree"] = time.perf_counter() - start
    start = time.perf_counter()
    versions = make_versions(forms, shape)
    period = open_period(system_admin(), versions)
    setup["forms_and_period"] = time.perf_counter() - start
    start = time.perf_counter()
    values = load_values(period)
    setup["values_copy"] = time.perf_counter() - start
    start = time.perf_counter()
    received = set_states(period, ReportState.RECEIVED, ["provincial", "commune"])
    analyze()
    setup["states_analyze"] = time.perf_counter() - start
    _say(args, f"set-up: {values:,} values in {Report.objects.filter(period=period).count():,} reports, " + _fmt(setup))
    _say(args, "baseline: " + " ".join(BASELINE.split()))

    def baseline() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_rollup")
            cursor.execute(BASELINE, {"period": period.pk})

    def recompute() -> int:
        return rollup.recompute_period(period)

    if args.explain and vendor == "postgresql":
        _explain(period.pk, "current RECOMPUTE_LEVEL", rollup.RECOMPUTE_LEVEL, with_baseline=True)
        if args.experiment:
            _explain(period.pk, "EXPERIMENT: PROPOSED_LEVEL", PROPOSED_LEVEL, with_baseline=False)

    current_sql = rollup.RECOMPUTE_LEVEL
    # name -> (level SQL, session setting for the run); every name but "current" is an EXPERIMENT.
    variants: dict[str, tuple[str, str]] = {"current": (current_sql, "")}
    if args.experiment:
        variants["proposed"] = (PROPOSED_LEVEL, "")
        if vendor == "postgresql":
            variants["proposed_work_mem_64MB"] = (PROPOSED_LEVEL, "SET work_mem = '64MB'")
    baseline_runs: list[float] = []
    runs: dict[str, list[float]] = {name: [] for name in variants}
    statements: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    verified: dict[str, str] = {}
    totals = 0
    load_before = os.getloadavg()
    for i in range(args.runs):
        baseline_runs.append(seconds(baseline))
        line = [f"run {i + 1}: baseline {baseline_runs[-1]:.3f} s"]
        details = []
        names = list(variants)
        order = names[i % len(names) :] + names[: i % len(names)]  # rotate: no variant always runs first
        for name in order:
            sql, setting = variants[name]
            rollup.RECOMPUTE_LEVEL = sql
            try:
                if setting:
                    with connection.cursor() as cursor:
                        cursor.execute(setting)
                timer = StatementTimer()
                with connection.execute_wrapper(timer):
                    start = time.perf_counter()
                    totals = recompute()
                    elapsed = time.perf_counter() - start
            finally:
                rollup.RECOMPUTE_LEVEL = current_sql
                if setting:
                    with connection.cursor() as cursor:
                        cursor.execute("RESET " + setting.split()[1])
            runs[name].append(elapsed)
            timer.timings.append(("COMMIT (deferred FK checks) and Python", elapsed - sum(t for _, t in timer.timings)))
            statements[name].append({label: round(t, 3) for label, t in timer.timings})
            line.append(f"{name} {elapsed:.3f} s")
            details.append(f"    {name}: " + ", ".join(f"{label} {t:.3f} s" for label, t in timer.timings))
            if name not in verified:
                verified[name] = _verify(period)
        _say(args, ", ".join(line))
        for text in details:
            _say(args, text)
    load_after = os.getloadavg()

    def best(name: str) -> float:
        return min(runs[name])

    def best_statements(name: str) -> dict[str, float]:
        return statements[name][runs[name].index(best(name))]

    figures: dict[str, Any] = {
        "benchmark": "rollup",
        "database": vendor,
        "units": OrgUnit.objects.count(),
        "reports": Report.objects.filter(period=period).count(),
        "received_reports": received,
        "forms": forms,
        "cells_per_form": shape.cells,
        "values": values,
        "child_totals": totals,
        "rollup_seconds": round(best("current"), 3),
        "rollup_runs": [round(t, 3) for t in runs["current"]],
        "rollup_statements_best_run": best_statements("current"),
        "baseline_seconds": round(min(baseline_runs), 3),
        "baseline_runs": [round(t, 3) for t in baseline_runs],
        "baseline": "CREATE TEMP TABLE AS SELECT parent, form version, row, column, SUM(number) FROM value ⋈ report "
        "⋈ unit WHERE period, state='received' GROUP BY parent, form version, row, column",
        "ratio": round(best("current") / min(baseline_runs), 2),
        "verified": verified["current"],
        "load_average_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "setup_seconds": {k: round(v, 1) for k, v in setup.items()},
        "settings": database_settings(),
    }
    for name, (_, setting) in variants.items():
        if name == "current":
            continue
        figures[f"experiment_{name}"] = {
            "what": "EXPERIMENT: rollup.RECOMPUTE_LEVEL monkeypatched with bench/rollup.py PROPOSED_LEVEL"
            + (f", session {setting}" if setting else ""),
            "rollup_seconds": round(best(name), 3),
            "rollup_runs": [round(t, 3) for t in runs[name]],
            "rollup_statements_best_run": best_statements(name),
            "ratio": round(best(name) / min(baseline_runs), 2),
            "speedup_vs_current": round(best("current") / best(name), 2),
            "verified": verified[name],
        }
    assert totals == ChildTotal.objects.filter(report__period=period).count()
    report(figures, args.json)


def _verify(period: Any) -> str:
    """Provinces: totals == baseline rows. Centre: consolidated == plain SUM of received values + own."""
    from django.db import connection

    from kiemtra.orgs.models import OrgUnit
    from kiemtra.stats.models import ChildTotal, Report
    from kiemtra.stats.services import rollup

    provinces = set(OrgUnit.objects.filter(kind="provincial").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT parent_id, form_version_id, row_id, column_id, number FROM bench_rollup")
        expected = {(p, v, r, c): Decimal(n) for p, v, r, c, n in cursor.fetchall() if p in provinces}
    got = {
        (u, v, r, c): Decimal(n)
        for u, v, r, c, n in ChildTotal.objects.filter(
            report__period=period, report__unit__kind="provincial"
        ).values_list("report__unit_id", "report__form_version_id", "row_id", "column_id", "number")
    }
    differ = len(set(got.items()) ^ set(expected.items()))
    assert got == expected, f"provincial totals differ from the baseline in {differ} cells"

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.form_version_id, v.row_id, v.column_id, SUM(v.number) FROM stats_value v "
            "JOIN stats_report r ON r.id = v.report_id JOIN orgs_orgunit u ON u.id = r.unit_id "
            "WHERE r.period_id = %s AND (r.state = 'received' OR u.parent_id IS NULL) AND v.number IS NOT NULL "
            "GROUP BY r.form_version_id, v.row_id, v.column_id",
            [period.pk],
        )
        plain = {(v, r, c): Decimal(n) for v, r, c, n in cursor.fetchall()}
    centre = Report.objects.filter(period=period, unit__parent__isnull=True)
    cells = 0
    for centre_report in centre:
        for (r, c), number in rollup.consolidated(centre_report).items():
            assert number == plain[(centre_report.form_version_id, r, c)], (centre_report, r, c)
            cells += 1
    assert cells == len(plain), (cells, len(plain))
    return (
        f"{len(got):,} provincial totals == baseline; {cells:,} Centre consolidated cells "
        "== plain SUM of received values + Centre's own"
    )


def _explain(period_id: int, label: str, level_sql: str, *, with_baseline: bool) -> None:
    """EXPLAIN ANALYZE of each level (and of the baseline), rolled back (PostgreSQL only)."""
    from django.db import connection, transaction

    from kiemtra.orgs.models import OrgUnit

    depths = sorted(set(OrgUnit.objects.values_list("depth", flat=True)) - {0}, reverse=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM stats_childtotal WHERE report_id IN (SELECT id FROM stats_report WHERE period_id = %s)",
            [period_id],
        )
        for depth in depths:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + level_sql, {"period": period_id, "depth": depth})
            print(f"--- EXPLAIN ANALYZE {label}, level depth={depth}")
            print("\n".join(row[0] for row in cursor.fetchall()))
        if with_baseline:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + BASELINE, {"period": period_id})
            print("--- EXPLAIN ANALYZE baseline")
            print("\n".join(row[0] for row in cursor.fetchall()))
        transaction.set_rollback(True)


def _arguments() -> Any:
    p = parser(__doc__ or "")
    p.add_argument("--scale", type=float, default=1.0, help="forms = 20 × scale (1.0: ≈ 10 million values)")
    p.add_argument("--rows", type=int, default=15, help="input rows per form")
    p.add_argument("--columns", type=int, default=10, help="input columns per form")
    p.add_argument("--runs", type=int, default=3, help="timed runs of each side (best is reported)")
    p.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each level (PostgreSQL)")
    p.add_argument(
        "--experiment", action="store_true", help="also time PROPOSED_LEVEL (monkeypatched), alternating with the rest"
    )
    args = p.parse_args()
    args.runs = max(args.runs, 1)
    return args


def _say(args: Any, text: str) -> None:
    if not args.json:
        print(text, flush=True)


def _fmt(timings: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())


if __name__ == "__main__":
    main()
