"""Hostile values in every field of the account, sign-in and audit pages: never a 500, nothing changed.

Issue 8.6: "Every user input gets a 4xx and a Vietnamese message naming the field; a test feeds each
form ... a set of hostile values (huge and exotic numbers, bad dates, NUL bytes, 100k-character strings,
right-to-left override characters) and asserts no 500 and nothing changed."
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from django.test import Client

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import AccountEvent, ManagedAccount, RoleGrant, User
from kiemtra.conftest import TEST_PASSWORD, Tree, give, make_person, signed_in

pytestmark = pytest.mark.django_db

HOSTILE = [
    "1e30",
    "99999999999999999999",
    "9" * 100_000,
    "-1",
    "NaN",
    "2026-13-45",
    "31/02/2026",
    "0000-00-00",
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "\u202etxt.exe",
    "Nguy\u202eễn",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    " ",
    "a " * 5_000,
]
HUGE_IDS = ["99999999999999999999", "9" * 40, "0", "-1", "abc"]


def _state() -> dict[str, Any]:
    """What a hostile request must not change (the audit log may record the failed sign-ins)."""
    return {
        "users": sorted(User.objects.values_list("pk", "identifier_code", "full_name", "password", "is_active")),
        "grants": sorted(RoleGrant.objects.values_list("pk", "person_id", "unit_id", "role", "active")),
        "events": AccountEvent.objects.count(),
        "managed": ManagedAccount.objects.count(),
    }


@pytest.fixture
def people(org_tree: Tree) -> dict[str, User]:
    admin = make_person("hn.quantri", unit=org_tree.province)
    give(admin, org_tree.province, Role.ADMIN)
    letters = make_person("vp.quantri.donthu", unit=org_tree.office)
    give(letters, org_tree.office, Role.NATIONAL_ADMIN)
    sysadmin = make_person("tw.quantri", unit=org_tree.general_affairs)
    give(sysadmin, org_tree.general_affairs, Role.SYSTEM_ADMIN)
    clerk = make_person("hn.thongke", unit=org_tree.province)
    give(clerk, org_tree.province, Role.STATISTICIAN)
    manager = make_person("hn.quanly", unit=org_tree.province)
    give(manager, org_tree.province, Role.USER_MANAGER)
    return {"admin": admin, "letters": letters, "sysadmin": sysadmin, "clerk": clerk, "manager": manager}


def _no_500(client: Client, method: str, url: str, data: dict[str, str]) -> int:
    response = client.get(url, data) if method == "get" else client.post(url, data)
    assert response.status_code < 500, f"{method.upper()} {url} { ({k: v[:40] for k, v in data.items()}) }"
    return response.status_code


def test_hostile_values_in_the_sign_in_and_password_forms(org_tree: Tree, people: dict[str, User]) -> None:
    before = _state()
    for value in HOSTILE:
        anonymous = Client()
        for field in ("username", "password", "otp_token"):
            data = {"username": "hn.thongke", "password": TEST_PASSWORD, "otp_token": "", field: value}
            _no_500(anonymous, "post", "/tai-khoan/dang-nhap/", data)
            _no_500(anonymous, "get", "/tai-khoan/dang-nhap/", {"next": value})
        client = signed_in(people["clerk"])
        for field in ("old_password", "new_password", "new_password2"):
            data = {"old_password": "sai", "new_password": "x", "new_password2": "y", field: value}
            _no_500(client, "post", "/tai-khoan/doi-mat-khau/", data)
        _no_500(client, "post", "/tai-khoan/xac-thuc-hai-lop/", {"token": value})
        _no_500(client, "post", "/tai-khoan/chon-don-vi/", {"unit": value, "next": value})
    assert _state() == before


def test_hostile_values_in_the_account_pages(org_tree: Tree, people: dict[str, User]) -> None:
    unit = org_tree.province.pk
    target = people["clerk"].pk
    grant = people["clerk"].grants.get().pk
    manager_grant = people["manager"].grants.get().pk
    before = _state()
    for actor in ("admin", "letters"):
        client = signed_in(people[actor])
        for value in HOSTILE:
            _no_500(client, "get", "/tai-khoan/quan-tri/", {"q": value, "kind": value, "page": value})
            new = {
                "identifier_code": "moi.01",
                "full_name": "Người Mới",
                "position": "",
                "citizen_id": "",
                "role": Role.STATISTICIAN,
                "document_ref": "CV 1",
            }
            for field in ("identifier_code", "full_name", "position", "citizen_id", "role", "document_ref"):
                # Valid except one field: every field is tried with every value; only bad ones may be refused.
                _no_500(client, "post", f"/tai-khoan/quan-tri/don-vi/{unit}/tao-tai-khoan/", {**new, field: value})
            # Already held: whichever field is hostile, the grant is refused, never a 500.
            existing = {"identifier_code": "hn.thongke", "role": Role.STATISTICIAN, "document_ref": "CV 2"}
            for field in existing:
                _no_500(client, "post", f"/tai-khoan/quan-tri/don-vi/{unit}/cap-quyen/", {**existing, field: value})
            # Revoke with a hostile document but nothing else: a refusal.
            _no_500(
                client,
                "post",
                f"/tai-khoan/quan-tri/phan-quyen/{grant}/thu-hoi/",
                {"document_ref": "", "reason": value},
            )
            _no_500(
                client,
                "post",
                f"/tai-khoan/quan-tri/phan-quyen/{manager_grant}/giao-nguoi-dung/",
                {"user_grant": value},
            )
            _no_500(
                client,
                "post",
                f"/tai-khoan/quan-tri/nguoi-dung/{target}/ban-giao/",
                {"new_holder_name": value, "document_ref": ""},
            )
        for bad in HUGE_IDS:
            for url in (
                f"/tai-khoan/quan-tri/don-vi/{bad}/",
                f"/tai-khoan/quan-tri/nguoi-dung/{bad}/",
                f"/tai-khoan/quan-tri/phan-quyen/{bad}/thu-hoi/",
            ):
                _no_500(client, "get" if "thu-hoi" not in url else "post", url, {})
    # An odd but valid value ("1e30" as an identifier) may create an account; nothing hostile is stored,
    # and no existing account or grant changed.
    after = _state()
    created = [u for u in after["users"] if u not in before["users"]]
    assert [u for u in before["users"] if u not in after["users"]] == []
    for _pk, code, name, _password, _active in created:
        assert len(name) <= 255 and len(code) <= 64
        assert not any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in code + name), (code, name)
    created_ids = {u[0] for u in created}
    assert all(g[1] in created_ids for g in after["grants"] if g not in before["grants"])
    assert [g for g in before["grants"] if g not in after["grants"]] == []


def test_hostile_values_in_the_audit_filters(org_tree: Tree, people: dict[str, User]) -> None:
    client = signed_in(people["sysadmin"])
    for field in ("unit", "person", "action", "from", "to", "page"):
        for value in HOSTILE:
            _no_500(client, "get", "/nhat-ky/", {field: value})


@pytest.mark.parametrize(("field", "label"), [("from", "Từ ngày"), ("to", "Đến ngày")])
def test_bad_audit_date_is_a_400_naming_the_field(
    org_tree: Tree, people: dict[str, User], field: str, label: str
) -> None:
    """?from=2026-13-45 was a 500."""
    response = signed_in(people["sysadmin"]).get("/nhat-ky/", {field: "2026-13-45"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"{label}: hãy nhập ngày theo dạng dd/mm/yyyy" in html


def test_audit_dates_are_read_in_both_iso_and_vietnamese_order(org_tree: Tree, people: dict[str, User]) -> None:
    client = signed_in(people["sysadmin"])
    assert client.get("/nhat-ky/", {"from": "07/12/2026"}).status_code == 200
    assert client.get("/nhat-ky/", {"from": "2026-12-07", "to": "2026-12-31"}).status_code == 200
    reversed_range = client.get("/nhat-ky/", {"from": "2026-12-31", "to": "2026-12-01"})
    assert reversed_range.status_code == 400 and "Đến ngày" in reversed_range.content.decode()
