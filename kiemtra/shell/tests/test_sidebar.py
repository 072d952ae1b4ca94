"""The sidebar is drawn from what the apps registered: each section only for those who may use it."""

from __future__ import annotations

import re

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree, give, make_person, signed_in

pytestmark = pytest.mark.django_db


def _sidebar(person) -> dict[str, list[str]]:
    """{section title: [entry labels]} in the order drawn."""
    page = signed_in(person).get("/").content.decode()
    nav = page.split('<nav class="sidebar', 1)[1].split("</nav>", 1)[0]
    sections: dict[str, list[str]] = {}
    for title, body in re.findall(r'fw-semibold mt-2 mb-1">([^<]+)</div>\s*<ul[^>]*>(.*?)</ul>', nav, re.S):
        sections[title.strip()] = [" ".join(label.split()) for label in re.findall(r"</i>([^<]+)</a>", body)]
    return sections


def test_a_statistician_who_also_reads_decisions_gets_both_modules_between_common_and_personal(org_tree: Tree) -> None:
    person = make_person(unit=org_tree.province)
    give(person, org_tree.province, Role.STATISTICIAN)
    give(person, org_tree.province, Role.DISCIPLINE_VIEWER)
    sections = _sidebar(person)
    assert list(sections) == ["Chung", "Thống kê", "Kỷ luật đảng", "Cá nhân"]
    # Hà Nội has communes below it: its statistician follows their progress.
    assert sections["Thống kê"] == ["Báo cáo thống kê", "Theo dõi tiến độ", "Kỳ báo cáo", "Tra cứu số liệu"]
    assert sections["Kỷ luật đảng"] == ["Tra cứu quyết định", "Phân tích, xu hướng", "Đối chiếu với thống kê"]


def test_a_unit_admin_gets_administration_and_no_statistics(org_tree: Tree) -> None:
    """Quy định 11 Art. 3.5.a: the admin account has no statistics function."""
    admin = make_person(unit=org_tree.province)
    give(admin, org_tree.province, Role.ADMIN)
    sections = _sidebar(admin)
    assert list(sections) == ["Chung", "Quản trị", "Cá nhân"]
    assert sections["Quản trị"] == ["Tài khoản và phân quyền", "Nhật ký truy vết"]


def test_the_system_admin_configures_statistics_and_manages_the_tree(org_tree: Tree) -> None:
    sysadmin = make_person(unit=org_tree.general_affairs)
    give(sysadmin, org_tree.general_affairs, Role.SYSTEM_ADMIN)
    sections = _sidebar(sysadmin)
    assert sections["Thống kê"][-2:] == ["Thiết kế biểu mẫu", "Ứng dụng kết nối"]
    assert sections["Quản trị"] == ["Tài khoản và phân quyền", "Cây đơn vị", "Nhật ký truy vết"]


def test_someone_without_a_grant_gets_only_the_shells_own_sections(org_tree: Tree) -> None:
    assert list(_sidebar(make_person(unit=org_tree.commune))) == ["Chung", "Cá nhân"]
