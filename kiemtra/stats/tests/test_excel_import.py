"""Uploading a filled workbook: checked, previewed, then applied all-or-nothing (Kế hoạch: units prepare
their data on the Excel forms of Quyết định 2011 and enter it in the software)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from kiemtra.accounts.models import User
from kiemtra.audit.models import AuditEvent
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats import excel
from kiemtra.stats.choices import CellType, PeriodType, ReportState
from kiemtra.stats.models import Column, Form, FormVersion, Report, ReportingPeriod, Row, Value
from kiemtra.stats.services import periods, reports, rollup, uploads
from kiemtra.stats.tests.factories import Chain, make_chain

pytestmark = pytest.mark.django_db

# --- building a period with two forms: 01 (integers) and 05 (integers, a decimal and a text column)


def make_mixed_form(code: str = "05", number: int = 1, rows: int = 2) -> FormVersion:
    """Rows 1..n and a total row; columns: 1, 2 integers, 3 = C1 + C2, 4 decimal (1 place), 5 text."""
    form, _ = Form.objects.get_or_create(code=code, defaults={"title": "Thi hành kỷ luật đảng viên"})
    version = FormVersion.objects.create(
        form=form,
        number=number,
        title=form.title,
        unit_categories=["central", "provincial", "commune"],
        period_types=[PeriodType.SIX_MONTHS],
    )
    labels = ["Khiển trách", "Cảnh cáo", *[f"Chỉ tiêu {i}" for i in range(3, rows + 1)]]
    for i, label in enumerate(labels[:rows], 1):
        Row.objects.create(version=version, code=str(i), label=label, position=i)
    Row.objects.create(
        version=version,
        code=str(rows + 1),
        label="Cộng",
        position=rows + 1,
        formula=" + ".join(f"R{i}" for i in range(1, rows + 1)),
    )
    columns = [
        ("Đảng viên", CellType.INTEGER, 0, "", True),
        ("Cấp ủy viên", CellType.INTEGER, 0, "", True),
        ("Tổng", CellType.INTEGER, 0, "C1 + C2", True),
        ("Số tiền thu hồi (triệu đồng)", CellType.DECIMAL, 1, "", True),
        ("Ghi chú", CellType.TEXT, 0, "", False),
    ]
    for i, (label, cell_type, places, formula, rolls_up) in enumerate(columns, 1):
        Column.objects.create(
            version=version,
            code=str(i),
            label=label,
            position=i,
            cell_type=cell_type,
            decimal_places=places,
            formula=formula,
            rolls_up=rolls_up,
        )
    return version


@dataclass
class Setup:
    chain: Chain
    mixed: FormVersion
    period: ReportingPeriod

    @property
    def commune(self) -> OrgUnit:
        return self.chain.communes[0]

    @property
    def statistician(self) -> User:
        return self.chain.statistician[self.commune.pk]

    def report(self, version: FormVersion | None = None, unit: OrgUnit | None = None) -> Report:
        return Report.objects.select_related("unit", "period", "form_version__form").get(
            unit=unit or self.commune, period=self.period, form_version=version or self.mixed
        )


def open_period(
    chain: Chain, versions: list[FormVersion], code: str = "2026-H1", trial: bool = False
) -> ReportingPeriod:
    now = timezone.now()
    return periods.open_period(
        chain.sysadmin,
        code=code,
        name=f"6 tháng đầu năm 2026 ({code})",
        period_type=PeriodType.SIX_MONTHS,
        data_start=(now - dt.timedelta(days=150)).date(),
        data_cutoff=(now + dt.timedelta(days=20)).date(),
        opens_at=now - dt.timedelta(hours=1),
        deadline=now + dt.timedelta(days=30),
        form_versions=versions,
        is_trial=trial,
    )


def make_setup() -> Setup:
    chain = make_chain()
    mixed = make_mixed_form()
    period = open_period(chain, [chain.version, mixed])
    chain.period = period
    return Setup(chain, mixed, period)


@pytest.fixture
def setup() -> Setup:
    return make_setup()


def fill(data: bytes, cells: dict[str, object], sheet: str = "Biểu 05") -> bytes:
    """What a statistician does in Excel: type into cells, save."""
    wb = load_workbook(io.BytesIO(data))
    for address, value in cells.items():
        wb[sheet][address] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def own(report: Report) -> dict[str, str]:
    """Own values by "R<row>_C<col>" for readable assertions."""
    names = {r.pk: r.code for r in report.form_version.rows.all()}
    cols = {c.pk: c.code for c in report.form_version.columns.all()}
    return {f"R{names[r]}_C{cols[c]}": rollup.text(v) for (r, c), v in rollup.own_values(report).items()}


def stored_values() -> list[tuple[int, int, int, Decimal | None, str]]:
    return sorted(Value.objects.values_list("report_id", "row_id", "column_id", "number", "text"))


# --- the round trip --------------------------------------------------------------------


def test_round_trip_download_fill_upload_preview_apply(setup: Setup) -> None:
    report = setup.report()
    blank = excel.export_reports([report], filled=False)
    # C7/D7: row 1 party members / committee members; F8: decimal; G7: text; "1.234" is Vietnamese for 1234.
    filled = fill(blank, {"C7": 10, "D7": 3, "C8": "1.234", "F8": "2,5", "G7": "  Đã xử lý xong  ", "E7": 999})

    preview = excel.parse_upload(filled, setup.statistician, filename="bieu05.xlsx")

    assert preview.errors == [] and preview.blockers == [] and preview.can_apply
    [item] = preview.reports
    changed = {d.address: (d.old, d.new, d.computed) for d in item.differences}
    assert changed["C7"] == ("", "10", False)
    assert changed["C8"] == ("", "1234", False)
    assert changed["F8"] == ("", "2.5", False)
    assert changed["E7"] == ("", "13", True)  # the 999 typed over a computed cell is ignored: recomputed
    assert changed["C9"] == ("", "1244", True)  # the total row
    assert "Dòng 1. Khiển trách — cột 1. Đảng viên" in [d.label for d in item.differences]
    assert own(setup.report()) == {}  # a preview stores nothing

    saved = uploads.apply_upload(setup.statistician, preview)

    assert [r.pk for r in saved] == [report.pk]
    values = own(setup.report())
    assert values["R1_C1"] == "10" and values["R1_C3"] == "13" and values["R2_C1"] == "1234"
    assert values["R3_C1"] == "1244" and values["R3_C3"] == "1247" and values["R2_C4"] == "2.5"
    assert values["R1_C5"] == "Đã xử lý xong"
    assert setup.report().revision == report.revision + 1
    assert AuditEvent.objects.filter(action="stats.import").count() == 1
    assert AuditEvent.objects.filter(action="stats.report.values_saved", object_id=str(report.pk)).count() == 1

    # Downloaded again, filled: what was stored comes back where it was typed.
    again = load_workbook(io.BytesIO(excel.export_reports([setup.report()], filled=True)))["Biểu 05"]
    assert again["C7"].value == 10 and again["E7"].value == 13 and again["C9"].value == 1244
    assert again["F8"].value == Decimal("2.5") and again["G7"].value == "Đã xử lý xong"


def test_an_emptied_cell_is_shown_and_then_cleared(setup: Setup) -> None:
    report = setup.report()
    reports.save_values(setup.statistician, report, {_cell(setup, "1", "1"): "7"}, expected_revision=0)
    data = fill(excel.export_reports([setup.report()], filled=True), {"C7": None})
    preview = excel.parse_upload(data, setup.statistician)
    assert [(d.address, d.old, d.new) for d in preview.reports[0].differences if not d.computed] == [("C7", "7", "")]
    uploads.apply_upload(setup.statistician, preview)
    assert "R1_C1" not in own(setup.report())


def _cell(setup: Setup, row: str, col: str, version: FormVersion | None = None) -> tuple[int, int]:
    version = version or setup.mixed
    return version.rows.get(code=row).pk, version.columns.get(code=col).pk


def test_a_period_workbook_updates_every_form_of_the_unit_in_one_go(setup: Setup) -> None:
    pair = [setup.report(setup.chain.version), setup.report()]
    data = excel.export_reports(pair, filled=False)
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Biểu 01", "Biểu 05", "_kiemtra"]
    data = fill(fill(data, {"C7": 4, "C8": 2}, sheet="Biểu 01"), {"D8": 6})

    preview = excel.parse_upload(data, setup.statistician, setup.commune, setup.period)
    uploads.apply_upload(setup.statistician, preview)

    assert own(setup.report(setup.chain.version))["R3_C3"] == "6"
    assert own(setup.report())["R2_C2"] == "6"


def test_the_province_statistician_may_upload_for_a_commune(setup: Setup) -> None:
    """Art. 6.1: the direct upper unit may enter the data of a lower unit that cannot connect."""
    province_statistician = setup.chain.statistician[setup.chain.tree.province.pk]
    data = fill(excel.export_reports([setup.report()], filled=False), {"C7": 1})
    uploads.apply_upload(province_statistician, excel.parse_upload(data, province_statistician))
    report = setup.report()
    assert own(report)["R1_C1"] == "1" and report.entered_by_upper


def test_a_300_cell_form_round_trips() -> None:
    chain = make_chain()
    big = make_mixed_form("09", rows=59)  # 60 rows × 5 columns = 300 cells
    period = open_period(chain, [big], code="2026-BIG")
    report = Report.objects.get(unit=chain.communes[0], period=period, form_version=big)
    statistician = chain.statistician[chain.communes[0].pk]
    wb = load_workbook(io.BytesIO(excel.export_reports([report], filled=False)))
    ws = wb["Biểu 09"]
    for r in range(7, 7 + 59):
        ws[f"C{r}"], ws[f"D{r}"], ws[f"F{r}"] = r, 1, "0,5"
    out = io.BytesIO()
    wb.save(out)
    preview = excel.parse_upload(out.getvalue(), statistician)
    uploads.apply_upload(statistician, preview)
    assert own(Report.objects.get(pk=report.pk))["R60_C3"] == str(sum(range(7, 66)) + 59)


# --- cells that cannot be read ----------------------------------------------------------


def test_every_bad_cell_is_listed_with_its_sheet_and_address_and_nothing_is_stored(setup: Setup) -> None:
    before = stored_values()
    data = fill(
        excel.export_reports([setup.report()], filled=False),
        {"C7": "mười", "D7": -3, "C8": 2.5, "D8": "=SUM(C7:C8)", "F7": "1,25", "F8": "abc"},
    )
    preview = excel.parse_upload(data, setup.statistician)

    assert preview.errors == [
        "Biểu 05, ô C7: 'mười' không phải là số",
        "Biểu 05, ô D7: không được là số âm",
        "Biểu 05, ô F7: tối đa 1 chữ số thập phân",
        "Biểu 05, ô C8: phải là số nguyên, không có phần lẻ",
        "Biểu 05, ô D8: '=SUM(C7:C8)' không phải là số",
        "Biểu 05, ô F8: 'abc' không phải là số",
    ]
    assert not preview.can_apply
    with pytest.raises(DomainError) as refused:
        uploads.apply_upload(setup.statistician, preview)
    assert refused.value.code == "bad_value"
    assert stored_values() == before


def test_a_formula_in_a_text_cell_is_refused(setup: Setup) -> None:
    data = fill(excel.export_reports([setup.report()], filled=False), {"G7": '=HYPERLINK("http://x.vn","bấm")'})
    preview = excel.parse_upload(data, setup.statistician)
    assert preview.errors == ["Biểu 05, ô G7: là công thức; chỉ nhập giá trị."]


def test_a_number_too_large_for_the_database_is_refused(setup: Setup) -> None:
    data = fill(excel.export_reports([setup.report()], filled=False), {"C7": 10**17})
    assert excel.parse_upload(data, setup.statistician).errors == [
        "Biểu 05, ô C7: số quá lớn (tối đa 16 chữ số phần nguyên)"
    ]


# --- the wrong workbook -------------------------------------------------------------------


def _refused(data: bytes, actor: User, **kwargs: object) -> excel.UploadRefused:
    with pytest.raises(excel.UploadRefused) as refused:
        excel.parse_upload(data, actor, **kwargs)  # type: ignore[arg-type]
    return refused.value


def test_a_workbook_of_another_unit_is_refused_with_the_reason(setup: Setup) -> None:
    other = setup.chain.communes[1]
    data = excel.export_reports([setup.report(unit=other)], filled=False)
    error = _refused(data, setup.chain.statistician[other.pk], expected_unit=setup.commune)
    assert error.code == "wrong_unit"
    assert error.reasons == [f"Biểu 05: tệp là biểu của đơn vị {other.name}, không phải của {setup.commune.name}."]


def test_a_workbook_of_another_period_is_refused_with_the_reason(setup: Setup) -> None:
    later = open_period(setup.chain, [setup.mixed], code="2026-H2")
    error = _refused(excel.export_reports([setup.report()], filled=False), setup.statistician, expected_period=later)
    assert error.code == "wrong_period"
    assert "không phải kỳ “6 tháng đầu năm 2026 (2026-H2)”" in error.message


def test_a_workbook_of_another_form_version_is_refused_with_the_reason(setup: Setup) -> None:
    """Form 05 v2 is used from the next period on; last period's v1 workbook does not fit it."""
    v2 = make_mixed_form("05", number=2)
    later = open_period(setup.chain, [v2], code="2026-H2")
    later_report = Report.objects.get(unit=setup.commune, period=later, form_version=v2)
    error = _refused(
        excel.export_reports([setup.report()], filled=False),
        setup.statistician,
        expected_unit=setup.commune,
        expected_period=later,
        expected_version=later_report.form_version,
    )
    assert [e.split(":")[0] for e in error.reasons] == ["Biểu 05", "Biểu 05"]
    assert "tệp dùng Biểu 05 phiên bản 1, nhưng báo cáo này dùng Biểu 05 phiên bản 2" in error.message


def test_a_workbook_of_another_form_is_refused_on_a_reports_page(setup: Setup) -> None:
    error = _refused(
        excel.export_reports([setup.report(setup.chain.version)], filled=False),
        setup.statistician,
        expected_version=setup.mixed,
    )
    assert error.code == "wrong_form" and error.reasons == ["Biểu 01: tệp là Biểu 01, không phải Biểu 05."]


def test_a_signed_identification_whose_version_does_not_match_the_report_is_refused(setup: Setup) -> None:
    """Even with a valid signature (forged here with the key) the version must be the report's."""
    data = excel.export_reports([setup.report()], filled=False)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[excel.ID_SHEET]
    values = [str(ws.cell(3, c).value) for c in range(1, len(excel.ID_FIELDS) + 1)]
    values[excel.ID_FIELDS.index("version_id")] = str(setup.chain.version.pk)
    for c, v in enumerate([*values, excel._sign(values)], 1):
        ws.cell(3, c).value = v
    out = io.BytesIO()
    wb.save(out)
    assert _refused(out.getvalue(), setup.statistician).code == "wrong_version"


@pytest.mark.parametrize("field", ["unit_code", "period_code", "report_id", "revision"])
def test_a_hand_edited_identification_is_detected(setup: Setup, field: str) -> None:
    data = excel.export_reports([setup.report()], filled=False)
    wb = load_workbook(io.BytesIO(data))
    cell = wb[excel.ID_SHEET].cell(3, excel.ID_FIELDS.index(field) + 1)
    other = {
        "unit_code": setup.chain.communes[1].code,
        "period_code": "2025-H2",
        "report_id": str(setup.report(unit=setup.chain.communes[1]).pk),
        "revision": "99",
    }
    cell.value = other[field]
    out = io.BytesIO()
    wb.save(out)
    error = _refused(out.getvalue(), setup.statistician)
    assert error.code == "tampered" and "đã bị sửa" in error.message


def test_workbooks_signed_before_a_key_rotation_are_still_accepted(setup: Setup, settings) -> None:
    data = fill(excel.export_reports([setup.report()], filled=False), {"C7": 2})
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-after-rotation-" + "x" * 40
    assert excel.parse_upload(data, setup.statistician).can_apply
    settings.SECRET_KEY_FALLBACKS = []
    assert _refused(data, setup.statistician).code == "tampered"


def test_a_workbook_of_a_purged_trial_period_is_refused(setup: Setup) -> None:
    trial = open_period(setup.chain, [setup.mixed], code="THU-01", trial=True)
    data = excel.export_reports([Report.objects.get(unit=setup.commune, period=trial, form_version=setup.mixed)], False)
    periods.purge_trial_data(setup.chain.sysadmin)
    error = _refused(data, setup.statistician)
    assert error.code == "report_not_found" and "không còn trong phần mềm" in error.message


def test_a_consolidated_export_cannot_be_uploaded(setup: Setup) -> None:
    error = _refused(excel.export_consolidated(setup.report()), setup.statistician)
    assert error.code == "not_entry_form"


def test_moved_rows_are_refused_as_a_changed_structure(setup: Setup) -> None:
    wb = load_workbook(io.BytesIO(excel.export_reports([setup.report()], filled=False)))
    wb["Biểu 05"].insert_rows(8)
    out = io.BytesIO()
    wb.save(out)
    error = _refused(out.getvalue(), setup.statistician)
    assert error.code == "layout_changed"
    assert error.reasons == ["Biểu 05: ô A8 phải là mã chỉ tiêu “2”: cấu trúc biểu đã bị thay đổi."]


def test_another_units_workbook_is_denied_by_the_policy(setup: Setup) -> None:
    stranger = setup.chain.statistician[setup.chain.tree.other_commune.pk]
    data = fill(excel.export_reports([setup.report()], filled=False), {"C7": 1})
    with pytest.raises(PolicyDenied):
        excel.parse_upload(data, stranger)
    assert own(setup.report()) == {}


# --- files that are not workbooks ----------------------------------------------------------------


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def _broken_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "không phải XML")
        z.writestr("xl/workbook.xml", "<workbook")
    return out.getvalue()


def _plain_workbook() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "Biểu tự làm"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"Day khong phai tep Excel", "not_xlsx", "không phải là bảng tính Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "not_xlsx", "Excel cũ (.xls)"),
        (_docx(), "not_xlsx", "văn bản Word đổi đuôi"),
        (_broken_xlsx(), "corrupt", "bị hỏng"),
        (_plain_workbook(), "no_identification", "không có phần định danh"),
        (b"", "not_xlsx", "không phải là bảng tính Excel"),
    ],
    ids=["text", "xls", "docx", "corrupt", "not-ours", "empty"],
)
def test_a_file_that_is_not_one_of_our_workbooks_is_refused_with_a_clear_message(
    setup: Setup, content: bytes, code: str, words: str
) -> None:
    error = _refused(content, setup.statistician)
    assert error.code == code and words in error.message


def test_xml_entities_in_a_workbook_are_not_expanded(setup: Setup) -> None:
    """A "billion laughs" workbook is refused (defusedxml), not inflated in memory."""
    data = excel.export_reports([setup.report()], filled=False)
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/workbook.xml":
                content = content.replace(b"<workbook ", bomb.encode() + b"<workbook ", 1)
            target.writestr(info, content)
    assert _refused(out.getvalue(), setup.statistician).code == "corrupt"


def test_a_truncated_workbook_is_refused(setup: Setup) -> None:
    data = excel.export_reports([setup.report()], filled=False)
    assert _refused(data[: len(data) // 2], setup.statistician).code in {"not_xlsx", "corrupt"}


# --- stale, locked, all or nothing ----------------------------------------------------------------


def test_a_report_saved_after_the_download_is_refused_as_stale_and_nothing_is_applied(setup: Setup) -> None:
    report = setup.report()
    data = fill(excel.export_reports([report], filled=False), {"C7": 5})
    # A colleague saves on the web page after the download.
    reports.save_values(setup.statistician, report, {_cell(setup, "2", "1"): "8"}, expected_revision=0)
    preview = excel.parse_upload(data, setup.statistician)
    assert any("sau khi tệp được tải về" in b for b in preview.blockers) and not preview.can_apply

    with pytest.raises(DomainError) as stale:
        uploads.apply_upload(setup.statistician, preview)

    assert stale.value.code == "stale_revision"
    assert f"Biểu 05 ({setup.commune.name})" in stale.value.message
    values = own(setup.report())
    assert values["R2_C1"] == "8" and "R1_C1" not in values  # the colleague's figure stays, the file's is not in
    assert setup.report().revision == 1


def test_one_bad_sheet_stores_nothing_of_the_workbook(setup: Setup) -> None:
    """The first sheet is saved inside the transaction, the second is stale: both roll back."""
    first, second = setup.report(setup.chain.version), setup.report()
    data = excel.export_reports([first, second], filled=False)
    data = fill(fill(data, {"C7": 4}, sheet="Biểu 01"), {"C7": 9})
    reports.save_values(setup.statistician, second, {_cell(setup, "2", "2"): "1"}, expected_revision=0)
    before = stored_values()
    preview = excel.parse_upload(data, setup.statistician)

    with pytest.raises(DomainError) as stale:
        uploads.apply_upload(setup.statistician, preview)

    assert stale.value.code == "stale_revision" and "Biểu 05" in stale.value.message
    assert stored_values() == before
    assert setup.report(setup.chain.version).revision == 0


def test_a_sheet_with_a_bad_cell_stops_the_whole_workbook(setup: Setup) -> None:
    data = excel.export_reports([setup.report(setup.chain.version), setup.report()], filled=False)
    data = fill(fill(data, {"C7": 4}, sheet="Biểu 01"), {"C7": "năm"})
    preview = excel.parse_upload(data, setup.statistician)
    assert preview.errors == ["Biểu 05, ô C7: 'năm' không phải là số"]
    with pytest.raises(DomainError):
        uploads.apply_upload(setup.statistician, preview)
    assert stored_values() == []


def test_a_report_already_forwarded_is_not_changed(setup: Setup) -> None:
    report = setup.report(setup.chain.version)
    data = fill(excel.export_reports([report], filled=False), {"C7": 4}, sheet="Biểu 01")
    reports.forward_report(setup.statistician, report)
    preview = excel.parse_upload(data, setup.statistician)
    assert any("Chờ phê duyệt" in b for b in preview.blockers)
    with pytest.raises(DomainError) as refused:
        uploads.apply_upload(setup.statistician, preview)
    assert refused.value.code == "not_editable" and "Biểu 01" in refused.value.message
    assert setup.report(setup.chain.version).state == ReportState.PENDING_APPROVAL and own(report) == {}


def test_validation_problems_of_the_would_be_figures_are_shown(setup: Setup) -> None:
    """Form 01 rule V1: row 2 must not exceed row 1 in column 1 (blocks forwarding, not saving)."""
    data = fill(excel.export_reports([setup.report(setup.chain.version)], False), {"C7": 1, "C8": 5}, sheet="Biểu 01")
    preview = excel.parse_upload(data, setup.statistician)
    assert [p.rule_code for p in preview.reports[0].blocking_problems] == ["V1"]
    assert preview.can_apply


def test_an_unchanged_workbook_has_nothing_to_apply(setup: Setup) -> None:
    preview = excel.parse_upload(excel.export_reports([setup.report()], filled=True), setup.statistician)
    assert preview.reports[0].differences == [] and not preview.can_apply
    with pytest.raises(DomainError) as nothing:
        uploads.apply_upload(setup.statistician, preview)
    assert nothing.value.code == "no_changes"
