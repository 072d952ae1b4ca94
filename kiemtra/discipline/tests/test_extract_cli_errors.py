"""``kiemtra discipline extract``: a file with no decision, a too-long PDF and a text announcement (issues 8.12, 11)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from kiemtra.discipline.extraction.reading import ReadError, read_document
from kiemtra.discipline.tests.corpus import CORPUS


def run(*args: str) -> tuple[list[dict[str, object]], CommandError | None]:
    out = io.StringIO()
    error = None
    try:
        call_command("discipline", "extract", *args, "--json", stdout=out)
    except CommandError as exc:
        error = exc
    return [json.loads(line) for line in out.getvalue().splitlines()], error


def test_a_file_that_is_not_a_decision_prints_an_error_line_and_fails() -> None:
    """Issue 8.12: it used to print nothing and exit 0."""
    lines, error = run(str(CORPUS / "bad/giay-moi-hop.pdf"))
    assert lines == [
        {"file": str(CORPUS / "bad/giay-moi-hop.pdf"), "error": "not_decision", "message": lines[0]["message"]}
    ]
    assert "Không tìm thấy quyết định kỷ luật" in str(lines[0]["message"])
    assert error is not None  # call_command raises; the shell sees exit status 1


def test_a_pdf_over_the_page_limit_is_refused_before_its_pages_are_read() -> None:
    path = CORPUS / "digital/tap-quyet-dinh-01.pdf"  # several pages
    with override_settings(KIEMTRA_MAX_PDF_PAGES=1):
        with pytest.raises(ReadError) as caught:
            read_document(path)
        lines, error = run(str(path))
    assert caught.value.code == "too_many_pages"
    assert lines[0]["error"] == "too_many_pages" and "giới hạn 1 trang" in str(lines[0]["message"])
    assert error is not None


def test_an_announcement_in_plain_text_gives_its_decisions(tmp_path: Path) -> None:
    path = tmp_path / "thong-cao.txt"
    path.write_text(
        "Ngày 12/9/2024, Bộ Chính trị họp, xem xét, thi hành kỷ luật đảng viên vi phạm.\n"
        "Bộ Chính trị quyết định thi hành kỷ luật cảnh cáo đồng chí Phùng Văn Khang, nguyên Bí thư Tỉnh ủy "
        "Lào Cai; khiển trách đồng chí Giàng Thị Mỷ, Phó Chủ tịch Ủy ban nhân dân tỉnh Lào Cai.\n",
        encoding="utf-8",
    )
    lines, error = run(str(path))
    assert error is None
    assert [(x["subject_name"], x["penalty"], x["issuing_body"], x["date"]) for x in lines] == [
        ("Phùng Văn Khang", "warning", "Bộ Chính trị", "2024-09-12"),
        ("Giàng Thị Mỷ", "reprimand", "Bộ Chính trị", "2024-09-12"),
    ]
    assert all(x["term"] == "XIII" and "subject_term" in x for x in lines)
