"""Latency of importing a filled 300-cell form from its .xlsx: read, check, preview, then apply.

.venv/bin/python bench/excel_import.py --samples 20                 # SQLite, a quick check
DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiemtra .venv/bin/python bench/excel_import.py

The issue's target: importing the .xlsx of a 300-cell form, p95 ≤ 500 ms.

Data (set-up, not measured), as in ``stats_latency.py`` (``stats_data.save_form_period``): the
national tree; ``--forms`` forms of 15 × 10 cells and the form "L01" of 20 × 15 input
cells (300) plus a total row and a total column by formula and four rules
(``stats_data.SAVE_SHAPE``: two in-form, one on form B01, one on the previous period);
one period opened through ``open_period``; every input cell of the reports of Hà Nội and
of Hồ Chí Minh City (province + communes) filled; the L01 reports drafts.

Each sample, on a Hà Nội commune's L01 report, by the commune's statistician:

- not measured: ``excel.export_reports([report], filled=True)`` (the download, carrying
  the report's current revision), then openpyxl types a new value into each of the 300
  input cells — every cell different from the previous sample — and saves the workbook;
- measured: ``excel.parse_upload`` (size and zip checks, ``load_workbook``, signed
  identification, policy, layout, the 300 cells parsed, totals computed, differences
  with the stored figures, the four rules on the would-be figures) and
  ``services.uploads.apply_upload`` (``save_values`` of the 300 cells in one transaction: upsert,
  totals, audit of every changed cell, validation; plus the import's audit record),
  each timed alone, and both together as ``import`` — the user-visible import. The
  confirm request of the web page (``views.excel.upload_apply``) does exactly this,
  parse then apply (the preview request before it is a parse alone); the session and
  file storage of the views are not included. The policy cache is dropped before each
  sample (a new request).

Baseline, alternating with it, on another commune's L01 report and the same file:
``load_workbook`` (same options as the upload) and reading the 300 input cells, then one
``INSERT INTO stats_value VALUES (300 rows) ON CONFLICT DO UPDATE`` in a transaction —
the floor: what reading the file and writing its figures cost with nothing else.

Also reported (``gc_during``): the time Python's cyclic garbage collector ran inside the
timed runs and how many of them held a full collection — the workbooks are reference
cycles, so full collections come every second or so and account for the slow tail.

Checked: every preview has no cell error, no blocker, 300 changed input cells and only
the warning of rule V4 (no previous period); the report holds the last file's values and
its recomputed total; the baseline's report holds the last file's values.
"""

from __future__ import annotations

import gc
import io
import time
from collections.abc import Iterator
from typing import Any

from common import fmt_timings, load_average, report, say, scratch_database, summary
from stats_data import (
    SAVE_SHAPE,
    analyze,
    parser,
    person,
    run_conditions,
    save_form_period,
    save_value,
    upsert_values_sql,
)

TARGET_P95_MS = 500


class Collector:
    """A ``gc.callbacks`` entry: time spent in Python's cyclic garbage collector, and full collections.

    openpyxl workbooks are reference cycles, freed only by the collector; a full (generation 2)
    collection can land inside a timed run (``gc_during`` in the figures says how often, how long).
    """

    def __init__(self) -> None:
        self.seconds = 0.0
        self.full = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.full += info["generation"] == 2

    def mark(self) -> tuple[float, int]:
        return self.seconds, self.full

    def since(self, mark: tuple[float, int]) -> tuple[float, int]:
        """(seconds collecting, full collections) since ``mark``."""
        return self.seconds - mark[0], self.full - mark[1]


def main() -> None:
    args = _arguments()
    vendor = scratch_database("excel_import")

    from django.db import connection, transaction
    from openpyxl import load_workbook

    from kiemtra.accounts import policies
    from kiemtra.accounts.choices import Role
    from kiemtra.orgs.models import OrgUnit
    from kiemtra.stats import excel
    from kiemtra.stats.choices import ReportState
    from kiemtra.stats.grid import Grid
    from kiemtra.stats.models import Report, Value
    from kiemtra.stats.services import rollup, uploads

    built = save_form_period(args.forms)
    period, form_version, hanoi = built.period, built.save_version, built.hanoi
    values, setup = built.values, built.setup
    Report.objects.filter(period=period, form_version=form_version).update(state=ReportState.DRAFT)
    start = time.perf_counter()
    analyze()
    setup["analyze"] = time.perf_counter() - start
    say(
        args.json,
        f"set-up: {values:,} values, {Report.objects.filter(period=period).count():,} reports, {fmt_timings(setup)}",
    )

    commune, other = OrgUnit.objects.filter(parent=hanoi).order_by("code")[:2]
    statistician = person("bench.xa.thongke", commune, Role.STATISTICIAN)
    reports = Report.objects.select_related("unit", "period", "form_version__form")
    the_report = reports.get(period=period, unit=commune, form_version=form_version)
    raw_report = reports.get(period=period, unit=other, form_version=form_version)
    grid = Grid.of(form_version)
    inputs = grid.input_cells()
    assert len(inputs) == SAVE_SHAPE.rows * SAVE_SHAPE.columns == 300
    # Where the export puts each input cell (rows and columns in grid order from FIRST_ROW / FIRST_COL).
    where = {
        (row.pk, column.pk): (excel.FIRST_ROW + i, excel.FIRST_COL + j)
        for i, row in enumerate(grid.rows)
        for j, column in enumerate(grid.columns)
        if not grid.is_computed((row.pk, column.pk))
    }
    position = {r.pk: r.position for r in grid.rows} | {c.pk: c.position for c in grid.columns}

    def value(cell: tuple[int, int], i: int) -> int:
        return save_value(position, cell, i)

    def filled_workbook(i: int) -> bytes:
        """Not measured: the download at the report's current revision, 300 cells typed in, saved."""
        the_report.refresh_from_db(fields=["revision", "state"])
        wb = load_workbook(io.BytesIO(excel.export_reports([the_report], filled=True)))
        ws = wb[wb.sheetnames[0]]
        for cell, (r, c) in where.items():
            ws.cell(r, c).value = value(cell, i)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    previews: list[excel.UploadPreview] = []
    samples: dict[str, list[float]] = {k: [] for k in ("import", "parse", "apply", "baseline", "load", "upsert")}
    collector = Collector()
    gc_in: dict[str, list[tuple[float, int]]] = {"import": [], "baseline": []}
    gc.callbacks.append(collector)

    def import_file(data: bytes) -> None:
        policies.forget(statistician)  # a new request: nothing cached
        before = collector.mark()
        t0 = time.perf_counter()
        preview = excel.parse_upload(
            data,
            statistician,
            the_report.unit,
            the_report.period,
            expected_version=the_report.form_version,
            filename="bieu-L01.xlsx",
        )
        t1 = time.perf_counter()
        uploads.apply_upload(statistician, preview)
        t2 = time.perf_counter()
        previews.append(preview)
        samples["parse"].append(t1 - t0)
        samples["apply"].append(t2 - t1)
        samples["import"].append(t2 - t0)
        gc_in["import"].append(collector.since(before))

    upsert_values = upsert_values_sql(len(inputs))
    cells = list(where.items())

    def baseline(data: bytes) -> None:
        before = collector.mark()
        t0 = time.perf_counter()
        wb = load_workbook(io.BytesIO(data), data_only=False, keep_links=False, rich_text=False)
        ws = wb[wb.sheetnames[0]]
        params: list[Any] = []
        for (row_id, column_id), (r, c) in cells:
            params.extend((raw_report.pk, row_id, column_id, ws.cell(r, c).value))
        t1 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(upsert_values, params)
        t2 = time.perf_counter()
        samples["load"].append(t1 - t0)
        samples["upsert"].append(t2 - t1)
        samples["baseline"].append(t2 - t0)
        gc_in["baseline"].append(collector.since(before))

    def files() -> Iterator[tuple[int, bytes]]:
        for i in range(args.samples + 1):
            yield i, filled_workbook(i)

    start = time.perf_counter()
    size = 0
    for i, data in files():
        size = len(data)
        if i % 2:  # alternate which goes first: the same load for both
            baseline(data)
            import_file(data)
        else:
            import_file(data)
            baseline(data)
        if i == 0:  # warm-up
            for lane in samples.values():
                lane.clear()
            for runs in gc_in.values():
                runs.clear()
            previews.clear()
    setup["samples_wall"] = time.perf_counter() - start
    gc.callbacks.remove(collector)

    # --- checks ------------------------------------------------------------------------------
    last = args.samples
    for preview in previews:
        (item,) = preview.reports
        assert not preview.errors and not preview.blockers, (preview.errors, preview.blockers)
        assert sum(not d.computed for d in item.differences) == len(inputs), len(item.differences)
        assert sorted({p.rule_code for p in item.problems}) == ["V4"], item.problems
    own = rollup.own_values(reports.get(pk=the_report.pk))
    assert all(own[cell] == value(cell, last) for cell in inputs)
    total = (grid.row_by_code["21"].pk, grid.column_by_code["16"].pk)
    assert own[total] == sum(value(cell, last) for cell in inputs)
    raw = rollup.own_values(raw_report)
    assert all(raw[cell] == value(cell, last) for cell in inputs)
    assert reports.get(pk=the_report.pk).revision == the_report.revision + 1

    figures_of = {k: summary(v) for k, v in samples.items()}
    imported, base = figures_of["import"], figures_of["baseline"]
    figures: dict[str, Any] = {
        "benchmark": "excel_import",
        "database": vendor,
        "values_in_database": Value.objects.count(),
        "reports_in_period": Report.objects.filter(period=period).count(),
        "samples": args.samples,
        "cells": {"input": len(inputs), "computed": SAVE_SHAPE.cells - len(inputs), "rules": len(SAVE_SHAPE.rules)},
        "xlsx_bytes": size,
        "import": imported,
        "import_is": "excel.parse_upload + uploads.apply_upload, every input cell changed",
        "parse": figures_of["parse"],
        "apply": figures_of["apply"],
        "baseline": base,
        "baseline_is": "load_workbook + read 300 cells, then INSERT INTO stats_value VALUES (300 rows) "
        "ON CONFLICT DO UPDATE in a transaction",
        "baseline_load": figures_of["load"],
        "baseline_upsert": figures_of["upsert"],
        "import_p95_ratio": round(imported["p95_ms"] / base["p95_ms"], 1),
        "gc_during": {
            lane: {
                "runs_with_full_collection": sum(full > 0 for _, full in runs),
                "gc_ms_total": round(sum(s for s, _ in runs) * 1000, 1),
                "gc_ms_max": round(max(s for s, _ in runs) * 1000, 1),
            }
            for lane, runs in gc_in.items()
        },
        **run_conditions(setup, load_average=load_average()),
        "import_p95_ms": imported["p95_ms"],
        "parse_p95_ms": figures_of["parse"]["p95_ms"],
        "apply_p95_ms": figures_of["apply"]["p95_ms"],
        "baseline_p95_ms": base["p95_ms"],
        "target": f"import p95 <= {TARGET_P95_MS} ms",
        "target_met": imported["p95_ms"] <= TARGET_P95_MS,
    }
    report(figures, args.json)


def _arguments() -> Any:
    p = parser(__doc__ or "")
    p.add_argument("--samples", type=int, default=100, help="timed imports (and baseline runs)")
    p.add_argument("--forms", type=int, default=20, help="150-cell forms besides L01 (the size of the period)")
    args = p.parse_args()
    args.samples = max(args.samples, 1)
    return args


if __name__ == "__main__":
    main()
