"""Every workbook and CSV file the product writes, with the formula-injection guard inside.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel (or by a spreadsheet a CSV is opened in) as a formula: a unit named
``=HYPERLINK(…)`` would become a live link in someone's export. Here every text
is written as text:

- in a workbook, the cell is typed as a string and given Excel's quote prefix
  (``text_cell`` for write-only sheets, ``put_text`` for ordinary ones; and
  ``xlsx_bytes`` / ``xlsx_attachment`` pass over every text cell of an ordinary
  workbook before saving, so that ``sheet.append([...])`` is safe too);
- in a CSV, such a text gets a leading apostrophe (the usual defence: the file
  is data, not a sheet to be computed), numbers stay numbers.

Characters that XML 1.0 cannot hold are dropped from workbook text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell

from .downloads import XLSX_CONTENT_TYPE, attachment

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold; openpyxl raises on them.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A plain number written as text ("-3", "1.234,5") is not a formula and is left as it is in a CSV.
PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def risky(text: str) -> bool:
    """Would a spreadsheet read this text as a formula?"""
    return text.startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER.fullmatch(text)


def put_text(cell: Cell, value: Any) -> None:
    """Write text that Excel shows as text, whatever it starts with."""
    text = ILLEGAL_XML.sub("", str(value))
    cell.value = text
    # openpyxl turns a string starting with "=" into a formula; this keeps it a string…
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        # …and the quote prefix keeps Excel from re-reading it as one when the cell is edited.
        cell.quotePrefix = True


def text_cell(sheet: Any, value: Any) -> Cell:
    """A text cell for a write-only sheet (``Workbook(write_only=True)``)."""
    cell = WriteOnlyCell(sheet)
    put_text(cell, "" if value is None else value)
    return cell


def cells(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row for a write-only sheet: every text guarded, other values (numbers, dates, cells) as they are."""
    return [text_cell(sheet, v) if isinstance(v, str) else v for v in values]


def guard(book: Workbook) -> Workbook:
    """Every text cell of an ordinary workbook written as text (``sheet.append`` makes "=…" a formula)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    put_text(cell, cell.value)
    return book


def xlsx_bytes(book: Workbook) -> bytes:
    if not book.write_only:
        guard(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_attachment(book: Workbook, filename: str) -> HttpResponse:
    return attachment(xlsx_bytes(book), filename, XLSX_CONTENT_TYPE)


def csv_text(value: Any) -> Any:
    """A CSV field: a text a spreadsheet would compute gets a leading apostrophe."""
    if isinstance(value, str) and risky(value):
        return "'" + value
    return value


class CsvWriter:
    """``csv.writer`` with the guard on every field."""

    def __init__(self, buffer: io.StringIO) -> None:
        self._writer = csv.writer(buffer)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_text(v) for v in row])


def csv_writer(buffer: io.StringIO) -> CsvWriter:
    return CsvWriter(buffer)


def csv_attachment(text: str, filename: str) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that Excel opens the Vietnamese text correctly."""
    return attachment(("\ufeff" + text).encode(), filename, CSV_CONTENT_TYPE)
