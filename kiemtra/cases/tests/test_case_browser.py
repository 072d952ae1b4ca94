"""A case walked in a real browser from the home page (issue 14 "Done when"): a team member opens the sidebar's
case list, the file, records the step under way, and sees the board. No console error, no failed file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import TEST_PASSWORD, PageWatch, Tree, browser_sign_in

from .factories import case_with_team, person

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_team_member_walks_a_case_from_the_home_page(live_server: Any, browser: Any, org_tree: Tree) -> None:
    from playwright.sync_api import expect

    lead = person(org_tree.province, Role.CASE_LEADERSHIP)
    member = person(org_tree.province, Role.CASE_OFFICER)
    case = case_with_team(org_tree.province, lead, member, decision_date=dt.date.today() - dt.timedelta(days=3))
    base = live_server.url
    page = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(10_000)
    watch = PageWatch(page, base)
    browser_sign_in(page, base, member.identifier_code, TEST_PASSWORD)
    page.wait_for_url(f"{base}/")

    page.get_by_role("link", name="Hồ sơ và tiến độ").first.click()
    page.wait_for_url(f"{base}/kiem-tra/")
    page.get_by_role("link", name=case.decision_number).click()
    page.wait_for_url(f"{base}/kiem-tra/ho-so/{case.pk}/")
    expect(page.get_by_test_id("case-decision")).to_contain_text(case.decision_number)
    expect(page.get_by_test_id("step").first).to_have_attribute("data-done", "0")
    page.get_by_role("button", name="Ghi nhận hoàn thành").click()
    page.wait_for_url(f"{base}/kiem-tra/ho-so/{case.pk}/")
    expect(page.get_by_test_id("step").first).to_have_attribute("data-done", "1")
    first = case.steps.order_by("order").first()
    assert first is not None and first.actual_end == dt.date.today()

    page.get_by_role("link", name="Bảng tiến độ").first.click()
    page.wait_for_url(f"{base}/kiem-tra/tien-do/")
    expect(page.get_by_test_id("board")).to_contain_text(org_tree.province.name)
    assert not watch.problems, watch.problems


@pytest.mark.django_db(transaction=True)
def test_a_programme_item_becomes_a_case_that_is_documented_concluded_disciplined_and_closed(
    live_server: Any, browser: Any, org_tree: Tree, settings: Any, tmp_path: Any
) -> None:
    """Draft a programme → approve → open a case from its item → upload a document → find it by search →
    conclude → record discipline → close, each page reached from the sidebar or the page before."""
    from playwright.sync_api import expect

    from kiemtra.discipline.models import Decision

    from ..models import CaseFile, Programme
    from .test_documents_and_archive import pdf_with

    settings.MEDIA_ROOT = str(tmp_path)
    unit = org_tree.province
    lead = person(unit, Role.CASE_LEADERSHIP)
    officer = person(unit, Role.CASE_OFFICER)
    base = live_server.url
    today = dt.date.today()

    def page_of(who: Any) -> tuple[Any, PageWatch]:
        page = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000}).new_page()
        page.set_default_timeout(20_000)
        page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of data-confirm
        watch = PageWatch(page, base)
        browser_sign_in(page, base, who.identifier_code, TEST_PASSWORD)
        page.wait_for_url(f"{base}/")
        return page, watch

    # An official drafts the year's programme.
    official, official_watch = page_of(officer)
    official.get_by_role("link", name="Chương trình kiểm tra, giám sát").first.click()
    official.get_by_role("link", name="Soạn chương trình").click()
    official.wait_for_url(f"{base}/kiem-tra/chuong-trinh/moi/")
    official.get_by_label("Năm").fill(str(today.year))
    official.get_by_label("Đối tượng 1", exact=True).fill("Đồng chí Vũ Văn G")
    official.get_by_label("Thời gian bắt đầu 1").fill(f"01/01/{today.year}")
    official.get_by_label("Thời gian kết thúc 1").fill(f"31/12/{today.year}")
    official.get_by_role("button", name="Lưu dự thảo").click()
    programme = Programme.objects.get()
    official.wait_for_url(f"{base}/kiem-tra/chuong-trinh/{programme.pk}/")
    expect(official.get_by_test_id("programme-state")).to_have_text("Dự thảo")

    # The leadership approves it and opens a case from its item, then names the team.
    leader, leader_watch = page_of(lead)
    leader.get_by_role("link", name="Chương trình kiểm tra, giám sát").first.click()
    leader.get_by_role("link", name=f"{unit.name} — phiên bản 1").click()
    leader.get_by_role("button", name="Phê duyệt chương trình").click()
    expect(leader.get_by_test_id("programme-state")).to_have_text("Đã phê duyệt")
    leader.get_by_test_id("item").get_by_role("link", name="Mở hồ sơ").click()
    leader.wait_for_url(f"{base}/kiem-tra/mo-ho-so/?item={programme.items.get().pk}")
    leader.get_by_label("Số quyết định").fill("77-QĐ/UBKT")
    leader.get_by_label("Ngày quyết định").fill(today.strftime("%d/%m/%Y"))
    leader.get_by_label("Người ký").fill("Chủ nhiệm")
    leader.get_by_role("button", name="Mở hồ sơ").click()
    expect(leader.get_by_test_id("case-decision")).to_contain_text("77-QĐ/UBKT")
    case = CaseFile.objects.get()
    assert case.programme_item_id == programme.items.get().pk
    leader.get_by_label("Trưởng đoàn").select_option(str(officer.pk))
    leader.get_by_role("button", name="Phân công đoàn").click()
    expect(leader.get_by_text(f"{officer.full_name} (Trưởng đoàn)")).to_be_visible()

    # The team uploads a document and finds it by a word of its text.
    official.goto(f"{base}/")
    official.get_by_role("link", name="Hồ sơ và tiến độ").first.click()
    official.get_by_role("link", name="77-QĐ/UBKT").click()
    official.get_by_label("Tên tài liệu").fill("Biên bản xác minh")
    official.get_by_label("Tệp (PDF hoặc ảnh quét)").set_input_files(
        {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": pdf_with("Sai phạm đất đai tại phường")}
    )
    official.get_by_role("button", name="Tải lên").click()
    expect(official.get_by_test_id("documents")).to_contain_text("Biên bản xác minh")
    official.get_by_role("link", name="Tìm tài liệu hồ sơ").first.click()
    official.get_by_label("Từ khóa").fill("dat dai")
    official.get_by_role("button", name="Tìm", exact=True).click()
    expect(official.get_by_test_id("result")).to_contain_text("Biên bản xác minh")
    official.get_by_test_id("result").get_by_role("link", name="77-QĐ/UBKT").click()
    official.wait_for_url(f"{base}/kiem-tra/ho-so/{case.pk}/")

    # The leadership concludes with discipline, records the decision, and closes the file after confirming.
    leader.reload()
    leader.get_by_label("Có vi phạm").check()
    leader.get_by_label("Phải thi hành kỷ luật").check()
    leader.get_by_label("Nội dung kết luận").fill("Vi phạm quy định quản lý đất đai")
    leader.get_by_label("Ngày kết luận").fill(today.strftime("%d/%m/%Y"))
    leader.get_by_role("button", name="Ghi kết luận").click()
    expect(leader.get_by_test_id("conclusion")).to_contain_text("Vi phạm quy định quản lý đất đai")
    leader.get_by_label("Số quyết định kỷ luật").fill("78-QĐ/UBKT")
    leader.get_by_test_id("discipline-form").get_by_label("Ngày quyết định").fill(today.strftime("%d/%m/%Y"))
    leader.get_by_label("Hình thức kỷ luật").select_option("warning")
    leader.get_by_role("button", name="Ghi quyết định").click()
    expect(leader.get_by_test_id("discipline")).to_contain_text("78-QĐ/UBKT")
    assert Decision.objects.get().source_case_ref == f"cases.case:{case.pk}"
    leader.get_by_label("Tôi xác nhận lưu trữ hồ sơ", exact=False).check()
    leader.get_by_role("button", name="Lưu trữ hồ sơ").click()
    expect(leader.get_by_test_id("archive")).to_contain_text("Tải bản lưu trữ (PDF/A)")
    case.refresh_from_db()
    assert case.state == "closed" and len(case.archive_sha256) == 64
    assert not official_watch.problems, official_watch.problems
    assert not leader_watch.problems, leader_watch.problems
