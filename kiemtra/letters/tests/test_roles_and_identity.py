"""The letter roles of Quy định 06 Art. 2.8 and the sealed denouncer's identity, grants and denials."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import ManagedAccount
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import give, make_person, signed_in
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.letters.choices import Channel, RevealState
from kiemtra.letters.models import Letter, RevealRequest
from kiemtra.letters.services import identity, records

from .conftest import Register

pytestmark = pytest.mark.django_db
PROTECTED = "người tố cáo được bảo vệ"


def paper_letter(unit: Any, *, kind: str = "denunciation", name: str = "Phạm Thị Dung") -> Letter:
    return records.create(
        None,
        records.NewLetter(
            channel=Channel.POST,
            kind=kind,
            holding_unit=unit,
            received_on=timezone.localdate(),
            title="Đơn tố cáo",
            content="Nội dung tố cáo",
            senders=[records.Sender(full_name=name, citizen_id="079301000111", address="Quận 1")],
            about=records.About(name="Hoàng Văn Em", position="Giám đốc sở"),
        ),
    )


@pytest.fixture
def letters(people: Register) -> dict[str, Letter]:
    t = people.tree
    return {
        "province": paper_letter(t.province),
        "commune": paper_letter(t.commune),
        "other": paper_letter(t.other_province),
        "centre": paper_letter(t.centre),
    }


def page(person: Any, letter: Letter) -> Any:
    return signed_in(person).get(f"/don-thu/{letter.uid}/")


def test_art2_8_the_national_admin_sees_no_letter_anywhere(people: Register, letters: dict[str, Letter]) -> None:
    """ "không có khả năng xem, khai thác, cập nhật cơ sở dữ liệu"."""
    for letter in letters.values():
        for action in (
            "letters.letter.read",
            "letters.letter.edit",
            "letters.letter.register",
            "letters.identity.read",
        ):
            assert not policies.can(people.admin, action, letter)
        assert page(people.admin, letter).status_code == 403
    assert signed_in(people.admin).get("/don-thu/").status_code == 403
    assert signed_in(people.admin).get("/don-thu/vao-so/").status_code == 403
    assert signed_in(people.admin).get("/don-thu/xuat.csv").status_code == 403


def test_a_user_works_on_its_own_commissions_register_only(people: Register, letters: dict[str, Letter]) -> None:
    assert page(people.officer, letters["province"]).status_code == 200
    for other in ("commune", "other", "centre"):
        assert page(people.officer, letters[other]).status_code == 403
        assert not policies.can(people.officer, "letters.letter.read", letters[other])
    listing = signed_in(people.officer).get("/don-thu/").content.decode()
    assert letters["province"].tracking_code in listing and letters["commune"].tracking_code not in listing


def test_centre_departments_work_on_the_central_commissions_register(
    people: Register, letters: dict[str, Letter]
) -> None:
    assert page(people.centre_officer, letters["centre"]).status_code == 200
    assert page(people.centre_officer, letters["province"]).status_code == 403


def test_art2_8_a_user_manager_holds_the_union_of_its_users_rights(
    people: Register, letters: dict[str, Letter]
) -> None:
    manager = make_person("t01.quanly", unit=people.tree.province)
    manager_grant = give(manager, people.tree.province, Role.USER_MANAGER)
    assert not policies.scope(manager, "letters.register")  # nothing of its own
    assert page(manager, letters["province"]).status_code == 403
    ManagedAccount.objects.create(manager_grant=manager_grant, user_grant=people.officer_grant)
    ManagedAccount.objects.create(manager_grant=manager_grant, user_grant=people.commune_grant)
    policies.forget(manager)
    assert page(manager, letters["province"]).status_code == 200
    assert page(manager, letters["commune"]).status_code == 200
    assert page(manager, letters["other"]).status_code == 403
    # When a managed account ends, its rights leave the union.
    ManagedAccount.objects.filter(user_grant=people.commune_grant).update(active=False)
    policies.forget(manager)
    assert page(manager, letters["commune"]).status_code == 403


def test_a_protected_denouncer_is_shown_to_the_letters_handlers_only(
    people: Register, letters: dict[str, Letter]
) -> None:
    letter = letters["province"]
    before = page(people.officer, letter).content.decode()
    assert PROTECTED in before and "Phạm Thị Dung" not in before and "079301000111" not in before
    identity.assign_handler(people.colleague, letter, people.officer)
    shown = page(people.officer, letter).content.decode()
    assert "Phạm Thị Dung" in shown and "079301000111" in shown
    assert AuditEvent.objects.filter(action="letters.identity.read", actor=people.officer).exists()
    # The colleague who assigned it, in the same commission, still sees the protection notice.
    assert PROTECTED in page(people.colleague, letter).content.decode()


def test_a_feedback_letter_shows_its_sender_to_everyone_in_scope(people: Register) -> None:
    letter = paper_letter(people.tree.province, kind="feedback", name="Võ Thị Gấm")
    assert "Võ Thị Gấm" in page(people.officer, letter).content.decode()


def test_a_handler_must_work_on_that_register(people: Register, letters: dict[str, Letter]) -> None:
    with pytest.raises(DomainError):
        identity.assign_handler(people.officer, letters["province"], people.other)
    with pytest.raises(PolicyDenied):
        identity.assign_handler(people.other, letters["province"], people.officer)


def test_reveal_request_custodian_decision_time_limited_and_personal(
    people: Register, letters: dict[str, Letter]
) -> None:
    """Reveal → the commission's custodian approves with a reason; the access is personal and expires."""
    letter = letters["province"]
    with pytest.raises(PolicyDenied):
        identity.designate_custodian(people.officer, people.tree.province, people.custodian, "QĐ 1")
    identity.designate_custodian(people.admin, people.tree.province, people.custodian, "Quyết định 12-QĐ/UBKT")
    with pytest.raises(DomainError):
        identity.request_reveal(people.officer, letter, "ngắn")
    request = identity.request_reveal(people.officer, letter, "Cần xác minh lại nội dung với người tố cáo.")
    assert list(identity.pending_for(people.custodian)) == [request]
    # Nobody but the custodian decides; the admin and another commission's user cannot.
    for outsider in (people.admin, people.colleague, people.other):
        with pytest.raises(PolicyDenied):
            identity.decide_reveal(outsider, request, approve=True, reason="đồng ý")
    with pytest.raises(DomainError):
        identity.decide_reveal(people.custodian, request, approve=True, reason="")
    identity.decide_reveal(people.custodian, request, approve=True, reason="Phục vụ xác minh")
    assert "Phạm Thị Dung" in page(people.officer, letter).content.decode()
    assert PROTECTED in page(people.colleague, letter).content.decode()  # personal
    RevealRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert PROTECTED in page(people.officer, letter).content.decode()  # time-limited
    actions = set(AuditEvent.objects.filter(object_type="letters.revealrequest").values_list("action", flat=True))
    assert {"letters.identity.reveal_requested", "letters.identity.reveal_approved"} <= actions


def test_a_refused_reveal_shows_nothing(people: Register, letters: dict[str, Letter]) -> None:
    letter = letters["province"]
    identity.designate_custodian(people.admin, people.tree.province, people.custodian, "QĐ 12")
    request = identity.request_reveal(people.officer, letter, "Cần xác minh lại nội dung đơn.")
    client: Client = signed_in(people.custodian)
    assert client.get("/don-thu/danh-tinh/").status_code == 200
    response = client.post(
        f"/don-thu/danh-tinh/{request.pk}/quyet-dinh/", {"decision": "refuse", "reason": "Chưa cần thiết"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == RevealState.REFUSED and request.expires_at is None
    assert PROTECTED in page(people.officer, letter).content.decode()
    assert AuditEvent.objects.filter(action="letters.identity.reveal_refused").exists()
    # A custodian of another commission cannot decide on this one's requests.
    other_custodian = make_person("t79.baomat", unit=people.tree.other_province)
    identity.designate_custodian(people.admin, people.tree.other_province, other_custodian, "QĐ 13")
    again = identity.request_reveal(people.officer, letter, "Đề nghị lần hai có lý do mới.")
    assert (
        signed_in(other_custodian)
        .post(f"/don-thu/danh-tinh/{again.pk}/quyet-dinh/", {"decision": "approve", "reason": "x"})
        .status_code
        == 403
    )


def test_edits_keep_versions_with_who_and_why(people: Register, letters: dict[str, Letter]) -> None:
    letter = letters["province"]
    uid, code = letter.uid, letter.tracking_code
    records.amend(
        people.officer,
        letter,
        reason="Sửa loại đơn theo nội dung",
        changes={"kind": "complaint", "title": "Đơn khiếu nại"},
    )
    letter.refresh_from_db()
    assert letter.version == 2 and letter.uid == uid and letter.tracking_code == code
    version = letter.versions.get()
    assert version.actor == people.officer and version.reason == "Sửa loại đơn theo nội dung"
    assert version.fields["kind"] == "denunciation" and set(version.changed) == {"title", "kind"}
    keys = records.keys_of(letter)
    from kiemtra.letters import envelope

    assert envelope.open_sealed(keys.data, version.content_sealed)["title"] == "Đơn tố cáo"
    with pytest.raises(DomainError):
        records.amend(people.officer, letter, reason="", changes={"title": "x"})
    with pytest.raises(PolicyDenied):
        records.amend(people.other, letter, reason="lý do", changes={"title": "x"})
    letter.uid = letters["commune"].uid
    with pytest.raises(DomainError):
        letter.save()


def test_html_in_content_is_escaped_on_pages_and_in_the_export(people: Register) -> None:
    script = '<script>alert("x")</script>'
    letter = records.create(
        None,
        records.NewLetter(
            channel=Channel.POST,
            kind="feedback",
            holding_unit=people.tree.province,
            received_on=timezone.localdate(),
            title=f'=HYPERLINK("http://x") {script}',
            content=f"Nội dung {script}",
            senders=[records.Sender(full_name=f"<b>Tên</b>{script}")],
        ),
    )
    html = page(people.officer, letter).content.decode()
    assert script not in html and "&lt;script&gt;" in html
    register = signed_in(people.officer).get("/don-thu/").content.decode()
    assert script not in register
    export = signed_in(people.officer).get("/don-thu/xuat.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in export  # a formula is quoted, never run by a spreadsheet


def test_search_by_tracking_code_and_name_words_without_plaintext(people: Register, letters: dict[str, Letter]) -> None:
    """Keyed digests of folded words: with or without diacritics, every word must match; no name stored."""
    from kiemtra.letters.models import NameWord

    mine = letters["province"]
    client = signed_in(people.officer)

    def found(query: str) -> bool:
        return f">{mine.tracking_code}</a>" in client.get("/don-thu/", {"q": query}).content.decode()

    assert found(mine.tracking_code) and found(mine.tracking_code.lower().replace("-", ""))
    assert found("Phạm Dung") and found("pham thi dung")  # the sender (sealed; found by digests)
    assert found("hoang van em")  # the accused
    assert not found("Phạm Thị Xuân") and not found("Nguyễn")
    assert not NameWord.objects.filter(digest__icontains="pham").exists()
    # Another commission's letter is never found, whatever the query.
    code = letters["other"].tracking_code
    assert f">{code}</a>" not in client.get("/don-thu/", {"q": code}).content.decode()
    # An edit of the accused's name moves the search with it.
    records.amend(people.officer, mine, reason="Sửa tên người bị tố cáo", changes={"about": {"name": "Lâm Văn Giàu"}})
    assert found("lam van giau") and not found("hoang van em")


def test_the_register_count_stops_at_its_cap(people: Register, letters: dict[str, Letter], monkeypatch: Any) -> None:
    from kiemtra.letters.views import register

    paper_letter(people.tree.province)
    client = signed_in(people.officer)
    assert "2 đơn thư" in client.get("/don-thu/").content.decode()
    monkeypatch.setattr(register, "COUNT_CAP", 1)
    page = client.get("/don-thu/").content.decode()
    assert "Hơn 1 đơn thư; lọc để thu hẹp." in page
    assert page.count('href="/don-thu/') >= 2


def test_sidebar_and_home_cards_follow_the_letter_roles(people: Register, letters: dict[str, Letter]) -> None:
    """The officer sees the register and today's letters; the custodian the requests; the admin nothing."""
    identity.designate_custodian(people.admin, people.tree.province, people.custodian, "QĐ 12")
    identity.request_reveal(people.officer, letters["province"], "Cần xác minh lại nội dung đơn.")
    officer_home = signed_in(people.officer).get("/").content.decode()
    assert "Sổ đơn thư" in officer_home and "Đơn thư nhận hôm nay" in officer_home
    assert "Đề nghị xem danh tính chờ tôi quyết định" not in officer_home
    custodian_home = signed_in(people.custodian).get("/").content.decode()
    assert "Đề nghị xem danh tính chờ tôi quyết định" in custodian_home and "Sổ đơn thư" not in custodian_home
    admin_home = signed_in(people.admin).get("/").content.decode()
    assert "Sổ đơn thư" not in admin_home and "Đơn thư nhận hôm nay" not in admin_home
