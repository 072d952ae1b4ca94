"""The analytics page in a real browser (Debian's chromium through Playwright, against ``live_server``).

The Centre's discipline administrator opens the analytics: the trend, the three
bar charts and the province dot-map draw under the strict CSP (no inline script
or style), the trend switches between lines and bars, choosing a province adds
its units' map, and a number of a table leads to the search with its filters.
No console error, no CSP violation, no failed file.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

import pytest

from kiemtra.conftest import TEST_PASSWORD, PageWatch, browser_sign_in

from .test_analytics import Data

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)  # live_server: the server thread must see committed data
def test_analytics_draws_charts_and_maps_under_the_csp(live_server, browser, org_tree) -> None:
    from playwright.sync_api import expect

    data = Data(org_tree)
    base = live_server.url
    page = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(10_000)
    # The search page may not be routed in every build of this module: its status is not this test's concern.
    watch = PageWatch(page, base)
    browser_sign_in(page, base, data.centre.identifier_code, TEST_PASSWORD)
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/ky-luat/phan-tich/")
    expect(page.get_by_test_id("analytics-total")).to_contain_text("5")
    for chart in ("chart-trend", "chart-penalty", "chart-category", "chart-position_level", "map-provinces"):
        expect(page.locator(f"#{chart} canvas")).to_have_count(1)
    page.get_by_role("button", name="Cột", exact=True).click()
    expect(page.get_by_role("button", name="Cột", exact=True)).to_have_class("btn btn-outline-secondary active")

    page.get_by_role("combobox", name="Tỉnh, thành", exact=True).select_option(label=data.tree.province.name)
    page.get_by_role("combobox", name="Tách theo").select_option(label="Hình thức kỷ luật")
    page.get_by_role("button", name="Xem phân tích").click()
    page.wait_for_url(f"{base}/ky-luat/phan-tich/?**")
    expect(page.locator("#map-units canvas")).to_have_count(1)
    expect(page.get_by_test_id("table-units")).to_contain_text(data.tree.commune.name)
    expect(page.get_by_test_id("table-trend")).to_contain_text("Khai trừ")

    link = page.get_by_test_id("table-penalty").get_by_role("link", name="1").first
    query = parse_qs(urlsplit(link.get_attribute("href") or "").query)
    assert query["province"] == [str(data.tree.province.pk)] and "penalty" in query
    if os.environ.get("KIEMTRA_SCREENSHOTS"):
        page.screenshot(
            path=os.path.join(os.environ["KIEMTRA_SCREENSHOTS"], "discipline-analytics.png"), full_page=True
        )
    assert not watch.problems, watch.problems
    assert "/static/vendor/echarts/echarts.min.js" in watch.static_loaded
    assert "/static/discipline/analytics.js" in watch.static_loaded
