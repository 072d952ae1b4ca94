"""The check every browser test runs (``PageWatch``): no word of the English catalogue on a Vietnamese page."""

from __future__ import annotations

from typing import Any

import pytest

from kiemtra.conftest import PageWatch
from kiemtra.core.tests.english_words import english_found


def test_english_words_of_the_catalogue_are_found_whole_and_in_any_case() -> None:
    assert english_found("Trang chủ · central: 1 · commune: 3321") == ["central", "commune"]
    assert english_found("Report SAVED.") == ["report", "saved"]
    assert english_found("Báo cáo đã lưu") == []


def test_vietnamese_written_without_marks_code_and_addresses_are_not_english() -> None:
    """Words that are also Vietnamese syllables (can, to, the…) and words of the Vietnamese msgids pass."""
    assert english_found("Can bo to chuc the dang vien, Excel, PDF, VNeID") == []
    assert english_found("stats.report.values_saved tw.thongke https://example.org/report a@b.vn V1-R3") == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_page_watch_reports_english_left_on_a_page_and_ignores_code(live_server: Any, browser: Any) -> None:
    base = live_server.url
    page = browser.new_context(locale="vi-VN").new_page()
    watch = PageWatch(page, base)
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    assert watch.problems == [], watch.problems  # the sign-in page itself is Vietnamese
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<code>report saved</code><p>Đã lưu.</p>')")
    assert watch.problems == []
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<input placeholder=\"Search accounts\">')")
    problems = watch.problems
    assert len(problems) == 1 and problems[0].startswith("English on /tai-khoan/dang-nhap/:"), problems
    assert "accounts" in problems[0]
