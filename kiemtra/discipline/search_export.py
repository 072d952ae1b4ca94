"""The search results as an .xlsx workbook: one row per decision, the header in Vietnamese, dates as dates.

Text cells are written as text whatever they start with (a name or a violation
starting with "=" never becomes a formula: ``kiemtra.core.exports``).
A classified decision withheld from the reader shows "Mật" instead of the name
and nothing of its other personal details. The rows stop at ``EXPORT_CAP``; the
notes sheet says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from kiemtra.core import exports
from kiemtra.core.downloads import XLSX_CONTENT_TYPE

from .models import Decision, Details
from .services import records

EXPORT_CAP = 50_000
CHUNK = 2_000
DATE_FORMAT = "DD/MM/YYYY"
CONTENT_TYPE = XLSX_CONTENT_TYPE

# (header, width): the columns of the sheet, in order.
COLUMNS: tuple[tuple[Any, int], ...] = (
    (gettext_lazy("Số quyết định"), 22),
    (gettext_lazy("Ngày ban hành"), 13),
    (gettext_lazy("Cơ quan ban hành"), 36),
    (gettext_lazy("Cấp ban hành"), 24),
    (gettext_lazy("Nhiệm kỳ"), 9),
    (gettext_lazy("Đối tượng"), 13),
    (gettext_lazy("Họ tên / tên tổ chức"), 28),
    (gettext_lazy("Năm sinh"), 9),
    (gettext_lazy("Giới tính"), 9),
    (gettext_lazy("Chức vụ"), 36),
    (gettext_lazy("Cấp chức vụ"), 22),
    (gettext_lazy("Đơn vị công tác"), 30),
    (gettext_lazy("Tỉnh, thành"), 26),
    (gettext_lazy("Hình thức kỷ luật"), 16),
    (gettext_lazy("Nội dung vi phạm (danh mục)"), 36),
    (gettext_lazy("Vi phạm"), 60),
    (gettext_lazy("Ngày hiệu lực"), 13),
    (gettext_lazy("Độ mật"), 9),
    (gettext_lazy("Đơn vị quản lý"), 30),
)


@dataclass
class Exported:
    content: bytes
    rows: int
    more: bool  # the search found more than EXPORT_CAP decisions
    classified_read: int  # classified decisions whose details went into the file


def _text(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A text cell Excel shows as text, whatever it starts with (formula injection)."""
    return exports.text_cell(sheet, value or "")


def _date(sheet: WriteOnlyWorksheet, value: dt.date | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if value is not None:
        cell.number_format = DATE_FORMAT
    return cell


def _row(sheet: WriteOnlyWorksheet, decision: Decision, details: Details | None) -> list[WriteOnlyCell]:
    withheld = details is None
    shown = details or Details()
    categories = "; ".join(c.name for c in decision.categories.all())
    return [
        _text(sheet, decision.number),
        _date(sheet, decision.issued_on),
        _text(sheet, decision.issuing_body),
        _text(sheet, decision.get_issuing_level_display()),
        _text(sheet, decision.term),
        _text(sheet, decision.get_subject_type_display()),
        _text(sheet, _("Mật") if withheld else shown.subject_name),
        WriteOnlyCell(sheet, value=decision.birth_year),
        _text(sheet, decision.get_gender_display()),
        _text(sheet, "; ".join(shown.positions)),
        _text(sheet, decision.get_position_level_display()),
        _text(sheet, shown.subject_unit),
        _text(sheet, decision.province.name if decision.province else ""),
        _text(sheet, decision.get_penalty_display()),
        _text(sheet, categories),
        _text(sheet, shown.violations),
        _date(sheet, decision.effective_on),
        _text(sheet, decision.get_confidentiality_display()),
        _text(sheet, decision.unit.name),
    ]


def _chunks(decisions: QuerySet[Decision]) -> Iterator[list[Decision]]:
    chunk: list[Decision] = []
    for decision in decisions.iterator(chunk_size=CHUNK):
        chunk.append(decision)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def build(actor: Any, decisions: QuerySet[Decision], notes: Iterable[str]) -> Exported:
    """The workbook of ``decisions`` (already scoped and sorted) as ``actor`` may see them."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Quyết định kỷ luật")[:31])
    for i, (_header, width) in enumerate(COLUMNS):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for title, _width in COLUMNS:
        cell = _text(sheet, str(title))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)

    rows, more, classified = 0, False, 0
    capped = decisions.select_related("unit", "province").prefetch_related("categories").defer("search_text")
    for chunk in _chunks(capped[: EXPORT_CAP + 1]):
        if rows + len(chunk) > EXPORT_CAP:
            more = True
            chunk = chunk[: EXPORT_CAP - rows]
        details = records.visible_details(actor, chunk)
        for decision in chunk:
            shown = details[decision.pk]
            classified += decision.is_classified and shown is not None
            sheet.append(_row(sheet, decision, shown))
        rows += len(chunk)

    info = book.create_sheet(_("Ghi chú"))
    info.column_dimensions["A"].width = 110
    for line in notes:
        info.append([_text(info, line)])
    if more:
        cap = f"{EXPORT_CAP:,}".replace(",", ".")
        line = _("Tệp chỉ gồm %(n)s quyết định đầu tiên theo thứ tự đã chọn; hãy lọc hẹp hơn để xuất phần còn lại.")
        info.append([_text(info, line % {"n": cap})])
    info.append([_text(info, _("Ô họ tên ghi “Mật”: quyết định mật, người xuất không được đọc nội dung."))])
    info.append([_text(info, _("Lập lúc %(at)s.") % {"at": f"{timezone.localtime():%d/%m/%Y %H:%M}"})])
    return Exported(content=exports.xlsx_bytes(book), rows=rows, more=more, classified_read=classified)
