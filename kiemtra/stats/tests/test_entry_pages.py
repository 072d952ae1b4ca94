"""Data entry pages: the unit's reports, the report grid and its autosave, the chain buttons, the board."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import give, make_person, make_unit, signed_in
from kiemtra.orgs.choices import UnitKind
from kiemtra.stats.choices import ReportState, Severity
from kiemtra.stats.grid import forget_frozen_grids
from kiemtra.stats.models import Column, Report, ReportingPeriod, ReportTransition, Row, ValidationRule
from kiemtra.stats.services import reports, rollup
from kiemtra.stats.tests.factories import Chain, make_chain

pytestmark = pytest.mark.django_db
S = ReportState


@pytest.fixture
def chain() -> Chain:
    chain = make_chain()
    chain.open()
    return chain


def key(chain: Chain, row: str, column: str) -> str:
    return f"{chain.version.rows.get(code=row).pk}:{chain.version.columns.get(code=column).pk}"


def save(client: Client, report: Report, revision: int, cells: dict[str, object]):
    return client.post(
        f"/thong-ke/bao-cao/{report.pk}/luu/",
        data=json.dumps({"revision": revision, "cells": cells}),
        content_type="application/json",
    )


def file_up_to_sent(chain: Chain, unit, **values: int) -> Report:
    report = chain.report(unit)
    reports.save_values(chain.statistician[unit.pk], report, chain.cells(**values), expected_revision=report.revision)
    reports.forward_report(chain.statistician[unit.pk], report)
    reports.approve_report(chain.approver[unit.pk], report)
    return reports.send_report(chain.approver[unit.pk], report)


def stored(report: Report) -> tuple:
    """Everything a refused request must leave untouched."""
    report.refresh_from_db()
    return (
        report.state,
        report.revision,
        report.return_reason,
        sorted(rollup.encode(rollup.own_values(report)).items()),
        ReportTransition.objects.filter(report=report).count(),
        AuditEvent.objects.count(),
    )


# --- the list of the unit's reports -------------------------------------------------------


def test_report_list_shows_the_current_units_forms_with_state_deadline_and_notice(chain: Chain) -> None:
    commune = chain.communes[0]
    assert chain.period is not None
    ReportingPeriod.objects.filter(pk=chain.period.pk).update(notice="Báo cáo bổ sung theo Công văn 15")
    deadline = timezone.localtime(chain.period.deadline, dt.timezone(dt.timedelta(hours=7)))
    page = signed_in(chain.statistician[commune.pk]).get("/thong-ke/")
    html = page.content.decode()
    assert page.status_code == 200
    assert commune.name in html and "Kiểm tra đảng viên khi có dấu hiệu vi phạm" in html
    assert "Đang cập nhật" in html  # ReportState.DRAFT, in Vietnamese
    assert deadline.strftime("%H:%M %d/%m/%Y") in html  # shown in Asia/Ho_Chi_Minh
    assert "Báo cáo bổ sung theo Công văn 15" in html
    assert f"/thong-ke/bao-cao/{chain.report(commune).pk}/" in html
    assert "/thong-ke/theo-doi/" not in html  # a commune has no subordinates to follow


def test_report_list_of_the_centre_for_vu_tong_hop(chain: Chain) -> None:
    """Art. 3.2.b-c: the statisticians of Vụ Tổng hợp work on the Central Commission's reports."""
    html = signed_in(chain.centre_statistician).get("/thong-ke/").content.decode()
    assert f"/thong-ke/bao-cao/{chain.report(chain.tree.centre).pk}/" in html
    assert "Theo dõi tiến độ cấp dưới" in html


def test_unit_admin_and_other_provinces_are_refused_the_lists(chain: Chain) -> None:
    tree = chain.tree
    admin = make_person(unit=tree.province)
    give(admin, tree.province, Role.ADMIN)
    for url in ("/thong-ke/", "/thong-ke/theo-doi/", f"/thong-ke/bao-cao/{chain.report(tree.province).pk}/"):
        assert signed_in(admin).get(url).status_code == 403, url
    other = signed_in(chain.statistician[tree.other_province.pk])
    assert other.get(f"/thong-ke/?don_vi={tree.province.pk}").status_code == 403
    assert other.get(f"/thong-ke/theo-doi/?don_vi={tree.province.pk}").status_code == 403
    # The upper statistician may open a subordinate's list.
    upper = signed_in(chain.statistician[tree.province.pk])
    assert upper.get(f"/thong-ke/?don_vi={tree.commune.pk}").status_code == 200


# --- the report page ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["statistician", "approver", "viewer", "upper_statistician"])
def test_report_page_renders_for_every_reader(chain: Chain, who: str) -> None:
    commune = chain.communes[0]
    report = chain.report(commune)
    reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=1234, R2_C1=4), expected_revision=0)
    if who == "viewer":
        person = make_person(unit=chain.tree.province)
        give(person, chain.tree.province, Role.VIEWER)
    elif who == "upper_statistician":
        person = chain.statistician[chain.tree.province.pk]
    else:
        person = getattr(chain, who)[commune.pk]
    page = signed_in(person).get(f"/thong-ke/bao-cao/{report.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Được kiểm tra" in html and "Cấp ủy viên" in html and "Lịch sử xử lý" in html
    assert "1.234" in html and "1.238" in html  # own figures and the computed total, Vietnamese thousands
    assert '<th scope="row" class="row-head">' in html and '<th scope="col" class="text-center col-head">' in html
    inputs = html.count('class="cell-input')
    # Statisticians enter (the upper one on behalf, Art. 6.1); the approver and the viewer read.
    enters = who in ("statistician", "upper_statistician")
    assert inputs == (4 if enters else 0)
    assert ('aria-label="Dòng 1. Được kiểm tra, cột 1. Đảng viên"' in html) == enters
    assert ("Bạn đang nhập thay số liệu" in html) == (who == "upper_statistician")
    assert "Chuyển lãnh đạo phê duyệt</button>" in html if who == "statistician" else True
    assert "entry.js" in html and 'id="entry-config"' in html


def test_report_page_refused_to_admin_and_another_province(chain: Chain) -> None:
    tree = chain.tree
    report = chain.report(tree.commune)
    admin = make_person(unit=tree.province)
    give(admin, tree.province, Role.ADMIN)
    assert signed_in(admin).get(f"/thong-ke/bao-cao/{report.pk}/").status_code == 403
    other = signed_in(chain.statistician[tree.other_province.pk])
    assert other.get(f"/thong-ke/bao-cao/{report.pk}/").status_code == 403


def test_consolidated_figures_are_shown_apart_from_the_units_own(chain: Chain) -> None:
    tree = chain.tree
    file_up_to_sent(chain, tree.commune, R1_C1=10)
    reports.receive_report(chain.statistician[tree.province.pk], chain.report(tree.commune))
    province = chain.report(tree.province)
    reports.save_values(chain.statistician[tree.province.pk], province, chain.cells(R1_C1=2), expected_revision=0)
    html = signed_in(chain.statistician[tree.province.pk]).get(f"/thong-ke/bao-cao/{province.pk}/").content.decode()
    assert "Số liệu của đơn vị" in html and "Số liệu tổng hợp" in html
    assert f'data-total-key="{key(chain, "1", "1")}">12<' in html  # own 2 + received commune 10
    assert f'data-key="{key(chain, "1", "1")}"' in html and 'value="2"' in html
    assert "Cấp dưới: 1/2 báo cáo đã tiếp nhận." in html


def test_entered_on_behalf_by_the_upper_unit_is_said(chain: Chain) -> None:
    tree = chain.tree
    report = chain.report(tree.commune)
    response = save(signed_in(chain.statistician[tree.province.pk]), report, 0, {key(chain, "1", "1"): "3"})
    assert response.status_code == 200 and response.json()["entered_by_upper"] is True
    html = signed_in(chain.statistician[tree.commune.pk]).get(f"/thong-ke/bao-cao/{report.pk}/").content.decode()
    assert "do cấp trên trực tiếp nhập thay" in html


# --- autosave -----------------------------------------------------------------------------------


def test_save_stores_the_values_and_returns_computed_and_consolidated_figures(chain: Chain) -> None:
    commune = chain.communes[0]
    report = chain.report(commune)
    response = save(
        signed_in(chain.statistician[commune.pk]),
        report,
        0,
        {key(chain, "1", "1"): "1.234", key(chain, "1", "2"): " 6 ", key(chain, "2", "1"): "4"},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["revision"] == 1 and data["changed"] > 0
    assert data["values"][key(chain, "1", "3")] == "1240"  # C1 + C2, computed
    assert data["values"][key(chain, "3", "3")] == "1244"  # R1 + R2 of the total column
    assert data["consolidated"][key(chain, "1", "1")] == "1234"
    assert data["problems"] == [] and data["saved_at"]
    assert chain.cell(commune, "1", "1") == Decimal(1234)
    assert chain.report(commune).revision == 1


def test_save_reports_problems_blocking_and_warning(chain: Chain) -> None:
    ValidationRule.objects.create(
        version=chain.version,
        code="W1",
        expression="R1_C2 <= 100",
        severity=Severity.WARNING,
        message="Nhiều bất thường",
    )
    commune = chain.communes[0]
    data = save(
        signed_in(chain.statistician[commune.pk]),
        chain.report(commune),
        0,
        {key(chain, "1", "1"): "1", key(chain, "2", "1"): "5", key(chain, "1", "2"): "101"},
    ).json()
    assert [(p["code"], p["blocking"]) for p in data["problems"]] == [("V1", True), ("W1", False)]
    assert "không được lớn hơn" in data["problems"][0]["message"]


def test_a_bad_value_is_refused_with_a_message_naming_the_cell_and_nothing_is_stored(chain: Chain) -> None:
    commune = chain.communes[0]
    report = chain.report(commune)
    before = stored(report)
    response = save(
        signed_in(chain.statistician[commune.pk]),
        report,
        0,
        {key(chain, "1", "1"): "5", key(chain, "2", "2"): "abc", key(chain, "1", "2"): "2,5"},
    )
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "bad_value"
    assert data["cells"][key(chain, "2", "2")] == "Biểu 01, dòng 2, cột 2: 'abc' không phải là số"
    assert "phải là số nguyên" in data["cells"][key(chain, "1", "2")]
    assert key(chain, "1", "1") not in data["cells"]
    assert stored(report) == before


def test_a_stale_revision_gets_409_with_the_other_persons_cells_and_stores_nothing(chain: Chain) -> None:
    commune = chain.communes[0]
    report = chain.report(commune)
    # The upper statistician saves first (on behalf); the commune statistician still holds revision 0.
    first = save(signed_in(chain.statistician[chain.tree.province.pk]), report, 0, {key(chain, "1", "1"): "7"})
    assert first.status_code == 200
    before = stored(report)
    response = save(signed_in(chain.statistician[commune.pk]), report, 0, {key(chain, "2", "1"): "3"})
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "stale_revision" and "người khác cập nhật" in data["error"]
    assert data["theirs"][key(chain, "1", "1")] == "7"
    assert data["names"][key(chain, "1", "1")] == "Biểu 01, dòng 1, cột 1"
    assert data["revision"] == 1 and data["values"][key(chain, "1", "1")] == "7"  # what to merge with
    assert stored(report) == before
    merged = save(signed_in(chain.statistician[commune.pk]), report, data["revision"], {key(chain, "2", "1"): "3"})
    assert merged.status_code == 200 and merged.json()["values"][key(chain, "3", "1")] == "10"


def test_a_save_after_the_deadline_is_refused_with_a_message(chain: Chain) -> None:
    commune = chain.communes[0]
    report = chain.report(commune)
    assert chain.period is not None
    ReportingPeriod.objects.filter(pk=chain.period.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    before = stored(report)
    response = save(signed_in(chain.statistician[commune.pk]), report, 0, {key(chain, "1", "1"): "5"})
    assert response.status_code == 400
    assert response.json()["code"] == "period_locked" and "quá thời hạn" in response.json()["error"]
    assert stored(report) == before
    html = signed_in(chain.statistician[commune.pk]).get(f"/thong-ke/bao-cao/{report.pk}/").content.decode()
    assert "kỳ đã khóa" in html and 'class="cell-input' not in html


def test_save_of_a_report_not_in_draft_is_refused(chain: Chain) -> None:
    report = file_up_to_sent(chain, chain.communes[0], R1_C1=1)
    response = save(signed_in(chain.statistician[chain.communes[0].pk]), report, report.revision, {})
    assert response.status_code == 400 and response.json()["code"] == "not_editable"


def test_a_malformed_save_is_a_400_not_a_500(chain: Chain) -> None:
    commune = chain.communes[0]
    client = signed_in(chain.statistician[commune.pk])
    url = f"/thong-ke/bao-cao/{chain.report(commune).pk}/luu/"
    assert client.post(url, data="not json", content_type="application/json").status_code == 400
    assert save(client, chain.report(commune), 0, {"x:y": "1"}).status_code == 400
    assert save(client, chain.report(commune), 0, {"999999:1": "1"}).json()["code"] == "bad_value"
    assert client.get(url).status_code == 405


# --- another province: refused everywhere, nothing changes --------------------------------------


ACTION_SLUGS = ["chuyen-phe-duyet", "phe-duyet", "gui-cap-tren", "tiep-nhan", "tra-lai", "tra-lai-tu-cap-tren"]


def test_another_provinces_statistician_is_refused_on_every_endpoint_and_nothing_changes(chain: Chain) -> None:
    tree = chain.tree
    intruder = signed_in(chain.statistician[tree.other_province.pk])
    draft = chain.report(tree.commune)
    submitted = file_up_to_sent(chain, chain.communes[1], R1_C1=1)
    for report in (draft, submitted):
        before = stored(report)
        assert intruder.get(f"/thong-ke/bao-cao/{report.pk}/").status_code == 403
        response = save(intruder, report, report.revision, {key(chain, "1", "1"): "99"})
        assert response.status_code == 403 and "không có quyền" in response.json()["error"]
        for slug in ACTION_SLUGS:
            response = intruder.post(f"/thong-ke/bao-cao/{report.pk}/{slug}/", {"reason": "Sai"})
            assert response.status_code == 403, slug
        assert intruder.post(f"/thong-ke/theo-doi/nhac/{report.pk}/").status_code == 403
        assert stored(report) == before
    response = intruder.post("/thong-ke/theo-doi/tiep-nhan/", {"don_vi": tree.province.pk})
    assert response.status_code == 403
    assert chain.report(chain.communes[1]).state == S.SUBMITTED


# --- the chain through its buttons ------------------------------------------------------------------


def test_the_whole_chain_through_the_buttons(chain: Chain) -> None:
    tree = chain.tree
    commune = tree.commune
    report = chain.report(commune)
    statistician = signed_in(chain.statistician[commune.pk])
    approver = signed_in(chain.approver[commune.pk])
    upper = signed_in(chain.statistician[tree.province.pk])
    url = f"/thong-ke/bao-cao/{report.pk}/"

    assert save(statistician, report, 0, {key(chain, "1", "1"): "9", key(chain, "2", "1"): "2"}).status_code == 200
    page = statistician.post(url + "chuyen-phe-duyet/", follow=True)
    assert "Đã chuyển báo cáo lên lãnh đạo phê duyệt." in page.content.decode()
    assert chain.report(commune).state == S.PENDING_APPROVAL

    # The approver returns it with a reason; an empty reason is refused with a message.
    page = approver.post(url + "tra-lai/", {"reason": "  "}, follow=True)
    assert "Phải ghi rõ lý do trả lại." in page.content.decode()
    assert chain.report(commune).state == S.PENDING_APPROVAL
    approver.post(url + "tra-lai/", {"reason": "Kiểm tra lại dòng 2"})
    html = statistician.get(url).content.decode()
    assert chain.report(commune).state == S.DRAFT
    assert 'data-testid="return-reason"' in html and "Kiểm tra lại dòng 2" in html

    statistician.post(url + "chuyen-phe-duyet/")
    page = approver.post(url + "phe-duyet/", follow=True)
    assert "Đã phê duyệt báo cáo." in page.content.decode()
    assert "Gửi lên cấp trên</button>" in page.content.decode()
    page = approver.post(url + "gui-cap-tren/", follow=True)
    assert "Đã gửi báo cáo lên cấp trên." in page.content.decode()
    assert chain.report(commune).state == S.SUBMITTED

    # The upper statistician sees Receive and Return; receiving adds the figures at once.
    html = upper.get(url).content.decode()
    assert "Tiếp nhận</button>" in html and "Trả lại cho đơn vị cấp dưới</button>" in html
    page = upper.post(url + "tiep-nhan/", follow=True)
    assert "Đã tiếp nhận báo cáo" in page.content.decode()
    assert chain.cell(tree.province, "1", "1") == 9
    page = upper.post(url + "tra-lai-tu-cap-tren/", {"reason": "Thiếu số cấp ủy viên"}, follow=True)
    assert "Đã trả lại báo cáo cho đơn vị cấp dưới." in page.content.decode()
    returned = chain.report(commune)
    assert returned.state == S.DRAFT and returned.return_reason == "Thiếu số cấp ủy viên"
    assert chain.cell(tree.province, "1", "1") == 0

    history = statistician.get(url).content.decode()
    for label in ("Chuyển lãnh đạo phê duyệt", "Lãnh đạo trả lại", "Phê duyệt", "Gửi lên cấp trên"):
        assert label in history
    assert "Cấp trên tiếp nhận" in history and "Cấp trên trả lại" in history
    assert "Thiếu số cấp ủy viên" in history


def test_refusals_of_the_chain_become_messages(chain: Chain) -> None:
    tree = chain.tree
    province = chain.report(tree.province)
    client = signed_in(chain.statistician[tree.province.pk])
    page = client.post(f"/thong-ke/bao-cao/{province.pk}/chuyen-phe-duyet/", follow=True)
    assert page.status_code == 200
    assert "Chưa tiếp nhận đủ báo cáo của cấp dưới" in page.content.decode()
    commune = chain.report(tree.commune)
    statistician = signed_in(chain.statistician[tree.commune.pk])
    save(statistician, commune, 0, {key(chain, "2", "1"): "5"})  # more violations than inspected
    page = statistician.post(f"/thong-ke/bao-cao/{commune.pk}/chuyen-phe-duyet/", follow=True)
    assert "Còn lỗi phải sửa" in page.content.decode()
    assert chain.report(tree.commune).state == S.DRAFT
    # A wrong step for the state: the approver cannot approve a draft.
    page = signed_in(chain.approver[tree.commune.pk]).post(f"/thong-ke/bao-cao/{commune.pk}/phe-duyet/", follow=True)
    assert page.status_code == 200 and "Không thể phê duyệt" in page.content.decode()
    # A statistician may not approve: policy → 403.
    assert statistician.post(f"/thong-ke/bao-cao/{commune.pk}/phe-duyet/").status_code == 403


def test_what_changed_since_approval_is_shown_cell_by_cell_after_a_return_and_edit(chain: Chain) -> None:
    commune = chain.communes[0]
    report = chain.report(commune)
    statistician = signed_in(chain.statistician[commune.pk])
    approver = signed_in(chain.approver[commune.pk])
    url = f"/thong-ke/bao-cao/{report.pk}/"
    save(statistician, report, 0, {key(chain, "1", "1"): "10", key(chain, "1", "2"): "2"})
    statistician.post(url + "chuyen-phe-duyet/")
    approver.post(url + "phe-duyet/")
    approver.post(url + "tra-lai/", {"reason": "Sửa cột 1"})
    response = save(statistician, report, 1, {key(chain, "1", "1"): "1.500"})
    changes = {c["cell"]: (c["then"], c["now"]) for c in response.json()["changes"]}
    assert changes[key(chain, "1", "1")] == ("10", "1.500")
    assert changes[key(chain, "1", "3")] == ("12", "1.502")
    assert key(chain, "1", "2") not in changes
    statistician.post(url + "chuyen-phe-duyet/")
    html = approver.get(url).content.decode()  # the approver reviews what changed
    assert 'data-testid="changes"' in html and "Biểu 01, dòng 1, cột 1" in html
    assert "Khi phê duyệt: 10 — nay: 1.500" in html
    assert html.count("cell-changed") >= 4  # R1C1, R1C3, R3C1, R3C3


# --- the completeness board -------------------------------------------------------------------------


def test_board_lists_each_subordinate_with_state_last_step_and_progress(chain: Chain) -> None:
    tree = chain.tree
    file_up_to_sent(chain, tree.commune, R1_C1=1)
    reports.receive_report(chain.statistician[tree.province.pk], chain.report(tree.commune))
    page = signed_in(chain.approver[tree.province.pk]).get("/thong-ke/theo-doi/")
    html = page.content.decode()
    assert page.status_code == 200
    assert tree.commune.name in html and chain.communes[1].name in html
    assert tree.other_commune.name not in html
    assert "1/2 đã tiếp nhận" in html and "w-p50" in html
    assert "Cấp trên tiếp nhận" in html  # the last step, with who and when
    # A commune has nothing to follow; a viewer follows nobody.
    assert signed_in(chain.statistician[tree.commune.pk]).get("/thong-ke/theo-doi/").status_code == 200
    viewer = make_person(unit=tree.province)
    give(viewer, tree.province, Role.VIEWER)
    assert signed_in(viewer).get("/thong-ke/theo-doi/").status_code == 403


def test_bulk_receive_takes_the_valid_reports_and_says_which_were_skipped_and_why() -> None:
    chain = make_chain()
    tree = chain.tree
    make_unit(UnitKind.COMMUNE, tree.province, code="X00099", name="UBKT Đảng ủy xã Thứ Ba")
    chain.open()
    ba_dinh, ngoc_ha = chain.communes
    file_up_to_sent(chain, ba_dinh, R1_C1=10, R2_C1=1)
    file_up_to_sent(chain, ngoc_ha, R1_C1=5, R2_C1=5)
    # A rule added after sending: Ngọc Hà no longer passes it.
    ValidationRule.objects.create(
        version=chain.version,
        code="V2",
        expression="R2_C1 < R1_C1",
        severity=Severity.BLOCKING,
        message="Số vi phạm phải nhỏ hơn số được kiểm tra",
    )
    forget_frozen_grids()
    client = signed_in(chain.statistician[tree.province.pk])
    page = client.post("/thong-ke/theo-doi/tiep-nhan/", follow=True)
    html = page.content.decode()
    assert "Đã tiếp nhận 1 báo cáo: " + ba_dinh.name in html
    assert f"Bỏ qua {ngoc_ha.name} (biểu 01): còn lỗi chặn: Số vi phạm phải nhỏ hơn số được kiểm tra" in html
    assert "1 báo cáo chưa được gửi lên: UBKT Đảng ủy xã Thứ Ba" in html
    assert chain.report(ba_dinh).state == S.RECEIVED and chain.report(ngoc_ha).state == S.SUBMITTED
    assert chain.cell(tree.province, "1", "1") == 10
    # The approver cannot receive.
    assert signed_in(chain.approver[tree.province.pk]).post("/thong-ke/theo-doi/tiep-nhan/").status_code == 403


def test_approve_all_approves_every_pending_report_of_the_unit(chain: Chain) -> None:
    commune = chain.communes[0]
    report = chain.report(commune)
    reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=1), expected_revision=0)
    reports.forward_report(chain.statistician[commune.pk], report)
    html = signed_in(chain.approver[commune.pk]).get("/thong-ke/theo-doi/").content.decode()
    assert "Phê duyệt tất cả" in html
    page = signed_in(chain.approver[commune.pk]).post("/thong-ke/theo-doi/phe-duyet/", follow=True)
    assert "Đã phê duyệt 1 báo cáo" in page.content.decode()
    assert chain.report(commune).state == S.APPROVED
    assert signed_in(chain.statistician[commune.pk]).post("/thong-ke/theo-doi/phe-duyet/").status_code == 403


def test_a_reminder_tells_the_units_statistician_and_approver_and_is_audited(
    chain: Chain, django_capture_on_commit_callbacks: Any
) -> None:
    """Art. 8.2: the upper unit follows its subordinates; "Nhắc" reaches the people who act on the report."""
    from kiemtra.core import events

    told: list[events.Announcement] = []
    events.register_channel("test-board-remind", told.append)
    tree = chain.tree
    report = chain.report(tree.commune)
    client = signed_in(chain.statistician[tree.province.pk])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/thong-ke/theo-doi/nhac/{report.pk}/", follow=True)
    events._channels.pop("test-board-remind")
    assert "Đã nhắc " + tree.commune.name in page.content.decode()
    event = AuditEvent.objects.get(action="stats.reminder.sent")
    assert event.object_id == str(report.pk) and event.unit_id == tree.commune.pk
    wanted = {chain.statistician[tree.commune.pk].pk, chain.approver[tree.commune.pk].pk}
    assert [(a.kind, set(a.recipient_ids)) for a in told] == [("stats.reminder.sent", wanted)]
    assert told[0].url == f"/thong-ke/bao-cao/{report.pk}/" and "biểu 01" in told[0].title
    assert set(event.extra["recipients"]) == wanted
    assert "Đã nhắc lúc" in client.get("/thong-ke/theo-doi/").content.decode()
    # Its own unit's statistician cannot remind itself; a sent report needs no reminder.
    assert (
        signed_in(chain.statistician[tree.commune.pk]).post(f"/thong-ke/theo-doi/nhac/{report.pk}/").status_code == 403
    )
    sent = file_up_to_sent(chain, chain.communes[1], R1_C1=1)
    page = client.post(f"/thong-ke/theo-doi/nhac/{sent.pk}/", follow=True)
    assert "không cần nhắc" in page.content.decode()


# --- query counts ----------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_report_page_queries_do_not_grow_with_the_cells(chain: Chain) -> None:
    commune = chain.communes[0]
    report = chain.report(commune)
    client = signed_in(chain.statistician[commune.pk])
    url = f"/thong-ke/bao-cao/{report.pk}/"
    reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=1, R2_C2=2), expected_revision=0)
    small = _queries(client, url)
    for i in range(4, 14):
        Row.objects.create(version=chain.version, code=str(i), label=f"Chỉ tiêu {i}", position=i)
    for i in range(4, 9):
        Column.objects.create(version=chain.version, code=str(i), label=f"Cột {i}", position=i)
    forget_frozen_grids()
    report = chain.report(commune)
    reports.save_values(
        chain.statistician[commune.pk], report, chain.cells(R10_C5=3, R11_C6=4), expected_revision=report.revision
    )
    large = _queries(client, url)
    assert large == small <= 25, (small, large)


def test_board_queries_do_not_grow_with_the_subordinates() -> None:
    """Ten communes under one province, twenty under the other: the same number of queries."""
    chain = make_chain()
    tree = chain.tree
    for i in range(18):
        make_unit(UnitKind.COMMUNE, tree.province, code=f"XA{i}")
    for i in range(9):
        make_unit(UnitKind.COMMUNE, tree.other_province, code=f"XB{i}")
    chain.open()
    counts = {}
    for province, n in ((tree.province, 20), (tree.other_province, 10)):
        subordinates = list(Report.objects.filter(period=chain.period, unit__parent=province))
        assert len(subordinates) == n
        statistician = chain.statistician[province.pk]
        client = signed_in(statistician)
        for report in subordinates[: n // 2]:  # half of them with values, a history and a reminder
            reports.save_values(statistician, report, chain.cells(R1_C1=1), expected_revision=0)
            ReportTransition.objects.create(report=report, from_state=S.DRAFT, to_state=S.DRAFT, action="lock")
            client.post(f"/thong-ke/theo-doi/nhac/{report.pk}/")
        counts[n] = _queries(client, "/thong-ke/theo-doi/")
    assert counts[10] == counts[20] <= 19, counts  # progress (4) + one page (count, rows, steps, reminders) + shell


def test_the_centres_statistician_finds_the_board_in_the_sidebar(chain: Chain) -> None:
    page = signed_in(chain.centre_statistician).get("/thong-ke/").content.decode()
    assert 'href="/thong-ke/theo-doi/"' in page
