"""Data entry in a real browser (Debian's chromium through Playwright, against ``live_server``).

A commune statistician types figures moving like in Excel (Tab, Enter, arrow keys),
pastes a 2×2 block copied from Excel, sees the computed totals and the checks follow,
reloads and finds everything saved; then someone else saves first and nothing typed
is lost. No console error and no CSP violation on the way.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from kiemtra.conftest import PageWatch
from kiemtra.stats.choices import CellType, PeriodType, Severity
from kiemtra.stats.models import Column, Form, FormVersion, Report, Row, ValidationRule
from kiemtra.stats.services import reports
from kiemtra.stats.tests.factories import Chain, make_chain

pytestmark = pytest.mark.browser


def make_form_02() -> FormVersion:
    """Four rows and their total; two columns and their total; a warning on row 4."""
    form = Form.objects.create(code="02", title="Thi hành kỷ luật đảng viên")
    version = FormVersion.objects.create(
        form=form, number=1, title=form.title, unit_categories=["central", "provincial", "commune"],
        period_types=[PeriodType.SIX_MONTHS],
    )  # fmt: skip
    rows = [("Khiển trách", ""), ("Cảnh cáo", ""), ("Cách chức", ""), ("Khai trừ", ""), ("Cộng", "R1 + R2 + R3 + R4")]
    for i, (label, formula) in enumerate(rows, 1):
        Row.objects.create(version=version, code=str(i), label=label, position=i, formula=formula)
    for i, (label, formula) in enumerate([("Đảng viên", ""), ("Cấp ủy viên", ""), ("Tổng", "C1 + C2")], 1):
        Column.objects.create(
            version=version, code=str(i), label=label, position=i, formula=formula, cell_type=CellType.INTEGER
        )
    ValidationRule.objects.create(
        version=version,
        code="W4",
        expression="R4_C2 <= 3",
        severity=Severity.WARNING,
        message="Số cấp ủy viên bị khai trừ cao bất thường",
    )
    return version


def label(row: str, column: str) -> str:
    rows = {"1": "Khiển trách", "2": "Cảnh cáo", "3": "Cách chức", "4": "Khai trừ"}
    columns = {"1": "Đảng viên", "2": "Cấp ủy viên"}
    return f"Dòng {row}. {rows[row]}, cột {column}. {columns[column]}"


def cell_number(chain: Chain, report: Report, row: str, column: str) -> Decimal:
    r = chain.version.rows.get(code=row).pk
    c = chain.version.columns.get(code=column).pk
    value = report.values.filter(row_id=r, column_id=c).values_list("number", flat=True).first()
    return value if value is not None else Decimal(0)


@pytest.mark.django_db(transaction=True)  # live_server: the server thread must see committed data
def test_excel_like_entry_paste_autosave_reload_and_a_conflict(live_server, browser) -> None:
    from playwright.sync_api import expect

    chain = make_chain()
    chain.version = make_form_02()
    chain.open()
    commune = chain.communes[0]
    report = chain.report(commune)
    statistician = chain.statistician[commune.pk]
    base = live_server.url
    page_path = f"/thong-ke/bao-cao/{report.pk}/"
    save_path = f"{page_path}luu/"

    client = Client()
    client.force_login(statistician)
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = PageWatch(page, base, allowed_statuses={save_path: {400, 409}})  # the conflict and the bad value below
    page.goto(base + page_path)
    expect(page.get_by_role("heading", name="Biểu 02 — Thi hành kỷ luật đảng viên")).to_be_visible()

    def cell(row: str, column: str):
        return page.get_by_label(label(row, column), exact=True)

    def focused() -> str:
        return page.evaluate("document.activeElement.getAttribute('aria-label') || ''")

    # Type and move like in Excel: Tab right, Enter down, arrows anywhere; computed cells are skipped.
    cell("1", "1").click()
    page.keyboard.type("1.234")  # Vietnamese thousands separator
    page.keyboard.press("Tab")
    assert focused() == label("1", "2")
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    assert focused() == label("2", "2")
    page.keyboard.press("ArrowLeft")
    assert focused() == label("2", "1")
    page.keyboard.type("8")
    page.keyboard.press("Tab")
    page.keyboard.type("7")
    page.keyboard.press("ArrowDown")
    assert focused() == label("3", "2")
    page.keyboard.press("ArrowLeft")
    assert focused() == label("3", "1")
    page.keyboard.press("Shift+Tab")
    assert focused() == label("2", "2")
    page.keyboard.press("Shift+Enter")
    assert focused() == label("1", "2")
    cell("3", "1").focus()

    # Paste a 2×2 block copied from Excel into rows 3–4, columns 1–2.
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.setData('text/plain', '1\\t2\\n3\\t4\\n');
            document.activeElement.dispatchEvent(
                new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }"""
    )
    expect(cell("4", "2")).to_have_value("4")
    expect(cell("3", "2")).to_have_value("2")

    # Autosave: the status, the computed totals and the checks follow.
    status = page.get_by_test_id("save-status")
    expect(status).to_contain_text("Đã lưu lúc")
    table = page.get_by_test_id("entry-table")
    expect(table.locator("tr", has_text="Cộng").locator("td").nth(2)).to_have_text("1.264")
    expect(table.locator("tr", has_text="Khiển trách").locator("td").nth(2)).to_have_text("1.239")
    expect(page.get_by_test_id("problems")).to_contain_text("Số cấp ủy viên bị khai trừ cao bất thường")
    expect(page.get_by_test_id("problems")).to_contain_text("Cảnh báo")

    # Reload: everything was stored.
    page.reload()
    expect(cell("1", "1")).to_have_value("1.234")
    expect(cell("2", "1")).to_have_value("8")
    expect(cell("2", "2")).to_have_value("7")
    expect(cell("4", "1")).to_have_value("3")
    expect(table.locator("tr", has_text="Cộng").locator("td").nth(2)).to_have_text("1.264")
    report.refresh_from_db()
    assert [cell_number(chain, report, r, c) for r, c in (("1", "1"), ("1", "2"), ("3", "2"), ("5", "3"))] == [
        1234,
        5,
        2,
        1264,
    ]

    # Someone else (the province, entering on behalf) saves first; the statistician keeps typing.
    reports.save_values(
        chain.statistician[chain.tree.province.pk],
        report,
        chain.cells(R1_C1=2000),
        expected_revision=report.revision,
    )
    cell("4", "1").fill("30")
    conflict = page.get_by_test_id("conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Biểu 02, dòng 1, cột 1: 2.000")
    expect(cell("4", "1")).to_have_value("30")  # nothing typed is lost
    conflict.get_by_role("button", name="Hợp nhất").click()
    expect(conflict).to_be_hidden()
    expect(status).to_contain_text("Đã lưu lúc")
    expect(cell("1", "1")).to_have_value("2.000")
    expect(table.locator("tr", has_text="Cộng").locator("td").nth(2)).to_have_text("2.057")
    report.refresh_from_db()
    assert cell_number(chain, report, "4", "1") == 30 and cell_number(chain, report, "1", "1") == 2000

    # A bad value is marked on its cell with the message; the other cells still save.
    cell("2", "1").fill("abc")
    cell("2", "2").fill("9")
    expect(page.get_by_test_id("cell-errors")).to_contain_text("Biểu 02, dòng 2, cột 1: 'abc' không phải là số")
    expect(cell("2", "1")).to_have_attribute("aria-invalid", "true")
    expect(status).to_contain_text("1 ô nhập sai chưa được lưu")
    report.refresh_from_db()
    assert cell_number(chain, report, "2", "2") == 9 and cell_number(chain, report, "2", "1") == 8
    context.close()

    assert watch.problems == [], "\n".join(watch.problems)
