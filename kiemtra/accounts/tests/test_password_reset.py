"""Password resets: the shared default only by the letter admin; otherwise a one-time password shown once.

Quy định 06-QĐ/UBKTTW Art. 2.8: the letter module's admin "đặt lại mật khẩu về mặc định". Quy định 11
Art. 3.5.a and 3.6.a: a statistics admin "thiết lập mật khẩu tài khoản người dùng" — not to a shared default.
Issue 8.3: the temporary password is rendered once in the page, never carried in the messages cookie
(signed, not encrypted).
"""

from __future__ import annotations

import pytest
from django.conf import settings

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.accounts.services import people
from kiemtra.conftest import TEST_PASSWORD, Tree, give, make_person, signed_in
from kiemtra.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _holder(unit, role: str) -> User:
    person = make_person(unit=unit)
    give(person, unit, role)
    return person


@pytest.mark.parametrize(
    ("admin_where", "admin_role", "target_role"),
    [
        ("province", Role.ADMIN, Role.STATISTICIAN),
        ("general_affairs", Role.SYSTEM_ADMIN, Role.STATISTICIAN),
        ("centre", Role.DISCIPLINE_ADMIN, Role.DISCIPLINE_VIEWER),
    ],
)
def test_quy06_2_8_only_the_letter_admin_resets_to_the_shared_default(
    org_tree: Tree, admin_where: str, admin_role: str, target_role: str
) -> None:
    admin = _holder(getattr(org_tree, admin_where), admin_role)
    person = _holder(org_tree.province, target_role)
    with pytest.raises(DomainError) as exc:
        people.reset_password(admin, person, to_default=True)
    assert exc.value.code == "default_reset_letters_only"
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)
    # Through the page too: the refusal is a message, and the password stays.
    page = signed_in(admin).post(
        f"/tai-khoan/quan-tri/nguoi-dung/{person.pk}/dat-lai-mat-khau/", {"to_default": "1"}, follow=True
    )
    assert page.status_code == 200 and "Chỉ quản trị phần mềm đơn thư" in page.content.decode()
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)


def test_letter_admin_does_not_reset_a_statistics_account_to_the_default(org_tree: Tree) -> None:
    """A person who also holds a statistics role keeps a password of their own."""
    letter_admin = _holder(org_tree.office, Role.NATIONAL_ADMIN)
    person = _holder(org_tree.province, Role.USER)
    give(person, org_tree.province, Role.STATISTICIAN)
    with pytest.raises(DomainError) as exc:
        people.reset_password(letter_admin, person, to_default=True)
    assert exc.value.code == "default_reset_letters_only"


def test_statistics_admin_issues_a_temporary_password_shown_once_in_the_page(org_tree: Tree) -> None:
    admin = _holder(org_tree.province, Role.ADMIN)
    person = _holder(org_tree.province, Role.STATISTICIAN)
    response = signed_in(admin).post(f"/tai-khoan/quan-tri/nguoi-dung/{person.pk}/dat-lai-mat-khau/")
    assert response.status_code == 200
    html = response.content.decode()
    person.refresh_from_db()
    assert person.must_change_password
    issued = response.context["issued_password"]
    assert len(issued) >= 12 and issued in html and person.check_password(issued)
    assert issued != settings.LETTERS_DEFAULT_PASSWORD
    # Not in any cookie, and the page is not cached.
    assert all(issued not in morsel.value for morsel in response.cookies.values())
    assert "no-store" in response["Cache-Control"]
    # The holder must change it at first sign-in.
    client = signed_in(person)
    assert client.get("/")["Location"] == "/tai-khoan/doi-mat-khau/"


def test_new_account_and_hand_over_passwords_are_not_carried_in_the_messages_cookie(org_tree: Tree) -> None:
    admin = _holder(org_tree.province, Role.ADMIN)
    client = signed_in(admin)
    response = client.post(
        f"/tai-khoan/quan-tri/don-vi/{org_tree.commune.pk}/tao-tai-khoan/",
        {
            "identifier_code": "badinh.moi",
            "full_name": "Ngô Văn Mới",
            "role": Role.STATISTICIAN,
            "document_ref": "CV 1",
        },
    )
    assert response.status_code == 200
    issued = response.context["issued_password"]
    assert issued in response.content.decode()
    assert all(issued not in morsel.value for morsel in response.cookies.values())
    person = User.objects.get(identifier_code="badinh.moi")
    handed = client.post(
        f"/tai-khoan/quan-tri/nguoi-dung/{person.pk}/ban-giao/",
        {"new_holder_name": "Lê Thị Nhận", "document_ref": "BB bàn giao 2"},
    )
    assert handed.status_code == 200
    second = handed.context["issued_password"]
    assert second in handed.content.decode() and all(second not in m.value for m in handed.cookies.values())
