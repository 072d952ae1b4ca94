"""Latency of receiving a commune's report (live roll-up) and of saving a 300-cell form with validation.

.venv/bin/python bench/stats_latency.py --samples 50                # SQLite, a quick check
DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiemtra .venv/bin/python bench/stats_latency.py

Data (set-up, not measured): the national tree; ``--forms`` forms of 15 rows ×
10 columns (150 cells) and one form "L01" of 20 × 15 input cells (300) plus a
total row and a total column by formula and four rules (two in-form, one on
another form, one on the previous period); one period opened through
``open_period`` (a report per unit and form, ~70,000); every input cell of
the reports of Hà Nội and of Hồ Chí Minh City (province + communes) filled
(PostgreSQL ``COPY``); ``--all`` fills every unit (≈ 10 million values).

(a) ``services.reports.receive_report`` of ``--samples`` Hà Nội commune reports
(150 values each, ``submitted``), each by the provincial statistician as a new
request (policy caches dropped): state change, audit record, snapshot,
``rollup.include`` into the parent's totals. Every receive is followed by how
many ancestor reports ``include`` updated: 1 — receiving is refused once the
upper report has been sent, so the walk up always stops at the parent.
Baseline, alternating with it on other reports of the same communes: one
transaction of a raw ``UPDATE stats_report SET state`` and one
``INSERT … SELECT … ON CONFLICT DO UPDATE`` adding the child's values to the
parent's totals.
Extra: ``rollup.include`` alone where the walk goes up two levels (a Hồ Chí
Minh City commune whose province report is set ``received`` directly, as after
a correction), to show the cost per ancestor.

(b) ``services.reports.save_values`` of the 300 input cells of a commune's L01
report, every cell changed each time, by the commune's statistician: parse,
compute the 36 total cells, upsert, audit (before/after of every changed cell),
validate the four rules. Baseline, alternating with it on another commune's
report: one ``INSERT … VALUES (300 rows) ON CONFLICT DO UPDATE`` in a
transaction.

With ``--experiment``, receives (and the two-level ``include``) are also timed
with ``proposed_apply`` (below) monkeypatched into ``rollup._apply``,
interleaved with the current code on other reports of the same communes:
an experiment for a change to rollup.py, reported under
``experiment_proposed_apply``; the main figures are always the current code's.

Checked: Hà Nội's totals equal a plain SUM of the values of its received
communes, cell by cell; the saved report holds the last values sent and its
computed totals.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from common import report, scratch_database
from stats_data import (
    Shape,
    analyze,
    database_settings,
    load_values,
    make_versions,
    open_period,
    parser,
    person,
    set_states,
    system_admin,
)

HANOI, HCMC = "T01", "T79"
SAVE_SHAPE = Shape(
    rows=20,
    columns=15,
    total_row=True,
    total_column=True,
    rules=(
        ("R2_C1 <= R1_C1", "blocking"),
        ("R21_C16 >= R1_C16", "blocking"),
        ("FB01_R1_C1 <= R1_C1", "blocking"),
        ("PREV(R1_C1) * 100 >= R1_C1", "warning"),
    ),
)


def proposed_apply(report: Any, delta: dict[tuple[int, int], Decimal]) -> None:
    """EXPERIMENT, not the project's code: a proposed ``rollup._apply``.

    The current one reads the parent's totals, then ``bulk_update``s the existing ones (one
    ``UPDATE … CASE WHEN id = … THEN …`` built expression by expression in Python: about half of
    a receive) and ``bulk_create``s the new ones. Here: the same read, then one
    ``INSERT … ON CONFLICT (report, row, column) DO UPDATE SET number = EXCLUDED.number`` of the new
    totals. The parent report is locked ``FOR UPDATE`` by ``include`` first, so nobody else changes
    its totals between the read and the write.
    """
    from kiemtra.stats.models import ChildTotal

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


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(s * 1000 for s in samples)
    return {
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
        "max_ms": round(ordered[-1], 3),
    }


def timed(func: Callable[..., Any], *args: Any) -> float:
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start


def main() -> None:
    args = _arguments()
    vendor = scratch_database("stats_latency")

    from django.db import connection, transaction
    from django.db.models import Q

    from kiemtra.accounts import policies
    from kiemtra.accounts.choices import Role
    from kiemtra.orgs.loader import load_national_tree
    from kiemtra.orgs.models import OrgUnit
    from kiemtra.stats.choices import ReportState
    from kiemtra.stats.grid import Grid
    from kiemtra.stats.models import ChildTotal, Report, ReportSnapshot, Value
    from kiemtra.stats.services import reports, rollup

    setup: dict[str, float] = {}
    start = time.perf_counter()
    load_national_tree()
    versions = make_versions(args.forms, Shape(rows=15, columns=10))
    (save_version,) = make_versions(1, SAVE_SHAPE, prefix="L", categories=["commune"])
    period = open_period(system_admin(), [*versions, save_version])
    setup["tree_forms_period"] = time.perf_counter() - start

    hanoi, hcmc = OrgUnit.objects.get(code=HANOI), OrgUnit.objects.get(code=HCMC)
    filled = None if args.all else OrgUnit.objects.filter(Q(pk__in=[hanoi.pk, hcmc.pk]) | Q(parent__in=[hanoi, hcmc]))
    start = time.perf_counter()
    values = load_values(period, None if filled is None else filled.values_list("pk", flat=True))
    setup["values_copy"] = time.perf_counter() - start
    communes = list(OrgUnit.objects.filter(parent=hanoi).order_by("code"))
    set_states(period, ReportState.SUBMITTED, ["commune"], [c.pk for c in communes])
    Report.objects.filter(period=period, form_version=save_version).update(state=ReportState.DRAFT)
    # The walk-up case: a Hồ Chí Minh City commune report counted in a province report already received.
    set_states(period, ReportState.RECEIVED, ["provincial"], [hcmc.pk])
    start = time.perf_counter()
    analyze()
    setup["analyze"] = time.perf_counter() - start
    _say(args, f"set-up: {values:,} values, {Report.objects.filter(period=period).count():,} reports, {_fmt(setup)}")

    # --- (a) receive -----------------------------------------------------------------------
    receiver = person("bench.hn.thongke", hanoi, Role.STATISTICIAN)
    submitted = list(
        Report.objects.filter(period=period, unit__in=communes, form_version__in=versions)
        .select_related("unit")
        .order_by("form_version_id", "unit__code")
    )
    lanes = ["current", "raw", *(["proposed"] if args.experiment else [])]
    needed = len(lanes) * (args.samples + 1)
    if len(submitted) < needed:
        raise SystemExit(f"{len(submitted)} submitted reports, {needed} needed: lower --samples or raise --forms")
    pool = {lane: submitted[k : needed : len(lanes)] for k, lane in enumerate(lanes)}
    parent_of = {
        (r.unit_id, r.form_version_id): r.pk
        for r in Report.objects.filter(period=period, unit__in=[hanoi, hcmc], form_version__in=versions)
    }

    ancestors: dict[str, Counter[int]] = {"current": Counter(), "proposed": Counter()}
    include, apply_current = rollup.include, rollup._apply
    lane_now = "current"

    def counting_include(*a: Any, **kw: Any) -> list[Report]:  # observes, changes nothing
        updated = include(*a, **kw)
        ancestors[lane_now][len(updated)] += 1
        return updated

    setattr(rollup, "include", counting_include)  # noqa: B010

    def with_apply(lane: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func`` with rollup._apply as in ``lane`` (the EXPERIMENT swaps in PROPOSED_APPLY)."""

        def run(*a: Any) -> Any:
            nonlocal lane_now
            lane_now = lane
            setattr(rollup, "_apply", proposed_apply if lane == "proposed" else apply_current)  # noqa: B010
            try:
                return func(*a)
            finally:
                setattr(rollup, "_apply", apply_current)  # noqa: B010

        return run

    def receive(r: Report) -> None:
        policies.forget(receiver)  # a new request: nothing cached
        reports.receive_report(receiver, r)

    upsert_totals = (
        "INSERT INTO stats_childtotal (report_id, row_id, column_id, number) "
        "SELECT %s, v.row_id, v.column_id, v.number FROM stats_value v JOIN stats_column c ON c.id = v.column_id "
        "WHERE v.report_id = %s AND c.rolls_up AND v.number IS NOT NULL "
        "ON CONFLICT (report_id, row_id, column_id) DO UPDATE SET number = stats_childtotal.number + excluded.number"
    )

    def raw_receive(r: Report) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE stats_report SET state = 'received' WHERE id = %s", [r.pk])
            cursor.execute(upsert_totals, [parent_of[(hanoi.pk, r.form_version_id)], r.pk])

    operation: dict[str, Callable[[Report], Any]] = {
        "current": with_apply("current", receive),
        "raw": raw_receive,
        "proposed": with_apply("proposed", receive),
    }
    for lane in lanes:
        operation[lane](pool[lane][0])  # warm-up
    receive_samples: dict[str, list[float]] = {lane: [] for lane in lanes}
    for counter in ancestors.values():
        counter.clear()
    for i in range(1, args.samples + 1):
        for lane in lanes:  # interleaved: the same load for every lane
            receive_samples[lane].append(timed(operation[lane], pool[lane][i]))
    receive_ancestors = {lane: dict(counter) for lane, counter in ancestors.items() if counter}

    # include() alone, walking up two levels (commune → received province → Centre).
    chain_lanes = ["current", *(["proposed"] if args.experiment else [])]
    chain_reports = list(
        Report.objects.filter(period=period, unit__parent=hcmc, form_version__in=versions)
        .select_related("unit")
        .order_by("form_version_id", "unit__code")[: len(chain_lanes) * (args.samples + 1)]
    )
    Report.objects.filter(pk__in=[r.pk for r in chain_reports]).update(state=ReportState.RECEIVED)
    figures_of = {r.pk: rollup.encode(rollup.own_values(r)) for r in chain_reports}
    chain_pool = {lane: chain_reports[k :: len(chain_lanes)] for k, lane in enumerate(chain_lanes)}
    chain_operation = {lane: with_apply(lane, counting_include) for lane in chain_lanes}
    for lane in chain_lanes:
        first = chain_pool[lane][0]
        chain_operation[lane](first, figures_of[first.pk], +1)  # warm-up
    for counter in ancestors.values():
        counter.clear()
    chain_samples: dict[str, list[float]] = {lane: [] for lane in chain_lanes}
    for i in range(1, args.samples + 1):
        for lane in chain_lanes:
            r = chain_pool[lane][i]
            chain_samples[lane].append(timed(chain_operation[lane], r, figures_of[r.pk], +1))
    chain_ancestors = {lane: dict(counter) for lane, counter in ancestors.items() if counter}
    setattr(rollup, "include", include)  # noqa: B010

    # Check: Hà Nội's totals are the plain SUM of its received communes' values, cell by cell.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.form_version_id, v.row_id, v.column_id, SUM(v.number) FROM stats_value v "
            "JOIN stats_report r ON r.id = v.report_id JOIN orgs_orgunit u ON u.id = r.unit_id "
            "WHERE r.period_id = %s AND u.parent_id = %s AND r.state = 'received' AND v.number IS NOT NULL "
            "GROUP BY r.form_version_id, v.row_id, v.column_id",
            [period.pk, hanoi.pk],
        )
        plain = {(f, r, c): Decimal(n) for f, r, c, n in cursor.fetchall()}
    totals = {
        (f, r, c): Decimal(n)
        for f, r, c, n in ChildTotal.objects.filter(report__period=period, report__unit=hanoi).values_list(
            "report__form_version_id", "row_id", "column_id", "number"
        )
    }
    assert totals == plain, "Hà Nội's totals differ from the plain SUM of its received communes"
    received_count = Report.objects.filter(period=period, unit__parent=hanoi, state=ReportState.RECEIVED).count()
    by_service = [r for lane in lanes if lane != "raw" for r in pool[lane]]
    snapshots = ReportSnapshot.objects.filter(report__in=by_service, kind=ReportSnapshot.Kind.RECEIVED).count()
    assert received_count == needed and snapshots == len(by_service), (received_count, snapshots)

    # --- (b) save 300 cells with validation ------------------------------------------------
    commune, other = communes[0], communes[1]
    statistician = person("bench.xa.thongke", commune, Role.STATISTICIAN)
    save_report = Report.objects.select_related("unit").get(period=period, unit=commune, form_version=save_version)
    raw_report = Report.objects.get(period=period, unit=other, form_version=save_version)
    grid = Grid.of(save_version)
    inputs = grid.input_cells()
    assert len(inputs) == SAVE_SHAPE.rows * SAVE_SHAPE.columns
    position = {r.pk: r.position for r in grid.rows} | {c.pk: c.position for c in grid.columns}

    def value(cell: tuple[int, int], i: int) -> int:
        """Row 1 largest, so that the rules hold; every cell different from the previous save."""
        return (SAVE_SHAPE.rows + 1 - position[cell[0]]) * 10 + (i + position[cell[1]]) % 10

    revision = save_report.revision
    results: list[Any] = []

    def save(i: int) -> None:
        nonlocal revision
        policies.forget(statistician)
        changes: dict[tuple[int, int], object] = {cell: str(value(cell, i)) for cell in inputs}
        result = reports.save_values(statistician, save_report, changes, expected_revision=revision)
        revision = result.report.revision
        results.append(result)

    placeholders = ", ".join(["(%s, %s, %s, %s, '')"] * len(inputs))
    upsert_values = (
        f"INSERT INTO stats_value (report_id, row_id, column_id, number, text) VALUES {placeholders} "
        "ON CONFLICT (report_id, row_id, column_id) DO UPDATE SET number = excluded.number, text = excluded.text"
    )

    def raw_save(i: int) -> None:
        params: list[Any] = []
        for cell in inputs:
            params.extend((raw_report.pk, cell[0], cell[1], value(cell, i)))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(upsert_values, params)

    save(0)  # warm-up
    raw_save(0)
    save_samples, raw_save_samples = [], []
    for i in range(1, args.samples + 1):
        save_samples.append(timed(save, i))
        raw_save_samples.append(timed(raw_save, i))
    last = results[-1]
    assert all(r.changed == SAVE_SHAPE.cells for r in results[1:]), {r.changed for r in results}
    problems = sorted({p.rule_code for p in last.problems})
    assert problems == ["V4"], problems  # only the warning on the (missing) previous period
    assert Value.objects.filter(report=save_report).count() == SAVE_SHAPE.cells
    own = rollup.own_values(save_report)
    assert all(own[cell] == value(cell, args.samples) for cell in inputs)
    total = (grid.row_by_code["21"].pk, grid.column_by_code["16"].pk)
    assert own[total] == sum(value(cell, args.samples) for cell in inputs)

    receive_figures, raw_receive_figures = summary(receive_samples["current"]), summary(receive_samples["raw"])
    save_figures, raw_save_figures = summary(save_samples), summary(raw_save_samples)
    figures: dict[str, Any] = {
        "benchmark": "stats_latency",
        "database": vendor,
        "values_in_database": Value.objects.count(),
        "reports_in_period": Report.objects.filter(period=period).count(),
        "samples": args.samples,
        "receive_report": receive_figures,
        "receive_values_per_report": Value.objects.filter(report=pool["current"][1]).count(),
        "receive_ancestor_reports_updated": receive_ancestors["current"],
        "baseline_raw_receive": raw_receive_figures,
        "baseline_raw_receive_is": "UPDATE stats_report SET state + INSERT INTO stats_childtotal SELECT child's values "
        "ON CONFLICT DO UPDATE SET number = number + excluded.number, one transaction",
        "receive_p95_ratio": round(receive_figures["p95_ms"] / raw_receive_figures["p95_ms"], 1),
        "include_two_levels": summary(chain_samples["current"]),
        "include_two_levels_ancestors_updated": chain_ancestors["current"],
        "save_values_300": save_figures,
        "save_cells": {
            "input": len(inputs),
            "computed": SAVE_SHAPE.cells - len(inputs),
            "rules": len(SAVE_SHAPE.rules),
        },
        "baseline_raw_upsert_300": raw_save_figures,
        "baseline_raw_upsert_is": "INSERT INTO stats_value VALUES (300 rows) ON CONFLICT DO UPDATE, one transaction",
        "save_p95_ratio": round(save_figures["p95_ms"] / raw_save_figures["p95_ms"], 1),
        "targets_met": {
            "receive_p95_le_100ms": receive_figures["p95_ms"] <= 100,
            "save_p95_le_150ms": save_figures["p95_ms"] <= 150,
        },
        "load_average": round(os.getloadavg()[0], 2),
        "setup_seconds": {k: round(v, 1) for k, v in setup.items()},
        "settings": database_settings(),
    }
    if args.experiment:
        figures["experiment_proposed_apply"] = {
            "what": "EXPERIMENT: rollup._apply monkeypatched with bench/stats_latency.py proposed_apply, "
            "interleaved with the current code on other reports",
            "receive_report": summary(receive_samples["proposed"]),
            "receive_ancestor_reports_updated": receive_ancestors["proposed"],
            "include_two_levels": summary(chain_samples["proposed"]),
            "include_two_levels_ancestors_updated": chain_ancestors["proposed"],
        }
    report(figures, args.json)


def _arguments() -> Any:
    p = parser(__doc__ or "")
    p.add_argument("--samples", type=int, default=200, help="timed calls of each operation (and of each baseline)")
    p.add_argument("--forms", type=int, default=20, help="150-cell forms (reports to receive: communes × forms)")
    p.add_argument("--all", action="store_true", help="fill every unit's reports (≈ 10 million values) too")
    p.add_argument(
        "--experiment", action="store_true", help="also time receive with proposed_apply (monkeypatched rollup._apply)"
    )
    args = p.parse_args()
    args.samples = max(args.samples, 1)
    return args


def _say(args: Any, text: str) -> None:
    if not args.json:
        print(text, flush=True)


def _fmt(timings: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())


if __name__ == "__main__":
    main()
