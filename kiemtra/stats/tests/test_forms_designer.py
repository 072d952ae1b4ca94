"""The form designer (Art. 2.8): only the system admin configures; frozen versions never change; all audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person, signed_in
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.stats import formsets
from kiemtra.stats.choices import CellType, PeriodType, Severity
from kiemtra.stats.models import Form, FormVersion
from kiemtra.stats.services import designer, periods

pytestmark = pytest.mark.django_db
FROZEN = "Phiên bản đã được dùng trong kỳ báo cáo: tạo phiên bản mới để thay đổi"


@pytest.fixture
def sysadmin(org_tree: Tree) -> User:
    person = make_person("tw.quantri", unit=org_tree.general_affairs)
    give(person, org_tree.general_affairs, Role.SYSTEM_ADMIN)
    return person


@pytest.fixture
def demo_set() -> None:
    formsets.load_demo()


def version(code: str, number: int = 1) -> FormVersion:
    return FormVersion.objects.select_related("form").get(form__code=code, number=number)


def open_period_with(sysadmin: User, *versions: FormVersion) -> None:
    now = timezone.now()
    periods.open_period(
        sysadmin,
        code="2026-H2",
        name="6 tháng cuối năm 2026",
        period_type=PeriodType.SIX_MONTHS,
        data_start=(now - dt.timedelta(days=100)).date(),
        data_cutoff=(now + dt.timedelta(days=30)).date(),
        opens_at=now - dt.timedelta(hours=1),
        deadline=now + dt.timedelta(days=45),
        form_versions=list(versions),
    )


# --- services ----------------------------------------------------------------------------


def test_create_form_then_build_its_grid_and_rules(sysadmin: User) -> None:
    v1 = designer.create_form(
        sysadmin, code="15", title="Biểu thử nghiệm", unit_categories=["provincial"], period_types=["year"]
    )
    designer.add_row(sysadmin, v1, code="1", label="Cấp tỉnh")
    designer.add_row(sysadmin, v1, code="2", label="Cấp xã")
    designer.add_row(sysadmin, v1, code="T", label="Tổng cộng", formula="R1 + R2", position=1)
    designer.add_column(sysadmin, v1, code="1", label="Số cuộc")
    designer.add_column(sysadmin, v1, code="2", label="Có vi phạm")
    designer.add_column(sysadmin, v1, code="3", label="Số tiền", cell_type=CellType.DECIMAL, decimal_places=2)
    designer.add_rule(sysadmin, v1, code="V1", expression="R1_C2 <= R1_C1", message="Có vi phạm ≤ số cuộc.")
    assert [r.code for r in v1.rows.all()] == ["T", "1", "2"]
    assert v1.columns.get(code="3").decimal_places == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"stats.form.created", "stats.form.row_added", "stats.form.column_added", "stats.form.rule_added"} <= actions


def test_edits_of_an_unfrozen_version(sysadmin: User, demo_set: None) -> None:
    v = version("03")
    row = v.rows.get(code="1")
    designer.update_row(sysadmin, row, code="1", label="Chi bộ trực thuộc", formula="", position=None)
    assert v.rows.get(code="1").label == "Chi bộ trực thuộc"
    column = v.columns.get(code="6")
    designer.update_column(sysadmin, column, code="6", label="Đã thi hành kỷ luật xong", position=1)
    assert v.columns.order_by("position")[0].code == "6"
    rule = v.rules.get(code="W1")
    designer.update_rule(
        sysadmin, rule, code="W1", expression="RT_C1 <= 1000", message="Quá lớn.", severity=Severity.WARNING
    )
    designer.delete_rule(sysadmin, v.rules.get(code="W1"))
    assert not v.rules.filter(code="W1").exists()
    event = AuditEvent.objects.filter(action="stats.form.row_updated").get()
    assert event.before is not None and event.after is not None
    assert event.before["label"] == "Chi bộ" and event.after["label"] == "Chi bộ trực thuộc"


def test_a_frozen_version_is_refused_for_every_edit_and_a_new_version_is_the_way(
    sysadmin: User, demo_set: None
) -> None:
    v1 = version("01")
    open_period_with(sysadmin, v1)
    v1.refresh_from_db()
    assert v1.frozen
    before = formsets.spec_of(v1).structure()
    attempts = [
        lambda: designer.add_row(sysadmin, v1, code="10", label="Mới"),
        lambda: designer.update_row(sysadmin, v1.rows.get(code="1"), code="1", label="Khác"),
        lambda: designer.delete_row(sysadmin, v1.rows.get(code="1")),
        lambda: designer.add_column(sysadmin, v1, code="99", label="Mới"),
        lambda: designer.update_column(sysadmin, v1.columns.get(code="1"), code="1", label="Khác"),
        lambda: designer.delete_column(sysadmin, v1.columns.get(code="16")),
        lambda: designer.add_rule(sysadmin, v1, code="X", expression="R1_C1 >= 0", message="x"),
        lambda: designer.update_rule(sysadmin, v1.rules.get(code="W1"), code="W1", expression="1 == 1", message="x"),
        lambda: designer.delete_rule(sysadmin, v1.rules.get(code="W1")),
        lambda: designer.update_version(sysadmin, v1, title="Khác", unit_categories=["commune"], period_types=["year"]),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == "version_frozen" and refused.value.message == FROZEN
    assert formsets.spec_of(v1).structure() == before

    v2 = designer.new_version(sysadmin, v1)
    assert v2.number == 2 and not v2.frozen
    assert formsets.spec_of(v2).structure() == before
    designer.add_row(sysadmin, v2, code="10", label="Đảng ủy khối")
    assert v2.rows.count() == v1.rows.count() + 1


def test_formulas_and_rules_are_checked_and_references_must_exist(sysadmin: User, demo_set: None) -> None:
    v = version("02")
    cases = [
        (
            lambda: designer.add_rule(sysadmin, v, code="X1", expression="R1_C99 <= R1_C1", message="x"),
            "không có cột 99",
        ),
        (lambda: designer.add_rule(sysadmin, v, code="X2", expression="R1_C1 <=", message="x"), "sai cú pháp"),
        (
            lambda: designer.add_rule(sysadmin, v, code="X3", expression="F42_R1_C1 > 0", message="x"),
            "không có biểu 42",
        ),
        (
            lambda: designer.add_rule(sysadmin, v, code="W1", expression="R1_C1 >= 0", message="x"),
            "mã quy tắc W1 bị trùng",
        ),
        (lambda: designer.add_column(sysadmin, v, code="20", label="Tổng", formula="C1 + C50"), "không có cột 50"),
        (lambda: designer.add_column(sysadmin, v, code="1", label="Trùng"), "mã cột 1 bị trùng"),
        (lambda: designer.add_row(sysadmin, v, code="X", label="Sai", formula="R1 + C2"), "công thức dòng chỉ dùng"),
        # Deleting a row or column a rule or formula uses would leave a dangling reference.
        (lambda: designer.delete_row(sysadmin, v.rows.get(code="3")), "không có dòng 3"),
        (lambda: designer.delete_column(sysadmin, v.columns.get(code="1")), "không có cột 1"),
    ]
    before = formsets.spec_of(v).structure()
    for attempt, message in cases:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert message in refused.value.message, refused.value.message
    assert formsets.spec_of(v).structure() == before


def test_only_the_system_admin_configures(org_tree: Tree, demo_set: None) -> None:
    statistician = make_person(unit=org_tree.province)
    give(statistician, org_tree.province, Role.STATISTICIAN)
    v = version("04")
    with pytest.raises(PolicyDenied):
        designer.add_row(statistician, v, code="10", label="Mới")
    with pytest.raises(PolicyDenied):
        designer.new_version(statistician, v)
    with pytest.raises(PolicyDenied):
        designer.import_file(statistician, formsets.export(v))
    assert FormVersion.objects.count() == 14


# --- pages --------------------------------------------------------------------------------


def test_system_admin_sees_the_list_the_grid_and_downloads_json(sysadmin: User, demo_set: None) -> None:
    open_period_with(sysadmin, version("01"))
    client = signed_in(sysadmin)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/thong-ke/bieu-mau/")
    html = page.content.decode()
    assert page.status_code == 200 and "Thi hành kỷ luật đảng viên" in html
    assert "Đã khóa cấu trúc" in html and "6 tháng cuối năm 2026" in html
    assert "10 dòng × 21 cột, 29 quy tắc" in html
    assert len(queries) < 20

    detail = client.get(f"/thong-ke/bieu-mau/phien-ban/{version('05').pk}/")
    html = detail.content.decode()
    assert detail.status_code == 200 and 'data-testid="form-grid"' in html
    assert html.count('data-computed="1"') == 9 + 21  # total column C1 on 9 rows + total row on 21 columns
    assert "Hình thức kỷ luật: Khai trừ" in html and "F01_RT_C1" in html
    assert 'data-testid="add-row"' in html  # not frozen: editable

    frozen = client.get(f"/thong-ke/bieu-mau/phien-ban/{version('01').pk}/").content.decode()
    assert 'data-testid="frozen-badge"' in frozen and 'data-testid="add-row"' not in frozen and FROZEN in frozen

    download = client.get(f"/thong-ke/bieu-mau/phien-ban/{version('05').pk}/xuat-json/")
    assert download.status_code == 200 and download["Content-Disposition"] == 'attachment; filename="bieu-05-v1.json"'
    assert formsets.decode(download.content)["forms"][0]["code"] == "05"


def test_pages_edit_copy_and_import(sysadmin: User, demo_set: None) -> None:
    client = signed_in(sysadmin)
    v = version("11")
    response = client.post(
        f"/thong-ke/bieu-mau/phien-ban/{v.pk}/dong/them/",
        {"code": "4", "label": "Đảng ủy khối", "formula": ""},
        follow=True,
    )
    assert "Đã thêm dòng." in response.content.decode() and v.rows.filter(code="4").exists()
    response = client.post(
        f"/thong-ke/bieu-mau/phien-ban/{v.pk}/quy-tac/them/",
        {"code": "X", "expression": "R1_C9 > 0", "severity": "blocking", "message": "x"},
        follow=True,
    )
    assert "không có cột 9" in response.content.decode()

    response = client.post(f"/thong-ke/bieu-mau/phien-ban/{v.pk}/phien-ban-moi/", follow=True)
    assert "Đã tạo phiên bản 2 từ phiên bản 1." in response.content.decode()

    document = formsets.dumps(formsets.export(version("12")))
    upload = SimpleUploadedFile("bieu.json", document.encode(), content_type="application/json")
    response = client.post("/thong-ke/bieu-mau/nhap/", {"file": upload}, follow=True)
    assert "Đã nhập 1 phiên bản biểu: 12 v2." in response.content.decode()
    bad = SimpleUploadedFile("bieu.json", b'{"forms": [{"code": "12"}]}', content_type="application/json")
    response = client.post("/thong-ke/bieu-mau/nhap/", {"file": bad}, follow=True)
    assert "chưa nạp biểu nào" in response.content.decode()
    assert FormVersion.objects.filter(form__code="12").count() == 2

    response = client.post(
        "/thong-ke/bieu-mau/tao/",
        {"code": "15", "title": "Biểu mới", "unit_categories": ["provincial"], "period_types": ["year"], "source": ""},
        follow=True,
    )
    assert "Đã tạo biểu mới" in response.content.decode() and Form.objects.filter(code="15").exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STATISTICIAN, Role.APPROVER])
def test_everyone_else_gets_403(org_tree: Tree, demo_set: None, role: str) -> None:
    person = make_person(unit=org_tree.province)
    give(person, org_tree.province, role)
    client = signed_in(person)
    v = version("01")
    for url in [
        "/thong-ke/bieu-mau/",
        f"/thong-ke/bieu-mau/phien-ban/{v.pk}/",
        f"/thong-ke/bieu-mau/phien-ban/{v.pk}/xuat-json/",
        "/thong-ke/bieu-mau/nhap/",
    ]:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(f"/thong-ke/bieu-mau/phien-ban/{v.pk}/dong/them/", {"code": "X", "label": "x"}).status_code == 403
    )
    assert client.post(f"/thong-ke/bieu-mau/phien-ban/{v.pk}/phien-ban-moi/").status_code == 403
    assert FormVersion.objects.count() == 14 and not v.rows.filter(code="X").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: object, demo_set: None) -> None:
    from django.test import Client

    assert isinstance(client, Client)
    response = client.get("/thong-ke/bieu-mau/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
