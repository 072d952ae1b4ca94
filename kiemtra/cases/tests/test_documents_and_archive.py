"""Issue 14 item 4: "every document of the file stored encrypted, versioned, with its text read and searchable
within the user's scope; closing a file produces its archive copy as one PDF/A document with a table of contents
and a checksum (002 VII.2: PDF/A for archives)."
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader
from weasyprint import HTML

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree
from kiemtra.core.errors import DomainError, PolicyDenied

from ..choices import CaseState
from ..services import archive, documents, followup
from .factories import case_with_team, person

pytestmark = pytest.mark.django_db


def pdf_with(text: str) -> bytes:
    return HTML(string=f"<p>{text}</p>").write_pdf()


@pytest.fixture
def setting(org_tree: Tree, tmp_path, settings) -> dict:
    settings.MEDIA_ROOT = tmp_path
    unit = org_tree.province
    lead = person(unit, Role.CASE_LEADERSHIP)
    member = person(unit, Role.CASE_OFFICER)
    case = case_with_team(unit, lead, member)
    return {"tree": org_tree, "lead": lead, "member": member, "case": case, "root": tmp_path}


def test_a_document_is_encrypted_at_rest_versioned_and_its_text_read(setting: dict) -> None:
    case, member = setting["case"], setting["member"]
    data = pdf_with("Biên bản làm việc về khoản chi sai chế độ")
    first = documents.store(member, case, "Biên bản làm việc", "bien-ban.pdf", data)
    second = documents.store(member, case, "Biên bản làm việc", "bien-ban-2.pdf", pdf_with("Bản sửa"))
    assert (first.version, second.version) == (1, 2)
    stored = default_storage.open(first.storage_name, "rb").read()
    assert b"%PDF" not in stored and "chế độ".encode() not in stored
    assert "chi sai" not in first.text_encrypted and "chi" not in first.search_tokens
    assert "khoản chi sai chế độ" in documents.text_of(first)
    assert documents.read_bytes(setting["lead"], first) == data
    assert AuditEvent.objects.filter(action="cases.document.read", is_read=True).count() == 1


def test_search_finds_words_without_diacritics_only_in_files_the_user_may_read(setting: dict) -> None:
    case, member = setting["case"], setting["member"]
    documents.store(member, case, "Báo cáo", "bao-cao.pdf", pdf_with("Sai phạm đất đai tại xã A"))
    assert [d.case_id for d in documents.search(member, "dat dai")] == [case.pk]
    assert not documents.search(member, "ngân hàng").exists()
    colleague = person(setting["tree"].province, Role.CASE_OFFICER)  # same unit, not on the team
    assert not documents.search(colleague, "dat dai").exists()
    with pytest.raises(DomainError):
        documents.search(member, " ")


def test_only_the_team_adds_documents_and_bad_files_are_refused_with_nothing_stored(setting: dict) -> None:
    case = setting["case"]
    outsider = person(setting["tree"].province, Role.CASE_OFFICER)
    with pytest.raises(PolicyDenied):
        documents.store(outsider, case, "Tài liệu", "x.pdf", pdf_with("x"))
    with pytest.raises(DomainError) as refused:
        documents.store(setting["member"], case, "Tài liệu", "hong.pdf", b"%PDF-1.4 hong")
    assert refused.value.code
    with pytest.raises(DomainError) as empty:
        documents.store(setting["member"], case, "Tài liệu", "rong.pdf", b"")
    assert empty.value.code == "empty"
    assert not case.documents.exists()


def test_weasyprint_writes_pdf_a_2b_here() -> None:
    pdf = HTML(string="<p>Kiểm tra</p>").write_pdf(pdf_variant="pdf/a-2b")
    metadata = PdfReader(__import__("io").BytesIO(pdf)).xmp_metadata
    assert metadata is not None
    xml = metadata.stream.get_data().decode()
    assert "pdfaid" in xml
    assert "<pdfaid:part>2</pdfaid:part>" in xml.replace(" ", "") or 'pdfaid:part="2"' in xml


def test_closing_produces_one_pdf_a_with_a_table_of_contents_and_a_checksum(setting: dict) -> None:
    case, member, lead = setting["case"], setting["member"], setting["lead"]
    documents.store(member, case, "Báo cáo của đoàn", "bao-cao.pdf", pdf_with("Kết quả thẩm tra xác minh"))
    with pytest.raises(DomainError):
        archive.close_case(lead, case)  # not concluded yet
    followup.conclude(lead, case, violations_found=False, content="Không vi phạm", concluded_on=dt.date(2025, 10, 1))
    closed = archive.close_case(lead, case)
    assert closed.state == CaseState.CLOSED
    pdf = archive.read_archive(member, closed)
    assert hashlib.sha256(pdf).hexdigest() == closed.archive_sha256
    reader = PdfReader(__import__("io").BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Mục lục" in text and "Báo cáo của đoàn" in text and "Kết quả thẩm tra xác minh" in text
    assert reader.xmp_metadata is not None
    assert "pdfaid" in reader.xmp_metadata.stream.get_data().decode()


def test_the_document_page_gives_the_original_to_readers_only_and_audits_it(setting: dict) -> None:
    from kiemtra.conftest import signed_in

    data = pdf_with("Biên bản")
    doc = documents.store(setting["member"], setting["case"], "Biên bản", "bien-ban.pdf", data)
    response = signed_in(setting["lead"]).get(f"/kiem-tra/tai-lieu/{doc.pk}/")
    assert response.status_code == 200 and response.content == data
    assert AuditEvent.objects.filter(action="cases.document.read", actor=setting["lead"]).count() == 1
    outsider = person(setting["tree"].province, Role.CASE_OFFICER)
    assert signed_in(outsider).get(f"/kiem-tra/tai-lieu/{doc.pk}/").status_code == 403
    assert AuditEvent.objects.filter(action="cases.document.read").count() == 1
