"""Shared by every app's tests: factories (units from the real tree shape, people with grants) and the browser."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from kiemtra.accounts.models import RoleGrant, User
from kiemtra.orgs import tree
from kiemtra.orgs.choices import DepartmentRole, UnitKind
from kiemtra.orgs.models import OrgUnit, RegionalAssignment

_seq = itertools.count(1)
DAY = dt.date(2025, 7, 1)


def make_unit(
    kind: str, parent: OrgUnit | None = None, *, code: str | None = None, role: str = "", name: str | None = None
) -> OrgUnit:
    n = next(_seq)
    unit = OrgUnit.objects.create(
        code=code or f"U{n}", name=name or f"Đơn vị {n}", kind=kind, department_role=role, parent=parent, valid_from=DAY
    )
    tree.refresh_subtree(unit)
    return unit


TEST_PASSWORD = "Mat-khau-thu-1"  # noqa: S105


def make_person(code: str | None = None, *, unit: OrgUnit | None = None, password: str = TEST_PASSWORD) -> User:
    user = User.objects.create_user(code or f"nguoi{next(_seq)}", password, full_name="Nguyễn Văn Thử", home_unit=unit)
    user.must_change_password = False
    user.save()
    return user


def give(person: User, unit: OrgUnit, role: str) -> RoleGrant:
    """A grant written directly: test set-up, not the behaviour under test."""
    from kiemtra.accounts.choices import ROLE_MODULE

    grant = RoleGrant.objects.create(person=person, unit=unit, module=ROLE_MODULE[role], role=role, document_ref="Test")
    from kiemtra.accounts import policies

    policies.forget(person)
    return grant


class Tree:
    """A small tree with every relation the permission matrix needs."""

    def __init__(self) -> None:
        self.centre = make_unit(UnitKind.CENTRAL, code="UBKTTW")
        self.general_affairs = make_unit(
            UnitKind.DEPARTMENT, self.centre, code="VTH", role=DepartmentRole.GENERAL_AFFAIRS
        )
        self.office = make_unit(UnitKind.DEPARTMENT, self.centre, code="VP", role=DepartmentRole.OFFICE)
        self.training = make_unit(UnitKind.DEPARTMENT, self.centre, code="VNC", role=DepartmentRole.TRAINING)
        self.regional = make_unit(UnitKind.DEPARTMENT, self.centre, code="VDB1", role=DepartmentRole.REGIONAL)
        self.province = make_unit(UnitKind.PROVINCIAL, self.centre, code="T01", name="UBKT Thành ủy Hà Nội")
        self.commune = make_unit(UnitKind.COMMUNE, self.province, code="X00004", name="UBKT Đảng ủy phường Ba Đình")
        self.sibling_commune = make_unit(UnitKind.COMMUNE, self.province, code="X00008")
        self.other_province = make_unit(UnitKind.PROVINCIAL, self.centre, code="T79")
        self.other_commune = make_unit(UnitKind.COMMUNE, self.other_province, code="X26734")
        RegionalAssignment.objects.create(department=self.regional, province=self.province, valid_from=DAY)


def restore_shipped_data() -> None:
    """Put back the configuration rows data migrations ship (quotas, discipline catalogs) when they are gone."""
    import importlib

    from django.apps import apps

    from kiemtra.accounts.models import QuotaRule
    from kiemtra.discipline import catalog
    from kiemtra.discipline.models import Penalty, StatsLinkRule, ViolationCategory

    if not QuotaRule.objects.exists():
        importlib.import_module("kiemtra.accounts.migrations.0003_quota_rules").load(apps, None)
    if not Penalty.objects.exists():
        catalog.load(Penalty, ViolationCategory)
    if not StatsLinkRule.objects.exists():
        catalog.load_stats_link(StatsLinkRule)
    from kiemtra.stats.models import OpeningNoticeRule

    if not OpeningNoticeRule.objects.exists():
        importlib.import_module("kiemtra.stats.migrations.0005_opening_notice_rule").load(apps, None)
    from kiemtra.cases.models import StepTemplate

    if not StepTemplate.objects.exists():
        importlib.import_module("kiemtra.cases.migrations.0002_step_catalog").load(apps, None)
    from kiemtra.letters.models import TimeLimit

    if not TimeLimit.objects.exists():
        importlib.import_module("kiemtra.letters.migrations.0003_handling_catalogs").load(apps, None)


@pytest.fixture(autouse=True)
def _shipped_data(request: pytest.FixtureRequest, django_db_blocker: Any) -> None:
    """A ``transaction=True`` test ends with a flush of every table, which takes the shipped rows with it."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if uses_db:
        with django_db_blocker.unblock():
            restore_shipped_data()


@pytest.fixture
def org_tree(db: None) -> Tree:
    return Tree()


@pytest.fixture
def person_with() -> Callable[..., User]:
    def factory(unit: OrgUnit, *roles: str, code: str | None = None) -> User:
        person = make_person(code, unit=unit)
        for role in roles:
            give(person, unit, role)
        return person

    return factory


def signed_in(person: User) -> Client:
    """A test client with ``person`` signed in (the sign-in flow itself is tested in test_signin)."""
    client = Client()
    client.force_login(person)
    return client


# --- the browser: Debian's chromium driven by Playwright against ``live_server`` ----------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A chromium launched for one test (skipped where Debian's chromium is not installed)."""
    if shutil.which(CHROMIUM) is None:
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made here
    # (set-up, assertions) are still synchronous, so Django's guard is lifted for the test.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            try:
                chromium.close()
            finally:
                # While Playwright's loop is this thread's running loop, asgiref gives the ORM a
                # second set of connections; close them now, or PostgreSQL refuses to drop the
                # test database at the end of the session ("being accessed by other users").
                connections.close_all()


class PageWatch:
    """What must never happen on a page: a failed request, an unexpected HTTP error, a JS error, a CSP violation,
    English words on a Vietnamese page (``kiemtra/core/tests/english_words.py``).

    Also keeps the static files loaded (``static_loaded``). ``allowed_statuses``: path -> the error
    statuses expected there. Each page is checked for English when it loads, and the current page
    again (htmx may have changed it) when ``problems`` is read.
    """

    def __init__(self, page: Any, base_url: str, allowed_statuses: dict[str, set[int]] | None = None) -> None:
        self.base_url = base_url
        self.page = page
        self._problems: list[str] = []
        self.static_loaded: set[str] = set()
        self.allowed = allowed_statuses or {}
        page.on("console", self._console)
        page.on("pageerror", lambda error: self._problems.append(f"JS error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("load", lambda _: self._check_english())

    @property
    def problems(self) -> list[str]:
        self._check_english()
        return self._problems

    def _check_english(self) -> None:
        from kiemtra.core.tests.english_words import PAGE_TEXT_JS, english_found

        try:
            url = self.page.url
            if not url.startswith(self.base_url) or url.removeprefix(self.base_url).startswith("/django-admin/"):
                return
            text = self.page.evaluate(PAGE_TEXT_JS)
        except Exception:
            return
        if text and (found := english_found(text)):
            problem = f"English on {url.removeprefix(self.base_url)}: {', '.join(found)}"
            if problem not in self._problems:
                self._problems.append(problem)

    def _failed(self, request: Any) -> None:
        # Chromium cancels the favicon fetch when the page navigates on: not a failure of ours.
        if "favicon" in request.url and "ERR_ABORTED" in str(request.failure):
            return
        # A link that downloads a file (Excel, PDF) ends its navigation as "aborted": the download goes on.
        if request.is_navigation_request() and "ERR_ABORTED" in str(request.failure):
            return
        self._problems.append(f"failed: {request.url} {request.failure}")

    def _console(self, message: Any) -> None:
        # "Failed to load resource" duplicates a response seen by _response, which knows what is expected.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self._problems.append(f"console: {message.text}")
        elif "Content Security Policy" in message.text:
            self._problems.append(f"console {message.type}: {message.text}")

    def _response(self, response: Any) -> None:
        path = response.url.removeprefix(self.base_url)
        if path.startswith("/static/") and response.ok:
            self.static_loaded.add(path)
        if response.status >= 400 and response.status not in self.allowed.get(path, set()):
            self._problems.append(f"HTTP {response.status}: {path}")


def browser_sign_in(page: Any, base_url: str, code: str, password: str) -> None:
    """Sign in through the sign-in page, with the keyboard."""
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Mã định danh").fill(code)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_label("Mật khẩu", exact=True).press("Enter")
