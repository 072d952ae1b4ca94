"""Sign-in: one message for every failure, mandatory second factor by role, Vietnamese password rules.

Issue 8.10. Quy định 11 Art. 2.3 asks for strong sign-in (VNeID level 2); on the closed network the
password is completed by a TOTP code for every admin, approver, discipline editor and letter account.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.accounts.services import people
from kiemtra.conftest import TEST_PASSWORD, Tree, give, make_person
from kiemtra.core.errors import DomainError
from kiemtra.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db
LOGIN = "/tai-khoan/dang-nhap/"
MANDATORY = [
    Role.SYSTEM_ADMIN,
    Role.ADMIN,
    Role.ADMIN_APPROVER,
    Role.ADMIN_STATISTICIAN,
    Role.APPROVER,
    Role.NATIONAL_ADMIN,
    Role.USER_MANAGER,
    Role.USER,
    Role.DISCIPLINE_ADMIN,
    Role.DISCIPLINE_EDITOR,
]


@pytest.fixture
def production_roles(settings) -> list[str]:
    """The production default of TWO_FACTOR_REQUIRED_ROLES (test settings switch it off)."""
    import kiemtra.settings as production

    settings.TWO_FACTOR_REQUIRED_ROLES = production.TWO_FACTOR_REQUIRED_ROLES
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    return list(production.TWO_FACTOR_REQUIRED_ROLES)


def _sign_in(client: Client, code: str, password: str = TEST_PASSWORD, otp: str = ""):
    return client.post(LOGIN, {"username": code, "password": password, "otp_token": otp})


def _error_text(response) -> str:
    found = re.search(r'<div class="alert alert-danger[^"]*"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    return found.group(1).strip() if found else ""


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_wrong_totp_code_gets_the_same_message_as_a_wrong_password(org_tree: Tree, client: Client, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    person = make_person("hn.quantri", unit=org_tree.province)
    device = TOTPDevice.objects.create(user=person, name="điện thoại", confirmed=True)
    wrong_code = "000000" if _code(device) != "000000" else "111111"
    wrong_factor = _sign_in(client, "hn.quantri", otp=wrong_code)
    wrong_password = _sign_in(client, "hn.quantri", password="sai-mat-khau", otp=wrong_code)
    unknown = _sign_in(client, "khong.co.ai", otp=wrong_code)
    messages = {_error_text(r) for r in (wrong_factor, wrong_password, unknown)}
    assert len(messages) == 1 and messages != {""}, messages
    assert "Mã xác thực hai lớp không đúng" not in wrong_factor.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", MANDATORY)
def test_second_factor_is_mandatory_for_admins_approvers_editors_and_letter_accounts(
    org_tree: Tree, client: Client, production_roles: list[str], role: str
) -> None:
    homes: dict[str, OrgUnit] = {Role.SYSTEM_ADMIN: org_tree.general_affairs, Role.NATIONAL_ADMIN: org_tree.office}
    unit = homes.get(role, org_tree.province)
    person = make_person(unit=unit)
    give(person, unit, role)
    response = _sign_in(client, person.identifier_code)
    assert response.status_code == 302
    # Nothing opens until an authenticator is enrolled.
    for path in ("/", "/tai-khoan/quan-tri/", "/nhat-ky/"):
        assert client.get(path)["Location"] == reverse("accounts:totp")
    enrol = client.get(reverse("accounts:totp"))
    assert enrol.status_code == 200 and "bắt buộc" in enrol.content.decode()
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    assert client.post(reverse("accounts:totp"), {"token": _code(device)}).status_code == 302
    assert client.get("/").status_code == 200
    # From now on the code is asked at sign-in.
    client.post(reverse("accounts:logout"))
    assert _sign_in(client, person.identifier_code).status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [Role.STATISTICIAN, Role.VIEWER, Role.DISCIPLINE_VIEWER])
def test_second_factor_stays_optional_for_other_roles(
    org_tree: Tree, client: Client, production_roles: list[str], role: str
) -> None:
    person = make_person(unit=org_tree.province)
    give(person, org_tree.province, role)
    _sign_in(client, person.identifier_code)
    assert client.get("/").status_code == 200


def test_second_factor_roles_are_configurable_and_demo_accounts_exempt(
    org_tree: Tree, client: Client, production_roles: list[str], settings
) -> None:
    exempt = make_person("demo.quantri", unit=org_tree.province)
    give(exempt, org_tree.province, Role.ADMIN)
    exempt.two_factor_exempt = True
    exempt.save()
    _sign_in(client, "demo.quantri")
    assert client.get("/").status_code == 200
    client.post(reverse("accounts:logout"))
    settings.TWO_FACTOR_REQUIRED_ROLES = ["viewer"]
    viewer = make_person(unit=org_tree.province)
    give(viewer, org_tree.province, Role.VIEWER)
    _sign_in(client, viewer.identifier_code)
    assert client.get("/")["Location"] == reverse("accounts:totp")


def test_production_default_requires_the_second_factor_for_every_listed_role() -> None:
    import kiemtra.settings as production

    assert set(production.TWO_FACTOR_REQUIRED_ROLES) == set(MANDATORY)


@pytest.mark.parametrize(
    "password",
    ["NguyenVanThu2025", "nguyen-van-thu!9", "Thu.Nguyen.1990", "hnthongke2025!", "Hn.ThongKe#88"],
)
def test_password_may_not_resemble_a_vietnamese_name_or_identifier(org_tree: Tree, password: str) -> None:
    """Nguyễn Văn Thử, identifier hn.thongke: folded, the name is in every one of these passwords."""
    person = make_person("hn.thongke", unit=org_tree.province)  # full name "Nguyễn Văn Thử"
    with pytest.raises(DomainError) as exc:
        people.change_own_password(person, TEST_PASSWORD, password)
    assert exc.value.code == "weak_password" and "Mật khẩu quá giống" in exc.value.message
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)


def test_password_unrelated_to_the_name_is_accepted(org_tree: Tree) -> None:
    person = make_person("hn.thongke", unit=org_tree.province)
    people.change_own_password(person, TEST_PASSWORD, "Bau-troi-xanh-88")
    assert User.objects.get(pk=person.pk).check_password("Bau-troi-xanh-88")


@pytest.mark.parametrize(
    ("password", "vietnamese"),
    [
        ("Ab1-x", "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
        ("12345678901", "Mật khẩu không được chỉ gồm chữ số."),
        ("password123", "Mật khẩu này quá phổ biến, dễ bị đoán."),
    ],
)
def test_password_rules_speak_vietnamese(org_tree: Tree, password: str, vietnamese: str) -> None:
    person = make_person("hn.thongke", unit=org_tree.province)
    with pytest.raises(DomainError) as exc:
        people.change_own_password(person, TEST_PASSWORD, password)
    assert vietnamese in exc.value.message
    assert "password" not in exc.value.message.lower().replace(password.lower(), "")
