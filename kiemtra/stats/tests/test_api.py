"""Integration API (Quy định 11 Art. 12): clients, pushes through the same service, approved figures, denials."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, include, path, resolve
from django.utils import timezone

import kiemtra.urls
from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import RoleGrant
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import give, make_person, signed_in
from kiemtra.stats import api
from kiemtra.stats.choices import ReportState
from kiemtra.stats.models import ApiClient, Form, ReportingPeriod
from kiemtra.stats.services import reports, rollup
from kiemtra.stats.tests.factories import Chain, make_chain

# The lead includes the API at /api/thong-ke/ in kiemtra/urls.py; until then the tests add it themselves.
try:
    resolve("/api/thong-ke/schema/", urlconf="kiemtra.urls")
    urlpatterns = list(kiemtra.urls.urlpatterns)
except Resolver404:
    urlpatterns = [*kiemtra.urls.urlpatterns, path("api/thong-ke/", include("kiemtra.stats.api_urls"))]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
URL = "/api/thong-ke/so-lieu/"


@pytest.fixture
def chain() -> Chain:
    chain = make_chain()
    chain.open()
    return chain


def register(chain: Chain, *units, subtree: bool = True, forms=None, push: bool = True, read: bool = True):
    return api.register_client(
        chain.sysadmin,
        name="Phần mềm quản lý kỷ luật",
        document_ref="QĐ 12/2026",
        unit_codes=[u.code for u in units] or [chain.tree.province.code],
        forms=forms if forms is not None else [chain.version.form],
        include_subtree=subtree,
        can_push=push,
        can_read=read,
    )


@pytest.fixture
def token(chain: Chain) -> str:
    return register(chain)[1]


def post(token: str | None, body: Any, raw: bool = False) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = body if raw else json.dumps(body)
    return Client().post(URL, data, content_type="application/json", headers=headers)


def get(token: str | None, **params: str) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get(URL, params, headers=headers)


def payload(unit, period: str = "2026-H1", form: str = "01", **cells: Any) -> dict[str, Any]:
    return {
        "unit": unit.code,
        "period": period,
        "form": form,
        "cells": [
            {"row": name[1:].split("_C")[0], "column": name.split("_C")[1], "value": value}
            for name, value in cells.items()
        ],
    }


def own(chain: Chain, unit) -> dict[str, str]:
    return rollup.encode(rollup.own_values(chain.report(unit)))


# --- pushing values ---------------------------------------------------------------------------------


def test_a_push_is_saved_through_the_service_and_the_same_push_again_changes_nothing(chain: Chain, token: str) -> None:
    ba_dinh = chain.communes[0]
    body = payload(ba_dinh, R1_C1=10, R2_C1="4", R1_C2=3)
    first = post(token, body)
    assert first.status_code == 200, first.content
    assert first.json()["result"] == "saved" and first.json()["revision"] == 1
    assert chain.cell(ba_dinh, "3", "3") == 17  # computed cells filled by the service, as for a statistician
    stored = own(chain, ba_dinh)
    second = post(token, body)
    assert second.status_code == 200
    assert second.json() | {"problems": []} == {
        "result": "unchanged",
        "changed": 0,
        "revision": 1,
        "state": "draft",
        "problems": [],
    }
    assert own(chain, ba_dinh) == stored and chain.report(ba_dinh).revision == 1
    client = ApiClient.objects.get()
    saved = AuditEvent.objects.filter(action="stats.report.values_saved")
    assert saved.count() == 1 and saved.get().actor == client.actor
    assert "Phần mềm quản lý kỷ luật" in saved.get().actor_label
    assert list(
        AuditEvent.objects.filter(action="stats.api.push").order_by("seq").values_list("extra__result", flat=True)
    ) == [
        "saved",
        "unchanged",
    ]
    assert not chain.report(ba_dinh).entered_by_upper


def test_a_push_changes_only_the_cells_it_names_and_null_clears_one(chain: Chain, token: str) -> None:
    ba_dinh = chain.communes[0]
    post(token, payload(ba_dinh, R1_C1=10, R1_C2=3))
    response = post(token, payload(ba_dinh, R1_C2=None, R2_C1=2))
    assert response.json()["result"] == "saved"
    assert (
        chain.cell(ba_dinh, "1", "1") == 10
        and chain.cell(ba_dinh, "1", "2") == 0
        and chain.cell(ba_dinh, "2", "1") == 2
    )


def test_bad_values_are_refused_in_vietnamese_and_nothing_is_stored(chain: Chain, token: str) -> None:
    ba_dinh = chain.communes[0]
    response = post(token, payload(ba_dinh, R1_C1=-3, R2_C1="abc", R1_C2=1.5, R3_C3=9, R9_C1=1))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_value" and body["detail"] == "Số liệu gửi lên chưa hợp lệ; không ô nào được lưu."
    errors = " | ".join(body["errors"])
    assert "Biểu 01, dòng 1, cột 1: không được là số âm" in errors
    assert "'abc' không phải là số" in errors
    assert "dòng 1, cột 2: phải là số nguyên" in errors
    assert "dòng 3, cột 3: là ô tính tự động" in errors
    assert "không có ô dòng '9', cột '1'" in errors
    assert own(chain, ba_dinh) == {} and chain.report(ba_dinh).revision == 0


def test_a_blocking_rule_is_reported_as_for_a_statistician(chain: Chain, token: str) -> None:
    response = post(token, payload(chain.communes[0], R1_C1=1, R2_C1=5))
    assert response.status_code == 200
    assert response.json()["problems"] == [
        {"rule": "V1", "severity": "blocking", "message": "Số có vi phạm không được lớn hơn số được kiểm tra"}
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"unit": "X00004", "period": "2026-H1", "form": "01"}, "cells: Thiếu trường này."),
        ({"unit": "X00004", "period": "2026-H1", "form": "01", "cells": []}, "cells: Phải có ít nhất một ô."),
        ({"unit": "X00004", "period": "2026-H1", "form": "01", "cells": "5"}, "cells: Phải là danh sách các ô."),
        (
            {"unit": "X00004", "period": "2026-H1", "form": "01", "cells": [{"row": "1", "value": 1}]},
            "cells[0].column: Thiếu trường này.",
        ),
        ([1, 2], "Nội dung phải là một đối tượng JSON."),
    ],
)
def test_malformed_payloads_are_refused_in_vietnamese(chain: Chain, token: str, body: Any, message: str) -> None:
    response = post(token, body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and message in response.json()["errors"]


def test_a_body_that_is_not_json_is_refused_in_vietnamese(chain: Chain, token: str) -> None:
    response = post(token, "{not json", raw=True)
    assert response.status_code == 400 and response.json()["detail"] == "Nội dung gửi lên không phải JSON hợp lệ."


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ({"unit": "KHONG-CO"}, "Không có đơn vị mã 'KHONG-CO'."),
        ({"period": "1999"}, "Không có kỳ báo cáo mã '1999'."),
        ({"form": "99"}, "Không có biểu số '99'."),
    ],
)
def test_unknown_codes_are_named(chain: Chain, token: str, codes: dict[str, str], message: str) -> None:
    response = post(token, {**payload(chain.communes[0], R1_C1=1), **codes})
    assert response.status_code == 400 and response.json()["detail"] == message


# --- the same locks as the statistician's -----------------------------------------------------------


def test_a_report_already_sent_is_not_changed(chain: Chain, token: str) -> None:
    ba_dinh = chain.communes[0]
    post(token, payload(ba_dinh, R1_C1=3))
    report = chain.report(ba_dinh)
    reports.forward_report(chain.statistician[ba_dinh.pk], report)
    reports.approve_report(chain.approver[ba_dinh.pk], report)
    reports.send_report(chain.approver[ba_dinh.pk], report)
    response = post(token, payload(ba_dinh, R1_C1=4))
    assert response.status_code == 409 and response.json()["code"] == "not_editable"
    assert "Đang cập nhật" in response.json()["detail"]
    assert chain.cell(ba_dinh, "1", "1") == 3
    assert post(token, payload(ba_dinh, R1_C1=3)).json()["result"] == "unchanged"  # same state: nothing to do


def test_a_push_after_the_deadline_is_refused_even_before_the_lock_runs(chain: Chain, token: str) -> None:
    now = timezone.now()
    ReportingPeriod.objects.update(opens_at=now - dt.timedelta(days=3), deadline=now - dt.timedelta(minutes=1))
    response = post(token, payload(chain.communes[0], R1_C1=1))
    assert response.status_code == 409 and response.json()["code"] == "period_locked"
    assert own(chain, chain.communes[0]) == {}


# --- denials -----------------------------------------------------------------------------------------


def test_no_token_bad_token_and_revoked_client_are_refused(chain: Chain) -> None:
    client, token = register(chain)
    body = payload(chain.communes[0], R1_C1=1)
    missing = post(None, body)
    assert missing.status_code == 401 and missing.json()["code"] == "not_authenticated"
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert "Thiếu mã truy cập" in missing.json()["detail"]
    bad = post(token[:-2] + "xx", body)
    assert bad.status_code == 401 and bad.json()["detail"] == "Mã truy cập không hợp lệ."
    assert get(None, unit="X00004", period="2026-H1", form="01").status_code == 401
    api.revoke_client(chain.sysadmin, client, "Hết hạn kết nối")
    revoked = post(token, body)
    assert revoked.status_code == 401 and revoked.json()["code"] == "client_revoked"
    assert revoked.json()["detail"] == "Ứng dụng kết nối đã bị thu hồi."
    assert own(chain, chain.communes[0]) == {}


def test_a_unit_outside_the_clients_units_is_refused_and_audited(chain: Chain, token: str) -> None:
    other = chain.tree.other_commune
    response = post(token, payload(other, R1_C1=1))
    assert response.status_code == 403 and response.json()["code"] == "unit_not_allowed"
    assert response.json()["detail"] == f"Đơn vị '{other.code}' nằm ngoài phạm vi được phép của ứng dụng."
    assert get(token, unit=other.code, period="2026-H1", form="01").status_code == 403
    assert AuditEvent.objects.filter(action="stats.api.denied", unit_id=other.pk).count() == 2
    assert own(chain, other) == {}


def test_without_the_subtree_only_the_listed_units_are_allowed(chain: Chain) -> None:
    _client, token = register(chain, chain.tree.province, subtree=False)
    assert post(token, payload(chain.tree.province, R1_C1=1)).status_code == 200
    assert post(token, payload(chain.communes[0], R1_C1=1)).status_code == 403


def test_a_form_not_allowed_is_refused(chain: Chain) -> None:
    other_form = Form.objects.create(code="02", title="Biểu khác")
    _client, token = register(chain, forms=[other_form])
    response = post(token, payload(chain.communes[0], R1_C1=1))
    assert response.status_code == 403 and response.json()["code"] == "form_not_allowed"
    assert response.json()["detail"] == "Ứng dụng không được phép dùng biểu số '01'."


def test_a_read_only_client_cannot_push_and_a_push_only_client_cannot_read(chain: Chain) -> None:
    _c, reader = register(chain, push=False, read=True)
    assert post(reader, payload(chain.communes[0], R1_C1=1)).json()["code"] == "push_not_allowed"
    _c, pusher = register(chain, push=True, read=False)
    response = get(pusher, unit="X00004", period="2026-H1", form="01")
    assert response.status_code == 403 and response.json()["code"] == "read_not_allowed"


def test_the_client_holds_no_grant_no_password_and_no_quota_place(chain: Chain, token: str) -> None:
    """Art. 3.7-3.8 count people's accounts: the client's system account takes no place in them."""
    client = ApiClient.objects.select_related("actor").get()
    assert not RoleGrant.objects.filter(person=client.actor).exists()
    assert not client.actor.has_usable_password()
    assert client.token_hash != token and token not in client.token_hash and client.token_hint == token[:10]
    post(token, payload(chain.communes[0], R1_C1=1))
    assert not RoleGrant.objects.filter(person=client.actor).exists()
    client.refresh_from_db()
    assert client.last_used_at is not None


# --- reading approved figures ------------------------------------------------------------------------


def test_approved_figures_are_consolidated_and_drafts_are_not_given(chain: Chain, token: str) -> None:
    tree, ba_dinh = chain.tree, chain.communes[0]
    post(token, payload(ba_dinh, R1_C1=10, R1_C2=3))
    draft = get(token, unit=ba_dinh.code, period="2026-H1", form="01")
    assert draft.status_code == 404 and draft.json()["code"] == "not_approved"
    report = chain.report(ba_dinh)
    reports.forward_report(chain.statistician[ba_dinh.pk], report)
    reports.approve_report(chain.approver[ba_dinh.pk], report)
    approved = get(token, unit=ba_dinh.code, period="2026-H1", form="01")
    assert approved.status_code == 200 and approved.json()["state"] == ReportState.APPROVED
    cells = {(c["row"], c["column"]): c["value"] for c in approved.json()["cells"]}
    assert cells[("1", "1")] == "10" and cells[("1", "3")] == "13" and cells[("3", "3")] == "13"
    reports.send_report(chain.approver[ba_dinh.pk], report)
    reports.receive_report(chain.statistician[tree.province.pk], report)
    ngoc_ha = chain.communes[1]
    post(token, payload(ngoc_ha, R1_C1=5))
    report = chain.report(ngoc_ha)
    reports.forward_report(chain.statistician[ngoc_ha.pk], report)
    reports.approve_report(chain.approver[ngoc_ha.pk], report)
    reports.send_report(chain.approver[ngoc_ha.pk], report)
    reports.receive_report(chain.statistician[tree.province.pk], report)
    post(token, payload(tree.province, R1_C1=2))
    province = chain.report(tree.province)
    reports.forward_report(chain.statistician[tree.province.pk], province)
    reports.approve_report(chain.approver[tree.province.pk], province)
    upper = get(token, unit=tree.province.code, period="2026-H1", form="01").json()
    assert {(c["row"], c["column"]): c["value"] for c in upper["cells"]}[("1", "1")] == "17"  # own 2 + 10 + 5
    assert AuditEvent.objects.filter(action="stats.api.read", is_read=True).count() == 2
    assert get(token, unit=ngoc_ha.code, period="2026-H1", form="01").json()["state"] == ReportState.RECEIVED


def test_a_query_without_its_codes_is_refused(chain: Chain, token: str) -> None:
    response = get(token, unit="X00004")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"period: Thiếu trường này.", "form: Thiếu trường này."}


# --- the schema and the admin page -----------------------------------------------------------------


def test_the_openapi_schema_is_published(chain: Chain) -> None:
    response = Client().get("/api/thong-ke/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "Kiểm tra số — API thống kê"
    operations = schema["paths"]["/api/thong-ke/so-lieu/"]
    assert {"get", "post"} <= set(operations)
    assert operations["post"]["operationId"] == "gui_so_lieu"
    assert {"200", "400", "401", "403", "409"} <= set(operations["post"]["responses"])
    assert schema["components"]["securitySchemes"]["maTruyCap"]["scheme"] == "bearer"
    assert "PushRequest" in schema["components"]["schemas"] or "Push" in schema["components"]["schemas"]


def test_the_system_admin_registers_a_client_and_sees_its_token_once(chain: Chain) -> None:
    admin = signed_in(chain.sysadmin)
    response = admin.post(
        "/thong-ke/ung-dung-ket-noi/",
        {
            "name": "Phần mềm đơn thư",
            "document_ref": "QĐ 7/2026",
            "unit_codes": f"{chain.tree.province.code}, {chain.tree.other_province.code}",
            "include_subtree": "on",
            "allowed_forms": [chain.version.form.pk],
            "can_push": "on",
        },
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    client = ApiClient.objects.get(name="Phần mềm đơn thư")
    token = html.split('<code class="user-select-all fs-6">')[1].split("</code>")[0]
    assert token.startswith("kts_") and ApiClient.objects.for_token(token) == client
    assert {u.code for u in client.units.all()} == {chain.tree.province.code, chain.tree.other_province.code}
    assert post(token, payload(chain.tree.other_commune, R1_C1=1)).status_code == 200
    again = admin.get("/thong-ke/ung-dung-ket-noi/").content.decode()
    assert token not in again and client.token_hint in again
    assert AuditEvent.objects.filter(action="stats.api_client.registered").count() == 1


def test_registration_names_unknown_units(chain: Chain) -> None:
    response = signed_in(chain.sysadmin).post(
        "/thong-ke/ung-dung-ket-noi/",
        {"name": "X", "document_ref": "QĐ 1", "unit_codes": "T01 KHONGCO", "allowed_forms": [chain.version.form.pk]},
    )
    assert "Không có đơn vị đang hoạt động với mã: KHONGCO." in response.content.decode()
    assert not ApiClient.objects.exists()


def test_the_system_admin_revokes_a_client(chain: Chain) -> None:
    client, token = register(chain)
    response = signed_in(chain.sysadmin).post(f"/thong-ke/ung-dung-ket-noi/{client.pk}/thu-hoi/", {"reason": "Dừng"})
    assert response.status_code == 302
    client.refresh_from_db()
    assert not client.active and client.revoked_by == chain.sysadmin and not client.actor.is_active
    assert post(token, payload(chain.communes[0], R1_C1=1)).status_code == 401


@pytest.mark.parametrize("role", [Role.STATISTICIAN, Role.ADMIN, Role.APPROVER])
def test_only_the_system_admin_manages_clients(chain: Chain, role: str) -> None:
    person = make_person(unit=chain.tree.province)
    give(person, chain.tree.province, role)
    client, _token = register(chain)
    browser = signed_in(person)
    assert browser.get("/thong-ke/ung-dung-ket-noi/").status_code == 403
    assert browser.post(f"/thong-ke/ung-dung-ket-noi/{client.pk}/thu-hoi/").status_code == 403
    client.refresh_from_db()
    assert client.active
