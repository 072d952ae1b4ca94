"""Issue 14 item 7: "`kiemtra cases import DIR` and an upload page load files already digitised (a folder per
case with a manifest of its metadata and its scanned documents), with a progress bar, an outcome per document,
duplicates recognised, and the batch going on past bad files."
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from weasyprint import HTML

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree, signed_in
from kiemtra.core.errors import PolicyDenied

from ..choices import CaseSource, CaseState
from ..models import CaseDocument, CaseFile, ImportBatch
from ..services import backlog
from .factories import person

pytestmark = pytest.mark.django_db


def _pdf(text: str) -> bytes:
    return HTML(string=f"<p>{text}</p>").write_pdf()


def _manifest(number: str, **extra: str) -> bytes:
    data = {
        "kind": "inspection_member",
        "subject_kind": "member",
        "subject_name": "Đồng chí Hoàng Văn E",
        "decision_number": number,
        "decision_date": "2012-05-10",
        "signer": "Chủ nhiệm UBKT",
        **extra,
    }
    return json.dumps(data, ensure_ascii=False).encode()


def _backlog(root: Path) -> None:
    good = root / "2012-01"
    good.mkdir()
    (good / "manifest.json").write_bytes(_manifest("01-QĐ/UBKT"))
    (good / "quyet-dinh.pdf").write_bytes(_pdf("Quyết định kiểm tra năm 2012"))
    (good / "ket-luan.pdf").write_bytes(_pdf("Thông báo kết luận năm 2012"))
    (good / "hong.pdf").write_bytes(b"%PDF-1.4 truncated")
    (good / "ghi-chu.docx").write_bytes(b"PK\x03\x04 not accepted")
    second = root / "2012-02"
    second.mkdir()
    (second / "manifest.json").write_bytes(_manifest("02-QĐ/UBKT"))
    (second / "ban-sao.pdf").write_bytes(_pdf("Quyết định kiểm tra năm 2012"))  # same bytes as 2012-01's
    broken = root / "2012-03"
    broken.mkdir()
    (broken / "manifest.json").write_bytes(_manifest("03-QĐ/UBKT", decision_date="10/05/2012"))
    (broken / "scan.pdf").write_bytes(_pdf("x"))


def test_the_cli_loads_a_backlog_past_bad_files_and_recognises_duplicates(
    org_tree: Tree, tmp_path: Path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = person(org_tree.province, Role.CASE_OFFICER)
    root = tmp_path / "backlog"
    root.mkdir()
    _backlog(root)
    out = io.StringIO()
    call_command(
        "cases",
        "import",
        str(root),
        "--unit",
        org_tree.province.code,
        "--as",
        officer.identifier_code,
        "--no-ocr",
        stdout=out,
    )
    batch = ImportBatch.objects.get()
    assert batch.state == "finished"
    outcomes = {(i.folder, i.filename): i.outcome for i in batch.items.all()}
    assert outcomes[("2012-01", "quyet-dinh.pdf")] == "stored"
    assert outcomes[("2012-01", "ket-luan.pdf")] == "stored"
    assert outcomes[("2012-01", "hong.pdf")] == "failed"
    assert outcomes[("2012-01", "ghi-chu.docx")] == "failed"
    assert outcomes[("2012-02", "ban-sao.pdf")] == "duplicate"
    assert outcomes[("2012-03", "scan.pdf")] == "failed"
    assert "decision_date" in batch.items.get(folder="2012-03").message
    assert "2 stored, 1 duplicate, 3 failed" in out.getvalue()
    assert set(CaseFile.objects.values_list("decision_number", flat=True)) == {"01-QĐ/UBKT", "02-QĐ/UBKT"}
    case = CaseFile.objects.get(decision_number="01-QĐ/UBKT")
    assert (case.source, case.state, case.year) == (CaseSource.BACKLOG, CaseState.CLOSED, 2012)
    assert CaseDocument.objects.filter(case=case).count() == 2
    assert backlog.progress(batch)["percent"] == 100


def test_the_upload_page_takes_a_zip_and_shows_progress(org_tree: Tree, tmp_path: Path, settings) -> None:
    settings.MEDIA_ROOT = tmp_path
    officer = person(org_tree.province, Role.CASE_OFFICER)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("ho-so/2014-07/manifest.json", _manifest("07-QĐ/UBKT"))
        z.writestr("ho-so/2014-07/bien-ban.pdf", _pdf("Biên bản 2014"))
    buffer.seek(0)
    buffer.name = "backlog.zip"
    client = signed_in(officer)
    response = client.post("/kiem-tra/nap-ho-so/", {"archive": buffer, "ocr": ""})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    page = client.get(f"/kiem-tra/nap-ho-so/{batch.pk}/")
    assert page.status_code == 200 and "0%" in page.content.decode()
    backlog.process_queued()
    part = client.get(f"/kiem-tra/nap-ho-so/{batch.pk}/?partial=1")
    assert "100%" in part.content.decode() and "bien-ban.pdf" in part.content.decode()


def test_only_an_officer_of_the_unit_loads_and_a_bad_upload_is_refused(org_tree: Tree) -> None:
    viewer = person(org_tree.province, Role.CASE_VIEWER)
    with pytest.raises(PolicyDenied):
        backlog.start_import(viewer, org_tree.province, [backlog.Incoming("a", "manifest.json", b"{}")])
    officer = person(org_tree.province, Role.CASE_OFFICER)
    response = signed_in(officer).post("/kiem-tra/nap-ho-so/", {"archive": io.BytesIO(b"not a zip")})
    assert response.status_code == 400
    assert "ZIP" in response.content.decode()
    assert not ImportBatch.objects.exists()
