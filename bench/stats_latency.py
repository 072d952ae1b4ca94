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

Checked: Hà Nội's totals equal a plain SUM of the values of its received
communes, cell by cell; the saved report holds the last values sent and its
computed totals.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from common import fmt_timings, load_average, report, say, scratch_database, seconds, summary
from stats_data import (
    SAVE_SHAPE,
    analyze,
    parser,
    person,
    run_conditions,
    save_form_period,
    save_value,
    set_states,
    upsert_values_sql,
)


def main() -> None:
    args = _arguments()
    vendor = scratch_database("stats_latency")

    from django.db import connection, transaction

    from kiemtra.accounts import policies
    from kiemtra.accounts.choices import Role
    from kiemtra.orgs.models import OrgUnit
    from kiemtra.stats.choices import ReportState
    from kiemtra.stats.grid import Grid
    from kiemtra.stats.models import ChildTotal, Report, ReportSnapshot, Value
    from kiemtra.stats.services import reports, rollup

    built = save_form_period(args.forms, fill_all=args.all)
    period, versions, save_version = built.period, built.versions, built.save_version
    hanoi, hcmc, values, setup = built.hanoi, built.hcmc, built.values, built.setup
    communes = list(OrgUnit.objects.filter(parent=hanoi).order_by("code"))
    set_states(period, ReportState.SUBMITTED, ["commune"], [c.pk for c in communes])
    Report.objects.filter(period=period, form_version=save_version).update(state=ReportState.DRAFT)
    # The walk-up case: a Hồ Chí Minh City commune report counted in a province report already received.
    set_states(period, ReportState.RECEIVED, ["provincial"], [hcmc.pk])
    start = time.perf_counter()
    analyze()
    setup["analyze"] = time.perf_counter() - start
    say(
        args.json,
        f"set-up: {values:,} values, {Report.objects.filter(period=period).count():,} reports, {fmt_timings(setup)}",
    )

    # --- (a) receive -----------------------------------------------------------------------
    receiver = person("bench.hn.thongke", hanoi, Role.STATISTICIAN)
    submitted = list(
        Report.objects.filter(period=period, unit__in=communes, form_version__in=versions)
        .select_related("unit")
        .order_by("form_version_id", "unit__code")
    )
    lanes = ["current", "raw"]
    needed = len(lanes) * (args.samples + 1)
    if len(submitted) < needed:
        raise SystemExit(f"{len(submitted)} submitted reports, {needed} needed: lower --samples or raise --forms")
    pool = {lane: submitted[k : needed : len(lanes)] for k, lane in enumerate(lanes)}
    parent_of = {
        (r.unit_id, r.form_version_id): r.pk
        for r in Report.objects.filter(period=period, unit__in=[hanoi, hcmc], form_version__in=versions)
    }

    ancestors: Counter[int] = Counter()  # how many ancestor reports each include() updated
    include = rollup.include

    def counting_include(*a: Any, **kw: Any) -> list[Report]:  # observes, changes nothing
        updated = include(*a, **kw)
        ancestors[len(updated)] += 1
        return updated

    setattr(rollup, "include", counting_include)  # noqa: B010

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

    operation: dict[str, Callable[[Report], Any]] = {"current": receive, "raw": raw_receive}
    for lane in lanes:
        operation[lane](pool[lane][0])  # warm-up
    receive_samples: dict[str, list[float]] = {lane: [] for lane in lanes}
    ancestors.clear()
    for i in range(1, args.samples + 1):
        for lane in lanes:  # interleaved: the same load for every lane
            receive_samples[lane].append(seconds(operation[lane], pool[lane][i]))
    receive_ancestors = dict(ancestors)

    # include() alone, walking up two levels (commune → received province → Centre).
    chain_reports = list(
        Report.objects.filter(period=period, unit__parent=hcmc, form_version__in=versions)
        .select_related("unit")
        .order_by("form_version_id", "unit__code")[: args.samples + 1]
    )
    Report.objects.filter(pk__in=[r.pk for r in chain_reports]).update(state=ReportState.RECEIVED)
    figures_of = {r.pk: rollup.encode(rollup.own_values(r)) for r in chain_reports}
    first = chain_reports[0]
    counting_include(first, figures_of[first.pk], +1)  # warm-up
    ancestors.clear()
    chain_samples = [seconds(counting_include, r, figures_of[r.pk], +1) for r in chain_reports[1:]]
    chain_ancestors = dict(ancestors)
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
        return save_value(position, cell, i)

    revision = save_report.revision
    results: list[Any] = []

    def save(i: int) -> None:
        nonlocal revision
        policies.forget(statistician)
        changes: dict[tuple[int, int], object] = {cell: str(value(cell, i)) for cell in inputs}
        result = reports.save_values(statistician, save_report, changes, expected_revision=revision)
        revision = result.report.revision
        results.append(result)

    upsert_values = upsert_values_sql(len(inputs))

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
        save_samples.append(seconds(save, i))
        raw_save_samples.append(seconds(raw_save, i))
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
        "receive_ancestor_reports_updated": receive_ancestors,
        "baseline_raw_receive": raw_receive_figures,
        "baseline_raw_receive_is": "UPDATE stats_report SET state + INSERT INTO stats_childtotal SELECT child's values "
        "ON CONFLICT DO UPDATE SET number = number + excluded.number, one transaction",
        "receive_p95_ratio": round(receive_figures["p95_ms"] / raw_receive_figures["p95_ms"], 1),
        "include_two_levels": summary(chain_samples),
        "include_two_levels_ancestors_updated": chain_ancestors,
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
        **run_conditions(setup, load_average=load_average()),
    }
    report(figures, args.json)


def _arguments() -> Any:
    p = parser(__doc__ or "")
    p.add_argument("--samples", type=int, default=200, help="timed calls of each operation (and of each baseline)")
    p.add_argument("--forms", type=int, default=20, help="150-cell forms (reports to receive: communes × forms)")
    p.add_argument("--all", action="store_true", help="fill every unit's reports (≈ 10 million values) too")
    args = p.parse_args()
    args.samples = max(args.samples, 1)
    return args


if __name__ == "__main__":
    main()
