"""In a real browser: a handler links a suggested letter as a duplicate, drafts a proposal to inspect from the
matter, and the commission's leader approves it after confirming (Letters II items 5 and 9)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from kiemtra.conftest import TEST_PASSWORD, PageWatch, browser_sign_in
from kiemtra.letters.choices import Channel, Kind, ProposalState, Status
from kiemtra.letters.models import InspectionProposal, Letter
from kiemtra.letters.services import identity, records

from .conftest import Register

CONTENT = "Ông Lê Văn Cường, Chủ tịch phường, giao đất công cho doanh nghiệp của người nhà trái thẩm quyền."


def paper(unit: Any) -> Letter:
    return records.create(
        None,
        records.NewLetter(
            channel=Channel.POST,
            kind=Kind.DENUNCIATION,
            holding_unit=unit,
            received_on=timezone.localdate() - dt.timedelta(days=2),
            title="Đơn tố cáo sai phạm đất đai",
            content=CONTENT,
            senders=[records.Sender(full_name="Trần Thị Gửi", address="Xóm 3")],
        ),
        status=Status.REGISTERED,
    )


def signed_in_page(browser: Any, base: str, person: Any) -> tuple[Any, Any, PageWatch]:
    """A fresh browser context signed in as ``person`` on the home page: (context, page, its watch)."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    watch = PageWatch(page, base)
    browser_sign_in(page, base, person.identifier_code, TEST_PASSWORD)
    page.wait_for_url(f"{base}/")
    return context, page, watch


def open_from_register(page: Any, letter: Letter) -> None:
    page.get_by_role("link", name="Sổ đơn thư", exact=True).first.click()
    page.get_by_role("link", name=letter.tracking_code).click()


@pytest.mark.django_db(transaction=True)
def test_link_a_duplicate_propose_an_inspection_and_the_leader_approves(
    live_server: Any, browser: Any, people: Register
) -> None:
    from playwright.sync_api import expect

    first, second = paper(people.tree.province), paper(people.tree.province)
    identity.designate_leader(people.admin, people.tree.province, people.custodian, "QĐ 3/QĐ-UBKT")
    base = live_server.url
    context, page, watch = signed_in_page(browser, base, people.officer)
    open_from_register(page, second)
    suggestion = page.locator(f'[data-testid="suggestion"][data-code="{first.tracking_code}"]')
    suggestion.get_by_test_id("link-duplicate").click()
    page.wait_for_url(f"{base}/don-thu/{second.uid}/")
    expect(page.get_by_test_id("matter")).to_contain_text(first.tracking_code)
    assert Letter.objects.get(pk=second.pk).matter_id == first.pk

    page.get_by_test_id("propose-group").click()
    page.get_by_label("Đối tượng đề nghị").select_option("member")
    page.get_by_label("Tên tổ chức đảng hoặc đảng viên").fill("Lê Văn Cường")
    page.get_by_label("Căn cứ, nội dung đề nghị").fill("Hai đơn cùng tố cáo việc giao đất công trái thẩm quyền.")
    page.get_by_test_id("proposal-submit").click()
    expect(page.get_by_test_id("proposal-state")).to_have_text("Chờ lãnh đạo duyệt")
    proposal = InspectionProposal.objects.get()
    assert set(proposal.letters.values_list("pk", flat=True)) == {first.pk, second.pk}
    expect(page.get_by_test_id("proposal-letters")).not_to_contain_text("Trần Thị Gửi")
    assert not watch.problems, watch.problems
    context.close()

    context, page, watch = signed_in_page(browser, base, people.custodian)
    page.get_by_role("link", name="Đề nghị từ đơn thư chờ tôi duyệt").click()
    page.get_by_role("link", name="Lê Văn Cường").click()
    page.once("dialog", lambda dialog: dialog.dismiss())  # a change of mind: nothing is decided
    page.get_by_test_id("proposal-approve").click()
    assert InspectionProposal.objects.get().state == ProposalState.SUBMITTED
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("proposal-approve").click()
    expect(page.get_by_test_id("proposal-state")).to_have_text("Đã duyệt")
    assert InspectionProposal.objects.get().state == ProposalState.APPROVED
    assert not watch.problems, watch.problems
    context.close()


@pytest.mark.django_db(transaction=True)
def test_a_link_made_by_mistake_is_undone_after_a_reason_and_a_confirmation(
    live_server: Any, browser: Any, people: Register
) -> None:
    from playwright.sync_api import expect

    first, second = paper(people.tree.province), paper(people.tree.province)
    base = live_server.url
    context, page, watch = signed_in_page(browser, base, people.officer)
    open_from_register(page, second)
    page.locator(f'[data-testid="suggestion"][data-code="{first.tracking_code}"]').get_by_test_id(
        "link-related"
    ).click()
    expect(page.get_by_test_id("matter")).to_contain_text(first.tracking_code)

    page.get_by_test_id("unlink-open").click()
    page.get_by_label("Lý do bỏ liên kết").fill("Hai đơn nói về hai thửa đất khác nhau")
    page.once("dialog", lambda dialog: dialog.dismiss())  # a change of mind: the link stays
    page.get_by_test_id("unlink-form").get_by_role("button", name="Bỏ liên kết").click()
    assert Letter.objects.get(pk=second.pk).matter_id == first.pk
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("unlink-form").get_by_role("button", name="Bỏ liên kết").click()
    expect(page.get_by_test_id("matter")).to_have_count(0)
    expect(page.get_by_test_id("steps")).to_contain_text("Hai đơn nói về hai thửa đất khác nhau")
    assert Letter.objects.filter(pk__in=[first.pk, second.pk], matter__isnull=True).count() == 2
    assert not watch.problems, watch.problems
    context.close()
