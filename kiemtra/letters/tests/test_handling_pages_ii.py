"""Letters II from the pages, the way officials walk to them: one assignment form, every handling action on
the panel (and only for those entitled), linking related letters into one matter, proposals to inspect
decided by the leader, data requests from the upper commission, and forms 07/08/09/12 beside the letters.

Each page: the walk from the home page, the grant, the denials (another commission, the national admin, a
wrong role, a user manager's union), and bad input answered 400 naming the field with nothing changed.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import ManagedAccount
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person, signed_in
from kiemtra.letters.choices import Channel, Eligibility, Kind, ProposalState, Status
from kiemtra.letters.models import DataRequest, HandlerAssignment, InspectionProposal, Letter, LetterLink
from kiemtra.letters.services import identity, records
from kiemtra.letters.tests.conftest import Register
from kiemtra.letters.tests.test_statistics_link import period  # noqa: F401 (the reporting period fixture)
from kiemtra.notifications.models import Notification

pytestmark = pytest.mark.django_db
CONTENT = "Ông Lê Văn Cường, Chủ tịch phường, giao đất công cho doanh nghiệp của người nhà trái thẩm quyền."


def paper(unit: Any, kind: str = Kind.DENUNCIATION, content: str = CONTENT, **extra: Any) -> Letter:
    return records.create(
        None,
        records.NewLetter(
            channel=Channel.POST,
            kind=kind,
            holding_unit=unit,
            received_on=extra.pop("received_on", timezone.localdate() - dt.timedelta(days=3)),
            title="Đơn tố cáo sai phạm đất đai",
            content=content,
            senders=[records.Sender(full_name="Trần Thị Gửi", address="Xóm 3, phường Ba Đình")],
            **extra,
        ),
        status=Status.REGISTERED,
    )


def follow_link(web: Client, page: str, url: str) -> str:
    """Click a link that the page shows (the walk fails if it is not there)."""
    assert f'href="{url}' in page, url
    response = web.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def walk_to_letter(web: Client, letter: Letter) -> str:
    """Home → the letters menu → the register → the letter."""
    home = web.get("/").content.decode()
    register = follow_link(web, home, reverse("letters:register"))
    return follow_link(web, register, reverse("letters:detail", args=[letter.uid]))


def act(web: Client, letter: Letter, action: str, **data: Any) -> Any:
    return web.post(reverse("letters:act", args=[letter.uid, action]), data)


def form_of(page: str, testid: str) -> str:
    match = re.search(rf'<form[^>]*data-testid="{testid}"[^>]*>.*?</form>', page, re.S)
    assert match, testid
    return match.group(0)


def manager_of(tree: Tree, *units: Any) -> Any:
    """A user manager holding the union of the rights of users it manages at ``units`` (Art. 2.8)."""
    manager = make_person(unit=tree.province)
    grant = give(manager, tree.province, Role.USER_MANAGER)
    for unit in units:
        ManagedAccount.objects.create(manager_grant=grant, user_grant=give(make_person(unit=unit), unit, Role.USER))
    return manager


# --- one assignment ---------------------------------------------------------------------------


def test_one_assignment_form_names_the_handler_from_a_list_then_starts_the_clock(
    org_tree: Tree, people: Register
) -> None:
    letter = paper(org_tree.province)
    web = signed_in(people.officer)
    page = walk_to_letter(web, letter)
    assign = form_of(page, "form-assign")
    assert f'value="{people.colleague.pk}"' in assign and people.colleague.full_name in assign
    assert f'value="{people.other.pk}"' not in assign  # another commission's people are not offered
    assert 'name="identifier_code"' not in page and "/giao/" not in page  # the Letters I form is gone
    # Before the eligibility check: the handler sees the sealed sender, no clock yet.
    assert act(web, letter, "assign", handler=people.colleague.pk).status_code == 302
    letter.refresh_from_db()
    assert policies_read_identity(people.colleague, letter) and letter.due_on is None
    assert act(web, letter, "eligibility").status_code == 302
    # The same form again: now within competence, the clock starts; no second assignment row.
    assert act(web, letter, "assign", handler=people.colleague.pk).status_code == 302
    letter.refresh_from_db()
    assert letter.status == Status.HANDLING and letter.due_on is not None
    assert HandlerAssignment.objects.filter(letter=letter, active=True).count() == 1
    assert act(web, letter, "assign", handler=people.colleague.pk).status_code == 400  # nothing left to do


def policies_read_identity(person: Any, letter: Letter) -> bool:
    from kiemtra.accounts import policies

    policies.forget(person)
    return policies.can(person, "letters.identity.read", letter)


def test_assignment_refuses_a_person_outside_the_list_and_changes_nothing(org_tree: Tree, people: Register) -> None:
    letter = paper(org_tree.province)
    web = signed_in(people.officer)
    for bad in (people.other.pk, "abc", ""):
        response = act(web, letter, "assign", handler=bad)
        assert response.status_code == 400 and "Cán bộ xử lý" in response.content.decode()
    assert not HandlerAssignment.objects.filter(letter=letter).exists()
    assert signed_in(people.other).post(
        reverse("letters:act", args=[letter.uid, "assign"]), {"handler": people.colleague.pk}
    ).status_code in (400, 403)
    assert not HandlerAssignment.objects.filter(letter=letter).exists()


# --- the panel: every action has a form for those entitled ------------------------------------


def test_every_handling_action_has_a_form_for_the_entitled_and_none_for_others(
    org_tree: Tree, people: Register
) -> None:
    letter = paper(org_tree.province)
    page = walk_to_letter(signed_in(people.officer), letter)
    for testid in ("form-classify", "form-eligibility", "form-assign", "form-outside", "form-guide", "form-file"):
        form_of(page, testid)
    for destructive in ("form-file", "form-guide", "form-outside"):
        assert "data-confirm=" in form_of(page, destructive)
    assert 'data-testid="form-conclude"' not in page  # not yet: the service would refuse it
    act(signed_in(people.officer), letter, "eligibility")
    page = signed_in(people.officer).get(reverse("letters:detail", args=[letter.uid])).content.decode()
    assert "data-confirm=" in form_of(page, "form-refer")
    act(signed_in(people.officer), letter, "assign", handler=people.colleague.pk)
    page = signed_in(people.colleague).get(reverse("letters:detail", args=[letter.uid])).content.decode()
    for testid in ("form-suspend", "form-extend", "form-conclude"):
        form_of(page, testid)
    assert 'data-testid="form-refer"' not in page and 'data-testid="form-eligibility"' not in page
    # A user manager of the province's users holds their rights: the same forms.
    manager = manager_of(org_tree, org_tree.province)
    assert (
        'data-testid="form-conclude"'
        in signed_in(manager).get(reverse("letters:detail", args=[letter.uid])).content.decode()
    )
    # Another commission, the national admin, a manager of other users: no page at all.
    for outsider in (people.other, people.admin, people.commune_officer, manager_of(org_tree, org_tree.commune)):
        assert signed_in(outsider).get(reverse("letters:detail", args=[letter.uid])).status_code == 403
        assert act(signed_in(outsider), letter, "suspend", reason="x").status_code == 403
    assert Letter.objects.get(pk=letter.pk).status == Status.HANDLING


def test_classification_reads_dd_mm_yyyy_and_a_bad_date_is_refused_naming_the_field(
    org_tree: Tree, people: Register
) -> None:
    letter = paper(org_tree.province, Kind.COMPLAINT)
    web = signed_in(people.officer)
    response = act(
        web, letter, "classify", kind=Kind.COMPLAINT, field_code="discipline", decision_received_on="31/02/2026"
    )
    assert response.status_code == 400 and "Ngày nhận quyết định bị khiếu nại" in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).field_code == ""
    day = letter.received_on - dt.timedelta(days=10)
    response = act(
        web,
        letter,
        "classify",
        kind=Kind.COMPLAINT,
        field_code="discipline",
        decision_received_on=day.strftime("%d/%m/%Y"),
        accused_unit=org_tree.commune.pk,
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.decision_received_on, letter.accused_unit, letter.field_code) == (
        day,
        org_tree.commune,
        "discipline",
    )
    page = web.get(reverse("letters:detail", args=[letter.uid])).content.decode()
    assert day.strftime("%d/%m/%Y") in form_of(page, "form-classify")
    act(web, letter, "eligibility")
    assert Letter.objects.get(pk=letter.pk).eligibility == Eligibility.ELIGIBLE


def test_the_referral_target_is_chosen_from_the_units_with_a_search(org_tree: Tree, people: Register) -> None:
    letter = paper(org_tree.province)
    web = signed_in(people.officer)
    act(web, letter, "eligibility")
    page = web.get(reverse("letters:detail", args=[letter.uid])).content.decode()
    refer = form_of(page, "form-refer")
    assert f'value="{org_tree.commune.pk}"' in refer and 'name="to_unit"' in refer and "hx-get=" in refer
    found = web.get(reverse("letters:units"), {"q": "ba dinh", "kind": "commission"}).content.decode()
    assert f'value="{org_tree.commune.pk}"' in found and f'value="{org_tree.other_commune.pk}"' not in found
    assert signed_in(people.admin).get(reverse("letters:units"), {"q": "ba"}).status_code == 404
    response = act(web, letter, "refer", to_unit=org_tree.commune.pk, reason="")
    assert response.status_code == 400 and "lý do" in response.content.decode()
    assert act(web, letter, "refer", to_unit=org_tree.commune.pk, reason="Thuộc cấp cơ sở").status_code == 302
    commune = signed_in(people.commune_officer)
    page = commune.get(reverse("letters:detail", args=[letter.uid])).content.decode()
    form_of(page, "form-accept")
    assert "data-confirm=" in form_of(page, "form-send-back")


# --- related letters, one matter ----------------------------------------------------------------


def test_suggested_letters_are_linked_into_one_matter_shown_on_each_letter(org_tree: Tree, people: Register) -> None:
    first, second = paper(org_tree.province), paper(org_tree.province)
    theirs = paper(org_tree.other_province)
    web = signed_in(people.officer)
    page = walk_to_letter(web, second)
    related = page[page.index('data-testid="related"') :]
    assert first.tracking_code in related and theirs.tracking_code in related  # suggested from anywhere
    mine = related[related.index(first.tracking_code) :][:1500]
    assert 'data-testid="link-duplicate"' in mine
    other = related[related.index(f'data-code="{theirs.tracking_code}"') :][:800]
    assert "link-duplicate" not in other and "cơ quan khác" in other
    # Another commission's letter cannot be linked by someone who cannot read it; nothing is stored.
    assert act(web, second, "link", other=theirs.tracking_code, kind="duplicate").status_code == 403
    for bad, field in (
        ({"other": "DT-XXXXX-00000", "kind": "duplicate"}, "Mã theo dõi của đơn liên quan"),
        ({"other": first.tracking_code, "kind": "same"}, "trùng đơn"),
    ):
        response = act(web, second, "link", **bad)
        assert response.status_code == 400 and field in response.content.decode()
    assert not LetterLink.objects.exists() and Letter.objects.filter(matter__isnull=False).count() == 0
    assert act(web, second, "link", other=first.tracking_code, kind="duplicate").status_code == 302
    for letter in (first, second):
        page = web.get(reverse("letters:detail", args=[letter.uid])).content.decode()
        matter = page[page.index('data-testid="matter"') :][:2000]
        assert first.tracking_code in matter and second.tracking_code in matter
    assert reverse("letters:detail", args=[second.uid]) in matter  # the other letter of the matter, linked
    assert Letter.objects.get(pk=second.pk).matter_id == first.pk
    # A user manager of both commissions reads both letters: it may link across them.
    both = manager_of(org_tree, org_tree.province, org_tree.other_province)
    assert act(signed_in(both), second, "link", other=theirs.tracking_code, kind="related").status_code == 302
    assert set(Letter.objects.filter(matter_id=first.pk).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
        theirs.pk,
    }
    page = web.get(reverse("letters:detail", args=[first.uid])).content.decode()
    matter = page[page.index('data-testid="matter"') :][:3000]
    assert theirs.tracking_code in matter and reverse("letters:detail", args=[theirs.uid]) not in matter


def test_a_link_made_by_mistake_is_undone_with_a_reason_and_the_matter_splits(org_tree: Tree, people: Register) -> None:
    first, second, third = paper(org_tree.province), paper(org_tree.province), paper(org_tree.province)
    theirs = paper(org_tree.other_province)
    web = signed_in(people.officer)
    act(web, second, "link", other=first.tracking_code, kind="duplicate")
    act(web, third, "link", other=second.tracking_code, kind="related")
    both = manager_of(org_tree, org_tree.province, org_tree.other_province)
    act(signed_in(both), third, "link", other=theirs.tracking_code, kind="related")
    assert set(Letter.objects.filter(matter_id=first.pk).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
        third.pk,
        theirs.pk,
    }
    page = walk_to_letter(web, second)
    form = form_of(page, "unlink-form")
    assert first.tracking_code in form and "data-confirm" in form and 'name="reason"' in form
    # Refused, naming what to fix; nothing changes.
    for bad, message in (
        ({"other": first.tracking_code, "reason": " "}, "lý do bỏ liên kết"),
        ({"other": third.tracking_code, "reason": "nhầm"}, "liên kết với nhau"),  # third links to second, not first
        ({"other": "DT-XXXXX-00000", "reason": "nhầm"}, "Mã theo dõi của đơn liên quan"),
    ):
        response = act(web, first, "unlink", **bad)
        assert response.status_code == 400 and message in response.content.decode()
    # Only someone who may read both letters: the officer cannot undo the link to the other commission's letter.
    assert act(web, third, "unlink", other=theirs.tracking_code, reason="nhầm").status_code == 403
    assert LetterLink.objects.count() == 3
    # second ~ third goes: {first, second} and {third, theirs} remain, each headed by its first letter.
    assert act(web, second, "unlink", other=third.tracking_code, reason="Khác nội dung").status_code == 302
    assert Letter.objects.get(pk=first.pk).matter_id == first.pk == Letter.objects.get(pk=second.pk).matter_id
    assert Letter.objects.get(pk=third.pk).matter_id == third.pk == Letter.objects.get(pk=theirs.pk).matter_id
    page = web.get(reverse("letters:detail", args=[second.uid])).content.decode()
    assert "Bỏ liên kết đơn trùng, đơn liên quan" in page and "Khác nội dung" in page  # in the history
    assert AuditEvent.objects.filter(action="letters.letter.unlinked", object_id=str(second.pk)).count() == 1
    # The last link of a pair goes: both letters stand alone again.
    assert act(web, first, "unlink", other=second.tracking_code, reason="Không trùng").status_code == 302
    assert Letter.objects.filter(pk__in=[first.pk, second.pk], matter__isnull=True).count() == 2
    page = web.get(reverse("letters:detail", args=[first.uid])).content.decode()
    assert 'data-testid="matter"' not in page and 'data-testid="unlink-form"' not in page
    # A reader who may not handle the letter gets no form and is refused.
    viewer = make_person(unit=org_tree.other_province)
    give(viewer, org_tree.other_province, Role.USER)
    assert act(signed_in(viewer), third, "unlink", other=theirs.tracking_code, reason="x").status_code in (403, 404)
    assert LetterLink.objects.count() == 1


# --- proposals to inspect -------------------------------------------------------------------------


def test_a_proposal_is_drafted_from_a_matter_and_the_leader_decides_after_confirmation(
    org_tree: Tree, people: Register
) -> None:
    first, second = paper(org_tree.province), paper(org_tree.province)
    web = signed_in(people.officer)
    act(web, second, "link", other=first.tracking_code, kind="related")
    page = walk_to_letter(web, second)
    url = f"{reverse('letters:proposal_new')}?nhom={second.uid}"
    form = follow_link(web, page, url)
    assert first.tracking_code in form and second.tracking_code in form and "Trần Thị Gửi" not in form
    data = {
        "nhom": str(second.uid),
        "target_kind": "member",
        "target_name": "Lê Văn Cường",
        "grounds": "",
        "letters": [str(first.uid), str(second.uid)],
    }
    response = web.post(reverse("letters:proposal_new"), data)
    assert response.status_code == 400 and "Căn cứ, nội dung đề nghị" in response.content.decode()
    bad = web.post(
        reverse("letters:proposal_new"), {**data, "grounds": "x", "letters": ["00000000-0000-0000-0000-000000000000"]}
    )
    assert bad.status_code == 400 and "Đơn thư làm căn cứ" in bad.content.decode()
    assert not InspectionProposal.objects.exists()
    response = web.post(reverse("letters:proposal_new"), {**data, "grounds": "Hai đơn cùng phản ánh việc giao đất"})
    proposal = InspectionProposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("letters:proposal", args=[proposal.pk])
    assert set(proposal.letters.all()) == {first, second} and proposal.state == ProposalState.SUBMITTED
    listing = follow_link(web, web.get("/").content.decode(), reverse("letters:proposals"))
    detail = follow_link(web, listing, reverse("letters:proposal", args=[proposal.pk]))
    assert 'data-testid="proposal-decide"' not in detail and "Trần Thị Gửi" not in detail
    decide = reverse("letters:proposal_decide", args=[proposal.pk])
    assert web.post(decide, {"decision": "approve"}).status_code == 403  # the drafter is not the leader
    identity.designate_leader(people.admin, org_tree.province, people.custodian, "QĐ 9")
    leader = signed_in(people.custodian)
    home = leader.get("/").content.decode()
    assert f"{reverse('letters:proposals')}?state=submitted" in home  # the leader's home card
    page = leader.get(reverse("letters:proposal", args=[proposal.pk])).content.decode()
    assert page.count("data-confirm=") >= 2 and 'data-testid="proposal-approve"' in page
    response = leader.post(decide, {"decision": "refuse", "reason": " "})
    assert response.status_code == 400 and "Lý do" in response.content.decode()
    assert leader.post(decide, {"decision": "maybe"}).status_code == 400
    assert InspectionProposal.objects.get().state == ProposalState.SUBMITTED
    assert leader.post(decide, {"decision": "approve"}).status_code == 302
    assert InspectionProposal.objects.get().state == ProposalState.APPROVED
    assert leader.post(decide, {"decision": "refuse", "reason": "Muộn"}).status_code == 400  # decided once
    for outsider in (people.other, people.admin, people.commune_officer):
        assert signed_in(outsider).get(reverse("letters:proposal", args=[proposal.pk])).status_code == 403
    assert signed_in(people.admin).get(reverse("letters:proposals")).status_code == 403
    assert signed_in(people.other).get(url).status_code == 403  # drafting from another commission's letter


# --- data requests from the upper commission ------------------------------------------------------


def test_the_upper_commission_asks_the_lower_one_for_data_and_reads_it_sealed(
    org_tree: Tree, people: Register, django_capture_on_commit_callbacks: Any
) -> None:
    """Quy định 06 Art. 7.5: the request, what was provided and every read are recorded; each side is told."""
    below = paper(org_tree.commune)
    web = signed_in(people.officer)
    follow = follow_link(web, web.get("/").content.decode(), reverse("letters:follow"))
    url = f"{reverse('letters:request_new')}?unit={org_tree.commune.pk}"
    form = follow_link(web, follow, url)
    assert "dd/mm/yyyy" in form
    today = timezone.localdate()
    data = {
        "to_unit": org_tree.commune.pk,
        "subject": "Số liệu đơn thư quý IV",
        "period_from": "32/13/2026",
        "period_to": today.strftime("%d/%m/%Y"),
    }
    response = web.post(reverse("letters:request_new"), data)
    assert response.status_code == 400 and "Đơn nhận từ ngày" in response.content.decode()
    response = web.post(
        reverse("letters:request_new"), {**data, "period_from": "", "to_unit": org_tree.other_commune.pk}
    )
    assert response.status_code == 400 and "Ủy ban kiểm tra cấp dưới" in response.content.decode()
    assert not DataRequest.objects.exists()
    start = (today - dt.timedelta(days=30)).strftime("%d/%m/%Y")
    with django_capture_on_commit_callbacks(execute=True):
        assert web.post(reverse("letters:request_new"), {**data, "period_from": start}).status_code == 302
    request = DataRequest.objects.get()
    detail = reverse("letters:request", args=[request.pk])
    # The lower commission's register people are told, with a link to the request; nobody else.
    told = Notification.objects.filter(kind="letters.data_request.created")
    assert set(told.values_list("recipient", flat=True)) == {people.commune_officer.pk}
    assert told.get().url == detail and "yêu cầu cung cấp dữ liệu đơn thư" in told.get().title
    assert 'data-testid="request-provide"' not in web.get(detail).content.decode()
    assert web.post(reverse("letters:request_provide", args=[request.pk])).status_code == 403
    commune = signed_in(people.commune_officer)
    inbox = follow_link(commune, commune.get("/").content.decode(), reverse("letters:requests"))
    inbox = commune.get(reverse("letters:requests"), {"huong": "nhan"}).content.decode()
    page = follow_link(commune, inbox, detail)
    assert 'data-testid="request-provide"' in page and "data-confirm=" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert commune.post(reverse("letters:request_provide", args=[request.pk])).status_code == 302
    answered = Notification.objects.get(kind="letters.data_request.provided")
    assert answered.recipient_id == people.officer.pk and answered.url == detail
    assert commune.post(reverse("letters:request_provide", args=[request.pk])).status_code == 400  # once
    reads = AuditEvent.objects.filter(action="letters.data_request.read").count()
    page = web.get(detail).content.decode()
    assert below.tracking_code in page and "Trần Thị Gửi" not in page and "Cường" not in page
    assert AuditEvent.objects.filter(action="letters.data_request.read").count() == reads + 1
    for outsider in (people.other, people.admin):
        assert signed_in(outsider).get(detail).status_code == 403
    assert signed_in(people.admin).get(reverse("letters:requests")).status_code == 403
    assert signed_in(people.commune_officer).post(reverse("letters:request_new"), data).status_code == 400


# --- forms 07/08/09/12 from the letters -----------------------------------------------------------


def test_forms_page_shows_the_letters_beside_the_report_and_prefills_after_a_preview(
    org_tree: Tree,
    people: Register,
    period: Any,  # noqa: F811 (the fixture imported above)
) -> None:
    from kiemtra.stats.models import FormVersion, Report, Value
    from kiemtra.stats.services import rollup

    officer = people.officer
    paper(org_tree.province)
    paper(org_tree.province, Kind.FEEDBACK)
    web = signed_in(officer)
    url = reverse("letters:forms")
    page = follow_link(web, web.get("/").content.decode(), url)
    assert 'data-testid="forms-table"' in page and "data-differs" in page
    assert 'data-testid="prefill-not-allowed"' in page  # no statistics role: no prefill
    report = Report.objects.get(unit=org_tree.province, period=period, form_version__form__code="12")
    assert (
        web.post(reverse("letters:forms_prefill"), {"report": report.pk, "revision": 0, "plan": "x"}).status_code == 403
    )
    give(officer, org_tree.province, Role.STATISTICIAN)
    query = f"?unit={org_tree.province.pk}&period={period.pk}&form=12"
    page = web.get(url + query).content.decode()
    assert (url + query + "&preview=1").replace("&", "&amp;") in page  # the preview link the page shows
    preview = web.get(url + query + "&preview=1").content.decode()
    assert 'data-testid="prefill-plan"' in preview and "data-confirm=" in preview
    plan = re.search(r'name="plan" value="([0-9a-f]+)"', preview).group(1)  # type: ignore[union-attr]
    stale = web.post(reverse("letters:forms_prefill"), {"report": report.pk, "revision": 0, "plan": "0" * 32})
    assert stale.status_code == 400
    assert (
        web.post(reverse("letters:forms_prefill"), {"report": report.pk, "revision": "x", "plan": plan}).status_code
        == 400
    )
    assert not Value.objects.filter(report=report).exists()
    assert (
        web.post(reverse("letters:forms_prefill"), {"report": report.pk, "revision": 0, "plan": plan}).status_code
        == 302
    )
    assert AuditEvent.objects.filter(action="stats.report.prefilled_from_letters").exists()
    v12 = FormVersion.objects.get(form__code="12", periods=period)
    total = (
        v12.rows.get(label="Ủy ban kiểm tra cấp tỉnh và tương đương").pk,
        v12.columns.get(label="Loại đơn: Tố cáo").pk,
    )
    assert rollup.own_values(Report.objects.get(pk=report.pk))[total] == Decimal(1)
    # Bad input names the field; another commission and the admin are refused.
    response = web.get(url, {"form": "05"})
    assert response.status_code == 400 and "Biểu" in response.content.decode()
    response = web.get(url, {"unit": "abc"})
    assert response.status_code == 400 and "Đơn vị" in response.content.decode()
    assert web.get(url, {"unit": org_tree.other_province.pk, "period": period.pk}).status_code == 403
    assert signed_in(people.admin).get(url).status_code == 403
    # The upper commission follows the commune below it; the commune does not see the province.
    assert web.get(url, {"unit": org_tree.commune.pk, "period": period.pk, "form": "07"}).status_code == 200
    commune = signed_in(people.commune_officer)
    assert commune.get(url, {"unit": org_tree.province.pk, "period": period.pk}).status_code == 403
