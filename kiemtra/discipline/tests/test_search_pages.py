"""The search page, a decision's page, the original file and the .xlsx export, as users reach them."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, signed_in
from kiemtra.core.crypto import encrypt_bytes
from kiemtra.discipline import search_export
from kiemtra.discipline.choices import AmendKind, Confidentiality, DecisionState
from kiemtra.discipline.models import Decision, SourceDocument

from .factories import make_decision

pytestmark = pytest.mark.django_db

Maker = Callable[..., User]
SEARCH = "/ky-luat/"
PDF = b"%PDF-1.4 quyet dinh ky luat\n%%EOF"


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def attach_file(decision: Decision, by: User, content: bytes = PDF, name: str = "QĐ 12 kỷ luật.pdf") -> None:
    document = SourceDocument.objects.create(
        sha256=hashlib.sha256(content).hexdigest(),
        filename=name,
        content_type="application/pdf",
        size=len(content),
        file=ContentFile(encrypt_bytes(content), name="stored.bin"),
        unit=decision.unit,
        confidentiality=decision.confidentiality,
        uploaded_by=by,
        page_count=1,
    )
    Decision.objects.filter(pk=decision.pk).update(document=document)


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


@pytest.fixture
def viewer(org_tree: Tree, person_with: Maker) -> User:
    return person_with(org_tree.province, Role.DISCIPLINE_VIEWER)


@pytest.fixture
def editor(org_tree: Tree, person_with: Maker) -> User:
    return person_with(org_tree.province, Role.DISCIPLINE_EDITOR)


# --- the search page --------------------------------------------------------------------------------


def test_the_search_page_lists_what_matches_with_a_link_to_each_decision(org_tree: Tree, viewer: User) -> None:
    an = make_decision(org_tree.commune, subject_name="Nguyễn Văn An", positions=["Bí thư Chi bộ"])
    make_decision(org_tree.commune, subject_name="Trần Thị Bình")
    html = page(signed_in(viewer), f"{SEARCH}?q=nguyen+van+an")
    assert "Nguyễn Văn An" in html and "Bí thư Chi bộ" in html and "Trần Thị Bình" not in html
    assert f'href="/ky-luat/quyet-dinh/{an.pk}/"' in html
    assert "1 quyết định" in html
    assert 'href="/ky-luat/xuat-excel/?q=nguyen+van+an"' in html


def test_the_search_page_masks_a_classified_decision_for_a_viewer(org_tree: Tree, viewer: User) -> None:
    make_decision(org_tree.commune, subject_name="Hoàng Minh Tuấn", confidentiality=Confidentiality.SECRET)
    html = page(signed_in(viewer), f"{SEARCH}?penalty=warning")
    assert "Quyết định mật" in html and "(họ tên được bảo mật)" in html
    assert "Hoàng Minh Tuấn" not in html
    assert not AuditEvent.objects.filter(action="discipline.decision.read").exists()


def test_an_editor_sees_the_classified_name_and_the_read_is_logged(org_tree: Tree, editor: User) -> None:
    secret = make_decision(org_tree.commune, subject_name="Hoàng Minh Tuấn", confidentiality=Confidentiality.SECRET)
    html = page(signed_in(editor), f"{SEARCH}?q=tuan")
    assert "Hoàng Minh Tuấn" in html
    assert AuditEvent.objects.filter(action="discipline.decision.read", object_id=str(secret.pk), actor=editor).exists()


def test_bad_filters_are_explained_and_the_rest_of_the_search_applies(org_tree: Tree, viewer: User) -> None:
    make_decision(org_tree.commune, subject_name="Nguyễn Văn An", penalty="warning")
    make_decision(org_tree.commune, subject_name="Nguyễn Văn An", penalty="expulsion")
    html = page(signed_in(viewer), f"{SEARCH}?q=an&penalty=treo-co&year_from=hai-nghin")
    assert "Hình thức kỷ luật: giá trị &#x27;treo-co&#x27; không có trong danh sách." in html
    assert "Từ năm: &#x27;hai-nghin&#x27; không phải là năm (từ 1930 đến 2100)." in html
    assert "2 quyết định" in html


def test_people_without_a_discipline_role_are_refused(org_tree: Tree, person_with: Maker) -> None:
    statistician = person_with(org_tree.province, Role.STATISTICIAN)
    for url in (SEARCH, "/ky-luat/xuat-excel/"):
        page(signed_in(statistician), url, 403)


def test_over_the_cap_the_page_says_more_than(org_tree: Tree, viewer: User, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiemtra.discipline import search

    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for _ in range(5):
        make_decision(org_tree.commune)
    html = page(signed_in(viewer), SEARCH)
    assert "Hơn 3 quyết định" in html


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_search_page_queries_do_not_grow_with_the_results(org_tree: Tree, viewer: User) -> None:
    client = signed_in(viewer)
    make_decision(org_tree.commune)
    make_decision(org_tree.commune, confidentiality=Confidentiality.SECRET)
    few = _queries(client, f"{SEARCH}?q=an")
    for i in range(30):
        make_decision(org_tree.sibling_commune if i % 2 else org_tree.commune, province=org_tree.province)
        make_decision(org_tree.commune, confidentiality=Confidentiality.SECRET)
    many = _queries(client, f"{SEARCH}?q=an")
    assert many == few <= 15, (few, many)


# --- a decision's page ------------------------------------------------------------------------------


def test_the_decision_page_shows_every_field_and_the_amendments(org_tree: Tree, viewer: User) -> None:
    first = make_decision(
        org_tree.commune,
        number="Số 12-QĐ/UBKT",
        issued_on=dt.date(2024, 3, 12),
        categories=("corruption",),
        positions=["Giám đốc Sở Tài chính", "Ủy viên Ban Thường vụ"],
        legal_basis="Quy định 69-QĐ/TW",
        signer="Trần Văn Bình",
    )
    later = make_decision(org_tree.province, number="Số 40-QĐ/UBKT", issued_on=dt.date(2024, 9, 1))
    Decision.objects.filter(pk=later.pk).update(amends=first, amend_kind=AmendKind.ANNUL)
    html = page(signed_in(viewer), f"/ky-luat/quyet-dinh/{first.pk}/")
    for text in (
        "Số 12-QĐ/UBKT",
        "12/03/2024",
        "Nguyễn Văn An",
        "Giám đốc Sở Tài chính",
        "Ủy viên Ban Thường vụ",
        "Sở Tài chính",
        "Cảnh cáo",
        "Tham nhũng, tiêu cực, cố ý làm trái",
        "Vi phạm quy định về quản lý tài chính, ngân sách",
        "Quy định 69-QĐ/TW",
        "Trần Văn Bình",
        "XIII",
    ):
        assert text in html, text
    assert f'href="/ky-luat/quyet-dinh/{later.pk}/"' in html
    assert f'href="/ky-luat/nguoi/{first.person_id}/"' in html
    later_html = page(signed_in(viewer), f"/ky-luat/quyet-dinh/{later.pk}/")
    assert f'href="/ky-luat/quyet-dinh/{first.pk}/"' in later_html and "Xóa bỏ quyết định kỷ luật" in later_html


def test_a_classified_decision_page_withholds_the_details_from_a_viewer(org_tree: Tree, viewer: User) -> None:
    secret = make_decision(org_tree.commune, subject_name="Hoàng Minh Tuấn", confidentiality=Confidentiality.SECRET)
    attach_file(secret, viewer)
    html = page(signed_in(viewer), f"/ky-luat/quyet-dinh/{secret.pk}/")
    assert "Đây là quyết định mật" in html and "Hoàng Minh Tuấn" not in html
    assert "Vi phạm quy định về quản lý tài chính" not in html
    assert "/tep/" not in html and "/nguoi/" not in html
    assert not AuditEvent.objects.filter(action="discipline.decision.read").exists()


def test_an_editor_reads_a_classified_decision_page_and_the_read_is_logged(org_tree: Tree, editor: User) -> None:
    secret = make_decision(org_tree.commune, subject_name="Hoàng Minh Tuấn", confidentiality=Confidentiality.SECRET)
    html = page(signed_in(editor), f"/ky-luat/quyet-dinh/{secret.pk}/")
    assert "Hoàng Minh Tuấn" in html and "lần xem này đã được ghi vào nhật ký" in html
    assert AuditEvent.objects.filter(action="discipline.decision.read", object_id=str(secret.pk)).count() == 1


def test_a_decision_outside_the_scope_is_refused(org_tree: Tree, viewer: User) -> None:
    elsewhere = make_decision(org_tree.other_commune)
    page(signed_in(viewer), f"/ky-luat/quyet-dinh/{elsewhere.pk}/", 403)


def test_unpublished_decisions_have_no_page_here(org_tree: Tree, viewer: User) -> None:
    for state in (DecisionState.PENDING, DecisionState.REJECTED):
        decision = make_decision(org_tree.commune, state=state)
        page(signed_in(viewer), f"/ky-luat/quyet-dinh/{decision.pk}/", 404)


# --- the original file ------------------------------------------------------------------------------


def test_the_original_file_downloads_decrypted_and_the_download_is_logged(org_tree: Tree, viewer: User) -> None:
    decision = make_decision(org_tree.commune)
    attach_file(decision, viewer)
    response = signed_in(viewer).get(f"/ky-luat/quyet-dinh/{decision.pk}/tep/")
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''Q%C4%90%2012")
    event = AuditEvent.objects.get(action="discipline.document.downloaded")
    assert (event.actor, event.object_id, event.is_read) == (viewer, str(decision.pk), True)


def test_file_downloads_are_refused_outside_the_scope_and_for_classified_without_the_right(
    org_tree: Tree, viewer: User, editor: User
) -> None:
    elsewhere = make_decision(org_tree.other_commune)
    attach_file(elsewhere, viewer, content=b"%PDF other")
    secret = make_decision(org_tree.commune, confidentiality=Confidentiality.SECRET)
    attach_file(secret, editor, content=b"%PDF secret")
    page(signed_in(viewer), f"/ky-luat/quyet-dinh/{elsewhere.pk}/tep/", 403)
    page(signed_in(viewer), f"/ky-luat/quyet-dinh/{secret.pk}/tep/", 403)
    assert not AuditEvent.objects.filter(action="discipline.document.downloaded").exists()
    response = signed_in(editor).get(f"/ky-luat/quyet-dinh/{secret.pk}/tep/")
    assert response.status_code == 200 and response.content == b"%PDF secret"
    assert AuditEvent.objects.filter(action="discipline.document.downloaded", actor=editor).count() == 1


def test_a_decision_without_a_file_has_no_download(org_tree: Tree, viewer: User) -> None:
    decision = make_decision(org_tree.commune)
    page(signed_in(viewer), f"/ky-luat/quyet-dinh/{decision.pk}/tep/", 404)


# --- the export -------------------------------------------------------------------------------------


def _workbook(client: Client, query: str = "") -> tuple[list[tuple[object, ...]], list[str]]:
    response = client.get(f"/ky-luat/xuat-excel/{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == search_export.CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="quyet-dinh-ky-luat-')
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    notes = [str(r[0]) for r in book.worksheets[1].iter_rows(values_only=True)]
    return rows, notes


def test_the_export_holds_the_current_search_with_vietnamese_headers_and_real_dates(
    org_tree: Tree, viewer: User
) -> None:
    make_decision(
        org_tree.commune,
        number="Số 7-QĐ/UBKT",
        issued_on=dt.date(2024, 3, 12),
        subject_name="Nguyễn Văn An",
        categories=("corruption",),
        province=org_tree.province,
    )
    make_decision(org_tree.commune, subject_name="Trần Thị Bình")
    rows, notes = _workbook(signed_in(viewer), "?q=nguyen+van+an")
    header, *data = rows
    assert header[:3] == ("Số quyết định", "Ngày ban hành", "Cơ quan ban hành")
    assert len(data) == 1
    row = dict(zip(header, data[0], strict=True))
    assert row["Số quyết định"] == "Số 7-QĐ/UBKT"
    assert row["Ngày ban hành"] == dt.datetime(2024, 3, 12)
    assert row["Họ tên / tên tổ chức"] == "Nguyễn Văn An"
    assert row["Năm sinh"] == 1968
    assert row["Hình thức kỷ luật"] == "Cảnh cáo"
    assert row["Tỉnh, thành"] == "UBKT Thành ủy Hà Nội"
    assert row["Nội dung vi phạm (danh mục)"] == "Tham nhũng, tiêu cực, cố ý làm trái"
    assert "Từ khóa: nguyen van an" in notes
    event = AuditEvent.objects.get(action="discipline.search.exported")
    assert event.extra["rows"] == 1 and event.extra["query"] == {"q": "nguyen van an"}


def test_the_export_shows_mat_for_withheld_classified_names(org_tree: Tree, viewer: User, editor: User) -> None:
    make_decision(org_tree.commune, subject_name="Hoàng Minh Tuấn", confidentiality=Confidentiality.SECRET)
    rows, _notes = _workbook(signed_in(viewer))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Họ tên / tên tổ chức"] == "Mật"
    assert row["Vi phạm"] is None and row["Chức vụ"] is None
    assert row["Độ mật"] == "Mật"
    rows, _notes = _workbook(signed_in(editor))
    assert dict(zip(rows[0], rows[1], strict=True))["Họ tên / tên tổ chức"] == "Hoàng Minh Tuấn"


def test_text_that_looks_like_a_formula_stays_text(org_tree: Tree, viewer: User) -> None:
    make_decision(org_tree.commune, subject_name='=HYPERLINK("http://x","bấm")', violations="+1+2")
    response = signed_in(viewer).get("/ky-luat/xuat-excel/")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    name = sheet.cell(2, header.index("Họ tên / tên tổ chức") + 1)
    violation = sheet.cell(2, header.index("Vi phạm") + 1)
    assert (name.value, name.data_type, name.quotePrefix) == ('=HYPERLINK("http://x","bấm")', "s", True)
    assert (violation.value, violation.data_type, violation.quotePrefix) == ("+1+2", "s", True)


def test_the_export_stops_at_the_cap_and_says_so(org_tree: Tree, viewer: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_export, "EXPORT_CAP", 2)
    monkeypatch.setattr(search_export, "CHUNK", 2)
    for i in range(3):
        make_decision(org_tree.commune, issued_on=dt.date(2024, 1, 1 + i))
    rows, notes = _workbook(signed_in(viewer))
    assert [r[1] for r in rows[1:]] == [dt.datetime(2024, 1, 3), dt.datetime(2024, 1, 2)]
    assert any("Tệp chỉ gồm 2 quyết định đầu tiên" in n for n in notes)
    assert AuditEvent.objects.get(action="discipline.search.exported").extra["capped"] is True
