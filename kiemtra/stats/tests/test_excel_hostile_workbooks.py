"""Hostile workbooks (issue 8.12): a huge sheet costs the form's size, not the file's; a file that is not
ours is refused on its identification, before any form sheet is read."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile

import pytest

from kiemtra.stats import excel
from kiemtra.stats.tests.test_excel_import import Setup, fill, make_setup, stored_values

pytestmark = pytest.mark.django_db
BIG = 200_000


@pytest.fixture
def setup() -> Setup:
    return make_setup()


def _with_rows_below(data: bytes, rows: int, column: str = "Z") -> bytes:
    """Every worksheet of the workbook gains ``rows`` numeric rows far below the form (as a script would)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", info.filename):
                start = 1000
                extra = "".join(
                    f'<row r="{r}"><c r="{column}{r}"><v>{r}</v></c></row>' for r in range(start, start + rows)
                )
                content = content.replace(b"</sheetData>", extra.encode() + b"</sheetData>")
            target.writestr(info, content)
    return out.getvalue()


def test_a_200000_row_workbook_is_read_only_as_far_as_the_form_goes(setup: Setup) -> None:
    """The rows read are the identification's and the form's, whatever the file holds below them."""
    data = _with_rows_below(fill(excel.export_reports([setup.report()], filled=False), {"C7": 3}), BIG)
    assert len(data) < excel.MAX_UPLOAD_BYTES  # the size limit alone does not stop it
    tracemalloc.start()
    try:
        preview = excel.parse_upload(data, setup.statistician)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    grid_rows = setup.report().form_version.rows.count()
    assert preview.rows_read <= (2 + excel.MAX_SHEETS) + excel.FIRST_ROW + grid_rows
    assert peak < 40 * 1024 * 1024  # loosely: about 100 MB when the whole file was parsed
    assert preview.can_apply and [d.new for d in preview.reports[0].differences if not d.computed] == ["3"]


def test_a_workbook_that_is_not_ours_is_refused_before_any_form_sheet_is_read(setup: Setup) -> None:
    """Identification first: a big foreign workbook costs a few rows, and nothing is stored."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Biểu 05"
    out = io.BytesIO()
    book.save(out)
    data = _with_rows_below(out.getvalue(), BIG, column="C")
    before = stored_values()
    with pytest.raises(excel.UploadRefused) as refused:
        excel.parse_upload(data, setup.statistician)
    assert refused.value.code == "no_identification"
    assert refused.value.rows_read == 0
    assert stored_values() == before
