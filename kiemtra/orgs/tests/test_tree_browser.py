"""The org tree and the platform pages in a real browser, in Vietnamese (issue 10, items 6 and 11).

The system admin walks from the home page: unit kinds by their names (not
"commune: 3321"), the tree with the Centre open and a province opening to its
communes on demand, a search typed without diacritics showing the match under its
ancestors, a rename whose history reads "Tên: A → B", and the audit page naming
each action in Vietnamese — a backup in Vietnam time without its server path, a
batch with its real file count.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.audit import services as audit
from kiemtra.audit.models import AuditEvent
from kiemtra.backups.models import BackupRecord
from kiemtra.conftest import TEST_PASSWORD, PageWatch, Tree, browser_sign_in, give, make_person, make_unit
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_tree_opens_lazily_finds_without_diacritics_and_speaks_vietnamese(
    live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    tree = Tree()
    for n in range(3):
        make_unit(UnitKind.COMMUNE, tree.province, name=f"UBKT Đảng ủy xã Thử {n}")
    admin = make_person("tw.quantri", unit=tree.general_affairs)
    give(admin, tree.general_affairs, Role.SYSTEM_ADMIN)
    record = BackupRecord.objects.create(
        status=BackupRecord.Status.SUCCEEDED,
        path=str(tmp_path / "srv" / "kiemtra-20261207-030000.kbak"),
        created_at=dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC),
    )
    audit.record(None, "backups.created", record, size=1)
    base = live_server.url
    page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    watch = PageWatch(page, base)
    browser_sign_in(page, base, admin.identifier_code, TEST_PASSWORD)
    page.wait_for_url(f"{base}/")
    expect(page.get_by_test_id("system-admin-card")).to_contain_text("UBKT cấp trên trực tiếp cơ sở: 6")

    page.locator("nav.sidebar").get_by_role("link", name="Cây đơn vị").first.click()
    summary = page.get_by_test_id("org-summary")
    expect(summary).to_contain_text("UBKT cấp tỉnh và tương đương: 2")
    expect(summary).not_to_contain_text("commune")
    org_tree = page.get_by_test_id("org-tree")
    province = org_tree.locator(f'[data-code="{tree.province.code}"]')
    expect(province).to_be_visible()  # the Centre is open on its departments and provinces
    expect(org_tree.locator(f'[data-code="{tree.commune.code}"]')).to_have_count(0)  # communes not loaded yet
    province.locator("summary").first.click()
    expect(province.locator(f'[data-code="{tree.commune.code}"]')).to_contain_text("UBKT Đảng ủy phường Ba Đình")
    expect(province.get_by_test_id("org-node")).to_have_count(5)  # its five communes
    expect(org_tree.locator(f'[data-code="{tree.other_commune.code}"]')).to_have_count(0)

    page.get_by_label("Tìm đơn vị").fill("phuong ba dinh")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.get_by_test_id("org-found")).to_contain_text("1 đơn vị khớp")
    match = page.locator(".org-match")
    expect(match).to_have_count(1)
    expect(match.locator("mark")).to_have_text("UBKT Đảng ủy phường Ba Đình")
    ancestors = page.get_by_test_id("org-node").filter(has=match)
    expect(ancestors).to_have_count(2)  # the Centre and Hà Nội, above Ba Đình
    expect(page.get_by_test_id("org-tree")).not_to_contain_text(tree.other_province.name)

    match.get_by_role("link", name="UBKT Đảng ủy phường Ba Đình").click()
    page.get_by_label("Thao tác").select_option("rename")
    page.get_by_label("Tên mới").fill("UBKT Đảng ủy phường Ba Đình Mới")
    page.get_by_label("Ngày hiệu lực").fill("07/12/2026")
    page.get_by_label("Văn bản").fill("Nghị quyết 5")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Thực hiện").click()
    history = page.get_by_test_id("unit-history")
    expect(history).to_contain_text("Tên: UBKT Đảng ủy phường Ba Đình → UBKT Đảng ủy phường Ba Đình Mới")
    expect(history).to_contain_text("07/12/2026")
    expect(history).not_to_contain_text("{")
    assert OrgUnit.objects.get(pk=tree.commune.pk).name.endswith("Mới")

    page.locator("nav.sidebar").get_by_role("link", name="Nhật ký truy vết").first.click()
    table = page.get_by_test_id("audit-table")
    expect(table).to_contain_text("Đổi tên đơn vị")
    expect(table).to_contain_text("Sao lưu dữ liệu")
    expect(table).to_contain_text("Bản sao lưu 07/12/2026 10:00 — Thành công")  # Vietnam time
    expect(table).not_to_contain_text("/srv/")
    expect(table).not_to_contain_text("orgs.unit.renamed")
    page.get_by_label("Thao tác").select_option(label="Sao lưu dữ liệu")
    page.get_by_role("button", name="Lọc").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    assert AuditEvent.objects.filter(action="orgs.unit.renamed").count() == 1
    assert timezone.localtime(record.created_at).hour == 10
    assert watch.problems == [], watch.problems
