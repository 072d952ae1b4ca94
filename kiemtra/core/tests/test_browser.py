"""The key pages in a real browser: Debian's chromium driven by Playwright against ``live_server``.

One walk through the account administration of a system admin, the first sign-in of
the account it creates, and a provincial admin refused another province. Along the
way every page must load its CSS and JS (no 4xx on /static/) and break no CSP rule.
"""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import RoleGrant, User
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import TEST_PASSWORD, PageWatch, Tree, browser_sign_in, give, make_person
from kiemtra.orgs.models import OrgUnit

NEW_PASSWORD = "Doi-mat-khau-2025!"

pytestmark = pytest.mark.browser


def _assert_styled(page) -> None:
    """Bootstrap, the icons, the app's own CSS and the three scripts are really in use."""
    from playwright.sync_api import expect

    expect(page.locator("header.navbar")).to_have_css("background-color", "rgb(165, 14, 14)")  # app.css .bg-brand
    expect(page.locator(".btn-primary").first).to_have_css("background-color", "rgb(13, 110, 253)")  # Bootstrap
    assert page.evaluate("typeof window.htmx === 'object' && typeof window.bootstrap === 'object'")


def _quota_rules() -> None:
    """The rules a data migration loads; an earlier transactional test's flush may have emptied the table."""
    from django.apps import apps

    import_module("kiemtra.accounts.migrations.0003_quota_rules").load(apps, None)


@pytest.mark.django_db(transaction=True)  # live_server: the server thread must see committed data
def test_account_administration_in_the_browser(live_server, browser, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    _quota_rules()
    tree = Tree()
    OrgUnit.objects.filter(pk=tree.general_affairs.pk).update(name="Vụ Tổng hợp")
    sysadmin = make_person("tw.quantri", unit=tree.general_affairs)
    User.objects.filter(pk=sysadmin.pk).update(full_name="Nguyễn Văn Hệ")
    give(sysadmin, tree.general_affairs, Role.SYSTEM_ADMIN)
    provincial_admin = make_person("hn.quantri", unit=tree.province)
    give(provincial_admin, tree.province, Role.ADMIN)
    viewer = make_person("hn.tracuu", unit=tree.province)
    User.objects.filter(pk=viewer.pk).update(full_name="Bùi Thị Tra")
    viewer_grant = give(viewer, tree.province, Role.VIEWER)
    base = live_server.url

    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = PageWatch(page, base)

    # The sign-in page, in Vietnamese, and a keyboard sign-in.
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    expect(page).to_have_title(re.compile("^Đăng nhập · Kiểm tra số"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", name="Đăng nhập hệ thống")).to_be_visible()
    _assert_styled(page)
    browser_sign_in(page, base, "tw.quantri", TEST_PASSWORD)

    # Home: the role held, and the sidebar.
    page.wait_for_url(f"{base}/")
    expect(page.get_by_role("heading", name="Xin chào, Nguyễn Văn Hệ")).to_be_visible()
    expect(page.get_by_test_id("my-roles")).to_contain_text("Quản trị hệ thống — Vụ Tổng hợp")
    sidebar = page.get_by_role("navigation", name="Điều hướng")
    sidebar.get_by_role("link", name="Tài khoản và phân quyền").click()

    # The unit list: search, then open the province.
    page.wait_for_url(f"{base}/tai-khoan/quan-tri/")
    expect(page.get_by_role("heading", name="Tài khoản và phân quyền")).to_be_visible()
    page.get_by_role("search").get_by_role("textbox").fill("Hà Nội")
    page.get_by_role("search").get_by_role("button", name="Tìm").click()
    page.wait_for_url(re.compile(r"\?q=H"))
    units = page.get_by_test_id("unit-table")
    expect(units.locator("tbody tr")).to_have_count(1)
    expect(units).to_contain_text("Tổng số tài khoản: 2/10")
    units.get_by_role("link", name="UBKT Thành ủy Hà Nội").click()

    # The unit: its quota use.
    page.wait_for_url(f"{base}/tai-khoan/quan-tri/don-vi/{tree.province.pk}/")
    expect(page.get_by_text("Định mức tài khoản thống kê")).to_be_visible()
    quota = page.get_by_test_id("stats-quota")
    expect(quota).to_contain_text("Quản trị")
    expect(quota).to_contain_text("1/1")
    expect(quota).to_contain_text("Quy định 11-QĐ/UBKTTW, Điều 3.5.e")

    # Create an account through the form.
    form = page.get_by_test_id("new-account-form")
    form.get_by_label("Mã định danh").fill("hn.thongke")
    form.get_by_label("Họ và tên").fill("Đặng Văn Kê")
    form.get_by_label("Chức vụ").fill("Chuyên viên")
    form.get_by_label("Vai trò").select_option(label="Thống kê")
    form.get_by_label("Văn bản phê duyệt").fill("Quyết định 12-QĐ/UBKT")
    form.get_by_role("button", name="Tạo tài khoản và cấp quyền").click()
    success = page.locator(".alert-success")
    expect(success).to_contain_text("Đã tạo tài khoản hn.thongke. Mật khẩu tạm thời:")
    found = re.search(r"Mật khẩu tạm thời: (\S+) —", success.inner_text())
    assert found, success.inner_text()
    temporary_password = found.group(1)
    active = page.get_by_test_id("active-grants")
    expect(active).to_contain_text("Đặng Văn Kê")
    expect(page.get_by_test_id("stats-quota")).to_contain_text("Tổng số tài khoản")

    # Revoke the viewer's grant: the form asks for confirmation first.
    dialogs: list[str] = []

    def accept(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    row = active.locator("tr", has_text="Bùi Thị Tra")
    row.get_by_label("Văn bản phê duyệt thu hồi").fill("Quyết định 13-QĐ/UBKT")
    row.get_by_role("button", name="Thu hồi").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã thu hồi quyền của")
    assert dialogs and dialogs[0].startswith("Thu hồi quyền này?"), dialogs
    expect(page.get_by_test_id("active-grants")).not_to_contain_text("Bùi Thị Tra")
    history = page.get_by_role("heading", name="Lịch sử thu hồi")
    expect(history).to_be_visible()
    expect(page.locator("table", has=page.locator("td", has_text="Quyết định 13-QĐ/UBKT"))).to_contain_text(
        "Bùi Thị Tra"
    )
    viewer_grant.refresh_from_db()
    assert not viewer_grant.active and viewer_grant.revoke_document_ref == "Quyết định 13-QĐ/UBKT"
    _assert_styled(page)
    screenshot = tmp_path / "tai-khoan-don-vi.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000

    # The audit trail has the revocation too.
    sidebar.get_by_role("link", name="Nhật ký truy vết").click()
    expect(page.get_by_test_id("audit-table")).to_contain_text("Thu hồi quyền")  # the label, not the code
    sidebar_box = page.locator("nav.sidebar").bounding_box()
    assert sidebar_box is not None and sidebar_box["width"] == 260  # a wide table does not squeeze it

    # Sign out.
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{base}/tai-khoan/dang-nhap/")
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()

    # The new account's first sign-in: forced to change the temporary password.
    browser_sign_in(page, base, "hn.thongke", temporary_password)
    page.wait_for_url(f"{base}/tai-khoan/doi-mat-khau/")
    expect(page.get_by_role("alert")).to_contain_text("phải đổi mật khẩu trước khi sử dụng phần mềm")
    page.goto(f"{base}/tai-khoan/quan-tri/")  # every other page sends back here
    page.wait_for_url(f"{base}/tai-khoan/doi-mat-khau/")
    page.get_by_label("Mật khẩu hiện tại").fill(temporary_password)
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    page.wait_for_url(f"{base}/")
    expect(page.locator(".alert-success")).to_contain_text("Đã đổi mật khẩu.")
    expect(page.get_by_test_id("my-roles")).to_contain_text("Thống kê — UBKT Thành ủy Hà Nội")
    created = User.objects.get(identifier_code="hn.thongke")
    assert not created.must_change_password and created.check_password(NEW_PASSWORD)
    assert RoleGrant.objects.active().filter(person=created, unit=tree.province, role=Role.STATISTICIAN).exists()
    assert AuditEvent.objects.filter(action="accounts.password.changed").exists()
    context.close()

    # A provincial admin may not open another province's accounts.
    forbidden = f"/tai-khoan/quan-tri/don-vi/{tree.other_province.pk}/"
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    denied_watch = PageWatch(page, base, allowed_statuses={forbidden: {403}})
    browser_sign_in(page, base, "hn.quantri", TEST_PASSWORD)
    page.wait_for_url(f"{base}/")
    own = page.goto(f"{base}/tai-khoan/quan-tri/don-vi/{tree.province.pk}/")
    assert own is not None and own.status == 200
    response = page.goto(f"{base}{forbidden}")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Không có quyền truy cập")).to_be_visible()
    expect(page.get_by_text("Bạn không có quyền truy cập trang này.")).to_be_visible()
    _assert_styled(page)
    context.close()

    for watched in (watch, denied_watch):
        assert watched.problems == [], "\n".join(watched.problems)
    for asset in (
        "/static/vendor/bootstrap/css/bootstrap.min.css",
        "/static/vendor/bootstrap-icons/bootstrap-icons.min.css",
        "/static/core/app.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/bootstrap/js/bootstrap.bundle.min.js",
        "/static/core/app.js",
    ):
        assert asset in watch.static_loaded, sorted(watch.static_loaded)
    assert any(path.startswith("/static/vendor/bootstrap-icons/fonts/") for path in watch.static_loaded)
