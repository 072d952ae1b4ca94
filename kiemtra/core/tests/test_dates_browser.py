"""Dates in a browser set to English are still entered and shown as dd/mm/yyyy (issue 10, item 5).

The browser's own date input follows the browser's language: in an English browser
7 December showed as 12/07/2026 and an official read 12 July. The system admin here
walks from the home page with an en-US browser, opens a period typing 07/12/2026
and picking another day with the calendar by keyboard, sees the dates back as
dd/mm/yyyy, is refused a date that does not exist with the field named, and filters
the audit log by a date typed the same way.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from kiemtra.conftest import TEST_PASSWORD, PageWatch, browser_sign_in
from kiemtra.stats.models import ReportingPeriod
from kiemtra.stats.tests.factories import make_chain

pytestmark = pytest.mark.browser


def months_later(day: dt.date, n: int) -> dt.date:
    """What the calendar's PageDown does, n times: the same day a month on, or that month's last day."""
    for _ in range(n):
        year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
        day = dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return day


@pytest.mark.django_db(transaction=True)
def test_dates_are_dd_mm_yyyy_in_an_english_browser(live_server: Any, browser: Any) -> None:
    from playwright.sync_api import expect

    chain = make_chain()
    base = live_server.url
    page = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    watch = PageWatch(page, base)
    assert page.evaluate("navigator.language") == "en-US"
    browser_sign_in(page, base, chain.sysadmin.identifier_code, TEST_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.locator("nav.sidebar").get_by_role("link", name="Kỳ báo cáo").first.click()
    page.get_by_text("Mở kỳ báo cáo mới").click()

    start = page.get_by_label("Số liệu từ ngày")
    assert start.get_attribute("type") == "text" and start.get_attribute("placeholder") == "dd/mm/yyyy"
    page.get_by_label("Mã kỳ").fill("2027-6T")
    page.get_by_label("Tên kỳ báo cáo").fill("Kỳ thử ngày tháng")
    start.fill("31/02/2027")  # no such day
    cutoff = page.get_by_label("Thời điểm chốt số liệu")
    # The calendar, by keyboard: it opens on today, PageDown twice moves two months on, an arrow a day,
    # Escape closes without choosing, Enter chooses.
    cutoff.focus()
    cutoff.press("Alt+ArrowDown")
    calendar_panel = page.get_by_role("dialog", name="Chọn ngày")
    expect(calendar_panel).to_be_visible()
    page.keyboard.press("Escape")
    expect(calendar_panel).to_be_hidden()
    expect(cutoff).to_have_value("")
    page.get_by_role("button", name="Mở lịch chọn ngày").nth(1).click()
    expect(calendar_panel).to_be_visible()
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(calendar_panel).to_be_hidden()
    chosen = months_later(timezone.localdate(), 2) + dt.timedelta(days=1)
    expect(cutoff).to_have_value(chosen.strftime("%d/%m/%Y"))
    deadline = chosen + dt.timedelta(days=10)
    page.get_by_label("Thời hạn báo cáo").fill(f"{deadline:%d/%m/%Y} 17:00")
    page.get_by_label("Biểu 01", exact=False).first.check()
    page.get_by_role("button", name="Mở kỳ", exact=True).click()
    expect(page.locator(".invalid-feedback")).to_contain_text(
        "Số liệu từ ngày: hãy nhập ngày theo dạng dd/mm/yyyy, ví dụ 07/12/2026."
    )
    assert not ReportingPeriod.objects.filter(code="2027-6T").exists()

    page.get_by_label("Số liệu từ ngày").fill("07/12/2026")
    page.get_by_role("button", name="Mở kỳ", exact=True).click()
    expect(page.get_by_role("heading", name="Kỳ thử ngày tháng")).to_be_visible()
    period = ReportingPeriod.objects.get(code="2027-6T")
    assert period.data_start == dt.date(2026, 12, 7)  # 7 December, not 12 July
    assert period.data_cutoff == chosen
    assert timezone.localtime(period.deadline).replace(tzinfo=None) == dt.datetime.combine(deadline, dt.time(17))
    main = page.locator("main")
    expect(main).to_contain_text(f"Số liệu từ 07/12/2026 đến {chosen:%d/%m/%Y}")
    expect(main).to_contain_text(f"17:00 {deadline:%d/%m/%Y}")  # Vietnam time

    # The audit log, filtered by a day typed dd/mm/yyyy.
    page.locator("nav.sidebar").get_by_role("link", name="Nhật ký truy vết").first.click()
    today = timezone.localdate()
    page.get_by_label("Từ ngày").fill(f"{today:%d/%m/%Y}")
    page.get_by_label("Đến ngày").fill(f"{today:%d/%m/%Y}")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_label("Từ ngày")).to_have_value(f"{today:%d/%m/%Y}")
    expect(page.get_by_test_id("audit-table")).to_contain_text("Mở kỳ báo cáo")
    tomorrow = today + dt.timedelta(days=1)
    page.get_by_label("Từ ngày").fill(f"{tomorrow:%d/%m/%Y}")
    page.get_by_label("Đến ngày").fill("")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_test_id("audit-table")).to_contain_text("Không có sự kiện.")
    assert watch.problems == [], watch.problems
