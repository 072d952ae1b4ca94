"""The Excel and PDF pages: who may download and upload, the preview-then-confirm flow, the audit trail."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import signed_in
from kiemtra.core.downloads import XLSX_CONTENT_TYPE
from kiemtra.stats import excel
from kiemtra.stats.tests.test_excel_import import Setup, fill, make_setup, own, stored_values

pytestmark = pytest.mark.django_db

UPLOAD = "/thong-ke/excel/tai-len/"
APPLY = "/thong-ke/excel/tai-len/ap-dung/"


@pytest.fixture(autouse=True)
def _files(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path  # the uploaded files kept between preview and confirmation


@pytest.fixture
def setup() -> Setup:
    return make_setup()


def _xlsx(data: bytes, name: str = "bieu05.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)


def _token(response) -> str:
    html = response.content.decode()
    return html.split('name="token" value="')[1].split('"')[0]


def test_download_a_filled_form_and_the_export_is_recorded(setup: Setup) -> None:
    report = setup.report()
    response = signed_in(setup.statistician).get(f"/thong-ke/bao-cao/{report.pk}/excel/?filled=1")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="Bieu-05_{setup.commune.code}_2026-H1.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Biểu 05", excel.ID_SHEET]
    event = AuditEvent.objects.get(action="stats.export")
    assert event.actor == setup.statistician and event.object_id == str(report.pk) and event.extra["filled"] is True


def test_the_period_workbook_holds_every_form_of_the_current_unit(setup: Setup) -> None:
    response = signed_in(setup.statistician).get(f"/thong-ke/ky/{setup.period.pk}/excel/")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Biểu 01", "Biểu 05", excel.ID_SHEET]
    assert "trong.xlsx" in response["Content-Disposition"]
    assert AuditEvent.objects.get(action="stats.export").extra["reports"] == [
        setup.report(setup.chain.version).pk,
        setup.report().pk,
    ]


def test_consolidated_downloads_in_xlsx_and_pdf(setup: Setup) -> None:
    province = setup.report(unit=setup.chain.tree.province)
    client = signed_in(setup.chain.statistician[setup.chain.tree.province.pk])
    xlsx = client.get(f"/thong-ke/bao-cao/{province.pk}/tong-hop/excel/")
    document = client.get(f"/thong-ke/bao-cao/{province.pk}/pdf/")
    assert xlsx.status_code == 200 and document.status_code == 200
    assert document["Content-Type"] == "application/pdf" and document.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="stats.export").count() == 2


def test_another_units_user_gets_403_everywhere_and_nothing_changes(setup: Setup) -> None:
    report = setup.report()
    stranger = signed_in(setup.chain.statistician[setup.chain.tree.other_commune.pk])
    for url in (
        f"/thong-ke/bao-cao/{report.pk}/excel/",
        f"/thong-ke/bao-cao/{report.pk}/excel/?filled=1",
        f"/thong-ke/bao-cao/{report.pk}/tong-hop/excel/",
        f"/thong-ke/bao-cao/{report.pk}/pdf/",
        f"/thong-ke/ky/{setup.period.pk}/excel/?don_vi={setup.commune.pk}",
        f"{UPLOAD}?bao_cao={report.pk}",
    ):
        assert stranger.get(url).status_code == 403, url
    data = fill(excel.export_reports([report], filled=False), {"C7": 5})
    assert stranger.post(UPLOAD, {"tep": _xlsx(data)}).status_code == 403
    assert stranger.post(UPLOAD, {"bao_cao": report.pk, "tep": _xlsx(data)}).status_code == 403
    assert stored_values() == [] and not AuditEvent.objects.filter(action="stats.export").exists()


def test_a_viewer_may_download_but_not_upload(setup: Setup, person_with) -> None:
    from kiemtra.accounts.choices import Role

    viewer = signed_in(person_with(setup.commune, Role.VIEWER))
    report = setup.report()
    assert viewer.get(f"/thong-ke/bao-cao/{report.pk}/excel/").status_code == 200
    assert viewer.get(UPLOAD).status_code == 403
    assert viewer.get(f"{UPLOAD}?bao_cao={report.pk}").status_code == 403


def test_upload_preview_then_confirm_stores_the_figures(setup: Setup) -> None:
    report = setup.report()
    client = signed_in(setup.statistician)
    assert client.get(f"{UPLOAD}?bao_cao={report.pk}").status_code == 200
    data = fill(excel.export_reports([report], filled=False), {"C7": 12, "D7": 1})

    preview = client.post(UPLOAD, {"bao_cao": report.pk, "tep": _xlsx(data)})

    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Dòng 1. Khiển trách — cột 1. Đảng viên" in html and "Xác nhận lưu 1 báo cáo" in html
    assert own(setup.report()) == {}  # nothing stored before the confirmation

    done = client.post(APPLY, {"token": _token(preview)}, follow=True)

    assert "Đã cập nhật số liệu của 1 báo cáo từ tệp bieu05.xlsx" in done.content.decode()
    assert own(setup.report())["R1_C3"] == "13"
    # The token is spent: a second confirmation does nothing.
    again = client.post(APPLY, {"token": _token(preview)}, follow=True)
    assert "Tệp đã tải lên không còn" in again.content.decode() and setup.report().revision == 1


def test_the_confirmation_only_works_in_the_session_that_uploaded(setup: Setup) -> None:
    data = fill(excel.export_reports([setup.report()], filled=False), {"C7": 12})
    preview = signed_in(setup.statistician).post(UPLOAD, {"tep": _xlsx(data)})
    other_session = signed_in(setup.statistician)
    response = other_session.post(APPLY, {"token": _token(preview)}, follow=True)
    assert "Tệp đã tải lên không còn" in response.content.decode()
    assert own(setup.report()) == {}


def test_a_refused_file_shows_the_reason_and_stores_nothing(setup: Setup) -> None:
    other = setup.chain.communes[1]
    client = signed_in(setup.statistician)
    report = setup.report()
    wrong_unit = excel.export_reports([setup.report(unit=other)], filled=False)

    response = client.post(UPLOAD, {"bao_cao": report.pk, "tep": _xlsx(wrong_unit)})
    assert response.status_code == 400
    assert f"tệp là biểu của đơn vị {other.name}, không phải của {setup.commune.name}" in response.content.decode()

    not_excel = client.post(UPLOAD, {"tep": _xlsx(b"PK\x03\x04 hong", "bao-cao.xlsx")})
    assert not_excel.status_code == 400 and "không phải là bảng tính Excel" in not_excel.content.decode()
    assert stored_values() == []


def test_cell_errors_are_listed_on_the_preview_without_a_confirm_button(setup: Setup) -> None:
    data = fill(excel.export_reports([setup.report()], filled=False), {"F8": "mười"})
    response = signed_in(setup.statistician).post(UPLOAD, {"tep": _xlsx(data)})
    html = response.content.decode()
    assert "Biểu 05, ô F8: &#x27;mười&#x27; không phải là số" in html
    assert 'data-testid="apply-form"' not in html


def test_a_stale_workbook_is_refused_at_confirmation_naming_the_report(setup: Setup) -> None:
    from kiemtra.stats.services import reports

    report = setup.report()
    client = signed_in(setup.statistician)
    data = fill(excel.export_reports([report], filled=False), {"C7": 3})
    preview = client.post(UPLOAD, {"tep": _xlsx(data)})
    token = _token(preview)
    # Saved on the web page between the preview and the confirmation.
    cell = (setup.mixed.rows.get(code="2").pk, setup.mixed.columns.get(code="1").pk)
    reports.save_values(setup.statistician, report, {cell: "4"}, expected_revision=0)

    response = client.post(APPLY, {"token": token}, follow=True)

    assert f"Biểu 05 ({setup.commune.name}): báo cáo đã được cập nhật" in response.content.decode()
    assert "R1_C1" not in own(setup.report()) and setup.report().revision == 1
