"""The account administration pages: quota use, creating and revoking, and who is refused."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import RoleGrant, User
from kiemtra.conftest import Tree, give, make_person, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def provincial_admin(org_tree: Tree) -> User:
    person = make_person("hn.quantri", unit=org_tree.province)
    give(person, org_tree.province, Role.ADMIN)
    return person


def test_unit_list_shows_own_unit_and_subordinates_with_quota_use(org_tree: Tree, provincial_admin: User) -> None:
    page = signed_in(provincial_admin).get("/tai-khoan/quan-tri/")
    html = page.content.decode()
    assert page.status_code == 200
    assert org_tree.province.name in html and org_tree.commune.name in html
    assert org_tree.other_province.name not in html
    assert "Quản trị: 1/1" in html  # its own admin account counts against the quota


def test_unit_page_creates_an_account_and_shows_the_temporary_password(org_tree: Tree, provincial_admin: User) -> None:
    client = signed_in(provincial_admin)
    response = client.post(
        f"/tai-khoan/quan-tri/don-vi/{org_tree.commune.pk}/tao-tai-khoan/",
        {
            "identifier_code": "badinh.tk",
            "full_name": "Nguyễn Thị Kê",
            "role": Role.STATISTICIAN,
            "document_ref": "CV 5/2025",
            "position": "",
            "citizen_id": "",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Đã tạo tài khoản badinh.tk" in html and "Mật khẩu tạm thời" in html
    person = User.objects.get(identifier_code="badinh.tk")
    assert person.must_change_password
    assert RoleGrant.objects.get(person=person).unit == org_tree.commune


def test_a_refused_grant_creates_no_account(org_tree: Tree, provincial_admin: User) -> None:
    """Quota full: the error names the rule and the half-made account is rolled back."""
    for role in (Role.ADMIN, Role.APPROVER, Role.STATISTICIAN):
        give(make_person(), org_tree.commune, role)
    response = signed_in(provincial_admin).post(
        f"/tai-khoan/quan-tri/don-vi/{org_tree.commune.pk}/tao-tai-khoan/",
        {
            "identifier_code": "badinh.thua",
            "full_name": "Thừa",
            "role": Role.STATISTICIAN,
            "document_ref": "CV",
        },
        follow=True,
    )
    assert "Vượt định mức" in response.content.decode()
    assert not User.objects.filter(identifier_code="badinh.thua").exists()


def test_revoke_from_the_page_keeps_the_record(org_tree: Tree, provincial_admin: User) -> None:
    grant = give(make_person(), org_tree.commune, Role.STATISTICIAN)
    client = signed_in(provincial_admin)
    client.post(f"/tai-khoan/quan-tri/phan-quyen/{grant.pk}/thu-hoi/", {"document_ref": "QĐ 9"})
    grant.refresh_from_db()
    assert not grant.active and grant.revoke_document_ref == "QĐ 9"
    assert "Lịch sử thu hồi" in client.get(f"/tai-khoan/quan-tri/don-vi/{org_tree.commune.pk}/").content.decode()


def test_another_provinces_admin_is_refused(org_tree: Tree, provincial_admin: User) -> None:
    client = signed_in(provincial_admin)
    assert client.get(f"/tai-khoan/quan-tri/don-vi/{org_tree.other_province.pk}/").status_code == 403
    response = client.post(
        f"/tai-khoan/quan-tri/don-vi/{org_tree.other_commune.pk}/tao-tai-khoan/",
        {"identifier_code": "la.1", "full_name": "Lạ", "role": Role.STATISTICIAN, "document_ref": "CV"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(identifier_code="la.1").exists()
    stranger = make_person(unit=org_tree.other_province)
    assert client.get(f"/tai-khoan/quan-tri/nguoi-dung/{stranger.pk}/").status_code == 404


def test_statistician_has_no_account_pages(org_tree: Tree) -> None:
    statistician = make_person(unit=org_tree.province)
    give(statistician, org_tree.province, Role.STATISTICIAN)
    client = signed_in(statistician)
    assert client.get("/tai-khoan/quan-tri/").status_code == 403
    assert client.get(f"/tai-khoan/quan-tri/don-vi/{org_tree.province.pk}/").status_code == 403
    assert "Tài khoản và phân quyền" not in client.get("/").content.decode()


def test_unit_list_query_count_does_not_grow_with_units(org_tree: Tree) -> None:
    sysadmin = make_person(unit=org_tree.general_affairs)
    give(sysadmin, org_tree.general_affairs, Role.SYSTEM_ADMIN)
    client = signed_in(sysadmin)
    client.get("/tai-khoan/quan-tri/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/tai-khoan/quan-tri/").status_code == 200
    assert len(queries) <= 15, [q["sql"] for q in queries]  # 15: the bell and the letters custodian check
