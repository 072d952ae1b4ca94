"""Shared set-up for the statistics benchmarks: forms, a period on the national tree, values loaded fast.

Generating the data is set-up, not the thing measured: forms, rows and columns
are bulk-created, the period is opened through ``services.periods.open_period``
by a system admin, values go in with PostgreSQL ``COPY`` (an ``executemany``
on SQLite) and report states are set with one ``UPDATE``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Django is set up by ``common.scratch_database`` before any of these run
    from kiemtra.accounts.models import User
    from kiemtra.orgs.models import OrgUnit
    from kiemtra.stats.models import FormVersion, ReportingPeriod

ALL_LEVELS = ("central", "provincial", "commune")
HANOI, HCMC = "T01", "T79"


def parser(description: str) -> argparse.ArgumentParser:
    """The options every benchmark has (``--json``); each script adds its own."""
    result = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    result.add_argument("--json", action="store_true", help="print only the JSON line")
    return result


@dataclass(frozen=True)
class Shape:
    """The cells of one generated form: input rows × input columns, optional total row/column by formula."""

    rows: int
    columns: int
    total_row: bool = False
    total_column: bool = False
    rules: tuple[tuple[str, str], ...] = ()  # (expression, severity)

    @property
    def cells(self) -> int:
        return (self.rows + self.total_row) * (self.columns + self.total_column)


# The form "L01" of stats_latency.py and excel_import.py: 20 × 15 input cells (300), a total row and a
# total column by formula, four rules (two in-form, one on form B01, one on the previous period).
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


def make_versions(
    count: int, shape: Shape, *, prefix: str = "B", categories: Iterable[str] = ALL_LEVELS
) -> list[FormVersion]:
    """``count`` forms of one version each, every cell an integer that rolls up."""
    from kiemtra.stats.choices import CellType, PeriodType
    from kiemtra.stats.models import Column, Form, FormVersion, Row, ValidationRule

    forms = Form.objects.bulk_create(
        [Form(code=f"{prefix}{i:02d}", title=f"Biểu thử nghiệm {prefix}{i:02d}") for i in range(1, count + 1)]
    )
    versions = FormVersion.objects.bulk_create(
        [
            FormVersion(
                form=form,
                number=1,
                title=form.title,
                unit_categories=list(categories),
                period_types=[PeriodType.SIX_MONTHS],
            )
            for form in forms
        ]
    )
    rows: list[Row] = []
    columns: list[Column] = []
    rules: list[ValidationRule] = []
    row_total = " + ".join(f"R{i}" for i in range(1, shape.rows + 1))
    column_total = " + ".join(f"C{i}" for i in range(1, shape.columns + 1))
    for version in versions:
        for i in range(1, shape.rows + 1):
            rows.append(Row(version=version, code=str(i), label=f"Chỉ tiêu {i}", position=i))
        if shape.total_row:
            n = shape.rows + 1
            rows.append(Row(version=version, code=str(n), label="Cộng", position=n, formula=row_total))
        for i in range(1, shape.columns + 1):
            columns.append(
                Column(version=version, code=str(i), label=f"Cột {i}", position=i, cell_type=CellType.INTEGER)
            )
        if shape.total_column:
            n = shape.columns + 1
            columns.append(
                Column(
                    version=version,
                    code=str(n),
                    label="Tổng",
                    position=n,
                    cell_type=CellType.INTEGER,
                    formula=column_total,
                )
            )
        for i, (expression, severity) in enumerate(shape.rules, 1):
            rules.append(
                ValidationRule(
                    version=version, code=f"V{i}", expression=expression, severity=severity, message=expression
                )
            )
    Row.objects.bulk_create(rows, batch_size=2000)
    Column.objects.bulk_create(columns, batch_size=2000)
    ValidationRule.objects.bulk_create(rules)
    return versions


def system_admin() -> User:
    """A system admin: the role ``system_admin`` held at the general-affairs department."""
    from kiemtra.accounts.choices import Module, Role
    from kiemtra.accounts.models import RoleGrant, User
    from kiemtra.orgs.models import OrgUnit

    admin = User.objects.create_user("bench.quantri", None, full_name="Quản trị hệ thống")
    RoleGrant.objects.create(
        person=admin,
        unit=OrgUnit.objects.get(department_role="general_affairs"),
        module=Module.STATS,
        role=Role.SYSTEM_ADMIN,
        document_ref="bench",
    )
    return admin


def person(code: str, unit: OrgUnit, role: str) -> User:
    from kiemtra.accounts.choices import Module
    from kiemtra.accounts.models import RoleGrant, User

    user = User.objects.create_user(code, None, full_name=code, home_unit=unit)
    RoleGrant.objects.create(person=user, unit=unit, module=Module.STATS, role=role, document_ref="bench")
    return user


def open_period(admin: User, versions: list[FormVersion], code: str = "BENCH-2026-H1") -> ReportingPeriod:
    """Open a six-month period through the service: one report per unit and form."""
    from django.utils import timezone

    from kiemtra.stats.choices import PeriodType
    from kiemtra.stats.services import periods

    now = timezone.now()
    return periods.open_period(
        admin,
        code=code,
        name=f"Kỳ thử nghiệm {code}",
        period_type=PeriodType.SIX_MONTHS,
        data_start=(now - dt.timedelta(days=150)).date(),
        data_cutoff=(now + dt.timedelta(days=20)).date(),
        opens_at=now - dt.timedelta(hours=1),
        deadline=now + dt.timedelta(days=30),
        form_versions=versions,
    )


def number_for(report_id: int, k: int) -> int:
    """A small non-negative integer that differs from cell to cell and report to report."""
    return (report_id * 31 + k * 17) % 89


def _input_cells(versions: Iterable[int]) -> dict[int, list[tuple[int, int]]]:
    from kiemtra.stats.models import Column, Row

    rows: dict[int, list[int]] = {}
    columns: dict[int, list[int]] = {}
    for pk, version, formula in Row.objects.filter(version_id__in=versions).values_list("pk", "version_id", "formula"):
        if not formula:
            rows.setdefault(version, []).append(pk)
    for pk, version, formula in Column.objects.filter(version_id__in=versions).values_list(
        "pk", "version_id", "formula"
    ):
        if not formula:
            columns.setdefault(version, []).append(pk)
    return {v: [(r, c) for r in rows.get(v, []) for c in columns.get(v, [])] for v in rows}


def load_values(period: ReportingPeriod, unit_ids: Iterable[int] | None = None) -> int:
    """Fill every input cell of the period's reports (of ``unit_ids`` only, if given); returns the count.

    PostgreSQL: one ``COPY … FROM STDIN`` fed in 1 MB chunks, then ``VACUUM ANALYZE`` (hint bits and
    visibility map set now, so that autovacuum does not run during the measurements).
    SQLite: ``executemany`` in one transaction.
    """
    from django.db import connection, transaction

    from kiemtra.stats.models import Report

    reports = Report.objects.filter(period=period)
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=list(unit_ids))
    pairs = list(reports.order_by("pk").values_list("pk", "form_version_id"))
    cells = _input_cells({v for _, v in pairs})
    total = sum(len(cells.get(v, [])) for _, v in pairs)

    def lines() -> Iterator[str]:
        chunk: list[str] = []
        size = 0
        for report_id, version in pairs:
            text = "".join(
                f"{report_id}\t{r}\t{c}\t{number_for(report_id, k)}\t\n" for k, (r, c) in enumerate(cells[version])
            )
            chunk.append(text)
            size += len(text)
            if size > 1 << 20:
                yield "".join(chunk)
                chunk, size = [], 0
        if chunk:
            yield "".join(chunk)

    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw: Any = connection.connection
        with transaction.atomic(), raw.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
            if row and row[0]:
                # Set-up only: the rows are consistent by construction, so skip the deferred FK checks
                # (3 per row, queued until COMMIT), which would take most of the loading time.
                cursor.execute("SET LOCAL session_replication_role = replica")
            with cursor.copy("COPY stats_value (report_id, row_id, column_id, number, text) FROM STDIN") as copy:
                for chunk in lines():
                    copy.write(chunk)
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            for report_id, version in pairs:
                cursor.executemany(
                    "INSERT INTO stats_value (report_id, row_id, column_id, number, text) VALUES (%s, %s, %s, %s, '')",
                    [(report_id, r, c, number_for(report_id, k)) for k, (r, c) in enumerate(cells[version])],
                )
    analyze()
    return total


def analyze() -> None:
    """Fresh planner statistics (and, on PostgreSQL, a vacuum of the freshly loaded tables)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def set_states(period: ReportingPeriod, state: str, kinds: Iterable[str], unit_ids: Iterable[int] | None = None) -> int:
    """Put the reports of units of these kinds (and these units, if given) in ``state`` with one UPDATE."""
    from kiemtra.orgs.models import OrgUnit
    from kiemtra.stats.models import Report

    units = OrgUnit.objects.filter(kind__in=list(kinds))
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    return Report.objects.filter(period=period, unit__in=units).update(state=state)


def database_settings() -> dict[str, str]:
    """The PostgreSQL settings that shape the plans (empty on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    names = ("server_version", "shared_buffers", "work_mem", "max_parallel_workers_per_gather", "jit")
    found = {}
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"SHOW {name}")
            found[name] = str(cursor.fetchone()[0])
    return found


@dataclass
class SaveFormPeriod:
    """What ``save_form_period`` built."""

    period: ReportingPeriod
    versions: list[FormVersion]  # the 150-cell forms
    save_version: FormVersion  # the form L01 (``SAVE_SHAPE``)
    hanoi: OrgUnit
    hcmc: OrgUnit
    values: int
    setup: dict[str, float] = field(default_factory=dict)  # seconds per set-up step


def save_form_period(forms: int, *, fill_all: bool = False) -> SaveFormPeriod:
    """The set-up of stats_latency.py and excel_import.py, not measured.

    The national tree; ``forms`` forms of 15 × 10 cells and the form L01 (``SAVE_SHAPE``, commune
    level only); one period opened through ``open_period``; every input cell of the reports of Hà Nội
    and of Hồ Chí Minh City (province + communes) filled — of every unit with ``fill_all``.
    """
    from django.db.models import Q

    from kiemtra.orgs.loader import load_national_tree
    from kiemtra.orgs.models import OrgUnit

    setup: dict[str, float] = {}
    start = time.perf_counter()
    load_national_tree()
    versions = make_versions(forms, Shape(rows=15, columns=10))
    (save_version,) = make_versions(1, SAVE_SHAPE, prefix="L", categories=["commune"])
    period = open_period(system_admin(), [*versions, save_version])
    setup["tree_forms_period"] = time.perf_counter() - start

    hanoi, hcmc = OrgUnit.objects.get(code=HANOI), OrgUnit.objects.get(code=HCMC)
    filled = None if fill_all else OrgUnit.objects.filter(Q(pk__in=[hanoi.pk, hcmc.pk]) | Q(parent__in=[hanoi, hcmc]))
    start = time.perf_counter()
    values = load_values(period, None if filled is None else filled.values_list("pk", flat=True))
    setup["values_copy"] = time.perf_counter() - start
    return SaveFormPeriod(period, versions, save_version, hanoi, hcmc, values, setup)


def save_value(position: dict[int, int], cell: tuple[int, int], i: int) -> int:
    """The value of an L01 input cell in save ``i``: row 1 largest, so that the rules hold; every cell
    different from the previous save. ``position``: row and column pk -> position."""
    return (SAVE_SHAPE.rows + 1 - position[cell[0]]) * 10 + (i + position[cell[1]]) % 10


def upsert_values_sql(cells: int) -> str:
    """The baselines' write: one ``INSERT INTO stats_value VALUES (cells rows) ON CONFLICT DO UPDATE``."""
    placeholders = ", ".join(["(%s, %s, %s, %s, '')"] * cells)
    return (
        f"INSERT INTO stats_value (report_id, row_id, column_id, number, text) VALUES {placeholders} "
        "ON CONFLICT (report_id, row_id, column_id) DO UPDATE SET number = excluded.number, text = excluded.text"
    )


def run_conditions(setup: dict[str, float], **load: Any) -> dict[str, Any]:
    """The closing figures of every statistics benchmark: the load given (under its own key), the
    set-up seconds, the database settings."""
    return {**load, "setup_seconds": {k: round(v, 1) for k, v in setup.items()}, "settings": database_settings()}
