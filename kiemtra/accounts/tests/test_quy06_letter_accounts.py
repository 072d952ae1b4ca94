"""Quy định 06-QĐ/UBKTTW Art. 2.7, 2.8, 6 — accounts of the letter module."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module, Role
from kiemtra.accounts.models import AccountEvent, ManagedAccount, User
from kiemtra.accounts.services import grants, people
from kiemtra.conftest import Tree, give, make_person
from kiemtra.core.errors import DomainError, PolicyDenied

pytestmark = pytest.mark.django_db
DOC = "Văn bản cấp phát 7-CV/VP"


@pytest.fixture
def national_admin(org_tree: Tree) -> User:
    person = make_person("vp.quantri", unit=org_tree.office)
    give(person, org_tree.office, Role.NATIONAL_ADMIN)
    return person


def test_art2_8_national_admin_manages_users_nationwide_but_never_sees_letters(
    org_tree: Tree, national_admin: User
) -> None:
    for unit in (org_tree.province, org_tree.commune, org_tree.other_commune):
        grants.grant_role(national_admin, make_person(unit=unit), unit, Role.USER, DOC)
    assert not policies.scope(national_admin, Module.LETTERS)
    for unit in (org_tree.office, org_tree.province, org_tree.commune):
        assert not policies.can(national_admin, "letters.view", unit)
        assert not policies.can(national_admin, "letters.edit", unit)


def test_art2_8_national_admin_resets_passwords_to_the_default_and_forces_a_change(
    org_tree: Tree, national_admin: User, settings
) -> None:
    user = make_person(unit=org_tree.province)
    give(user, org_tree.province, Role.USER)
    assert not user.must_change_password
    password = people.reset_password(national_admin, user, to_default=True)
    user.refresh_from_db()
    assert password == settings.LETTERS_DEFAULT_PASSWORD
    assert user.check_password(settings.LETTERS_DEFAULT_PASSWORD) and user.must_change_password
    assert AccountEvent.objects.filter(person=user, kind=AccountEvent.Kind.PASSWORD_RESET).exists()


def test_art2_8_user_manager_rights_are_the_union_of_the_users_it_manages(org_tree: Tree) -> None:
    manager = make_person(unit=org_tree.province)
    manager_grant = give(manager, org_tree.province, Role.USER_MANAGER)
    assert not policies.scope(manager, Module.LETTERS)
    for unit in (org_tree.province, org_tree.commune):
        ManagedAccount.objects.create(manager_grant=manager_grant, user_grant=give(make_person(), unit, Role.USER))
    policies.forget(manager)
    visible = policies.scope(manager, Module.LETTERS)
    assert set(visible.unit_ids) == {org_tree.province.pk, org_tree.commune.pk}
    assert not policies.can(manager, "letters.view", org_tree.sibling_commune)


def test_art2_8_user_manager_and_user_cannot_create_or_grant_accounts(org_tree: Tree) -> None:
    manager = make_person(unit=org_tree.province)
    give(manager, org_tree.province, Role.USER_MANAGER)
    user = make_person(unit=org_tree.province)
    give(user, org_tree.province, Role.USER)
    for actor in (manager, user):
        with pytest.raises(PolicyDenied):
            grants.grant_role(actor, make_person(), org_tree.province, Role.USER, DOC)
        with pytest.raises(PolicyDenied):
            people.create_account(actor, identifier_code="x.1", full_name="X", home_unit=org_tree.province)
        assert not policies.can(actor, "accounts.manage_person", user if actor is manager else manager)


def test_art6_1_the_letter_admin_account_is_held_by_the_office(org_tree: Tree) -> None:
    operator = User.objects.create_superuser("vanhanh", "x", full_name="Vận hành")
    with pytest.raises(DomainError) as exc:
        grants.grant_role(operator, make_person(), org_tree.general_affairs, Role.NATIONAL_ADMIN, DOC)
    assert exc.value.code == "role_wrong_unit"
    grants.grant_role(operator, make_person(), org_tree.office, Role.NATIONAL_ADMIN, DOC)


def test_art6_2_user_manager_only_for_units_with_three_or_more_user_accounts(
    org_tree: Tree, national_admin: User
) -> None:
    for _ in range(2):
        grants.grant_role(national_admin, make_person(), org_tree.province, Role.USER, DOC)
    leader = make_person(unit=org_tree.province)
    with pytest.raises(DomainError) as exc:
        grants.grant_role(national_admin, leader, org_tree.province, Role.USER_MANAGER, DOC)
    assert exc.value.code == "quota_exceeded" and "06-QĐ/UBKTTW" in exc.value.message
    grants.grant_role(national_admin, make_person(), org_tree.province, Role.USER, DOC)
    manager_grant = grants.grant_role(national_admin, leader, org_tree.province, Role.USER_MANAGER, DOC)
    assert manager_grant.active


def test_art6_3_default_password_must_be_changed_before_first_use(org_tree: Tree, national_admin: User) -> None:
    user, password = people.create_account(
        national_admin, identifier_code="hn.donthu", full_name="Người dùng", home_unit=org_tree.province
    )
    grants.grant_role(national_admin, user, org_tree.province, Role.USER, DOC)
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "hn.donthu", "password": password})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password": "Mat-khau-moi-2025!",
            "new_password2": "Mat-khau-moi-2025!",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_art6_3_the_new_password_may_not_be_the_default(org_tree: Tree, national_admin: User, settings) -> None:
    user = make_person(unit=org_tree.province)
    give(user, org_tree.province, Role.USER)
    people.reset_password(national_admin, user, to_default=True)
    with pytest.raises(DomainError) as exc:
        people.change_own_password(user, settings.LETTERS_DEFAULT_PASSWORD, settings.LETTERS_DEFAULT_PASSWORD)
    assert exc.value.code == "password_reused"


def test_art6_3_hand_over_forces_a_new_password(org_tree: Tree, national_admin: User) -> None:
    user = make_person(unit=org_tree.province)
    give(user, org_tree.province, Role.USER)
    with pytest.raises(DomainError):
        people.hand_over_account(national_admin, user, new_holder_name="Trần Văn Mới", document_ref="")
    temporary = people.hand_over_account(
        national_admin, user, new_holder_name="Trần Văn Mới", document_ref="Biên bản bàn giao 2/2025"
    )
    user.refresh_from_db()
    assert user.full_name == "Trần Văn Mới" and user.must_change_password and user.check_password(temporary)
    assert AccountEvent.objects.filter(person=user, kind=AccountEvent.Kind.HANDED_OVER).exists()


def test_art2_8_national_admin_assigns_users_to_a_manager_from_the_unit_page(
    org_tree: Tree, national_admin: User
) -> None:
    from kiemtra.conftest import signed_in

    users = [give(make_person(unit=org_tree.province), org_tree.province, Role.USER) for _ in range(3)]
    manager = make_person(unit=org_tree.province)
    manager_grant = grants.grant_role(national_admin, manager, org_tree.province, Role.USER_MANAGER, DOC)
    client = signed_in(national_admin)
    page = client.get(f"/tai-khoan/quan-tri/don-vi/{org_tree.province.pk}/").content.decode()
    assert "Chưa giao tài khoản nào." in page
    client.post(f"/tai-khoan/quan-tri/phan-quyen/{manager_grant.pk}/giao-nguoi-dung/", {"user_grant": users[0].pk})
    assert ManagedAccount.objects.filter(manager_grant=manager_grant, user_grant=users[0], active=True).exists()
    assert org_tree.province in policies.scope(manager, Module.LETTERS)
    # The manager itself may not assign (Art. 2.8: no function to grant accounts).
    signed_in(manager).post(
        f"/tai-khoan/quan-tri/phan-quyen/{manager_grant.pk}/giao-nguoi-dung/", {"user_grant": users[1].pk}
    )
    assert not ManagedAccount.objects.filter(user_grant=users[1]).exists()
