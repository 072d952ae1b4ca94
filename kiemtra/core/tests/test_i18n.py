"""Vietnamese by default, English on request: the catalogue, the language switcher, the error pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed
from django.test import Client, RequestFactory
from django.utils import translation

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree, give, make_person

LOGIN = "/tai-khoan/dang-nhap/"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _catalogue(language: str) -> tuple[Path, Path]:
    po = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    return po, po.with_suffix(".mo")


@pytest.fixture(autouse=True, scope="module")
def compiled_catalogue() -> None:
    """The .mo files are built by make, not committed: build them here if this test runs alone."""
    po, mo = _catalogue("en")
    assert po.exists(), po
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        call_command("compile_translations", verbosity=0)
        # Forget catalogues (and "no catalogue" answers) loaded before the .mo existed:
        # django.test.signals resets the translation caches when LOCALE_PATHS "changes".
        setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)
    assert mo.exists()


def _set_language(client: Client, language: str, next_url: str = LOGIN) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def test_the_catalogue_translates_every_message() -> None:
    from babel.messages.pofile import read_po

    po, _mo = _catalogue("en")
    with po.open("rb") as f:
        catalogue = read_po(f)
    assert len(catalogue) > 200
    assert [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)] == []
    assert list(catalogue.check()) == []  # the %(name)s placeholders match
    with translation.override("en"):
        assert translation.gettext("Tài khoản và phân quyền") == "Accounts and permissions"
        assert str(Role.SYSTEM_ADMIN.label) == "System administration"
    with translation.override("vi"):
        assert translation.gettext("Tài khoản và phân quyền") == "Tài khoản và phân quyền"


@pytest.mark.django_db
def test_sign_in_page_is_vietnamese_by_default_and_english_on_request(client: Client) -> None:
    page = client.get(LOGIN).content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập hệ thống" in page and "Mã định danh" in page and "Sign in" not in page

    _set_language(client, "en")
    page = client.get(LOGIN).content.decode()
    assert '<html lang="en">' in page
    assert "Sign in to the system" in page and "Identifier code" in page and "<title>Sign in · Kiểm tra số" in page
    assert "Đăng nhập hệ thống" not in page
    # The switcher offers both languages, the current one selected.
    assert '<option value="en" selected>English</option>' in page
    assert '<option value="vi" >Tiếng Việt</option>' in page

    _set_language(client, "vi")
    assert "Đăng nhập hệ thống" in client.get(LOGIN).content.decode()


@pytest.mark.django_db
def test_messages_from_views_follow_the_language(client: Client) -> None:
    _set_language(client, "en")
    response = client.post(LOGIN, {"username": "khong-co", "password": "sai-mat-khau"})
    assert "Wrong identifier code, password or authentication code." in response.content.decode()


@pytest.mark.django_db
def test_language_switcher_for_a_signed_in_user(client: Client) -> None:
    tree = Tree()
    admin = make_person("hn.quantri", unit=tree.province)
    give(admin, tree.province, Role.ADMIN)
    client.force_login(admin, backend=MODEL_BACKEND)

    page = client.get("/").content.decode()
    assert "Xin chào, Nguyễn Văn Thử" in page and "Tài khoản và phân quyền" in page
    assert 'action="/i18n/setlang/"' in page and 'name="next" type="hidden" value="/"' in page

    _set_language(client, "en", next_url="/")
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Hello, Nguyễn Văn Thử" in page
    assert "Accounts and permissions" in page and "Audit log" in page and "Sign out" in page  # sidebar, header
    assert "Administration</strong> — UBKT Thành ủy Hà Nội" in page  # the role label
    page = client.get("/tai-khoan/quan-tri/").content.decode()
    assert "Statistics account quota (in use / maximum)" in page

    _set_language(client, "vi", next_url="/")
    assert "Xin chào, Nguyễn Văn Thử" in client.get("/").content.decode()


@pytest.mark.django_db
def test_error_pages_are_in_the_users_language(client: Client) -> None:
    tree = Tree()
    admin = make_person("hn.quantri", unit=tree.province)
    give(admin, tree.province, Role.ADMIN)
    client.force_login(admin, backend=MODEL_BACKEND)
    other_province = f"/tai-khoan/quan-tri/don-vi/{tree.other_province.pk}/"

    response = client.get(other_province)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn không có quyền truy cập trang này." in page and "Tài khoản và phân quyền" in page  # with the shell
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()

    _set_language(client, "en", next_url="/")
    response = client.get(other_province)
    assert response.status_code == 403
    assert "You do not have permission to access this page." in response.content.decode()
    assert "Page not found" in client.get("/khong-co-trang-nay/").content.decode()


def test_server_error_page_needs_no_context() -> None:
    from django.views.defaults import server_error

    request = RequestFactory().get("/")
    with translation.override("vi"):
        response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert page.startswith("<!doctype html>")
    assert '<html lang="vi">' in page and "Lỗi hệ thống" in page and "{%" not in page
    with translation.override("en"):
        assert "System error" in server_error(request).content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client) -> None:
    page = client.get("/tai-khoan/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập hệ thống" in page.content.decode()
