"""A wide table scrolls inside its container; the page itself stays as wide as the window (issue 10, item 11).

The form-version page of the widest demo form was 3,044 px wide: the grid's visually
hidden cell labels are absolutely positioned and escaped the scroll container's clip.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from kiemtra.accounts.choices import Role
from kiemtra.conftest import PageWatch, Tree, give, make_person
from kiemtra.stats.formsets import load_demo
from kiemtra.stats.models import FormVersion

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_widest_form_version_page_is_no_wider_than_the_window(live_server: Any, browser: Any) -> None:
    tree = Tree()
    admin = make_person(unit=tree.general_affairs)
    give(admin, tree.general_affairs, Role.SYSTEM_ADMIN)
    load_demo()
    widest = max(FormVersion.objects.all(), key=lambda v: v.columns.count())
    client = Client()
    client.force_login(admin)
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    watch = PageWatch(page, live_server.url)
    page.goto(f"{live_server.url}/thong-ke/bieu-mau/")
    position = list(FormVersion.objects.order_by("form__code")).index(widest)
    page.get_by_role("link", name="Phiên bản 1").nth(position).click()
    grid = page.get_by_test_id("form-grid")
    assert grid.evaluate("e => e.getBoundingClientRect().width") > 2000  # the grid is really wide…
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # …and the page is not
    scroller = grid.locator("xpath=..")
    scroller.evaluate("e => { e.scrollLeft = 10000; }")
    assert scroller.evaluate("e => e.scrollLeft") > 500  # the grid scrolls inside its container
    assert watch.problems == [], watch.problems
