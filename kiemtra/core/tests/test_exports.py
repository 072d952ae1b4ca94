"""Issue 8 item 8: every workbook and CSV the product writes holds text as text, never as a live formula."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from kiemtra.core import exports

HOSTILE = ['=HYPERLINK("http://x","bấm")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_that_starts_like_a_formula_is_written_as_text_in_a_workbook(text: str) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([text, 12])
    read = load_workbook(io.BytesIO(exports.xlsx_bytes(book))).active
    assert read is not None
    cell = read["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (
        text.replace("\r", "\n"),
        "s",
        True,
    )  # XML reads a CR as LF
    assert read["B1"].value == 12 and read["B1"].data_type == "n"


def test_a_write_only_sheet_gets_the_same_guard() -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("A")
    sheet.append(exports.cells(sheet, ["=1+1", "bình thường\x00", 5]))
    read = load_workbook(io.BytesIO(exports.xlsx_bytes(book))).worksheets[0]
    assert [c.value for c in read[1]] == ["=1+1", "bình thường", 5]
    assert read["A1"].data_type == "s" and read["A1"].quotePrefix


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_that_starts_like_a_formula_gets_an_apostrophe_in_a_csv(text: str) -> None:
    buffer = io.StringIO()
    exports.csv_writer(buffer).writerow([text, "-3", "1.234,5", "Hà Nội", 7])
    row = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert row == ["'" + text, "-3", "1.234,5", "Hà Nội", "7"]


def test_a_csv_download_is_utf8_with_a_byte_order_mark_and_private() -> None:
    response = exports.csv_attachment("a,b\r\n", "x.csv")
    assert response.content.startswith(b"\xef\xbb\xbf") and response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
