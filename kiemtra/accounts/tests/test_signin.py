"""Password + TOTP sign-in for the closed network: Argon2, lock-out, second factor, sessions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import TEST_PASSWORD, Tree, make_person

pytestmark = pytest.mark.django_db
LOGIN = "/tai-khoan/dang-nhap/"


def sign_in(client: Client, username: str, password: str = TEST_PASSWORD, otp: str = ""):
    return client.post(LOGIN, {"username": username, "password": password, "otp_token": otp})


def test_sign_in_page_is_vietnamese(client: Client) -> None:
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert 'lang="vi"' in page.content.decode() and "Đăng nhập hệ thống" in page.content.decode()


def test_password_sign_in_records_an_audit_event(org_tree: Tree, client: Client) -> None:
    person = make_person("hn.thongke", unit=org_tree.province)
    response = sign_in(client, "hn.thongke")
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEvent.objects.filter(action="accounts.signed_in", actor=person).exists()


def test_wrong_password_is_refused_with_a_message(org_tree: Tree, client: Client) -> None:
    make_person("hn.thongke", unit=org_tree.province)
    response = sign_in(client, "hn.thongke", "sai-mat-khau")
    assert response.status_code == 200
    assert "Mã định danh, mật khẩu hoặc mã xác thực không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(action="accounts.sign_in.failed")
    assert failed.extra == {"identifier_code": "hn.thongke"}


def test_account_locks_after_repeated_failures(org_tree: Tree, client: Client, settings) -> None:
    make_person("hn.thongke", unit=org_tree.province)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "hn.thongke", "sai-mat-khau")
    response = sign_in(client, "hn.thongke")  # even the right password is refused now
    assert response.status_code == 429
    assert "tạm bị khóa" in response.content.decode()
    assert AuditEvent.objects.filter(action="accounts.sign_in.locked_out").exists()
    assert "_auth_user_id" not in client.session


def test_totp_is_required_once_enrolled(org_tree: Tree, client: Client, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows down retries; not what this test is about
    person = make_person("hn.thongke", unit=org_tree.province)
    device = TOTPDevice.objects.create(user=person, name="điện thoại", confirmed=True)
    response = sign_in(client, "hn.thongke")
    assert response.status_code == 200 and "mã xác thực không đúng" in response.content.decode()
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert sign_in(client, "hn.thongke", otp=code).status_code == 302


def test_totp_enrolment_page_confirms_a_device(org_tree: Tree, client: Client, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    make_person("hn.thongke", unit=org_tree.province)
    sign_in(client, "hn.thongke")
    page = client.get(reverse("accounts:totp"))
    assert page.status_code == 200 and "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user__identifier_code="hn.thongke", confirmed=False)
    wrong = client.post(reverse("accounts:totp"), {"token": "000000"})
    assert "Mã không đúng" in wrong.content.decode()
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert client.post(reverse("accounts:totp"), {"token": code}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_sessions_expire_and_sign_out_ends_the_session(org_tree: Tree, client: Client, settings) -> None:
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    make_person("hn.thongke", unit=org_tree.province)
    sign_in(client, "hn.thongke")
    assert client.get("/").status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405  # sign-out is a POST (CSRF-protected)
    client.post(reverse("accounts:logout"))
    assert client.get("/").status_code == 302


def test_unit_switcher_only_offers_units_with_a_grant(org_tree: Tree, client: Client) -> None:
    from kiemtra.accounts.choices import Role
    from kiemtra.conftest import give

    person = make_person("hai.don.vi", unit=org_tree.province)
    give(person, org_tree.province, Role.STATISTICIAN)
    give(person, org_tree.commune, Role.VIEWER)
    sign_in(client, "hai.don.vi")
    page = client.get("/").content.decode()
    assert 'id="unit-switcher"' in page and org_tree.commune.name in page
    client.post(reverse("accounts:switch_unit"), {"unit": org_tree.commune.pk, "next": "/"})
    assert client.session["current_unit_id"] == org_tree.commune.pk
    response = client.post(reverse("accounts:switch_unit"), {"unit": org_tree.other_province.pk}, follow=True)
    assert "Bạn không có phân quyền tại đơn vị này." in response.content.decode()
    assert client.session["current_unit_id"] == org_tree.commune.pk


def test_open_redirect_after_sign_in_is_refused(org_tree: Tree, client: Client) -> None:
    make_person("hn.thongke", unit=org_tree.province)
    response = client.post(
        LOGIN, {"username": "hn.thongke", "password": TEST_PASSWORD, "next": "https://attacker.example/"}
    )
    assert response["Location"] == "/"
