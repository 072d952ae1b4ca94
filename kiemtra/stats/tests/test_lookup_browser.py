"""The look-up page in a real browser (Debian's chromium through Playwright, against ``live_server``).

A provincial statistician opens the look-up: the pivot, the ECharts chart and the
dot-map draw under the strict CSP (no inline script or style), the chart switches
between bars and lines, and a unit found by typing its name without diacritics
(htmx) is added to the table. No console error, no CSP violation, no failed file.
"""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from kiemtra.conftest import TEST_PASSWORD, PageWatch, browser_sign_in
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats.services import reports
from kiemtra.stats.tests.factories import make_chain

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)  # live_server: the server thread must see committed data
def test_lookup_draws_table_chart_and_map_under_the_csp(live_server, browser) -> None:
    from playwright.sync_api import expect

    chain = make_chain()
    chain.open()
    tree = chain.tree
    ba_dinh, ngoc_ha = chain.communes
    for unit, (lat, lon) in {
        tree.province: ("21.0285", "105.8542"),
        ba_dinh: ("21.0340", "105.8140"),
        ngoc_ha: ("21.0380", "105.8290"),
    }.items():
        OrgUnit.objects.filter(pk=unit.pk).update(latitude=Decimal(lat), longitude=Decimal(lon))
    for unit, n in ((ba_dinh, 10), (ngoc_ha, 5), (tree.province, 2)):
        report = chain.report(unit)
        reports.save_values(chain.statistician[unit.pk], report, chain.cells(R1_C1=n), expected_revision=0)
    report = chain.report(ba_dinh)
    reports.forward_report(chain.statistician[ba_dinh.pk], report)
    reports.approve_report(chain.approver[ba_dinh.pk], report)
    statistician = chain.statistician[tree.province.pk]
    base = live_server.url

    page = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(10_000)
    watch = PageWatch(page, base)
    browser_sign_in(page, base, statistician.identifier_code, TEST_PASSWORD)
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/thong-ke/tra-cuu/?form=01&row=1&column=1")
    pivot = page.get_by_test_id("pivot")
    expect(pivot).to_contain_text(ba_dinh.name)
    expect(pivot.locator("tr", has_text=ngoc_ha.name).locator("td")).to_have_text("5*")
    expect(pivot.locator("tr", has_text=ba_dinh.name).locator("td")).to_have_text("10")
    expect(page.get_by_test_id("lookup-what")).to_contain_text("số liệu tạm thời")
    expect(page.locator("#lookup-chart canvas")).to_have_count(1)
    expect(page.locator("#lookup-map canvas")).to_have_count(1)
    page.get_by_role("button", name="Cột", exact=True).click()
    expect(page.get_by_role("button", name="Cột", exact=True)).to_have_class("btn btn-outline-secondary active")

    # Remove the default tree, then add Ngọc Hà found without diacritics.
    page.get_by_label("Các đơn vị cấp dưới của").select_option(label="— không chọn —")
    page.get_by_label("Thêm đơn vị (tên hoặc mã, gõ không dấu được)").fill("ngoc ha")
    found = page.get_by_test_id("unit-results")
    expect(found).to_contain_text(ngoc_ha.name)
    found.get_by_label(ngoc_ha.name, exact=False).check()
    page.get_by_role("button", name="Xem số liệu").click()
    page.wait_for_url(f"{base}/thong-ke/tra-cuu/?**")
    expect(pivot.locator("tbody tr")).to_have_count(1)
    expect(pivot).to_contain_text(ngoc_ha.name)
    if os.environ.get("KIEMTRA_SCREENSHOTS"):
        page.goto(f"{base}/thong-ke/tra-cuu/?form=01&row=1&column=1")
        page.screenshot(path=os.path.join(os.environ["KIEMTRA_SCREENSHOTS"], "lookup.png"), full_page=True)
    assert not watch.problems, watch.problems
    assert "/static/vendor/echarts/echarts.min.js" in watch.static_loaded
    assert "/static/stats/lookup.js" in watch.static_loaded
