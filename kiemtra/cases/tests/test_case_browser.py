"""A case walked in a real browser from the home page (issue 14 "Done when"): a team member opens the sidebar's
case list, the file, records the step under way, and sees the board. No console error, no failed file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import TEST_PASSWORD, PageWatch, Tree, browser_sign_in

from .factories import case_with_team, person

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_team_member_walks_a_case_from_the_home_page(live_server: Any, browser: Any, org_tree: Tree) -> None:
    from playwright.sync_api import expect

    lead = person(org_tree.province, Role.CASE_LEADERSHIP)
    member = person(org_tree.province, Role.CASE_OFFICER)
    case = case_with_team(org_tree.province, lead, member, decision_date=dt.date.today() - dt.timedelta(days=3))
    base = live_server.url
    page = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(10_000)
    watch = PageWatch(page, base)
    browser_sign_in(page, base, member.identifier_code, TEST_PASSWORD)
    page.wait_for_url(f"{base}/")

    page.get_by_role("link", name="Hồ sơ và tiến độ").first.click()
    page.wait_for_url(f"{base}/kiem-tra/")
    page.get_by_role("link", name=case.decision_number).click()
    page.wait_for_url(f"{base}/kiem-tra/ho-so/{case.pk}/")
    expect(page.get_by_test_id("case-decision")).to_contain_text(case.decision_number)
    expect(page.get_by_test_id("step").first).to_have_attribute("data-done", "0")
    page.get_by_role("button", name="Ghi nhận hoàn thành").click()
    page.wait_for_url(f"{base}/kiem-tra/ho-so/{case.pk}/")
    expect(page.get_by_test_id("step").first).to_have_attribute("data-done", "1")
    first = case.steps.order_by("order").first()
    assert first is not None and first.actual_end == dt.date.today()

    page.get_by_role("link", name="Bảng tiến độ").first.click()
    page.wait_for_url(f"{base}/kiem-tra/tien-do/")
    expect(page.get_by_test_id("board")).to_contain_text(org_tree.province.name)
    assert not watch.problems, watch.problems
