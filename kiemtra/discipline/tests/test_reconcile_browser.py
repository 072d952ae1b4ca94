"""Reconciliation in a real browser (Debian's chromium through Playwright, against ``live_server``).

A provincial editor opens the least certain pending decision from the queue,
sees the source of the field they focus marked in the document, corrects the name
with the keyboard alone (Enter moves on, it does not publish), publishes, and
lands on the next decision. An upload's batch page fills its progress bar by
polling (htmx) while the worker reads the files, stops when done, and leads to the
reconciliation. No console error, no CSP violation, no failed file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import TEST_PASSWORD, PageWatch, Tree, browser_sign_in, give, make_person
from kiemtra.discipline.choices import DecisionState
from kiemtra.discipline.models import Decision, ExtractedField, FieldReview

from .factories import make_pending
from .test_reconcile_pages import PAGE_TEXT, attach, point

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)  # live_server: the server thread must see committed data
def test_correct_a_field_by_keyboard_publish_and_land_on_the_next(
    live_server: Any, browser: Any, org_tree: Tree, settings: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    editor = make_person()
    give(editor, org_tree.province, Role.DISCIPLINE_EDITOR)
    first = make_pending(org_tree.province, confidence=0.55, number="Số 11-QĐ/UBKTTU")
    following = make_pending(org_tree.province, confidence=0.8, number="Số 12-QĐ/UBKTTU")
    attach(first, b"%PDF-1.4 stub", [PAGE_TEXT])
    ExtractedField.objects.filter(decision=first).update(page=None, start=None, end=None)
    point(first, "subject_name", "Nguyễn Văn An", confidence=0.55)
    point(first, "birth_year", "1968", confidence=0.95)
    base = live_server.url

    page = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(10_000)
    watch = PageWatch(page, base)
    browser_sign_in(page, base, editor.identifier_code, TEST_PASSWORD)
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/ky-luat/doi-soat/")
    page.get_by_test_id("queue-row").first.get_by_role("link", name="Đối soát").click()
    page.wait_for_url(f"{base}/ky-luat/doi-soat/{first.pk}/")

    name = page.get_by_label("Họ tên / tên tổ chức")
    expect(name).to_have_value("Nguyễn Văn An")
    name.focus()
    expect(page.locator('mark.src[data-field~="subject_name"]')).to_have_class("src active")
    page.keyboard.press("Control+A")
    page.keyboard.type("Nguyễn Văn Ân")
    page.keyboard.press("Enter")  # moves on to the next field; must not publish
    expect(page.get_by_label("Năm sinh")).to_be_focused()
    expect(page.locator('mark.src[data-field~="birth_year"]')).to_have_class("src active")
    assert Decision.objects.get(pk=first.pk).state == DecisionState.PENDING
    if os.environ.get("KIEMTRA_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["KIEMTRA_SCREENSHOTS"], "reconcile.png"), full_page=True)

    page.get_by_role("button", name="Đối soát xong và công bố…").focus()
    page.keyboard.press("Enter")
    # A confirmation comes first, the corrected field marked; nothing is published yet.
    confirm = page.get_by_test_id("confirm-form")
    expect(confirm).to_contain_text("Kiểm tra lần cuối trước khi công bố")
    expect(confirm.locator('[data-corrected="1"]')).to_contain_text("Nguyễn Văn Ân")
    assert Decision.objects.get(pk=first.pk).state == DecisionState.PENDING
    page.get_by_role("button", name="Xác nhận: công bố quyết định").click()
    page.wait_for_url(f"{base}/ky-luat/doi-soat/{following.pk}/")
    expect(page.get_by_role("alert")).to_contain_text("Đã đối soát và công bố quyết định Số 11-QĐ/UBKTTU")

    stored = Decision.objects.get(pk=first.pk)
    assert stored.state == DecisionState.PUBLISHED and stored.subject_name == "Nguyễn Văn Ân"
    corrected = FieldReview.objects.get(decision=first, corrected=True)
    assert (corrected.name, corrected.extracted, corrected.final) == ("subject_name", "Nguyễn Văn An", "Nguyễn Văn Ân")
    assert not watch.problems, watch.problems
    assert "/static/discipline/reconcile.js" in watch.static_loaded
    assert "/static/discipline/discipline.css" in watch.static_loaded


@pytest.mark.django_db(transaction=True)
def test_upload_watch_the_progress_bar_fill_then_open_a_decision(
    live_server: Any, browser: Any, org_tree: Tree, settings: Any, tmp_path: Path
) -> None:
    """The batch page polls with htmx (under the CSP) until the background worker is done, then stops."""
    from playwright.sync_api import expect

    from kiemtra.discipline.services import ingest

    settings.MEDIA_ROOT = tmp_path
    corpus = Path(__file__).resolve().parents[3] / "tests" / "data" / "discipline"
    editor = make_person()
    give(editor, org_tree.province, Role.DISCIPLINE_EDITOR)
    base = live_server.url
    page = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(10_000)
    watch = PageWatch(page, base)
    browser_sign_in(page, base, editor.identifier_code, TEST_PASSWORD)
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/ky-luat/tai-len/")
    page.get_by_label("Tệp quyết định").set_input_files(
        [corpus / "digital" / "qd-cell-13.pdf", corpus / "bad" / "hong-file.pdf"]
    )
    page.get_by_role("button", name="Tải lên và bóc tách").click()
    page.wait_for_url(f"{base}/ky-luat/lo/*/")
    progress = page.get_by_test_id("batch-progress")
    expect(progress).to_contain_text("0/2 tệp (0 %)")

    ingest.process_queued()  # what the scheduler does in the background
    expect(progress).to_contain_text("2/2 tệp (100 %)", timeout=8_000)
    expect(progress).to_have_attribute("data-state", "done")
    expect(progress).not_to_have_attribute("hx-trigger", "every 2s")
    expect(progress.locator('[data-outcome="corrupt"]')).to_contain_text("Tệp PDF bị hỏng")
    progress.get_by_role("link", name="Đối soát (1)").click()
    decision = Decision.objects.get()
    page.wait_for_url(f"{base}/ky-luat/doi-soat/{decision.pk}/")
    expect(page.get_by_test_id("document")).to_contain_text("QUYẾT ĐỊNH")
    assert not watch.problems, watch.problems
    assert "/static/discipline/ingest.js" in watch.static_loaded
