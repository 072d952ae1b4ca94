"""Who may hold which grants: no self-grant, admins hold no data role, statistician ≠ approver along a line.

Quy định 11-QĐ/UBKTTW Art. 3.1.d: "Việc tạo tài khoản 02 chức năng do tài khoản quản trị của UBKT cấp
trên trực tiếp thực hiện và đảm bảo nguyên tắc tài khoản thống kê và tài khoản phê duyệt là 02 cá nhân
riêng biệt." Art. 3.5.a: the provincial admin account "không có chức năng thống kê và các chức năng khác
liên quan đến cơ sở dữ liệu thống kê". Quy định 06-QĐ/UBKTTW Art. 2.8: the letter admin cannot view or use
letter data. Issue 8, findings 1 and 2.
"""

from __future__ import annotations

import pytest

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import RoleGrant, User
from kiemtra.accounts.services import grants
from kiemtra.conftest import Tree, give, make_person, signed_in
from kiemtra.core.errors import DomainError, PolicyDenied

pytestmark = pytest.mark.django_db
DOC = "Công văn 12-CV/UBKT"


def holder(unit, *roles: str) -> User:
    person = make_person(unit=unit)
    for role in roles:
        give(person, unit, role)
    return person


def operator() -> User:
    return User.objects.create_superuser(f"vanhanh{User.objects.count()}", "x", full_name="Vận hành")


def _refused(actor: User, person: User, unit, role: str) -> Exception:
    before = RoleGrant.objects.count()
    with pytest.raises((DomainError, PolicyDenied)) as exc:
        grants.grant_role(actor, person, unit, role, DOC)
    assert RoleGrant.objects.count() == before
    return exc.value


# --- 8.1 no self-grant --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "admin_role", "wanted"),
    [
        ("province", Role.ADMIN, Role.VIEWER),
        ("province", Role.ADMIN, Role.DISCIPLINE_EDITOR),
        ("commune", Role.ADMIN, Role.STATISTICIAN),
        ("general_affairs", Role.SYSTEM_ADMIN, Role.APPROVER),
        ("office", Role.NATIONAL_ADMIN, Role.USER),
        ("centre", Role.DISCIPLINE_ADMIN, Role.DISCIPLINE_VIEWER),
    ],
)
def test_nobody_grants_a_role_to_themselves(org_tree: Tree, where: str, admin_role: str, wanted: str) -> None:
    """Issue 8.1: `hn.quantri` granted itself viewer, then discipline editor; the letter admin a letter user."""
    unit = getattr(org_tree, where)
    admin = holder(unit, admin_role)
    target = org_tree.province if wanted != Role.STATISTICIAN else org_tree.commune
    assert not policies.can_grant(admin, policies.GrantTarget(target, wanted, admin))
    error = _refused(admin, admin, target, wanted)
    assert isinstance(error, DomainError) and error.code == "self_grant"
    assert list(admin.grants.values_list("role", flat=True)) == [admin_role]


def test_the_operator_does_not_grant_itself_either(org_tree: Tree) -> None:
    op = operator()
    error = _refused(op, op, org_tree.province, Role.VIEWER)
    assert isinstance(error, DomainError) and error.code == "self_grant"
    assert "chính mình" in error.message


def test_self_grant_through_the_unit_page_is_refused_with_a_message(org_tree: Tree) -> None:
    admin = holder(org_tree.province, Role.ADMIN)
    client = signed_in(admin)
    for role in (Role.VIEWER, Role.STATISTICIAN):
        page = client.post(
            f"/tai-khoan/quan-tri/don-vi/{org_tree.province.pk}/cap-quyen/",
            {"identifier_code": admin.identifier_code, "role": role, "document_ref": DOC},
            follow=True,
        )
        assert page.status_code == 200
        assert "chính mình" in page.content.decode()
    assert admin.grants.count() == 1


# --- 8.1 admin accounts hold no data role -----------------------------------------------------


@pytest.mark.parametrize(
    ("admin_where", "admin_role", "granter_where", "granter_role", "unit_where", "wanted"),
    [
        # The system admin gives the provincial admin a viewer role of its own province.
        ("province", Role.ADMIN, "general_affairs", Role.SYSTEM_ADMIN, "province", Role.VIEWER),
        # The discipline admin gives the provincial admin the discipline editor role.
        ("province", Role.ADMIN, "centre", Role.DISCIPLINE_ADMIN, "province", Role.DISCIPLINE_EDITOR),
        # The letter admin gives the provincial admin a letter user role.
        ("province", Role.ADMIN, "office", Role.NATIONAL_ADMIN, "province", Role.USER),
        # The provincial admin gives the commune admin a statistician role at another commune.
        ("commune", Role.ADMIN, "province", Role.ADMIN, "sibling_commune", Role.STATISTICIAN),
        # The system admin gives the letter admin a statistics viewer role.
        ("office", Role.NATIONAL_ADMIN, "general_affairs", Role.SYSTEM_ADMIN, "regional", Role.VIEWER),
        # The system admin gives the discipline admin a discipline viewer role.
        ("centre", Role.DISCIPLINE_ADMIN, "general_affairs", Role.SYSTEM_ADMIN, "province", Role.DISCIPLINE_VIEWER),
        # A combined account holds no further data role.
        ("commune", Role.ADMIN_APPROVER, "centre", Role.DISCIPLINE_ADMIN, "commune", Role.DISCIPLINE_VIEWER),
    ],
)
def test_admin_account_cannot_be_given_a_data_role_in_any_module(
    org_tree: Tree,
    admin_where: str,
    admin_role: str,
    granter_where: str,
    granter_role: str,
    unit_where: str,
    wanted: str,
) -> None:
    admin = holder(getattr(org_tree, admin_where), admin_role)
    granter = holder(getattr(org_tree, granter_where), granter_role)
    error = _refused(granter, admin, getattr(org_tree, unit_where), wanted)
    assert isinstance(error, DomainError) and error.code == "admin_holds_data_role"
    assert "quản trị" in error.message


@pytest.mark.parametrize(
    ("data_where", "data_role", "granter_where", "granter_role", "unit_where", "wanted"),
    [
        ("province", Role.STATISTICIAN, "province", Role.ADMIN, "commune", Role.ADMIN),
        ("province", Role.VIEWER, "general_affairs", Role.SYSTEM_ADMIN, "other_province", Role.ADMIN),
        ("province", Role.DISCIPLINE_VIEWER, "general_affairs", Role.SYSTEM_ADMIN, "centre", Role.DISCIPLINE_ADMIN),
        ("province", Role.USER, "province", Role.ADMIN, "commune", Role.ADMIN_APPROVER),
        ("commune", Role.DISCIPLINE_EDITOR, "province", Role.ADMIN, "commune", Role.ADMIN_STATISTICIAN),
    ],
)
def test_data_role_holder_cannot_be_given_an_admin_grant(
    org_tree: Tree,
    data_where: str,
    data_role: str,
    granter_where: str,
    granter_role: str,
    unit_where: str,
    wanted: str,
) -> None:
    person = holder(getattr(org_tree, data_where), data_role)
    granter = holder(getattr(org_tree, granter_where), granter_role)
    error = _refused(granter, person, getattr(org_tree, unit_where), wanted)
    assert isinstance(error, DomainError) and error.code == "admin_holds_data_role"


def test_combined_account_from_the_level_directly_above_is_the_one_exception(org_tree: Tree) -> None:
    """Art. 3.1.d: "Quản trị, phê duyệt ... do tài khoản quản trị của UBKT cấp trên trực tiếp thực hiện"."""
    provincial_admin = holder(org_tree.province, Role.ADMIN)
    grant = grants.grant_role(provincial_admin, make_person(), org_tree.commune, Role.ADMIN_APPROVER, DOC)
    assert grant.functions == {"admin", "approver"}
    # The system admin is not directly above a commune: it may not create one there.
    sysadmin = holder(org_tree.general_affairs, Role.SYSTEM_ADMIN)
    error = _refused(sysadmin, make_person(), org_tree.sibling_commune, Role.ADMIN_STATISTICIAN)
    assert isinstance(error, PolicyDenied)
    # ... but it is directly above a province.
    grants.grant_role(sysadmin, make_person(), org_tree.other_province, Role.ADMIN_STATISTICIAN, DOC)


# --- 8.2 statistician and approver: two people along a whole line of the tree ---------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("province", Role.STATISTICIAN), ("commune", Role.APPROVER)),  # the probe: hn.thongke approves a commune
        (("commune", Role.APPROVER), ("province", Role.STATISTICIAN)),  # the other order
        (("province", Role.APPROVER), ("commune", Role.STATISTICIAN)),
        (("general_affairs", Role.STATISTICIAN), ("province", Role.APPROVER)),  # acts for the Centre (Art. 3.2.c)
        (("commune", Role.ADMIN_STATISTICIAN), ("province", Role.APPROVER)),
        (("province", Role.STATISTICIAN), ("province", Role.APPROVER)),
    ],
)
def test_statistician_and_approver_are_two_people_along_a_line_of_the_tree(
    org_tree: Tree, first: tuple[str, str], second: tuple[str, str]
) -> None:
    person = make_person()
    grants.grant_role(operator(), person, getattr(org_tree, first[0]), first[1], DOC)
    error = _refused(operator(), person, getattr(org_tree, second[0]), second[1])
    assert isinstance(error, DomainError) and error.code in {"separation_of_duties", "admin_holds_data_role"}
    if first[1] != Role.ADMIN_STATISTICIAN:
        assert error.code == "separation_of_duties"
        assert "3.1.d" in error.message


def test_statistician_and_approver_in_separate_lines_may_be_one_person(org_tree: Tree) -> None:
    """Two communes, or two provinces: no report of one passes through the other."""
    person = make_person()
    grants.grant_role(operator(), person, org_tree.commune, Role.STATISTICIAN, DOC)
    grants.grant_role(operator(), person, org_tree.sibling_commune, Role.APPROVER, DOC)
    other = make_person()
    grants.grant_role(operator(), other, org_tree.province, Role.STATISTICIAN, DOC)
    grants.grant_role(operator(), other, org_tree.other_commune, Role.APPROVER, DOC)
    assert RoleGrant.objects.filter(person__in=[person, other]).count() == 4
