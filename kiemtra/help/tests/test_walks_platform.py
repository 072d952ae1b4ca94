"""The discipline, accounts and sign-in help topics walked in the browser (see test_walks_stats.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import RoleGrant, User
from kiemtra.conftest import Tree, give, make_person
from kiemtra.discipline.choices import DecisionState
from kiemtra.discipline.models import Decision
from kiemtra.discipline.tests.factories import make_decision

from .test_walks_stats import sidebar_link, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CORPUS = Path(__file__).resolve().parents[3] / "tests" / "data" / "discipline"


def test_upload_and_reconcile_decisions(walk: Any, org_tree: Tree, settings: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    from kiemtra.discipline.services import ingest

    settings.MEDIA_ROOT = tmp_path
    editor = make_person(unit=org_tree.province)
    give(editor, org_tree.province, Role.DISCIPLINE_EDITOR)
    w = walk("tai-len-va-doi-soat")
    sign_in(w, editor)
    sidebar_link(w, "Tải lên quyết định").click()
    w.page.get_by_label("Tệp quyết định").set_input_files([CORPUS / "digital" / "qd-cell-13.pdf"])
    w.shot("Chọn các tệp quyết định (PDF, ảnh hoặc .zip) và độ mật")
    w.page.get_by_role("button", name="Tải lên và bóc tách").click()
    w.page.wait_for_url(f"{w.base_url}/ky-luat/lo/*/")
    ingest.process_queued()  # what the scheduler does in the background
    progress = w.page.get_by_test_id("batch-progress")
    expect(progress).to_contain_text("1/1 tệp (100 %)", timeout=10_000)
    w.shot("Trang của lô: tiến độ đọc các tệp và kết quả của từng tệp")
    progress.get_by_role("link", name=re.compile(r"^Đối soát")).click()
    decision = Decision.objects.get()
    w.page.wait_for_url(f"{w.base_url}/ky-luat/doi-soat/{decision.pk}/")
    expect(w.page.get_by_test_id("document")).to_contain_text("QUYẾT ĐỊNH")
    issued = w.page.get_by_label("Ngày ban hành", exact=True)
    expect(issued).to_have_value(re.compile(r"^\d{2}/\d{2}/\d{4}$"))  # dd/mm/yyyy, as written on the decision
    shown = issued.input_value()
    w.page.get_by_label("Người ký").focus()
    w.shot("Đối soát: văn bản gốc bên trái, nguồn của trường đang chọn được tô sáng; các trường bên phải")
    w.page.get_by_test_id("save").click()
    confirm = w.page.get_by_role("button", name="Xác nhận: công bố quyết định")
    expect(confirm).to_be_visible()
    w.shot("Xác nhận trước khi công bố: các giá trị sẽ công bố, trường đã sửa được đánh dấu")
    confirm.click()
    expect(w.page.locator(".alert-success")).to_be_visible()
    w.shot("Đã đối soát: quyết định được công bố")
    decision.refresh_from_db()
    assert decision.state == DecisionState.PUBLISHED
    assert decision.issued_on is not None and decision.issued_on.strftime("%d/%m/%Y") == shown
    assert w.finish() == []


def test_search_decisions(walk: Any, org_tree: Tree) -> None:
    from playwright.sync_api import expect

    viewer = make_person(unit=org_tree.province)
    give(viewer, org_tree.province, Role.DISCIPLINE_VIEWER)
    make_decision(org_tree.province, subject_name="Nguyễn Văn An", issued_on=dt.date(2024, 3, 12))
    make_decision(org_tree.commune, subject_name="Lê Thị Hoa", issued_on=dt.date(2025, 6, 2))
    make_decision(org_tree.other_province, subject_name="Nguyễn Văn Ba")  # outside the viewer's scope
    w = walk("tra-cuu-quyet-dinh")
    sign_in(w, viewer)
    sidebar_link(w, "Tra cứu quyết định").click()
    w.page.get_by_label("Họ tên, số quyết định, chức vụ, nội dung…").fill("nguyen van an")
    w.shot("Gõ họ tên, có dấu hoặc không dấu; chọn thêm bộ lọc nếu cần")
    w.page.get_by_role("button", name="Tìm", exact=True).click()
    rows = w.page.get_by_test_id("result-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nguyễn Văn An")
    expect(rows.first).to_contain_text("12/03/2024")
    w.shot("Kết quả trong phạm vi của đơn vị; bấm số quyết định để xem chi tiết")
    rows.first.get_by_role("link").first.click()
    expect(w.page.locator("main")).to_contain_text("Nguyễn Văn An")
    w.shot("Chi tiết quyết định")
    assert w.finish() == []


def test_accounts_and_roles(walk: Any, org_tree: Tree) -> None:
    from playwright.sync_api import expect

    admin = make_person("hn.quantri", unit=org_tree.province)
    give(admin, org_tree.province, Role.ADMIN)
    viewer = make_person("hn.tracuu", unit=org_tree.province)
    User.objects.filter(pk=viewer.pk).update(full_name="Bùi Thị Tra")
    grant = give(viewer, org_tree.province, Role.VIEWER)
    w = walk("tai-khoan-va-vai-tro")
    sign_in(w, admin)
    sidebar_link(w, "Tài khoản và phân quyền").click()
    w.page.get_by_role("link", name=org_tree.province.name).first.click()
    expect(w.page.get_by_test_id("active-grants")).to_contain_text("Bùi Thị Tra")
    w.shot("Trang tài khoản của đơn vị: định mức đã dùng và các quyền đang hiệu lực")
    row = w.page.get_by_test_id("active-grants").locator("tr", has_text="Bùi Thị Tra")
    row.get_by_label("Văn bản phê duyệt thu hồi").fill("Quyết định 13-QĐ/UBKT")
    w.shot("Thu hồi quyền: ghi văn bản phê duyệt thu hồi")
    row.get_by_role("button", name="Thu hồi").click()
    expect(w.page.locator(".alert-success")).to_contain_text("Đã thu hồi quyền của")
    w.shot("Quyền đã thu hồi vẫn còn trong lịch sử")
    grant = RoleGrant.objects.get(pk=grant.pk)
    assert not grant.active and grant.revoke_document_ref == "Quyết định 13-QĐ/UBKT"
    assert w.finish() == []


def test_sign_in_and_security(walk: Any, org_tree: Tree) -> None:
    from playwright.sync_api import expect

    person = make_person(unit=org_tree.province)
    give(person, org_tree.province, Role.STATISTICIAN)
    w = walk("dang-nhap-va-bao-mat")
    w.page.goto(f"{w.base_url}/")
    expect(w.page.get_by_label("Mã định danh")).to_be_visible()
    w.shot("Trang đăng nhập: VNeID, hoặc mã định danh và mật khẩu")
    sign_in(w, person)
    sidebar_link(w, "Xác thực hai lớp").click()
    expect(w.page.locator("main")).to_contain_text("Xác thực hai lớp")
    w.shot("Bật xác thực hai lớp bằng ứng dụng xác thực")
    sidebar_link(w, "Hướng dẫn sử dụng").click()
    expect(w.page.get_by_test_id("help-topics")).to_contain_text("Đăng nhập, đổi mật khẩu và xác thực hai lớp")
    assert w.finish() == []
