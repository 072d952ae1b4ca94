"""The handling pages: actions by POST (a refusal is a 400 naming the problem, nothing changed), the due
list, the panel explaining the due date, and the reply PDF for a paper sender."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kiemtra.conftest import Tree, signed_in
from kiemtra.letters.choices import Channel, Kind, Status
from kiemtra.letters.models import Letter
from kiemtra.letters.services import identity, records
from kiemtra.letters.tests.conftest import Register

pytestmark = pytest.mark.django_db


def paper(unit: Any) -> Letter:
    return records.create(
        None,
        records.NewLetter(
            channel=Channel.POST,
            kind=Kind.FEEDBACK,
            holding_unit=unit,
            received_on=timezone.localdate(),
            title="Phản ánh",
            content="Cán bộ một cửa chậm giải quyết hồ sơ.",
            senders=[records.Sender(full_name="Đinh Văn Giấy", address="Số 5 Hàng Gai")],
        ),
    )


def test_a_paper_letter_is_handled_from_its_page_and_its_reply_printed(org_tree: Tree, people: Register) -> None:
    letter = paper(org_tree.province)
    web = signed_in(people.officer)
    act = lambda action, **data: web.post(reverse("letters:act", args=[letter.uid, action]), data)  # noqa: E731
    assert act("eligibility").status_code == 302
    assert act("assign", handler=people.colleague.pk).status_code == 302
    page = web.get(reverse("letters:detail", args=[letter.uid])).content.decode()
    assert 'data-testid="due-explained"' in page and "Đang giải quyết" in page
    colleague = signed_in(people.colleague)
    url = reverse("letters:act", args=[letter.uid, "conclude"])
    assert colleague.post(url, {"summary": "Đã chấn chỉnh bộ phận một cửa"}).status_code == 302
    draft = colleague.post(reverse("letters:act", args=[letter.uid, "draft_reply"]), {"template": "feedback-result"})
    assert draft.status_code == 302
    identity.designate_leader(people.admin, org_tree.province, people.custodian, "QĐ 1")
    leader = signed_in(people.custodian)
    assert leader.post(reverse("letters:act", args=[letter.uid, "approve_reply"])).status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == Status.ANSWERED
    pdf = web.get(reverse("letters:reply_pdf", args=[letter.uid]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_bad_input_is_a_400_naming_the_problem_and_nothing_changes(org_tree: Tree, people: Register) -> None:
    letter = paper(org_tree.province)
    web = signed_in(people.officer)
    before = Letter.objects.get(pk=letter.pk)
    response = web.post(reverse("letters:act", args=[letter.uid, "refer"]), {"to_unit": "KHONG-CO", "reason": "x"})
    assert response.status_code == 400 and "Cơ quan nhận đơn" in response.content.decode()
    response = web.post(reverse("letters:act", args=[letter.uid, "refer"]), {"to_unit": org_tree.commune.pk})
    assert response.status_code == 400 and "điều kiện xử lý" in response.content.decode()
    response = web.post(reverse("letters:act", args=[letter.uid, "assign"]), {"handler": people.other.pk})
    assert response.status_code == 400 and "Cán bộ xử lý" in response.content.decode()
    after = Letter.objects.get(pk=letter.pk)
    assert (after.status, after.holding_unit_id, after.due_on) == (before.status, before.holding_unit_id, None)
    other = signed_in(people.other)
    assert other.post(reverse("letters:act", args=[letter.uid, "eligibility"])).status_code == 403
    assert other.get(reverse("letters:detail", args=[letter.uid])).status_code == 403


def test_the_due_list_shows_overdue_letters_of_my_commission_only(org_tree: Tree, people: Register) -> None:
    mine, theirs = paper(org_tree.province), paper(org_tree.other_province)
    Letter.objects.filter(pk__in=[mine.pk, theirs.pk]).update(
        status=Status.HANDLING, due_on=timezone.localdate() - dt.timedelta(days=3)
    )
    page = signed_in(people.officer).get(reverse("letters:due")).content.decode()
    assert mine.tracking_code in page and theirs.tracking_code not in page
    assert signed_in(people.admin).get(reverse("letters:due")).status_code == 404


def test_the_follow_page_lists_the_commissions_below_with_their_score(org_tree: Tree, people: Register) -> None:
    """Quy định 06 Art. 7.2: the upper commission follows the lower ones' updating of letter data."""
    below = paper(org_tree.commune)
    page = signed_in(people.officer).get(reverse("letters:follow")).content.decode()
    assert org_tree.commune.name in page and org_tree.other_commune.name not in page
    assert below.tracking_code not in page  # counts only
    assert (
        org_tree.province.name not in signed_in(people.commune_officer).get(reverse("letters:follow")).content.decode()
    )
