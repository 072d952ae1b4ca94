"""The statistics help topics walked in the browser, from the home page, as the official would.

Each test is a topic of ``kiemtra/help/topics.py`` (same slug): it asserts what the
user sees at every step and, under ``make help-media``, films the walk and takes
the screenshots the help page shows.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from kiemtra.conftest import TEST_PASSWORD, browser_sign_in
from kiemtra.stats.choices import ReportState
from kiemtra.stats.models import Extension, Report, ReportingPeriod
from kiemtra.stats.services import reports
from kiemtra.stats.tests.factories import Chain, make_chain

from .walk import Walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(w: Walk, person: Any) -> None:
    browser_sign_in(w.page, w.base_url, person.identifier_code, TEST_PASSWORD)
    w.page.wait_for_url(f"{w.base_url}/")


def sidebar_link(w: Walk, name: str) -> Any:
    return w.page.locator("nav.sidebar").get_by_role("link", name=name, exact=True).first


def cell(w: Walk, row: str, column: str) -> Any:
    rows = {"1": "Được kiểm tra", "2": "Có vi phạm"}
    columns = {"1": "Đảng viên", "2": "Cấp ủy viên"}
    return w.page.get_by_label(f"Dòng {row}. {rows[row]}, cột {column}. {columns[column]}", exact=True)


def opened_chain() -> Chain:
    chain = make_chain()
    chain.open()
    return chain


def test_enter_and_send_a_report(walk: Any) -> None:
    from playwright.sync_api import expect

    chain = opened_chain()
    commune = chain.communes[0]
    w = walk("nhap-va-gui-bao-cao")
    sign_in(w, chain.statistician[commune.pk])
    w.shot("Trang chủ của người làm thống kê cấp xã")
    sidebar_link(w, "Báo cáo thống kê").click()
    expect(w.page.get_by_test_id("report-table")).to_contain_text("Đang cập nhật")
    w.shot("Các biểu của kỳ đang mở, trạng thái và thời hạn")
    w.page.get_by_role("link", name=re.compile(r"^01 — ")).click()
    cell(w, "1", "1").click()
    w.page.keyboard.type("12")
    w.page.keyboard.press("Tab")
    w.page.keyboard.type("3")
    w.page.keyboard.press("Enter")
    w.page.keyboard.press("ArrowLeft")
    w.page.keyboard.type("4")
    w.page.keyboard.press("Tab")
    w.page.keyboard.type("1")
    w.page.keyboard.press("Tab")
    expect(w.page.get_by_test_id("save-status")).to_contain_text("Đã lưu lúc")
    w.shot("Gõ số như trên Excel: các ô tổng cộng và kết quả kiểm tra cập nhật ngay, số liệu tự lưu")
    w.page.get_by_role("button", name="Chuyển lãnh đạo phê duyệt").click()
    expect(w.page.get_by_test_id("report-state")).to_have_text("Chờ phê duyệt")
    w.shot("Đã chuyển lãnh đạo phê duyệt: số liệu không sửa được nữa, trừ khi bị trả lại")
    assert chain.report(commune).state == ReportState.PENDING_APPROVAL
    assert chain.cell(commune, "1", "1", consolidated=False) == 12
    assert w.finish() == []


def test_approve_and_send_up(walk: Any) -> None:
    from playwright.sync_api import expect

    chain = opened_chain()
    commune = chain.communes[0]
    report = chain.report(commune)
    values = chain.cells(R1_C1=12, R2_C1=4, R1_C2=3)
    reports.save_values(chain.statistician[commune.pk], report, values, expected_revision=report.revision)
    reports.forward_report(chain.statistician[commune.pk], chain.report(commune))
    w = walk("phe-duyet")
    sign_in(w, chain.approver[commune.pk])
    sidebar_link(w, "Báo cáo thống kê").click()
    expect(w.page.get_by_test_id("report-table")).to_contain_text("Chờ phê duyệt")
    w.shot("Báo cáo chờ lãnh đạo phê duyệt")
    w.page.get_by_role("link", name=re.compile(r"^01 — ")).click()
    expect(w.page.get_by_test_id("entry-table")).to_contain_text("12")
    w.shot("Xem số liệu và kết quả kiểm tra; phê duyệt hoặc ghi lý do và trả lại")
    w.page.get_by_role("button", name="Phê duyệt", exact=True).click()
    expect(w.page.get_by_test_id("report-state")).to_have_text("Đã phê duyệt")
    w.page.get_by_role("button", name="Gửi lên cấp trên").click()
    expect(w.page.get_by_test_id("report-state")).to_have_text("Đã gửi lên cấp trên")
    w.shot("Đã phê duyệt và gửi lên cấp trên: đây là báo cáo chính thức")
    assert chain.report(commune).state == ReportState.SUBMITTED
    assert w.finish() == []


def _sent(chain: Chain, *values: int) -> list[Report]:
    sent = []
    for commune, value in zip(chain.communes, values, strict=True):
        stat, boss = chain.statistician[commune.pk], chain.approver[commune.pk]
        report = chain.report(commune)
        reports.save_values(stat, report, chain.cells(R1_C1=value), expected_revision=report.revision)
        reports.forward_report(stat, chain.report(commune))
        reports.approve_report(boss, chain.report(commune))
        sent.append(reports.send_report(boss, chain.report(commune)))
    return sent


def test_receive_and_return_a_subordinate_report(walk: Any) -> None:
    from playwright.sync_api import expect

    chain = opened_chain()
    first, second = chain.communes
    _sent(chain, 7, 5)
    province = chain.tree.province
    w = walk("tiep-nhan-va-tra-lai")
    sign_in(w, chain.statistician[province.pk])
    sidebar_link(w, "Theo dõi tiến độ").click()
    expect(w.page.locator("main")).to_contain_text(first.name)
    w.shot("Theo dõi tiến độ: mỗi đơn vị cấp dưới một dòng, cùng trạng thái báo cáo")
    w.page.get_by_role("link", name=first.name).first.click()
    expect(w.page.get_by_test_id("report-state")).to_have_text("Đã gửi lên cấp trên")
    w.page.get_by_role("button", name="Tiếp nhận", exact=True).click()
    expect(w.page.get_by_test_id("report-state")).to_have_text("Cấp trên đã tiếp nhận")
    w.shot("Đã tiếp nhận: số liệu được cộng ngay vào tổng hợp của đơn vị cấp trên")
    w.page.go_back()
    w.page.go_back()
    w.page.reload()
    w.page.get_by_role("link", name=second.name).first.click()
    w.page.get_by_label("Lý do trả lại (bắt buộc)").fill("Dòng 1 thiếu số đảng viên được kiểm tra ở chi bộ 3.")
    w.shot("Trả lại kèm lý do")
    w.page.get_by_role("button", name="Trả lại cho đơn vị cấp dưới").click()
    expect(w.page.get_by_test_id("report-state")).to_have_text("Đang cập nhật")
    assert chain.report(first).state == ReportState.RECEIVED
    assert chain.report(second).state == ReportState.DRAFT
    assert chain.report(second).return_reason.startswith("Dòng 1 thiếu")
    assert chain.cell(province, "1", "1") == 7
    assert w.finish() == []


def test_excel_out_and_in_and_the_pdf(walk: Any, settings: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "files"
    chain = opened_chain()
    commune = chain.communes[0]
    report = chain.report(commune)
    w = walk("excel")
    sign_in(w, chain.statistician[commune.pk])
    sidebar_link(w, "Báo cáo thống kê").click()
    w.page.get_by_role("link", name=re.compile(r"^01 — ")).click()
    expect(w.page.get_by_test_id("report-state")).to_have_text("Đang cập nhật")
    # The report page links its workbook, its upload page and its PDF (issue 10, item 1); until it
    # does, the upload page (which links the workbook) is reached by its address.
    download_link = w.page.locator(f'a[href^="/thong-ke/bao-cao/{report.pk}/excel/"]')
    upload_link = w.page.locator('a[href^="/thong-ke/excel/tai-len/"]')
    linked = download_link.count() > 0
    if linked:
        w.shot("Trang báo cáo: tải Excel, tải lên Excel và PDF")
        with w.page.expect_download() as download:
            download_link.first.click()
    if upload_link.count():
        upload_link.first.click()
    else:
        w.page.goto(f"{w.base_url}/thong-ke/excel/tai-len/?bao_cao={report.pk}")
    expect(w.page.get_by_test_id("upload-target")).to_contain_text(commune.name)
    if not linked:
        with w.page.expect_download() as download:
            w.page.get_by_role("link", name="Tải biểu có số liệu").click()
    w.shot("Trang tải lên biểu Excel: tải biểu về, điền số, tải lên")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = workbook.worksheets[0]
    target = next(
        c for row in sheet.iter_rows() for c in row if c.row > 5 and c.column == 3 and not c.protection.locked
    )
    target.value = 9
    filled = tmp_path / "bieu01.xlsx"
    workbook.save(filled)
    w.page.get_by_label(re.compile("Tệp Excel")).set_input_files(str(filled))
    w.page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(w.page.get_by_test_id("apply-form")).to_be_visible()
    w.shot("Xem trước: các ô thay đổi được liệt kê trước khi lưu")
    w.page.get_by_test_id("apply-form").get_by_role("button").click()
    expect(w.page.locator(".alert-success")).to_be_visible()
    w.shot("Đã lưu số liệu từ tệp Excel")
    assert chain.cell(commune, "1", "1", consolidated=False) == 9
    pdf = w.page.request.get(f"{w.base_url}/thong-ke/bao-cao/{report.pk}/pdf/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    assert w.finish() == []


def test_open_and_lock_a_period(walk: Any) -> None:
    from playwright.sync_api import expect

    chain = make_chain()
    w = walk("mo-va-khoa-ky")
    sign_in(w, chain.sysadmin)
    sidebar_link(w, "Kỳ báo cáo").click()
    w.page.get_by_text("Mở kỳ báo cáo mới").click()
    today = timezone.localdate()
    cutoff = today + dt.timedelta(days=40)
    deadline = cutoff + dt.timedelta(days=10)
    w.page.get_by_label("Mã kỳ").fill("2027-6T")
    w.page.get_by_label("Tên kỳ báo cáo").fill("Báo cáo 6 tháng đầu năm 2027")
    w.page.get_by_label("Số liệu từ ngày").fill(today.strftime("%d/%m/%Y"))
    w.page.get_by_label("Thời điểm chốt số liệu").fill(cutoff.strftime("%d/%m/%Y"))
    w.page.get_by_label("Thời hạn báo cáo").fill(deadline.strftime("%d/%m/%Y") + " 17:00")
    w.page.get_by_label(re.compile(r"Biểu 01")).first.check()
    w.shot("Mở kỳ mới: ngày dạng dd/mm/yyyy, thời điểm dạng dd/mm/yyyy hh:mm giờ Việt Nam")
    w.page.get_by_role("button", name="Mở kỳ", exact=True).click()
    expect(w.page.get_by_role("heading", name="Báo cáo 6 tháng đầu năm 2027")).to_be_visible()
    expect(w.page.locator("main")).to_contain_text(f"17:00 {deadline:%d/%m/%Y}")
    w.shot("Trang của kỳ: tình hình báo cáo của các đơn vị")
    period = ReportingPeriod.objects.get(code="2027-6T")
    assert period.data_cutoff == cutoff
    assert timezone.localtime(period.deadline) == dt.datetime.combine(
        deadline, dt.time(17), tzinfo=timezone.get_current_timezone()
    )
    # A period past its deadline: the admin locks it at once.
    past = ReportingPeriod.objects.get(pk=chain.open(code="2026-H1").pk)
    ReportingPeriod.objects.filter(pk=past.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))
    w.page.goto(f"{w.base_url}/")
    sidebar_link(w, "Kỳ báo cáo").click()
    w.page.get_by_role("link", name=past.name).click()
    w.page.get_by_role("button", name="Khóa kỳ ngay").click()
    expect(w.page.locator("main")).to_contain_text("Đã khóa")
    w.shot("Kỳ đã quá thời hạn được khóa ngay; báo cáo chưa gửi chuyển sang Kết thúc")
    assert ReportingPeriod.objects.get(pk=past.pk).state != "open"
    assert w.finish() == []


def test_extension_and_correction(walk: Any) -> None:
    from playwright.sync_api import expect

    chain = opened_chain()
    assert chain.period is not None
    province = chain.tree.province
    boss = chain.approver[province.pk]
    w = walk("gia-han-va-chinh-ly")
    sign_in(w, boss)
    sidebar_link(w, "Kỳ báo cáo").click()
    w.page.get_by_role("link", name=chain.period.name).click()
    w.page.get_by_text("Đề nghị gia hạn (Điều 6.4)").click()
    w.page.get_by_label("Lý do (bất khả kháng)").fill("Bão số 3 làm gián đoạn liên lạc với các xã.")
    w.page.get_by_label("Số ngày cần gia hạn").fill("5")
    w.page.get_by_label("Văn bản đề nghị").fill("Công văn 12-CV/UBKTTU")
    w.shot("Đơn vị cấp tỉnh đề nghị gia hạn, nêu lý do bất khả kháng và văn bản")
    w.page.get_by_role("button", name="Gửi đề nghị").click()
    expect(w.page.locator("main")).to_contain_text("Bão số 3")
    w.page.get_by_role("button", name="Đăng xuất").click()
    sign_in(w, chain.sysadmin)
    sidebar_link(w, "Kỳ báo cáo").click()
    w.page.get_by_role("link", name=chain.period.name).click()
    new_deadline = timezone.localtime(chain.period.deadline).date() + dt.timedelta(days=5)
    typed = new_deadline.strftime("%d/%m/%Y") + " 17:00"
    w.page.get_by_label("Thời hạn mới").fill(typed)
    w.shot("Trung ương quyết định: đồng ý và nhập thời hạn mới")
    w.page.get_by_role("button", name="Quyết định").first.click()
    expect(w.page.locator("main")).to_contain_text(f"17:00 {new_deadline:%d/%m/%Y}")
    w.shot("Đề nghị đã được đồng ý, thời hạn mới hiện cùng đề nghị")
    extension = Extension.objects.get(period=chain.period)
    assert extension.new_deadline is not None
    assert timezone.localtime(extension.new_deadline).strftime("%d/%m/%Y %H:%M") == typed
    assert w.finish() == []
