"""The case list is paged by keyset: every file of the scope once, newest decision first, by "next" and
"previous" links that keep the filters; a forged page link is a 400 naming it; another commission's files never
appear."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree, signed_in

from .. import views
from ..models import CaseFile
from ..services.cases import open_case
from .factories import case_with_team, opening, person
from .test_case_file_pages import follow, home, refused

pytestmark = pytest.mark.django_db


def _numbers(page: str) -> list[str]:
    return re.findall(r'<a href="/kiem-tra/ho-so/\d+/">([^<]+)</a>', page)


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_list_pages_through_every_file_once_newest_first_keeping_the_filter(
    org_tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 3)
    unit = org_tree.province
    lead = person(unit, Role.CASE_LEADERSHIP)
    officer = person(unit, Role.CASE_OFFICER)
    days = [dt.date(2025, 3, d) for d in (1, 2, 2, 2, 5, 6, 9)]  # ties on one day: the id breaks them
    for n, day in enumerate(days):
        case_with_team(unit, lead, officer, subject=f"Đồng chí số {n}", decision_date=day)
    for n in range(2):  # files the officer is not on: out of the "mine" filter
        open_case(lead, unit, opening(subject=f"Tổ chức {n}", decision_date=dt.date(2025, 3, 3)))
    open_case(
        person(org_tree.other_province, Role.CASE_LEADERSHIP),
        org_tree.other_province,
        opening(subject="Tỉnh khác", decision_date=dt.date(2025, 3, 4)),
    )
    expected = [
        c.decision_number
        for c in CaseFile.objects.filter(unit=unit).order_by("-decision_date", "-pk")  # the order the list promises
    ]
    assert len(expected) == 9

    client = signed_in(lead)
    page = follow(client, home(client), "/kiem-tra/")
    seen, pages = _numbers(page), [page]
    assert _link(page, "prev") is None
    while (href := _link(page, "next")) is not None:
        response = client.get(f"/kiem-tra/{href}")
        assert response.status_code == 200
        page = response.content.decode()
        seen += _numbers(page)
        pages.append(page)
    assert seen == expected and len(pages) == 3

    # Back from the last page: the second page again, exactly.
    back = client.get(f"/kiem-tra/{_link(pages[2], 'prev')}").content.decode()
    assert _numbers(back) == _numbers(pages[1])

    # The filter "mine" stays on every page's links.
    mine = signed_in(officer)
    page = mine.get("/kiem-tra/?mine=1").content.decode()
    listed = _numbers(page)
    while (href := _link(page, "next")) is not None:
        assert "mine=1" in href
        page = mine.get(f"/kiem-tra/{href}").content.decode()
        listed += _numbers(page)
    officer_cases = CaseFile.objects.filter(team__person=officer).order_by("-decision_date", "-pk")
    assert listed == [c.decision_number for c in officer_cases] and len(listed) == 7


def test_a_forged_page_link_is_refused_naming_it(org_tree: Tree) -> None:
    lead = person(org_tree.province, Role.CASE_LEADERSHIP)
    client = signed_in(lead)
    for bad in ("sau=hom-qua", "truoc=2025-13-01.4", "sau=2025-01-01.x"):
        refused(client.get(f"/kiem-tra/?{bad}"), "Trang")


def test_a_unit_admin_still_sees_no_list(org_tree: Tree) -> None:
    admin: Any = person(org_tree.province, Role.ADMIN)
    assert signed_in(admin).get("/kiem-tra/?sau=2025-01-01.1").status_code == 403
