"""The home page shows each role what it can do."""

from __future__ import annotations

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree, give, make_person, signed_in

pytestmark = pytest.mark.django_db


def test_unit_admin_sees_its_quota_use_and_no_statistics(org_tree: Tree) -> None:
    admin = make_person(unit=org_tree.province)
    give(admin, org_tree.province, Role.ADMIN)
    give(make_person(), org_tree.province, Role.STATISTICIAN)
    page = signed_in(admin).get("/").content.decode()
    assert 'data-testid="admin-quota-card"' in page and "Thống kê + Tra cứu</span><span>1/8" in page
    assert "không truy cập dữ liệu thống kê" in page
    assert 'data-testid="system-admin-card"' not in page


def test_system_admin_sees_the_tree_and_the_last_backup(org_tree: Tree) -> None:
    sysadmin = make_person(unit=org_tree.general_affairs)
    give(sysadmin, org_tree.general_affairs, Role.SYSTEM_ADMIN)
    page = signed_in(sysadmin).get("/").content.decode()
    assert 'data-testid="system-admin-card"' in page and "chưa có bản sao lưu" in page
    assert "toàn Ngành" in page


def test_statistician_sees_its_scope(org_tree: Tree) -> None:
    statistician = make_person(unit=org_tree.province)
    give(statistician, org_tree.province, Role.STATISTICIAN)
    page = signed_in(statistician).get("/").content.decode()
    assert "Thống kê: 3 đơn vị" in " ".join(page.split())
    assert 'data-testid="admin-quota-card"' not in page
