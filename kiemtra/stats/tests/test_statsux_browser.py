"""What an official meets in the statistics pages, walked in a real browser from the home page (issue 10).

On the demo's forms and figures (``load_demo_statistics``): Excel and PDF one click from
the report page, the home card of waiting work, the province board as a filterable table
with per-row actions, and the entry grid that stays aligned on the widest form.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from kiemtra.conftest import TEST_PASSWORD, PageWatch, browser_sign_in
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats.choices import ReportState
from kiemtra.stats.demo import BA_DINH, load_demo_statistics
from kiemtra.stats.grid import Grid
from kiemtra.stats.models import Report
from kiemtra.stats.services import board, rollup
from kiemtra.stats.tests.test_demo_data import small_national_tree

S = ReportState
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo() -> None:
    small_national_tree()
    load_demo_statistics(timezone.now(), communes_per_province=4)


def _problems(watch: PageWatch) -> list[str]:
    """The watch's problems, less Chromium's abort of a navigation that turned into a download."""
    downloads = ("/excel/", "/pdf/")
    return [p for p in watch.problems if not (p.endswith("ERR_ABORTED") and any(d in p for d in downloads))]


def _open(browser: Any, base: str, code: str, width: int = 1366) -> tuple[Any, PageWatch]:
    page = browser.new_context(
        locale="vi-VN", viewport={"width": width, "height": 900}, accept_downloads=True
    ).new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of data-confirm
    watch = PageWatch(page, base)
    browser_sign_in(page, base, code, TEST_PASSWORD)
    page.wait_for_url(f"{base}/")
    return page, watch


def test_excel_out_and_in_and_the_pdf_are_one_click_from_the_report(live_server: Any, browser: Any, demo: None) -> None:
    """Issue 10.1: download the filled workbook, change a figure, upload it, see the preview, apply; get the PDF."""
    from playwright.sync_api import expect

    base = live_server.url
    page, watch = _open(browser, base, "badinh.thongke")
    page.get_by_role("link", name="Báo cáo thống kê").first.click()
    page.get_by_role("link", name="03 —").click()  # returned to the ward: a draft it may correct
    report = Report.objects.get(unit__code=BA_DINH, form_version__form__code="03", period__isnull=False)
    expect(page.get_by_test_id("report-state")).to_have_text("Đang cập nhật")
    files = page.get_by_test_id("report-files")
    expect(files).to_be_visible()

    with page.expect_download() as got:
        files.get_by_role("link", name="Tải biểu Excel có số liệu").click()
    data = got.value.path().read_bytes()
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    grid = Grid.of(report.form_version)
    first_input = next(c for c in grid.input_cells())
    row_no = 7 + [r.pk for r in grid.rows].index(first_input[0])  # FIRST_ROW of the layout
    col_no = 3 + [c.pk for c in grid.columns].index(first_input[1])  # FIRST_COL
    before = rollup.own_values(report).get(first_input)
    sheet.cell(row_no, col_no).value = 4321
    changed = io.BytesIO()
    book.save(changed)
    upload_path = got.value.path().with_name("Bieu-03-sua.xlsx")
    upload_path.write_bytes(changed.getvalue())

    files.get_by_role("link", name="Tải lên Excel").click()
    expect(page.get_by_test_id("upload-target")).to_contain_text("Biểu 03")
    page.locator("input[type=file]").set_input_files(upload_path)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("row", name="4321")).to_be_visible()  # the preview shows the difference
    assert rollup.own_values(report).get(first_input) == before  # nothing stored by the preview
    # Issue 10.6: the rule's wording is what the user reads; its code ("V1-R1") only a small label after it.
    problem = page.get_by_test_id("problems").locator("li").first
    expect(problem).to_contain_text("Dòng 1")
    expect(problem.locator(".rule-code")).to_have_text(re.compile(r"^V\d+-R1$"))
    assert not re.match(r"\s*V\d", problem.inner_text().split(":", 1)[-1])
    page.get_by_role("button", name="Xác nhận lưu").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert rollup.own_values(report)[first_input] == 4321

    page.goto(f"{base}/thong-ke/bao-cao/{report.pk}/")
    listed = page.get_by_test_id("problems").locator("li").first
    expect(listed.locator(".rule-code")).to_have_text(re.compile(r"^V\d+-R1$"))
    assert " ".join(listed.inner_text().split()).startswith("Lỗi (chặn gửi) Dòng 1")  # wording, then the code
    with page.expect_download() as pdf:
        page.get_by_test_id("report-files").get_by_role("link", name="Báo cáo PDF").click()
    assert pdf.value.path().read_bytes()[:5] == b"%PDF-"
    assert not _problems(watch), watch.problems


def test_the_home_card_leads_to_the_waiting_work(live_server: Any, browser: Any, demo: None) -> None:
    """Issue 10.2: the home page says how many reports wait for receipt, and the link shows exactly those."""
    from playwright.sync_api import expect

    base = live_server.url
    hanoi = OrgUnit.objects.get(code="T01")
    waiting = Report.objects.filter(unit__parent=hanoi, state=S.SUBMITTED).count()
    assert waiting > 0
    page, watch = _open(browser, base, "hn.thongke")
    card = page.get_by_test_id("home-card").filter(has_text="Báo cáo thống kê đang chờ")
    line = card.locator("li", has_text="Báo cáo cấp dưới chờ tôi tiếp nhận")
    expect(line.locator(".badge")).to_have_text(str(waiting))
    line.get_by_role("link").click()
    expect(page.get_by_test_id("board-count")).to_contain_text(f"{waiting} báo cáo")
    states = page.get_by_test_id("board-row").locator("td .badge")
    expect(states).to_have_count(waiting)
    for text in states.all_inner_texts():
        assert text == str(S.SUBMITTED.label)
    assert not _problems(watch), watch.problems


def test_the_province_board_finds_a_ward_sorts_pages_and_acts_per_row(
    live_server: Any, browser: Any, demo: None
) -> None:
    """Issue 10.3: filter by name without diacritics, by state and form; sort; receive, return, remind; Excel."""
    from playwright.sync_api import expect

    base = live_server.url
    page, watch = _open(browser, base, "hn.thongke")
    page.get_by_role("link", name="Theo dõi tiến độ").first.click()
    expect(page.get_by_test_id("board-progress")).to_be_visible()

    # The ward, found without typing its diacritics.
    page.get_by_label("Tên đơn vị").fill("ba dinh")
    page.get_by_role("button", name="Lọc").click()
    rows = page.get_by_test_id("board-row")
    expect(rows.first).to_be_visible()
    assert set(rows.locator("th").all_inner_texts()) == {"Ủy ban Kiểm tra Đảng ủy Phường Ba Đình"}

    # Sort by state: the chain's order.
    page.get_by_test_id("sort-state").click()
    order = [str(state.label) for state in board.STATE_ORDER]
    seen = [t for t in page.get_by_test_id("board-row").locator("td .badge").all_inner_texts()]
    assert [order.index(t) for t in seen if t in order] == sorted(order.index(t) for t in seen if t in order)

    # Receive Ba Đình's submitted form 05 from its row.
    submitted = Report.objects.get(unit__code=BA_DINH, form_version__form__code="05")
    assert submitted.state == S.SUBMITTED
    row = page.locator(f"tr[data-unit='{BA_DINH}'][data-form='05']")  # not a cell's text: a time may read 14:05
    row.get_by_role("button", name="Tiếp nhận").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã tiếp nhận báo cáo")
    submitted.refresh_from_db()
    assert submitted.state == S.RECEIVED
    expect(page.get_by_label("Tên đơn vị")).to_have_value("ba dinh")  # back on the same filtered board

    # Return it with a reason, from the same row.
    row = page.locator(f"tr[data-unit='{BA_DINH}'][data-form='05']")  # not a cell's text: a time may read 14:05
    row.get_by_text("Trả lại", exact=True).click()
    row.get_by_label("Lý do trả lại").fill("Cột 3 dòng 2 chưa khớp với biên bản.")
    row.get_by_role("button", name="Trả lại cho đơn vị cấp dưới").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã trả lại")
    submitted.refresh_from_db()
    assert submitted.state == S.DRAFT and "biên bản" in submitted.return_reason

    # Remind: the board says who was told.
    page.get_by_label("Trạng thái").select_option(label="Chưa gửi lên")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("button", name="Nhắc Ủy ban Kiểm tra Đảng ủy Phường Ba Đình").first.click()
    expect(page.locator(".alert-success")).to_contain_text("Đã nhắc Ủy ban Kiểm tra Đảng ủy Phường Ba Đình: 2 người")
    expect(page.get_by_test_id("board-table")).to_contain_text("Đã nhắc lúc")

    # The subordinates' workbook of one form.
    page.get_by_role("link", name="Bỏ lọc").click()
    group = page.get_by_test_id("board-group").filter(has_text="Biểu 01")
    with page.expect_download() as got:
        group.get_by_test_id("subordinates-xlsx").click()
    book = load_workbook(io.BytesIO(got.value.path().read_bytes()))
    hanoi = OrgUnit.objects.get(code="T01")
    assert book.sheetnames[0] == "Tổng hợp"
    assert set(book.sheetnames[1:]) >= {u.code for u in hanoi.children.all()}
    assert len(page.request.get(f"{base}/thong-ke/theo-doi/").body()) < 200_000
    assert not _problems(watch), watch.problems


def test_the_entry_grid_stays_aligned_on_the_widest_form(live_server: Any, browser: Any, demo: None) -> None:
    """Issue 10.4: after Tab reaches the last columns, header and body cells share their x, the row labels
    stay left of the focused cell, and the focused cell is not hidden under them."""
    from playwright.sync_api import expect

    base = live_server.url
    report = max(
        Report.objects.filter(unit__code="T01", state=S.DRAFT).select_related("form_version"),
        key=lambda r: r.form_version.columns.count(),
    )
    columns = report.form_version.columns.count()
    assert columns >= 20  # form 05
    page, watch = _open(browser, base, "hn.thongke", width=1200)
    page.get_by_role("link", name="Báo cáo thống kê").first.click()
    page.get_by_role("link", name=f"{report.form_version.form.code} —").click()
    table = page.get_by_test_id("entry-table")
    expect(table).to_be_visible()
    first = table.locator("input.cell-input").first
    first.focus()
    reached = -1
    for _ in range(columns + 2):  # across the first row to its last input cell
        page.keyboard.press("Tab")
        column = page.evaluate(
            "document.activeElement.closest('td') ? Number(document.activeElement.closest('td').dataset.c) : -1"
        )
        if column <= reached:
            break  # Tab went on to the next row
        reached = column

        geometry = page.evaluate(
            """() => {
              const table = document.querySelector('[data-testid=entry-table]');
              const td = document.activeElement.closest('td');
              const c = Number(td.dataset.c);
              const head = table.querySelectorAll('thead th')[c + 1].getBoundingClientRect();
              const body = td.getBoundingClientRect();
              const label = td.parentElement.querySelector('th.row-head').getBoundingClientRect();
              const labelHead = table.querySelector('thead th.row-head').getBoundingClientRect();
              const input = document.activeElement.getBoundingClientRect();
              const hit = document.elementFromPoint(input.left + input.width / 2, input.top + input.height / 2);
              return {head: [head.left, head.right], body: [body.left, body.right], label: label.right,
                      labelHead: [labelHead.left, labelHead.right], labelLeft: label.left,
                      inputLeft: input.left, onTop: hit === document.activeElement};
            }"""
        )
        assert abs(geometry["head"][0] - geometry["body"][0]) < 1.5, geometry
        assert abs(geometry["head"][1] - geometry["body"][1]) < 1.5, geometry
        assert abs(geometry["labelHead"][0] - geometry["labelLeft"]) < 1.5, geometry  # label header over labels
        assert abs(geometry["labelHead"][1] - geometry["label"]) < 1.5, geometry
        assert geometry["label"] <= geometry["inputLeft"] + 1, geometry  # labels stay left of the focused cell
        assert geometry["onTop"], geometry  # the focused cell is visible, not under the labels
    assert reached >= columns - 3, reached  # Tab reached the last columns
    assert not _problems(watch), watch.problems
