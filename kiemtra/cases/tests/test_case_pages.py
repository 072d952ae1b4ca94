"""The case's actions as pages, the way users do them: open from the programme, assign the team (a conflicted
member refused with the reason, nothing stored), conclude with requests, report, send back, verify."""

from __future__ import annotations

import datetime as dt

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree, signed_in

from ..choices import CaseKind, SubjectKind
from ..models import CaseFile, ConflictDeclaration, TeamMember
from ..services import programmes
from .factories import person

pytestmark = pytest.mark.django_db


def test_open_assign_conclude_report_and_verify_through_the_pages(org_tree: Tree) -> None:
    unit = org_tree.province
    lead = person(unit, Role.CASE_LEADERSHIP)
    leader = person(unit, Role.CASE_TEAM_LEADER)
    conflicted = person(unit, Role.CASE_OFFICER)
    item = programmes.ItemInput(
        CaseKind.INSPECTION_MEMBER, SubjectKind.MEMBER, "Đồng chí Vũ Văn G", dt.date(2025, 4, 1), dt.date(2025, 6, 30)
    )
    programme = programmes.approve_programme(lead, programmes.draft_programme(leader, unit, 2025, [item]))
    ConflictDeclaration.objects.create(person=conflicted, subject_name="Đồng chí Vũ Văn G")
    client = signed_in(lead)
    assert "Đồng chí Vũ Văn G" in client.get("/kiem-tra/mo-ho-so/").content.decode()
    bad = client.post(
        "/kiem-tra/mo-ho-so/",
        {"item": programme.items.get().pk, "decision_number": "9-QĐ", "decision_date": "31/02/2025", "signer": "A"},
    )
    assert bad.status_code == 400 and "Ngày quyết định" in bad.content.decode()
    assert not CaseFile.objects.exists()
    response = client.post(
        "/kiem-tra/mo-ho-so/",
        {
            "unit": unit.pk,
            "item": programme.items.get().pk,
            "decision_number": "9-QĐ/UBKT",
            "decision_date": "07/04/2025",
            "signer": "Chủ nhiệm",
        },
    )
    case = CaseFile.objects.get()
    assert response.status_code == 302 and case.programme_item_id == programme.items.get().pk

    refused = client.post(f"/kiem-tra/ho-so/{case.pk}/doan/", {"leader": leader.pk, "members": [conflicted.pk]})
    assert refused.status_code == 400 and "xung đột lợi ích" in refused.content.decode()
    assert not TeamMember.objects.exists()
    assert client.post(f"/kiem-tra/ho-so/{case.pk}/doan/", {"leader": leader.pk}).status_code == 302

    bad_request = client.post(
        f"/kiem-tra/ho-so/{case.pk}/ket-luan/",
        {
            "violations_found": "1",
            "content": "Có vi phạm",
            "concluded_on": "01/07/2025",
            "request_text": "Khắc phục",
            "request_due": "sớm",
        },
    )
    assert bad_request.status_code == 400 and "Yêu cầu dòng 1, Hạn thực hiện" in bad_request.content.decode()
    assert (
        client.post(
            f"/kiem-tra/ho-so/{case.pk}/ket-luan/",
            {
                "violations_found": "1",
                "content": "Có vi phạm",
                "concluded_on": "01/07/2025",
                "request_text": "Khắc phục",
                "request_due": "30/09/2025",
            },
        ).status_code
        == 302
    )
    request = case.conclusion.requests.get()
    team = signed_in(leader)
    assert "Ghi báo cáo" in team.get(f"/kiem-tra/ho-so/{case.pk}/").content.decode()
    assert team.post(f"/kiem-tra/yeu-cau/{request.pk}/bao-cao/", {"text": "Đã khắc phục"}).status_code == 302
    assert (
        client.post(f"/kiem-tra/yeu-cau/{request.pk}/xac-minh/", {"decision": "send_back", "reason": ""}).status_code
        == 400
    )
    assert (
        client.post(
            f"/kiem-tra/yeu-cau/{request.pk}/xac-minh/", {"decision": "send_back", "reason": "Thiếu biên bản"}
        ).status_code
        == 302
    )
    assert team.post(f"/kiem-tra/yeu-cau/{request.pk}/bao-cao/", {"text": "Bổ sung biên bản"}).status_code == 302
    assert (
        signed_in(conflicted).post(f"/kiem-tra/yeu-cau/{request.pk}/xac-minh/", {"decision": "verify"}).status_code
        == 403
    )
    assert client.post(f"/kiem-tra/yeu-cau/{request.pk}/xac-minh/", {"decision": "verify"}).status_code == 302
    page = client.get(f"/kiem-tra/ho-so/{case.pk}/").content.decode()
    assert "Đã thực hiện xong" in page
