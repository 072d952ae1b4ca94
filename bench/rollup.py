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

With ``--explain`` (PostgreSQL) it first prints ``EXPLAIN ANALYZE`` of each
level of ``rollup.RECOMPUTE_LEVEL`` and of the baseline, rolled back.

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

from common import fmt_timings, report, say, scratch_database, seconds
from stats_data import (
    Shape,
    analyze,
    load_values,
    make_versions,
    open_period,
    parser,
    run_conditions,
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
    say(
        args.json,
        f"set-up: {values:,} values in {Report.objects.filter(period=period).count():,} reports, " + fmt_timings(setup),
    )
    say(args.json, "baseline: " + " ".join(BASELINE.split()))

    def baseline() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_rollup")
            cursor.execute(BASELINE, {"period": period.pk})

    if args.explain and vendor == "postgresql":
        _explain(period.pk, "current RECOMPUTE_LEVEL", rollup.RECOMPUTE_LEVEL)

    baseline_runs: list[float] = []
    runs: list[float] = []
    statements: list[dict[str, float]] = []
    verified = ""
    totals = 0
    load_before = os.getloadavg()
    for i in range(args.runs):
        baseline_runs.append(seconds(baseline))
        timer = StatementTimer()
        with connection.execute_wrapper(timer):
            start = time.perf_counter()
            totals = rollup.recompute_period(period)
            elapsed = time.perf_counter() - start
        runs.append(elapsed)
        timer.timings.append(("COMMIT (deferred FK checks) and Python", elapsed - sum(t for _, t in timer.timings)))
        statements.append({label: round(t, 3) for label, t in timer.timings})
        if not verified:
            verified = _verify(period)
        say(args.json, f"run {i + 1}: baseline {baseline_runs[-1]:.3f} s, current {elapsed:.3f} s")
        say(args.json, "    current: " + ", ".join(f"{label} {t:.3f} s" for label, t in timer.timings))
    load_after = os.getloadavg()
    best = min(runs)

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
        "rollup_seconds": round(best, 3),
        "rollup_runs": [round(t, 3) for t in runs],
        "rollup_statements_best_run": statements[runs.index(best)],
        "baseline_seconds": round(min(baseline_runs), 3),
        "baseline_runs": [round(t, 3) for t in baseline_runs],
        "baseline": "CREATE TEMP TABLE AS SELECT parent, form version, row, column, SUM(number) FROM value ⋈ report "
        "⋈ unit WHERE period, state='received' GROUP BY parent, form version, row, column",
        "ratio": round(best / min(baseline_runs), 2),
        "verified": verified,
        **run_conditions(setup, load_average_before_after=[round(load_before[0], 2), round(load_after[0], 2)]),
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


def _explain(period_id: int, label: str, level_sql: str) -> None:
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
    args = p.parse_args()
    args.runs = max(args.runs, 1)
    return args


if __name__ == "__main__":
    main()
