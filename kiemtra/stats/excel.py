"""Report forms as Excel workbooks: download to fill in, upload to store, consolidated exports.

Officials prepare their figures in Excel (Kế hoạch triển khai: "các biểu mẫu Excel ban
hành kèm Quyết định 2011"), so the software hands out each form as a workbook and
takes it back. What a downloaded workbook carries:

- one sheet per report ("Biểu 05"), the grid of the form version laid out as on paper;
  input cells unlocked, everything else locked by sheet protection, and the workbook
  structure locked (no sheets added, renamed or unhidden);
- a ``veryHidden`` sheet "_kiemtra" identifying every sheet (form version, unit, period,
  report, revision) with an HMAC under ``settings.SECRET_KEY``: a hand-edited
  identification is detected, a workbook of another unit, period or version refused.

Computed cells are written as **values**, not Excel formulas: openpyxl cannot store the
cached result of a formula, so viewers that do not recalculate (previews, phones, our own
reader) would show blanks; the form's expression language is not Excel's either; and the
upload ignores those cells and recomputes them. The cost: totals in a workbook being
filled do not update while typing (the preview after upload shows them).

Uploading is two steps. ``parse_upload`` reads and checks everything, stores nothing and
returns an ``UploadPreview`` (differences, cell errors, validation problems); the view
keeps the file itself server-side and ``apply_upload`` saves every report of it through
``services.reports.save_values`` in one transaction, quoting the revision recorded at
download, so a report changed since then is refused as stale and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kiemtra.accounts import policies
from kiemtra.core.errors import DomainError
from kiemtra.core.text import nfc
from kiemtra.orgs.models import OrgUnit

from .choices import CellType, ReportState
from .grid import Cell, CellError, Grid, Problem
from .models import FormVersion, Report, ReportingPeriod
from .services import reports as report_services
from .services import rollup
from .services.transitions import ensure_writable
from .services.uploads import stale_message

# --- layout (shared by export and import: the upload finds cells where the export put them)

TITLE_ROW, UNIT_ROW, PERIOD_ROW, NOTE_ROW = 1, 2, 3, 4
HEADER_ROW = 5  # column labels
CODE_ROW = 6  # column codes "1", "2"…: what the upload checks the columns against
FIRST_ROW = 7  # first indicator
CODE_COL, LABEL_COL, FIRST_COL = 1, 2, 3  # A: row code, B: row label, C…: the cells

ID_SHEET = "_kiemtra"
ID_FORMAT = "kiemtra-xlsx/1"
ID_FIELDS = (
    "sheet",
    "kind",
    "form_code",
    "version_id",
    "version_number",
    "unit_code",
    "period_code",
    "report_id",
    "revision",
    "exported_at",
)
KIND_ENTRY = "nhap-lieu"  # a form to fill in and upload
KIND_CONSOLIDATED = "tong-hop"  # a read-only export of consolidated figures, never taken back

# Limits on what an upload may be, checked before openpyxl parses anything.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a zip bomb is refused before it is inflated
MAX_SHARED_STRINGS_BYTES = 8 * 1024 * 1024  # the one part read whole, even in read-only mode
MAX_SHEETS = 100  # identification rows read at most (one per form sheet)

# Text Excel (or a spreadsheet that a CSV passes through) could take for a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold; openpyxl raises on them, so they are dropped on export.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

GREY = PatternFill("solid", fgColor="E7E6E6")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _protection_password() -> str:
    """Derived from the secret key so nobody knows it, and the same on every app server.

    Excel stores only a 16-bit hash of it: the protection keeps the structure from being
    changed by mistake, it is not what guards the data (the HMAC and the upload checks are).
    """
    return salted_hmac("kiemtra.stats.excel.protection", "sheet", algorithm="sha256").hexdigest()[:20]


def _sign(values: Sequence[str], secret: str | None = None) -> str:
    return salted_hmac(
        "kiemtra.stats.excel.identification", "\x1f".join(values), secret=secret, algorithm="sha256"
    ).hexdigest()


def _signed(values: Sequence[str], signature: str) -> bool:
    """Checked against the current key and the fallbacks, so a key rotation does not refuse
    every workbook downloaded before it as tampered."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(signature, _sign(values, secret)) for secret in secrets)


def _put_text(cell: XlCell, value: str) -> None:
    """Write text that Excel shows as text, whatever it starts with (formula injection)."""
    value = ILLEGAL_XML.sub("", value)
    cell.value = value
    # openpyxl turns a string starting with "=" into a formula; this keeps it a string…
    cell.data_type = "s"
    if value.startswith(FORMULA_TRIGGERS):
        # …and the quote prefix keeps Excel from re-reading it as one when the cell is edited.
        cell.quotePrefix = True


def _sheet_title(version: FormVersion, taken: set[str]) -> str:
    base = SHEET_NAME_FORBIDDEN.sub("-", _("Biểu %(code)s") % {"code": version.form.code})[:28]
    title, n = base, 2
    while title.casefold() in taken or title == ID_SHEET:
        title = f"{base} ({n})"
        n += 1
    taken.add(title.casefold())
    return title


def _number_format(cell_type: str, places: int) -> str:
    if cell_type == CellType.TEXT:
        return "@"  # text typed here stays text: "=…" is not turned into a formula by Excel
    if cell_type == CellType.DECIMAL and places:
        return "#,##0." + "0" * places
    return "#,##0"


def _period_line(period: ReportingPeriod) -> str:
    return _("Kỳ báo cáo: %(name)s (số liệu từ ngày %(start)s đến ngày %(end)s)") % {
        "name": period.name,
        "start": period.data_start.strftime("%d/%m/%Y"),
        "end": period.data_cutoff.strftime("%d/%m/%Y"),
    }


def _write_grid(
    ws: Worksheet, grid: Grid, report: Report, figures: rollup.Figures, *, title: str, note: str, entry: bool
) -> None:
    """The form laid out as on paper; ``entry`` unlocks the input cells and adds data validation."""
    last = FIRST_COL + len(grid.columns) - 1
    last_letter = get_column_letter(max(last, LABEL_COL))
    for row_no, text, font in (
        (TITLE_ROW, title, Font(bold=True, size=13)),
        (UNIT_ROW, _("Đơn vị báo cáo: %(unit)s") % {"unit": report.unit.name}, Font(bold=True)),
        (PERIOD_ROW, _period_line(report.period), Font()),
        (NOTE_ROW, note, Font(italic=True, color="595959")),
    ):
        ws.merge_cells(f"A{row_no}:{last_letter}{row_no}")
        cell = ws.cell(row_no, 1)
        _put_text(cell, text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True)

    headers = [(CODE_COL, _("Mã số"), "A"), (LABEL_COL, _("Chỉ tiêu"), "B")]
    headers += [(FIRST_COL + j, c.label, c.code) for j, c in enumerate(grid.columns)]
    for col_no, label, code in headers:
        for row_no, text in ((HEADER_ROW, label), (CODE_ROW, code)):
            cell = ws.cell(row_no, col_no)
            _put_text(cell, text)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = CENTRE
            cell.border = BOX
    ws.row_dimensions[HEADER_ROW].height = 45

    validations: dict[str, DataValidation] = {}
    for i, row in enumerate(grid.rows):
        r = FIRST_ROW + i
        code_cell, label_cell = ws.cell(r, CODE_COL), ws.cell(r, LABEL_COL)
        _put_text(code_cell, row.code)
        _put_text(label_cell, row.label)
        code_cell.alignment, label_cell.alignment = CENTRE, WRAP
        code_cell.border = label_cell.border = BOX
        if row.formula:
            label_cell.font = Font(bold=True)
        for j, column in enumerate(grid.columns):
            key = (row.pk, column.pk)
            cell = ws.cell(r, FIRST_COL + j)
            cell.border = BOX
            cell.number_format = _number_format(column.cell_type, column.decimal_places)
            value = figures.get(key)
            if isinstance(value, Decimal):
                # Integers go in as int so Excel shows "12", not "12.0000" from the database.
                cell.value = int(value) if value == value.to_integral_value() else value
            elif isinstance(value, str) and value:
                _put_text(cell, value)
            if grid.is_computed(key):
                cell.fill = GREY
                cell.font = Font(bold=True)
            elif entry:
                cell.protection = UNLOCKED
                validations.setdefault(column.cell_type, _validation(column.cell_type)).add(cell.coordinate)
    for dv in validations.values():
        ws.add_data_validation(dv)

    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 48
    for j, column in enumerate(grid.columns):
        ws.column_dimensions[get_column_letter(FIRST_COL + j)].width = 30 if column.cell_type == CellType.TEXT else 14
    ws.freeze_panes = ws.cell(FIRST_ROW, FIRST_COL)
    ws.page_setup.orientation = "landscape" if len(grid.columns) > 6 else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{CODE_ROW}"

    ws.protection.sheet = True
    ws.protection.password = _protection_password()
    # Widening a column or a row does not change the form; inserting or deleting does.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _validation(cell_type: str) -> DataValidation:
    """Excel refuses a bad entry as it is typed; the upload checks again (Excel can be bypassed)."""
    common: dict[str, Any] = {"allow_blank": True, "showErrorMessage": True, "errorTitle": _("Số liệu không hợp lệ")}
    if cell_type == CellType.INTEGER:
        return DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", error=_("Chỉ nhập số nguyên không âm."), **common
        )
    if cell_type == CellType.DECIMAL:
        return DataValidation(
            type="decimal",
            operator="between",
            formula1="-1E+15",
            formula2="1E+15",
            error=_("Chỉ nhập số."),
            **common,
        )
    return DataValidation(
        type="textLength", operator="lessThanOrEqual", formula1="4000", error=_("Tối đa 4000 ký tự."), **common
    )


def _identify(wb: Workbook, rows: list[list[str]]) -> None:
    ws = wb.create_sheet(ID_SHEET)
    # veryHidden: not listed by Excel's "Unhide" (only a macro can show it); with the
    # structure locked it cannot be renamed or deleted either.
    ws.sheet_state = "veryHidden"
    for col, text in enumerate((ID_FORMAT, _("Định danh biểu — không sửa")), 1):
        _put_text(ws.cell(1, col), text)
    for col, name in enumerate((*ID_FIELDS, "signature"), 1):
        _put_text(ws.cell(2, col), name)
    for r, values in enumerate(rows, 3):
        for col, text in enumerate((*values, _sign(values)), 1):
            _put_text(ws.cell(r, col), text)
    ws.protection.sheet = True
    ws.protection.password = _protection_password()


def _id_row(sheet: str, kind: str, report: Report) -> list[str]:
    return [
        sheet,
        kind,
        report.form_version.form.code,
        str(report.form_version_id),
        str(report.form_version.number),
        report.unit.code,
        report.period.code,
        str(report.pk),
        str(report.revision),
        timezone.now().isoformat(timespec="seconds"),
    ]


def _finish(wb: Workbook) -> bytes:
    wb.security = WorkbookProtection(workbookPassword=_protection_password(), lockStructure=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _grids(reports: Iterable[Report]) -> dict[int, Grid]:
    grids: dict[int, Grid] = {}
    for report in reports:
        if report.form_version_id not in grids:
            grids[report.form_version_id] = Grid.of(report.form_version)
    return grids


def export_reports(reports: Sequence[Report], filled: bool) -> bytes:
    """One sheet per report, to be filled in and uploaded; blank or with the report's own data."""
    if not reports:
        raise DomainError(_("Không có báo cáo nào để tải về."), code="nothing_to_export")
    wb = Workbook()
    wb.remove(wb.active)
    grids = _grids(reports)
    taken: set[str] = set()
    ids = []
    for report in reports:
        grid = grids[report.form_version_id]
        title = _sheet_title(report.form_version, taken)
        ws = wb.create_sheet(title)
        # Own data only: that is what the unit enters; computed cells are recomputed from it.
        figures = grid.compute(rollup.own_values(report)) if filled else {}
        note = _(
            "Nhập số liệu vào các ô nền trắng; ô nền xám do phần mềm tự tính khi tải lên. "
            "Không thêm, xóa dòng, cột hoặc trang tính: tệp sẽ bị từ chối."
        )
        _write_grid(
            ws,
            grid,
            report,
            figures,
            title=f"{title}: {report.form_version.title}".upper(),
            note=note,
            entry=True,
        )
        ids.append(_id_row(title, KIND_ENTRY, report))
    _identify(wb, ids)
    return _finish(wb)


def consolidated_figures(report: Report, grid: Grid | None = None) -> rollup.Figures:
    """Own + received subordinates; computed cells are recomputed over the consolidated inputs."""
    grid = grid or Grid.of(report.form_version)
    return grid.compute(rollup.consolidated(report))


def export_consolidated(report: Report) -> bytes:
    """The consolidated figures of one report, read-only (not a form to upload)."""
    grid = Grid.of(report.form_version)
    wb = Workbook()
    wb.remove(wb.active)
    title = _sheet_title(report.form_version, set())
    ws = wb.create_sheet(title)
    received = report_services.direct_subordinate_reports(report)
    note = _("Số liệu tổng hợp: số liệu của đơn vị và của %(n)s/%(total)s đơn vị cấp dưới đã tiếp nhận. %(state)s") % {
        "n": sum(1 for r in received if r.state == ReportState.RECEIVED),
        "total": len(received),
        "state": _("Trạng thái báo cáo: %(s)s.") % {"s": ReportState(report.state).label},
    }
    _write_grid(
        ws,
        grid,
        report,
        consolidated_figures(report, grid),
        title=_("BÁO CÁO TỔNG HỢP — %(t)s: %(title)s") % {"t": title, "title": report.form_version.title.upper()},
        note=note,
        entry=False,
    )
    _identify(wb, [_id_row(title, KIND_CONSOLIDATED, report)])
    return _finish(wb)


def export_subordinates(upper: Report | None, subordinates: Sequence[Report]) -> bytes:
    """One form of one period across a unit's direct subordinates, read-only: the unit's
    consolidated report first (when it has one), then one sheet per subordinate with its
    consolidated figures and its state, named by the unit's code."""
    if not subordinates:
        raise DomainError(_("Không có báo cáo nào của đơn vị cấp dưới để tải về."), code="nothing_to_export")
    wb = Workbook()
    wb.remove(wb.active)
    grids = _grids([*subordinates, *([upper] if upper else [])])
    taken: set[str] = {ID_SHEET.casefold()}
    ids = []
    for report in [*([upper] if upper else []), *subordinates]:
        grid = grids[report.form_version_id]
        if report is upper:
            title = SHEET_NAME_FORBIDDEN.sub("-", _("Tổng hợp"))
        else:
            title = SHEET_NAME_FORBIDDEN.sub("-", report.unit.code)[:28]
        base, n = title, 2
        while title.casefold() in taken:
            title, n = f"{base} ({n})", n + 1
        taken.add(title.casefold())
        ws = wb.create_sheet(title)
        note = _("Trạng thái báo cáo: %(s)s.") % {"s": ReportState(report.state).label}
        _write_grid(
            ws,
            grid,
            report,
            consolidated_figures(report, grid),
            title=_("BIỂU %(code)s: %(title)s")
            % {"code": report.form_version.form.code, "title": report.form_version.title.upper()},
            note=note,
            entry=False,
        )
        ids.append(_id_row(title, KIND_CONSOLIDATED, report))
    _identify(wb, ids)
    return _finish(wb)


# --- upload ---------------------------------------------------------------------


class UploadRefused(DomainError):
    """The file as a whole cannot be taken: every reason is listed, in Vietnamese."""

    def __init__(self, reasons: list[str], *, code: str) -> None:
        super().__init__(" ".join(reasons), code=code)
        self.reasons = reasons
        self.rows_read = 0


@dataclass
class Difference:
    address: str  # "F12"
    label: str  # "Dòng 2. Có vi phạm — cột 1. Đảng viên"
    old: str
    new: str
    computed: bool


@dataclass
class ReportPreview:
    report: Report
    sheet: str
    revision: int  # the revision the workbook was downloaded at
    values: dict[Cell, Decimal | str | None]  # every input cell, None = empty
    differences: list[Difference] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # cells that could not be read
    problems: list[Problem] = field(default_factory=list)  # validation of the would-be figures
    blockers: list[str] = field(default_factory=list)  # why saving would be refused (stale, locked…)

    @property
    def changed(self) -> bool:
        return any(not d.computed for d in self.differences)

    @property
    def blocking_problems(self) -> list[Problem]:
        return Grid.blocking(self.problems)


@dataclass
class UploadPreview:
    filename: str
    reports: list[ReportPreview]
    rows_read: int = 0  # rows read from the file: the form's size, never the file's

    @property
    def errors(self) -> list[str]:
        return [e for r in self.reports for e in r.errors]

    @property
    def blockers(self) -> list[str]:
        return [b for r in self.reports for b in r.blockers]

    @property
    def changed(self) -> list[ReportPreview]:
        return [r for r in self.reports if r.changed]

    @property
    def can_apply(self) -> bool:
        return not self.errors and not self.blockers and bool(self.changed)


def _read_bytes(file: IO[bytes] | bytes) -> bytes:
    if isinstance(file, bytes):
        return file
    data = file.read(MAX_UPLOAD_BYTES + 1)
    return data if isinstance(data, bytes) else bytes(data)


def _open(data: bytes) -> Workbook:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            [_("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}], code="too_large"
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # The OLE container: Excel 97-2003 .xls, or an .xlsx with a password to open.
        raise UploadRefused(
            [
                _(
                    "Tệp là định dạng Excel cũ (.xls) hoặc đã đặt mật khẩu mở tệp: hãy lưu lại dưới dạng Excel "
                    "Workbook (.xlsx), không đặt mật khẩu, rồi tải lên."
                )
            ],
            code="not_xlsx",
        )
    not_xlsx = _("Tệp không phải là bảng tính Excel (.xlsx). Hãy tải lên đúng tệp biểu mẫu đã tải về từ phần mềm.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            # Read whole even in read-only mode: our forms' labels are a few kilobytes.
            strings = sum(info.file_size for info in archive.infolist() if info.filename == "xl/sharedStrings.xml")
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRefused([not_xlsx], code="not_xlsx") from None
    if "xl/workbook.xml" not in names:
        # A Word document or another Office/zip file renamed to .xlsx.
        if "word/document.xml" in names:
            raise UploadRefused(
                [_("Tệp là văn bản Word đổi đuôi, không phải bảng tính Excel (.xlsx).")], code="not_xlsx"
            )
        raise UploadRefused([not_xlsx], code="not_xlsx")
    if unpacked > MAX_UNPACKED_BYTES or strings > MAX_SHARED_STRINGS_BYTES:
        raise UploadRefused([_("Tệp có nội dung quá lớn, không xử lý được.")], code="too_large")
    try:
        # Read-only: sheets are streamed and read only as far as asked (``_Block``), so a
        # 200,000-row sheet costs the rows of the form, not the whole file.
        # Formulas are read as formulas (data_only=False): a number cell holding "=…" is refused.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False, rich_text=False)
    except Exception:  # openpyxl raises many types on a damaged file; the user gets one message
        raise UploadRefused(
            [_("Tệp Excel bị hỏng, không đọc được. Hãy mở lại bằng Excel, lưu thành .xlsx rồi tải lên.")],
            code="corrupt",
        ) from None


@dataclass
class _Identified:
    sheet: str
    kind: str
    version_id: int
    version_number: str
    form_code: str
    unit_code: str
    period_code: str
    report_id: int
    revision: int


class _Block:
    """The top-left block of a sheet (rows 1..``rows``, columns 1..``columns``), read once and no further."""

    def __init__(self, ws: Any, rows: int, columns: int, tally: list[int]) -> None:
        self.cells: dict[tuple[int, int], Any] = {}
        for r, row in enumerate(ws.iter_rows(min_row=1, max_row=rows, max_col=columns), start=1):
            tally[0] += 1
            for c, cell in enumerate(row, start=1):
                if cell.value is not None:
                    self.cells[(r, c)] = cell

    def value(self, row: int, column: int) -> Any:
        cell = self.cells.get((row, column))
        return None if cell is None else cell.value

    def is_formula(self, row: int, column: int) -> bool:
        cell = self.cells.get((row, column))
        return cell is not None and cell.data_type == "f"


def _identification(wb: Workbook, tally: list[int]) -> list[_Identified]:
    not_ours = _(
        "Tệp không có phần định danh của phần mềm Kiểm tra số: chỉ tải lên tệp biểu mẫu đã tải về từ phần mềm "
        "(trên trang báo cáo, chọn “Tải biểu Excel”)."
    )
    if ID_SHEET not in wb.sheetnames:
        raise UploadRefused([not_ours], code="no_identification")
    block = _Block(wb[ID_SHEET], 2 + MAX_SHEETS, len(ID_FIELDS) + 1, tally)
    if str(block.value(1, 1) or "") != ID_FORMAT:
        raise UploadRefused([not_ours], code="no_identification")
    found = []
    for r in range(3, 3 + MAX_SHEETS):
        cells = [block.value(r, c) for c in range(1, len(ID_FIELDS) + 2)]
        if all(v in (None, "") for v in cells):
            continue
        values = ["" if v is None else str(v) for v in cells[: len(ID_FIELDS)]]
        signature = "" if cells[-1] is None else str(cells[-1])
        if not _signed(values, signature):
            raise UploadRefused(
                [
                    _(
                        "Phần định danh của tệp (biểu, đơn vị, kỳ báo cáo) đã bị sửa nên không còn khớp chữ ký của "
                        "phần mềm: tệp bị từ chối. Hãy tải biểu mới từ phần mềm."
                    )
                ],
                code="tampered",
            )
        row = dict(zip(ID_FIELDS, values, strict=True))
        found.append(
            _Identified(
                sheet=row["sheet"],
                kind=row["kind"],
                version_id=int(row["version_id"]),
                version_number=row["version_number"],
                form_code=row["form_code"],
                unit_code=row["unit_code"],
                period_code=row["period_code"],
                report_id=int(row["report_id"]),
                revision=int(row["revision"]),
            )
        )
    if not found:
        raise UploadRefused([not_ours], code="no_identification")
    return found


def _check_identity(
    ident: _Identified,
    report: Report | None,
    *,
    expected_unit: OrgUnit | None,
    expected_period: ReportingPeriod | None,
    expected_version: FormVersion | None,
) -> list[tuple[str, str]]:
    """(code, reason) for every way the sheet is not the one the user meant to upload."""
    sheet = ident.sheet
    if ident.kind != KIND_ENTRY:
        return [
            (
                "not_entry_form",
                _(
                    "%(sheet)s: tệp là báo cáo tổng hợp xuất ra để xem, không phải biểu nhập liệu; hãy tải biểu nhập "
                    "liệu từ trang báo cáo."
                )
                % {"sheet": sheet},
            )
        ]
    if report is None:
        return [
            (
                "report_not_found",
                _("%(sheet)s: báo cáo của tệp không còn trong phần mềm (kỳ %(period)s, đơn vị %(unit)s).")
                % {"sheet": sheet, "period": ident.period_code, "unit": ident.unit_code},
            )
        ]
    reasons = []
    if report.unit.code != ident.unit_code or (expected_unit is not None and report.unit_id != expected_unit.pk):
        reasons.append(
            (
                "wrong_unit",
                _("%(sheet)s: tệp là biểu của đơn vị %(theirs)s, không phải của %(ours)s.")
                % {
                    "sheet": sheet,
                    "theirs": report.unit.name,
                    "ours": expected_unit.name if expected_unit else ident.unit_code,
                },
            )
        )
    if report.period.code != ident.period_code or (
        expected_period is not None and report.period_id != expected_period.pk
    ):
        reasons.append(
            (
                "wrong_period",
                _("%(sheet)s: tệp là số liệu kỳ “%(theirs)s”, không phải kỳ “%(ours)s”.")
                % {
                    "sheet": sheet,
                    "theirs": report.period.name,
                    "ours": expected_period.name if expected_period else ident.period_code,
                },
            )
        )
    version = report.form_version
    if expected_version is not None and expected_version.form_id != version.form_id:
        reasons.append(
            (
                "wrong_form",
                _("%(sheet)s: tệp là Biểu %(theirs)s, không phải Biểu %(ours)s.")
                % {"sheet": sheet, "theirs": ident.form_code, "ours": expected_version.form.code},
            )
        )
    elif version.pk != ident.version_id or (expected_version is not None and expected_version.pk != ident.version_id):
        current = expected_version or version
        reasons.append(
            (
                "wrong_version",
                _(
                    "%(sheet)s: tệp dùng Biểu %(form)s phiên bản %(theirs)s, nhưng báo cáo này dùng Biểu %(cform)s "
                    "phiên bản %(ours)s. Hãy tải biểu mới từ phần mềm."
                )
                % {
                    "sheet": sheet,
                    "form": ident.form_code,
                    "theirs": ident.version_number,
                    "cform": current.form.code,
                    "ours": current.number,
                },
            )
        )
    return reasons


def _form_block(ws: Any, grid: Grid, tally: list[int]) -> _Block:
    """The form's known size and one row more (to see figures added below the last indicator)."""
    return _Block(ws, FIRST_ROW + len(grid.rows), FIRST_COL + len(grid.columns) - 1, tally)


def _address(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"


def _check_layout(block: _Block, grid: Grid, sheet: str) -> str | None:
    """Rows and columns where the export put them: a sheet whose protection was removed and whose
    rows were moved would otherwise put figures in the wrong indicator."""
    for i, row in enumerate(grid.rows):
        value = block.value(FIRST_ROW + i, CODE_COL)
        if str(value if value is not None else "").strip() != row.code:
            return _("%(sheet)s: ô %(cell)s phải là mã chỉ tiêu “%(code)s”: cấu trúc biểu đã bị thay đổi.") % {
                "sheet": sheet,
                "cell": _address(FIRST_ROW + i, CODE_COL),
                "code": row.code,
            }
    for j, column in enumerate(grid.columns):
        value = block.value(CODE_ROW, FIRST_COL + j)
        if str(value if value is not None else "").strip() != column.code:
            return _("%(sheet)s: ô %(cell)s phải là mã cột “%(code)s”: cấu trúc biểu đã bị thay đổi.") % {
                "sheet": sheet,
                "cell": _address(CODE_ROW, FIRST_COL + j),
                "code": column.code,
            }
    extra = block.value(FIRST_ROW + len(grid.rows), FIRST_COL)
    if extra not in (None, ""):
        return _("%(sheet)s: có số liệu dưới dòng cuối của biểu: cấu trúc biểu đã bị thay đổi.") % {"sheet": sheet}
    return None


def _read_cells(block: _Block, grid: Grid, sheet: str) -> tuple[dict[Cell, Decimal | str | None], list[str]]:
    values: dict[Cell, Decimal | str | None] = {}
    errors: list[str] = []
    for i, row in enumerate(grid.rows):
        for j, column in enumerate(grid.columns):
            key = (row.pk, column.pk)
            if grid.is_computed(key):
                continue  # ours to fill: whatever the file holds there is ignored
            r, c = FIRST_ROW + i, FIRST_COL + j
            where = _("%(sheet)s, ô %(cell)s") % {"sheet": sheet, "cell": _address(r, c)}
            raw: object = block.value(r, c)
            if isinstance(raw, str):
                raw = nfc(raw)
            try:
                if block.is_formula(r, c) and column.cell_type == CellType.TEXT:
                    raise CellError(_("%(where)s: là công thức; chỉ nhập giá trị.") % {"where": where})
                value = grid.parse(key, raw, where)  # a number cell holding "=…" is "không phải là số"
            except CellError as exc:
                errors.append(str(exc))
                continue
            values[key] = value
    return values, errors


def _label(grid: Grid, key: Cell) -> str:
    row, column = grid.row_by_id[key[0]], grid.column_by_id[key[1]]
    return _("Dòng %(rc)s. %(row)s — cột %(cc)s. %(col)s") % {
        "rc": row.code,
        "row": row.label,
        "cc": column.code,
        "col": column.label,
    }


def _differences(
    grid: Grid, current: rollup.Figures, wanted: rollup.Figures, positions: dict[Cell, str]
) -> list[Difference]:
    order = {key: n for n, key in enumerate((r.pk, c.pk) for r in grid.rows for c in grid.columns)}
    cells = sorted((set(current) | set(wanted)) & set(order), key=order.__getitem__)
    found = []
    for key in cells:
        old, new = current.get(key), wanted.get(key)
        if old == new:
            continue
        computed = grid.is_computed(key)
        if computed and not old and not new:
            continue  # a total going from empty to 0 is not worth a line of the preview
        found.append(
            Difference(
                address=positions[key],
                label=_label(grid, key),
                old=rollup.text(old) if old is not None else "",
                new=rollup.text(new) if new is not None else "",
                computed=computed,
            )
        )
    if not any(not d.computed for d in found):
        return []  # totals of an untouched form "change" from empty to 0: not a difference
    return found


def _preview_report(block: _Block, grid: Grid, ident: _Identified, report: Report, now: dt.datetime) -> ReportPreview:
    values, errors = _read_cells(block, grid, ident.sheet)
    preview = ReportPreview(report=report, sheet=ident.sheet, revision=ident.revision, values=values, errors=errors)
    inputs = {key: v for key, v in values.items() if v is not None}
    wanted = grid.compute(inputs)
    current = rollup.own_values(report)
    positions = {
        (row.pk, column.pk): f"{get_column_letter(FIRST_COL + j)}{FIRST_ROW + i}"
        for i, row in enumerate(grid.rows)
        for j, column in enumerate(grid.columns)
    }
    preview.differences = _differences(grid, current, wanted, positions)
    # Validation over what the consolidated figures would be once this is saved.
    preview.problems = report_services.validate(report, grid.compute(rollup.plus_children(wanted, report)))
    if preview.changed:
        name = _("%(sheet)s (%(unit)s)") % {"sheet": ident.sheet, "unit": report.unit.name}
        if report.revision != ident.revision:
            preview.blockers.append(stale_message(name))
        if report.state != ReportState.DRAFT:
            preview.blockers.append(
                _("%(name)s: báo cáo đang ở trạng thái “%(state)s”, chỉ cập nhật được khi đang cập nhật.")
                % {"name": name, "state": ReportState(report.state).label}
            )
        else:
            try:
                ensure_writable(report, now)
            except DomainError as exc:
                preview.blockers.append(f"{name}: {exc.message}")
    return preview


def parse_upload(
    file: IO[bytes] | bytes,
    actor: Any,
    expected_unit: OrgUnit | None = None,
    expected_period: ReportingPeriod | None = None,
    *,
    expected_version: FormVersion | None = None,
    filename: str = "",
    now: dt.datetime | None = None,
) -> UploadPreview:
    """Read and check an uploaded workbook; stores nothing.

    Raises ``UploadRefused`` when the file as a whole cannot be taken (not an xlsx, not
    ours, tampered, wrong unit/period/version) and ``PolicyDenied`` when the actor may not
    enter the data of a report in it. Cell errors do not raise: they are listed, all of
    them, in the preview.
    """
    wb = _open(_read_bytes(file))
    tally = [0]  # rows read from the file, every sheet together
    try:
        return _parse(wb, actor, expected_unit, expected_period, expected_version, filename, now, tally)
    except UploadRefused as exc:
        exc.rows_read = tally[0]
        raise
    finally:
        wb.close()  # read-only mode keeps the archive open until closed


def _parse(
    wb: Workbook,
    actor: Any,
    expected_unit: OrgUnit | None,
    expected_period: ReportingPeriod | None,
    expected_version: FormVersion | None,
    filename: str,
    now: dt.datetime | None,
    tally: list[int],
) -> UploadPreview:
    # The identification first: a file that is not ours is refused before any form sheet is read.
    idents = _identification(wb, tally)
    by_id = {
        r.pk: r
        for r in Report.objects.filter(pk__in=[i.report_id for i in idents]).select_related(
            "unit", "period", "form_version__form"
        )
    }
    reasons: list[tuple[str, str]] = []
    seen: set[int] = set()
    for ident in idents:
        if ident.report_id in seen:
            reasons.append(("duplicate", _("%(sheet)s: báo cáo này có hai lần trong tệp.") % {"sheet": ident.sheet}))
        seen.add(ident.report_id)
        reasons += _check_identity(
            ident,
            by_id.get(ident.report_id),
            expected_unit=expected_unit,
            expected_period=expected_period,
            expected_version=expected_version,
        )
        if ident.sheet not in wb.sheetnames:
            reasons.append(("missing_sheet", _("Tệp thiếu trang tính “%(sheet)s”.") % {"sheet": ident.sheet}))
    if reasons:
        raise UploadRefused([text for _code, text in reasons], code=reasons[0][0])
    for ident in idents:
        # Permission after identification: the file says whose data it is, the policy decides.
        policies.require(actor, "stats.enter", by_id[ident.report_id].unit)
    grids = _grids(by_id.values())
    blocks = {
        ident.sheet: _form_block(wb[ident.sheet], grids[by_id[ident.report_id].form_version_id], tally)
        for ident in idents
    }
    layout = [
        problem
        for ident in idents
        if (problem := _check_layout(blocks[ident.sheet], grids[by_id[ident.report_id].form_version_id], ident.sheet))
    ]
    if layout:
        raise UploadRefused(layout, code="layout_changed")
    now = now or timezone.now()
    return UploadPreview(
        filename=filename,
        reports=[
            _preview_report(
                blocks[ident.sheet], grids[by_id[ident.report_id].form_version_id], ident, by_id[ident.report_id], now
            )
            for ident in idents
        ],
        rows_read=tally[0],
    )
