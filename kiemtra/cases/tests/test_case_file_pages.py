"""The case files' remaining pages, walked the way users come to them (home → sidebar → list → file → action):
programmes drafted, approved and amended; documents uploaded and found; readers added and an upper commission's
request; discipline recorded from the conclusion (each side names the other); a follow-up inspection; closing with
its archive copy; a case opened from an approved letters proposal. For each: the grant, the denials (a team member
of another file, another commission, a unit admin who sees no case data, a viewer who cannot change), and bad
input answered 400 with a Vietnamese message naming the field, nothing stored."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, signed_in
from kiemtra.discipline.models import Decision
from kiemtra.letters.choices import ProposalState
from kiemtra.letters.tests.conftest import Register, letters_storage, people  # noqa: F401  (fixtures)

from ..choices import CaseKind, CaseSource, CaseState, SubjectKind
from ..models import CaseAccess, CaseDocument, CaseFile, Programme
from ..services import programmes
from .factories import case_with_team, person
from .test_documents_and_archive import pdf_with
from .test_from_letters_proposal import approved_proposal

pytestmark = pytest.mark.django_db


def follow(client: Client, page: str, href: str) -> str:
    """The link is on the page the user is on; its target answers 200. Returns the target's HTML."""
    assert f'href="{href}"' in page, href
    response = client.get(href)
    assert response.status_code == 200, (href, response.status_code)
    return response.content.decode()


def home(client: Client) -> str:
    return client.get("/").content.decode()


def refused(response: Any, *words: str) -> None:
    body = response.content.decode()
    assert response.status_code == 400, response.status_code
    for word in words:
        assert word in body, (word, re.sub(r"\s+", " ", body)[-600:])


@pytest.fixture
def commission(org_tree: Tree, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(tmp_path / "files")
    unit = org_tree.province
    lead = person(unit, Role.CASE_LEADERSHIP)
    officer = person(unit, Role.CASE_OFFICER)
    other_member = person(unit, Role.CASE_OFFICER)
    case = case_with_team(unit, lead, officer, decision_date=dt.date(2025, 9, 1))
    other_case = case_with_team(unit, lead, other_member, subject="Đồng chí Phạm D", decision_date=dt.date(2025, 9, 1))
    return {
        "tree": org_tree,
        "unit": unit,
        "lead": lead,
        "officer": officer,
        "other_member": other_member,
        "viewer": person(unit, Role.CASE_VIEWER),
        "admin": person(unit, Role.ADMIN),
        "outsider": person(org_tree.other_province, Role.CASE_LEADERSHIP),
        "outsider_officer": person(org_tree.other_province, Role.CASE_OFFICER),
        "case": case,
        "other_case": other_case,
    }


# --- programmes ------------------------------------------------------------------------------------------------


def _rows(*rows: tuple[str, str, str, str]) -> dict[str, list[Any]]:
    return {
        "kind": [CaseKind.INSPECTION_MEMBER] * len(rows) + [CaseKind.FINANCE],
        "subject_kind": [SubjectKind.MEMBER] * len(rows) + [SubjectKind.MEMBER],
        "subject_name": [r[0] for r in rows] + [""],  # the form's blank row
        "planned_start": [r[1] for r in rows] + [""],
        "planned_end": [r[2] for r in rows] + [""],
        "lead": [r[3] for r in rows] + [""],
        "key": [""] * (len(rows) + 1),
    }


def test_an_official_drafts_the_leadership_approves_opens_from_an_item_and_an_official_amends(
    commission: dict[str, Any],
) -> None:
    unit, officer, lead = commission["unit"], commission["officer"], commission["lead"]
    client = signed_in(officer)
    listing = follow(client, home(client), "/kiem-tra/chuong-trinh/")
    form = follow(client, listing, "/kiem-tra/chuong-trinh/moi/")
    assert 'name="planned_start"' in form and "dd/mm/yyyy" in form

    bad = {"unit": unit.pk, "year": "2026", **_rows(("Đồng chí Vũ Văn G", "31/02/2026", "30/06/2026", "Ủy viên"))}
    refused(client.post("/kiem-tra/chuong-trinh/moi/", bad), "Nội dung dòng 1", "Thời gian bắt đầu")
    refused(client.post("/kiem-tra/chuong-trinh/moi/", {**bad, "year": "26"}), "Năm")
    reversed_dates = {**bad, **_rows(("Đồng chí Vũ Văn G", "01/06/2026", "01/04/2026", ""))}
    refused(client.post("/kiem-tra/chuong-trinh/moi/", reversed_dates), "Thời gian kết thúc")
    refused(client.post("/kiem-tra/chuong-trinh/moi/", {"unit": unit.pk, "year": "2026", **_rows()}), "Nội dung")
    assert not Programme.objects.exists()

    good = {"unit": unit.pk, "year": "2026", **_rows(("Đồng chí Vũ Văn G", "01/04/2026", "30/06/2026", "Ủy viên"))}
    response = client.post("/kiem-tra/chuong-trinh/moi/", good)
    programme = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kiem-tra/chuong-trinh/{programme.pk}/"
    assert programme.state == "draft" and programme.items.get().planned_start == dt.date(2026, 4, 1)
    page = client.get(f"/kiem-tra/chuong-trinh/{programme.pk}/").content.decode()
    assert "Đồng chí Vũ Văn G" in page and "01/04/2026" in page and "Phê duyệt chương trình" not in page

    leadership = signed_in(lead)
    listing = follow(leadership, home(leadership), "/kiem-tra/chuong-trinh/")
    listing = leadership.get("/kiem-tra/chuong-trinh/?nam=2026").content.decode()
    page = follow(leadership, listing, f"/kiem-tra/chuong-trinh/{programme.pk}/")
    assert "Phê duyệt chương trình" in page and "data-confirm" in page
    assert leadership.post(f"/kiem-tra/chuong-trinh/{programme.pk}/phe-duyet/").status_code == 302
    page = leadership.get(f"/kiem-tra/chuong-trinh/{programme.pk}/").content.decode()
    item = programme.items.get()
    opening = follow(leadership, page, f"/kiem-tra/mo-ho-so/?item={item.pk}")
    assert f'value="{item.pk}" selected' in opening
    response = leadership.post(
        "/kiem-tra/mo-ho-so/",
        {"unit": unit.pk, "item": item.pk, "decision_number": "40-QĐ", "decision_date": "07/04/2026", "signer": "A"},
    )
    case = CaseFile.objects.get(decision_number="40-QĐ")
    assert response.status_code == 302 and case.programme_item_id == item.pk
    page = leadership.get(f"/kiem-tra/chuong-trinh/{programme.pk}/").content.decode()
    assert f'href="/kiem-tra/ho-so/{case.pk}/"' in page  # plan versus actual: the file opened from the item

    # An official amends the approved programme: the items come prefilled, a reason is required.
    detail = client.get(f"/kiem-tra/chuong-trinh/{programme.pk}/").content.decode()
    form = follow(client, detail, f"/kiem-tra/chuong-trinh/{programme.pk}/sua-doi/")
    assert 'value="Đồng chí Vũ Văn G"' in form and f'value="{item.key}"' in form and 'value="01/04/2026"' in form
    amended_rows = _rows(
        ("Đồng chí Vũ Văn G", "01/04/2026", "30/06/2026", "Ủy viên"),
        ("Chi bộ khu phố 5", "01/09/2026", "30/11/2026", ""),
    )
    amended_rows["key"][0] = item.key
    refused(client.post(f"/kiem-tra/chuong-trinh/{programme.pk}/sua-doi/", amended_rows), "lý do sửa đổi")
    assert Programme.objects.count() == 1
    response = client.post(
        f"/kiem-tra/chuong-trinh/{programme.pk}/sua-doi/", {**amended_rows, "reason": "Bổ sung theo chỉ đạo"}
    )
    amended = Programme.objects.get(version=2)
    assert response.status_code == 302 and amended.state == "draft" and amended.items.count() == 2
    lines = {line.item.subject_name: line.cases for line in programmes.plan_versus_actual(amended)}
    assert lines == {"Đồng chí Vũ Văn G": 1, "Chi bộ khu phố 5": 0}  # the item followed across versions by key
    page = client.get(f"/kiem-tra/chuong-trinh/{amended.pk}/").content.decode()
    assert "Bổ sung theo chỉ đạo" in page and f'href="/kiem-tra/chuong-trinh/{programme.pk}/"' in page


def test_programme_pages_deny_the_viewer_changes_and_others_everything(commission: dict[str, Any]) -> None:
    unit, officer = commission["unit"], commission["officer"]
    item = programmes.ItemInput(
        CaseKind.FINANCE, SubjectKind.ORGANISATION, "Văn phòng Thành ủy", dt.date(2026, 2, 1), dt.date(2026, 3, 1)
    )
    programme = programmes.approve_programme(
        commission["lead"], programmes.draft_programme(officer, unit, 2026, [item])
    )
    viewer = signed_in(commission["viewer"])
    page = viewer.get(f"/kiem-tra/chuong-trinh/{programme.pk}/").content.decode()
    assert "Văn phòng Thành ủy" in page and "Sửa đổi chương trình" not in page and "Mở hồ sơ" not in page
    assert "Soạn chương trình" not in viewer.get("/kiem-tra/chuong-trinh/?nam=2026").content.decode()
    assert viewer.get("/kiem-tra/chuong-trinh/moi/").status_code == 403
    assert viewer.get(f"/kiem-tra/chuong-trinh/{programme.pk}/sua-doi/").status_code == 403
    rows = {**_rows(("X", "01/02/2026", "01/03/2026", "")), "reason": "x"}
    assert viewer.post(f"/kiem-tra/chuong-trinh/{programme.pk}/sua-doi/", rows).status_code == 403
    # The other commission's officer may draft its own programme, never this one's; the admin sees nothing.
    outsider = signed_in(commission["outsider_officer"])
    assert outsider.get(f"/kiem-tra/chuong-trinh/{programme.pk}/").status_code == 403
    assert outsider.post(f"/kiem-tra/chuong-trinh/{programme.pk}/sua-doi/", rows).status_code == 403
    assert outsider.post("/kiem-tra/chuong-trinh/moi/", {"unit": unit.pk, "year": "2027", **rows}).status_code == 403
    admin = signed_in(commission["admin"])
    for url in ("/kiem-tra/chuong-trinh/", f"/kiem-tra/chuong-trinh/{programme.pk}/", "/kiem-tra/chuong-trinh/moi/"):
        assert admin.get(url).status_code == 403, url
    assert Programme.objects.count() == 1


# --- documents -------------------------------------------------------------------------------------------------


def test_the_team_uploads_a_document_and_finds_it_by_search_every_read_audited(commission: dict[str, Any]) -> None:
    case, officer = commission["case"], commission["officer"]
    client = signed_in(officer)
    mine = follow(client, home(client), "/kiem-tra/?mine=1")
    page = follow(client, mine, f"/kiem-tra/ho-so/{case.pk}/")
    assert 'data-testid="upload-form"' in page and 'enctype="multipart/form-data"' in page
    url = f"/kiem-tra/ho-so/{case.pk}/tai-lieu/"
    data = pdf_with("Biên bản xác minh sai phạm đất đai tại phường")
    refused(client.post(url, {"title": "Biên bản xác minh"}), "Tệp tài liệu")
    refused(client.post(url, {"title": " ", "file": SimpleUploadedFile("b.pdf", data)}), "tên tài liệu")
    refused(client.post(url, {"title": "Rỗng", "file": SimpleUploadedFile("b.pdf", b"")}), "rỗng")
    assert not CaseDocument.objects.exists()
    upload = {"title": "Biên bản xác minh", "file": SimpleUploadedFile("bb.pdf", data)}
    assert client.post(url, upload).status_code == 302
    document = CaseDocument.objects.get()
    assert document.version == 1 and document.uploaded_by == officer
    assert "Biên bản xác minh" in client.get(f"/kiem-tra/ho-so/{case.pk}/").content.decode()

    search = follow(client, home(client), "/kiem-tra/tai-lieu/tim/")
    assert 'name="q"' in search
    results = client.get("/kiem-tra/tai-lieu/tim/?q=dat+dai").content.decode()
    assert f'href="/kiem-tra/tai-lieu/{document.pk}/"' in results and f'href="/kiem-tra/ho-so/{case.pk}/"' in results
    searched = AuditEvent.objects.get(action="cases.document.searched")
    assert searched.is_read and searched.extra["documents"] == [document.pk] and "dai" not in str(searched.extra)
    download = client.get(f"/kiem-tra/tai-lieu/{document.pk}/")
    assert download.status_code == 200 and download.content == data and ".pdf" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="cases.document.read", actor=officer, is_read=True).count() == 1
    refused(client.get("/kiem-tra/tai-lieu/tim/?q=a"), "Từ khóa")

    # Denials: another file's team member and a viewer find nothing and upload nothing; the admin is refused.
    for who in ("other_member", "viewer", "outsider"):
        other = signed_in(commission[who])
        assert "Biên bản xác minh" not in other.get("/kiem-tra/tai-lieu/tim/?q=dat+dai").content.decode(), who
        assert other.get(f"/kiem-tra/tai-lieu/{document.pk}/").status_code == 403, who
        upload = {"title": "Khác", "file": SimpleUploadedFile("k.pdf", data)}
        assert other.post(url, upload).status_code == 403, who
    assert signed_in(commission["admin"]).get("/kiem-tra/tai-lieu/tim/?q=dat+dai").status_code == 403
    assert CaseDocument.objects.count() == 1


# --- access ----------------------------------------------------------------------------------------------------


def test_the_leadership_adds_a_reader_with_a_reason_shown_on_the_file(commission: dict[str, Any]) -> None:
    case, lead, reader = commission["case"], commission["lead"], commission["other_member"]
    assert signed_in(reader).get(f"/kiem-tra/ho-so/{case.pk}/").status_code == 403
    client = signed_in(lead)
    page = follow(client, follow(client, home(client), "/kiem-tra/"), f"/kiem-tra/ho-so/{case.pk}/")
    assert 'data-testid="reader-form"' in page and f'value="{reader.pk}"' in page
    url = f"/kiem-tra/ho-so/{case.pk}/nguoi-xem/"
    refused(client.post(url, {"person": reader.pk, "reason": " "}), "lý do")
    refused(client.post(url, {"person": commission["outsider"].pk, "reason": "x"}), "Người được xem")
    assert not CaseAccess.objects.exists()
    # Only the leadership adds readers: a team member or a viewer is refused.
    for who in ("officer", "viewer", "admin"):
        assert signed_in(commission[who]).post(url, {"person": reader.pk, "reason": "x"}).status_code == 403, who
    assert client.post(url, {"person": reader.pk, "reason": "Phối hợp xác minh"}).status_code == 302
    page = client.get(f"/kiem-tra/ho-so/{case.pk}/").content.decode()
    assert "Phối hợp xác minh" in page and reader.full_name in page
    assert signed_in(reader).get(f"/kiem-tra/ho-so/{case.pk}/").status_code == 200


def test_an_upper_commission_records_its_request_then_reads_the_file(commission: dict[str, Any]) -> None:
    tree = commission["tree"]
    commune_lead = person(tree.commune, Role.CASE_LEADERSHIP)
    commune_officer = person(tree.commune, Role.CASE_OFFICER)
    case = case_with_team(tree.commune, commune_lead, commune_officer, subject="Chi bộ khu phố 7")
    upper = signed_in(commission["lead"])  # the province's leadership, above the commune
    listing = follow(upper, home(upper), "/kiem-tra/")
    page = follow(upper, listing, f"/kiem-tra/ho-so/{case.pk}/")
    assert 'data-testid="request-content-form"' in page and 'data-testid="documents"' not in page
    url = f"/kiem-tra/ho-so/{case.pk}/yeu-cau-xem/"
    refused(upper.post(url, {"reason": ""}), "lý do")
    assert not CaseAccess.objects.exists()
    outsider = signed_in(commission["outsider"])
    assert outsider.get(f"/kiem-tra/ho-so/{case.pk}/").status_code == 403
    assert outsider.post(url, {"reason": "x"}).status_code == 403
    assert signed_in(commission["viewer"]).post(url, {"reason": "x"}).status_code == 403
    assert upper.post(url, {"reason": "Phục vụ giám sát chuyên đề"}).status_code == 302
    page = upper.get(f"/kiem-tra/ho-so/{case.pk}/").content.decode()
    assert 'data-testid="documents"' in page and "Yêu cầu của ủy ban kiểm tra cấp trên" in page
    assert "Phục vụ giám sát chuyên đề" in signed_in(commune_lead).get(f"/kiem-tra/ho-so/{case.pk}/").content.decode()


# --- conclusion: discipline, follow-up, closing --------------------------------------------------------------


def _conclude(client: Client, case: CaseFile, *, discipline: bool) -> None:
    posted = {
        "violations_found": "1",
        "content": "Vi phạm quy định kê khai tài sản",
        "concluded_on": "20/10/2025",
        "request_text": "Kiểm điểm trước chi bộ",
        "request_due": "31/12/2025",
    }
    if discipline:
        posted["discipline_required"] = "1"
    assert client.post(f"/kiem-tra/ho-so/{case.pk}/ket-luan/", posted).status_code == 302


def test_discipline_is_recorded_from_the_conclusion_and_each_side_shows_the_other(commission: dict[str, Any]) -> None:
    case, lead = commission["case"], commission["lead"]
    client = signed_in(lead)
    _conclude(client, case, discipline=True)
    page = follow(client, follow(client, home(client), "/kiem-tra/"), f"/kiem-tra/ho-so/{case.pk}/")
    assert 'data-testid="discipline-form"' in page and 'value="warning"' in page
    url = f"/kiem-tra/ho-so/{case.pk}/ky-luat/"
    good = {"number": "12-QĐ/UBKT", "issued_on": "25/10/2025", "penalty": "warning", "signer": "Chủ nhiệm"}
    refused(client.post(url, {**good, "penalty": "fine"}), "Hình thức kỷ luật")
    refused(client.post(url, {**good, "issued_on": "25/13/2025"}), "Ngày quyết định kỷ luật")
    refused(client.post(url, {**good, "issued_on": "01/10/2025"}), "Ngày quyết định kỷ luật")  # before the conclusion
    refused(client.post(url, {**good, "number": ""}), "Số quyết định kỷ luật")
    for who in ("officer", "viewer", "other_member", "outsider", "admin"):
        assert signed_in(commission[who]).post(url, good).status_code == 403, who
    assert not Decision.objects.exists()
    assert client.post(url, good).status_code == 302
    decision = Decision.objects.get()
    assert decision.source_case_ref == f"cases.case:{case.pk}" and decision.state == "pending"
    page = client.get(f"/kiem-tra/ho-so/{case.pk}/").content.decode()
    assert 'data-testid="discipline"' in page and "12-QĐ/UBKT" in page and "Cảnh cáo" in page
    refused(client.post(url, {**good, "number": "13-QĐ/UBKT"}), "đã có quyết định kỷ luật")

    # The discipline side: the editor reconciling it and, once published, its reader see the case it came from.
    editor = person(commission["unit"], Role.DISCIPLINE_EDITOR)
    reconcile = signed_in(editor).get(f"/ky-luat/doi-soat/{decision.pk}/").content.decode()
    assert f'href="/kiem-tra/ho-so/{case.pk}/"' in reconcile
    Decision.objects.filter(pk=decision.pk).update(state="published")  # reconciliation is discipline's own test
    give(lead, commission["unit"], Role.DISCIPLINE_VIEWER)
    page = client.get(f"/kiem-tra/ho-so/{case.pk}/").content.decode()
    decision_page = follow(client, page, f"/ky-luat/quyet-dinh/{decision.pk}/")
    assert f'href="/kiem-tra/ho-so/{case.pk}/"' in decision_page and 'data-testid="source-case"' in decision_page


def test_a_follow_up_inspection_is_opened_from_a_conclusion_not_carried_out(commission: dict[str, Any]) -> None:
    case, lead = commission["case"], commission["lead"]
    client = signed_in(lead)
    _conclude(client, case, discipline=False)
    page = follow(client, follow(client, home(client), "/kiem-tra/"), f"/kiem-tra/ho-so/{case.pk}/")
    assert 'data-testid="follow-up-form"' in page
    url = f"/kiem-tra/ho-so/{case.pk}/kiem-tra-lai/"
    good = {"decision_number": "50-QĐ/UBKT", "decision_date": "05/01/2026", "signer": "Chủ nhiệm"}
    refused(client.post(url, {**good, "decision_date": "5 tháng 1"}), "Ngày quyết định")
    refused(client.post(url, {**good, "decision_number": case.decision_number}), "Số quyết định")
    for who in ("officer", "viewer", "outsider", "admin"):
        assert signed_in(commission[who]).post(url, good).status_code == 403, who
    assert CaseFile.objects.filter(source=CaseSource.FOLLOW_UP).count() == 0
    response = client.post(url, good)
    new = CaseFile.objects.get(source=CaseSource.FOLLOW_UP)
    assert response.status_code == 302 and response["Location"] == f"/kiem-tra/ho-so/{new.pk}/"
    assert new.subject_name == case.subject_name and new.follows_up_id == case.conclusion.pk
    assert f'href="/kiem-tra/ho-so/{case.pk}/"' in client.get(f"/kiem-tra/ho-so/{new.pk}/").content.decode()


def test_the_leadership_closes_a_concluded_file_after_confirming_and_reads_its_archive(
    commission: dict[str, Any],
) -> None:
    case, lead = commission["case"], commission["lead"]
    client = signed_in(lead)
    url = f"/kiem-tra/ho-so/{case.pk}/luu-tru/"
    refused(client.post(url, {"confirm": "1"}), "đã có kết luận")  # still open
    _conclude(client, case, discipline=False)
    page = follow(client, follow(client, home(client), "/kiem-tra/"), f"/kiem-tra/ho-so/{case.pk}/")
    assert 'data-testid="close-form"' in page and 'name="confirm"' in page and "required" in page
    refused(client.post(url, {}), "Xác nhận")
    for who in ("officer", "viewer", "other_member", "outsider", "admin"):
        assert signed_in(commission[who]).post(url, {"confirm": "1"}).status_code == 403, who
    case.refresh_from_db()
    assert case.state == CaseState.CONCLUDED and not case.archive_sha256
    assert client.post(url, {"confirm": "1"}).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and len(case.archive_sha256) == 64
    page = client.get(f"/kiem-tra/ho-so/{case.pk}/").content.decode()
    assert case.archive_sha256 in page and 'data-testid="close-form"' not in page
    archive = client.get(f"/kiem-tra/ho-so/{case.pk}/ban-luu-tru/")
    assert archive.status_code == 200 and archive.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="cases.archive.read", actor=lead, is_read=True).exists()
    for who in ("other_member", "outsider", "admin", "viewer"):
        assert signed_in(commission[who]).get(f"/kiem-tra/ho-so/{case.pk}/ban-luu-tru/").status_code == 403, who


# --- a case from an approved letters proposal --------------------------------------------------------------------


def test_a_case_is_opened_from_an_approved_letters_proposal_without_retyping(
    org_tree: Tree,
    people: Register,  # noqa: F811
) -> None:
    proposal, letters = approved_proposal(org_tree, people)
    leader = people.custodian  # the commission's leadership for cases, its leader for letters too
    give(leader, org_tree.province, Role.CASE_LEADERSHIP)
    client = signed_in(leader)
    listing = follow(client, home(client), "/kiem-tra/de-nghi/")
    assert "Lê Văn Cường" in listing and "Trần Thị Gửi" not in listing
    assert all(letter.tracking_code in listing for letter in letters)
    page = follow(client, listing, f"/kiem-tra/de-nghi/{proposal.pk}/mo-ho-so/")
    assert "Nhiều đơn phản ánh" in page and "Trần Thị Gửi" not in page
    url = f"/kiem-tra/de-nghi/{proposal.pk}/mo-ho-so/"
    good = {"decision_number": "30-QĐ/UBKT", "decision_date": "01/09/2026", "signer": "Chủ nhiệm"}
    refused(client.post(url, {**good, "decision_date": "31/09/2026"}), "Ngày quyết định")
    refused(client.post(url, {**good, "signer": ""}), "Người ký")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPROVED and not CaseFile.objects.exists()

    # Denials: the other commission's leadership does not see it; a viewer and the admin are refused.
    outsider = person(org_tree.other_province, Role.CASE_LEADERSHIP)
    assert "Lê Văn Cường" not in signed_in(outsider).get("/kiem-tra/de-nghi/").content.decode()
    assert signed_in(outsider).post(url, good).status_code == 404
    for who in (person(org_tree.province, Role.CASE_VIEWER), person(org_tree.province, Role.ADMIN)):
        assert signed_in(who).get("/kiem-tra/de-nghi/").status_code == 403
        assert signed_in(who).post(url, good).status_code == 403

    response = client.post(url, good)
    case = CaseFile.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kiem-tra/ho-so/{case.pk}/"
    assert case.source == CaseSource.PROPOSAL and case.subject_name == "Lê Văn Cường"
    assert sorted(case.letter_refs) == sorted(str(x.pk) for x in letters)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.TAKEN
    assert "Lê Văn Cường" not in client.get("/kiem-tra/de-nghi/").content.decode()
    assert client.get(url).status_code == 404  # taken: opened once
    assert "Trần Thị Gửi" not in client.get(f"/kiem-tra/ho-so/{case.pk}/").content.decode()


def test_the_sidebar_leads_each_role_to_its_pages(commission: dict[str, Any]) -> None:
    lead_home = home(signed_in(commission["lead"]))
    for href in ("/kiem-tra/de-nghi/", "/kiem-tra/tai-lieu/tim/", "/kiem-tra/chuong-trinh/", "/kiem-tra/mo-ho-so/"):
        assert f'href="{href}"' in lead_home, href
    viewer_home = home(signed_in(commission["viewer"]))
    assert 'href="/kiem-tra/tai-lieu/tim/"' in viewer_home and 'href="/kiem-tra/de-nghi/"' not in viewer_home
    admin_home = home(signed_in(commission["admin"]))
    assert "/kiem-tra/" not in admin_home
