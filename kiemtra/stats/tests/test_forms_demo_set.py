"""The demo form set of FORMS.md as data: 14 forms, shared catalogs, formulas and rules that compile and hold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiemtra.audit.models import AuditEvent
from kiemtra.stats import expressions, formsets
from kiemtra.stats.choices import CellType, PeriodType, Severity
from kiemtra.stats.grid import Grid
from kiemtra.stats.models import Column, Form, FormVersion, Row, ValidationRule

pytestmark = pytest.mark.django_db


def test_the_demo_set_loads_fourteen_forms_each_with_rows_columns_and_rules() -> None:
    result = formsets.load_demo()
    assert len(result.created) == 14 and result.skipped == []
    assert list(Form.objects.values_list("code", flat=True)) == [f"{n:02d}" for n in range(1, 15)]
    for version in FormVersion.objects.select_related("form"):
        assert version.number == 1 and not version.frozen
        assert version.rows.count() >= 4 and version.columns.count() >= 5, version
        assert version.rules.filter(severity=Severity.BLOCKING).exists(), version
        assert version.rules.filter(severity=Severity.WARNING).exists(), version
    assert AuditEvent.objects.filter(action="stats.form.loaded").count() == 14


def test_loading_twice_creates_nothing_new() -> None:
    formsets.load_demo()
    counts = [m.objects.count() for m in (Form, FormVersion, Row, Column, ValidationRule)]
    again = formsets.load_demo()
    assert again.created == [] and len(again.skipped) == 14
    assert [m.objects.count() for m in (Form, FormVersion, Row, Column, ValidationRule)] == counts


def test_every_formula_and_rule_compiles_and_names_existing_cells() -> None:
    formsets.load_demo()
    cells = {
        v.form.code: ({r.code for r in v.rows.all()}, {c.code for c in v.columns.all()})
        for v in FormVersion.objects.select_related("form")
    }
    for row in Row.objects.exclude(formula=""):
        expressions.compile_expression(row.formula)
    for column in Column.objects.exclude(formula=""):
        expressions.compile_expression(column.formula)
    for rule in ValidationRule.objects.select_related("version__form"):
        for ref in expressions.references(rule.expression):
            rows, columns = cells[ref.form or rule.version.form.code]
            assert ref.row in rows and ref.col in columns, rule


def test_every_rule_holds_on_an_all_zero_report() -> None:
    formsets.load_demo()
    for version in FormVersion.objects.select_related("form"):
        grid = Grid.of(version)
        figures = grid.compute({})
        assert grid.check(lambda ref: Decimal(0), figures) == [], version


def test_shared_catalogs_generate_rows_and_columns() -> None:
    """'Cấp thực hiện' rows in most forms, violation contents and penalties as column groups."""
    formsets.load_demo()
    f01 = FormVersion.objects.get(form__code="01")
    assert [r.label for r in f01.rows.all()][:3] == ["Chi bộ", "Đảng ủy bộ phận", "Đảng ủy cơ sở"]
    total = f01.rows.get(code="T")
    assert total.formula == " + ".join(f"R{n}" for n in range(1, 10))
    assert f01.columns.filter(label__startswith="Nội dung vi phạm: ").count() == 11
    f05 = FormVersion.objects.get(form__code="05")
    assert f05.columns.get(code="1").formula == "SUM(C2, C3, C4, C5)"
    assert [c.label for c in f05.columns.filter(code__in=["2", "3", "4", "5"])] == [
        "Hình thức kỷ luật: Khiển trách",
        "Hình thức kỷ luật: Cảnh cáo",
        "Hình thức kỷ luật: Cách chức",
        "Hình thức kỷ luật: Khai trừ",
    ]
    # Column-level rules are expanded for each input row.
    rule = f05.rules.get(code="V1-R3")
    assert rule.expression == "R3_C1 == SUM(R3_C2, R3_C3, R3_C4, R3_C5)"
    assert rule.message.startswith("Dòng 3 (Đảng ủy cơ sở): ")
    assert not f05.rules.filter(code="V1-RT").exists()  # the total row holds when its rows do
    # The warning rules: three times the previous period, and 05 without 01 in the same period.
    assert "PREV(RT_C1)" in f05.rules.get(code="W1").expression
    assert f05.rules.get(code="W2").expression == "F05_RT_C1 == 0 or F01_RT_C1 > 0"


def test_money_cells_are_decimals_and_notes_are_text() -> None:
    formsets.load_demo()
    f10 = FormVersion.objects.get(form__code="10")
    money = f10.columns.filter(label__contains="nghìn đồng")
    assert money.count() == 9 and all(c.cell_type == CellType.DECIMAL and c.decimal_places == 2 for c in money)
    note = f10.columns.get(label="Ghi chú")
    assert note.cell_type == CellType.TEXT and not note.rolls_up
    assert all(c.rolls_up for c in f10.columns.exclude(cell_type=CellType.TEXT))


def test_who_files_which_form_and_when() -> None:
    formsets.load_demo()
    by_code = {v.form.code: v for v in FormVersion.objects.select_related("form")}
    for code in [f"{n:02d}" for n in range(1, 13)]:
        assert by_code[code].unit_categories == ["central", "provincial", "commune"]
        assert by_code[code].period_types == [PeriodType.MONTH, PeriodType.SIX_MONTHS, PeriodType.YEAR]
    assert by_code["13"].unit_categories == ["central", "office", "provincial"]
    assert by_code["14"].unit_categories == ["central", "training", "provincial"]
    assert by_code["13"].period_types == by_code["14"].period_types == [PeriodType.YEAR]


def test_summary_of_the_set() -> None:
    """Rows × columns and rule counts, printed for the record (pytest -s)."""
    formset = formsets.demo_formset()
    total = 0
    for spec in formset.forms:
        total += len(spec.rules)
        print(f"{spec.code}: {len(spec.rows)}×{len(spec.columns)}, {len(spec.rules)} quy tắc — {spec.title}")
    assert len(formset.forms) == 14 and total > 200
