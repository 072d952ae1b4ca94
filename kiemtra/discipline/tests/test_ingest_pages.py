"""The ingest pages: upload a batch of real corpus files, watch its progress, read each file's outcome.

The upload only queues the files; the background worker (``process_queued``) reads
them. One bad file gets its own outcome — duplicate, corrupt, encrypted, empty,
not a decision, unsupported — and the rest of the batch goes on. OCR is slow: this
file reads one scanned page in all.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.conftest import Tree, give, make_person, signed_in
from kiemtra.discipline.choices import BatchState, Confidentiality, DecisionState, IngestOutcome
from kiemtra.discipline.models import Decision, IngestBatch, IngestItem, SourceDocument

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[3] / "tests" / "data" / "discipline"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(org_tree: Tree) -> User:
    person = make_person()
    give(person, org_tree.province, Role.DISCIPLINE_EDITOR)
    return person


def corpus_file(name: str, as_name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(as_name or Path(name).name, (CORPUS / name).read_bytes())


def zipped(name: str, *members: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            archive.write(CORPUS / member, Path(member).name)
    return SimpleUploadedFile(name, buffer.getvalue())


def process_queued() -> None:
    from kiemtra.discipline.services import ingest

    while ingest.process_queued(limit=50):
        pass


def _stored_nothing(media: Path) -> None:
    assert not IngestBatch.objects.exists() and not IngestItem.objects.exists()
    assert not SourceDocument.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_upload_form_offers_the_editors_unit_and_the_confidentiality_levels(org_tree: Tree, editor: User) -> None:
    give(editor, org_tree.commune, Role.DISCIPLINE_EDITOR)
    give(editor, org_tree.other_province, Role.DISCIPLINE_VIEWER)
    response = signed_in(editor).get("/ky-luat/tai-len/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file" name="files" multiple' in html and 'enctype="multipart/form-data"' in html
    units = html[html.index('id="i-unit"') : html.index("</select>", html.index('id="i-unit"'))]
    assert f'<option value="{org_tree.province.pk}" selected>' in units
    assert f'<option value="{org_tree.commune.pk}"' in units
    assert f'<option value="{org_tree.other_province.pk}"' not in units  # a viewer there cannot upload
    for label in ("Thường", "Mật", "Tối mật"):
        assert f">{label}</option>" in html
    assert "discipline/ingest.js" in html and "<script>" not in html


def test_a_batch_of_corpus_files_gets_one_outcome_per_file(org_tree: Tree, editor: User) -> None:
    client = signed_in(editor)
    files = [
        corpus_file("digital/qd-provincial_commission-07.pdf"),
        corpus_file("digital/qd-nhieu-dang-vien-01.pdf"),  # several members in one file
        zipped("lo-1.zip", "digital/qd-cell-13.pdf", "bad/hong-file.pdf"),
        corpus_file("bad/ban-sao-trung.pdf"),  # the same bytes as the first file
        corpus_file("bad/co-mat-khau.pdf"),
        corpus_file("bad/trang-trang.pdf"),
        corpus_file("bad/giay-moi-hop.pdf"),
        corpus_file("bad/ghi-chu.docx"),
        corpus_file("scans/scan-01.pdf"),  # the one scanned page of this file
    ]
    response = client.post(
        "/ky-luat/tai-len/",
        {"files": files, "unit": org_tree.province.pk, "confidentiality": Confidentiality.ORDINARY},
    )
    batch = IngestBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ky-luat/lo/{batch.pk}/"
    assert (batch.unit, batch.created_by, batch.total, batch.done) == (org_tree.province, editor, 10, 0)

    waiting = client.get(response["Location"]).content.decode()
    assert "Đã nhận 10 tệp" in waiting and "0/10 tệp (0 %)" in waiting
    assert 'hx-trigger="every 2s"' in waiting and '<progress class="batch-progress" max="10" value="0"' in waiting
    assert waiting.count('data-outcome="queued"') == 10 and "lo-1.zip/hong-file.pdf" in waiting

    process_queued()

    batch.refresh_from_db()
    assert (batch.done, batch.state) == (10, BatchState.DONE)
    outcomes = dict(IngestItem.objects.filter(batch=batch).values_list("filename", "outcome"))
    assert outcomes == {
        "qd-provincial_commission-07.pdf": IngestOutcome.EXTRACTED,
        "qd-nhieu-dang-vien-01.pdf": IngestOutcome.EXTRACTED,
        "lo-1.zip/qd-cell-13.pdf": IngestOutcome.EXTRACTED,
        "lo-1.zip/hong-file.pdf": IngestOutcome.CORRUPT,
        "ban-sao-trung.pdf": IngestOutcome.DUPLICATE_FILE,
        "co-mat-khau.pdf": IngestOutcome.ENCRYPTED,
        "trang-trang.pdf": IngestOutcome.EMPTY,
        "giay-moi-hop.pdf": IngestOutcome.NOT_A_DECISION,
        "ghi-chu.docx": IngestOutcome.UNSUPPORTED,
        "scan-01.pdf": IngestOutcome.EXTRACTED,
    }
    html = client.get(f"/ky-luat/lo/{batch.pk}/").content.decode()
    assert "10/10 tệp (100 %)" in html and "Đã xử lý xong." in html and "hx-trigger" not in html
    for label in (
        "Đã bóc tách",
        "Tệp đã có trong cơ sở dữ liệu",
        "Tệp PDF bị hỏng",
        "Tệp PDF có mật khẩu",
        "Tài liệu trống, không đọc được chữ",
        "Không phải quyết định kỷ luật",
        "Loại tệp không hỗ trợ",
    ):
        assert label in html, label
    several = IngestItem.objects.get(batch=batch, filename="qd-nhieu-dang-vien-01.pdf")
    found = Decision.objects.filter(document=several.document).count()
    assert several.decisions == found >= 2  # how many exactly is the extractor's business (bench/extraction.py)
    assert f"/ky-luat/doi-soat/?tai-lieu={several.document_id}" in html and f"Đối soát ({found})" in html
    single = Decision.objects.get(document__filename="qd-cell-13.pdf")
    assert f"/ky-luat/doi-soat/{single.pk}/" in html
    assert Decision.objects.filter(state=DecisionState.PENDING, unit=org_tree.province).count() == sum(
        IngestItem.objects.filter(batch=batch).values_list("decisions", flat=True)
    )
    # The scanned decision opens for reconciliation with its page image and the read spans marked.
    scan = Decision.objects.get(document__filename="scan-01.pdf")
    page = client.get(f"/ky-luat/doi-soat/{scan.pk}/").content.decode()
    assert f'src="/ky-luat/doi-soat/{scan.pk}/trang/1.png"' in page and '<mark class="src" data-field=' in page
    assert client.get(f"/ky-luat/doi-soat/{scan.pk}/trang/1.png")["Content-Type"] == "image/png"
    # The queue filtered to that file lists its decisions, with the batch they came in.
    queue = client.get(f"/ky-luat/doi-soat/?tai-lieu={several.document_id}").content.decode()
    assert queue.count('data-testid="queue-row"') == found and f"/ky-luat/lo/{batch.pk}/" in queue


def test_progress_partial_polls_while_running_and_stops_when_done(org_tree: Tree, editor: User) -> None:
    client = signed_in(editor)
    files = [corpus_file("digital/qd-cell-14.pdf"), corpus_file("bad/hong-file.pdf")]
    client.post("/ky-luat/tai-len/", {"files": files, "unit": org_tree.province.pk})
    batch = IngestBatch.objects.get()
    url = f"/ky-luat/lo/{batch.pk}/tien-do/"
    running = client.get(url).content.decode()
    assert running.startswith('<div id="batch-progress"') and "<html" not in running
    assert f'hx-get="{url}" hx-trigger="every 2s" hx-swap="outerHTML"' in running and "0/2 tệp (0 %)" in running
    from kiemtra.discipline.services import ingest

    ingest.process_queued(limit=1)
    halfway = client.get(url).content.decode()
    assert "1/2 tệp (50 %)" in halfway and "hx-trigger" in halfway and 'data-outcome="extracted"' in halfway
    ingest.process_queued(limit=1)
    done = client.get(url).content.decode()
    assert "2/2 tệp (100 %)" in done and "hx-trigger" not in done and 'data-state="done"' in done
    assert 'data-outcome="corrupt"' in done


def test_a_classified_batch_stores_classified_documents(org_tree: Tree, editor: User) -> None:
    client = signed_in(editor)
    client.post(
        "/ky-luat/tai-len/",
        {"files": [corpus_file("digital/qd-cell-13.pdf")], "unit": org_tree.province.pk, "confidentiality": "secret"},
    )
    process_queued()
    decision = Decision.objects.get()
    assert decision.confidentiality == Confidentiality.SECRET and decision.subject_name == "" and decision.sealed
    assert decision.document is not None and decision.document.is_classified


@pytest.mark.parametrize(
    ("files", "data", "message"),
    [
        ([], {}, "Chưa chọn tệp nào để tải lên."),
        ([SimpleUploadedFile("lo.zip", b"PK\x03\x04 not really a zip")], {}, "Tệp nén lo.zip bị hỏng"),
        (["digital/qd-cell-13.pdf"], {"confidentiality": "tuyet-mat"}, "Độ mật không hợp lệ."),
    ],
)
def test_a_refused_upload_says_why_and_stores_nothing(
    org_tree: Tree, editor: User, media: Path, files: list[Any], data: dict[str, str], message: str
) -> None:
    uploads = [corpus_file(f) if isinstance(f, str) else f for f in files]
    response = signed_in(editor).post("/ky-luat/tai-len/", {"files": uploads, "unit": org_tree.province.pk, **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="ingest-error"' in html and message in html
    _stored_nothing(media)


def test_viewers_and_other_units_cannot_upload_or_see_a_batch(org_tree: Tree, editor: User, media: Path) -> None:
    viewer = make_person()
    give(viewer, org_tree.province, Role.DISCIPLINE_VIEWER)
    other = make_person()
    give(other, org_tree.other_province, Role.DISCIPLINE_EDITOR)
    pdf = "digital/qd-cell-13.pdf"
    assert signed_in(viewer).get("/ky-luat/tai-len/").status_code == 403
    assert signed_in(viewer).post("/ky-luat/tai-len/", {"files": [corpus_file(pdf)]}).status_code == 403
    # An editor of another province naming this province's unit is refused by the service.
    response = signed_in(other).post("/ky-luat/tai-len/", {"files": [corpus_file(pdf)], "unit": org_tree.province.pk})
    assert response.status_code == 403
    _stored_nothing(media)

    signed_in(editor).post("/ky-luat/tai-len/", {"files": [corpus_file(pdf)], "unit": org_tree.province.pk})
    batch = IngestBatch.objects.get()
    for person in (viewer, other):
        client = signed_in(person)
        assert client.get(f"/ky-luat/lo/{batch.pk}/").status_code == 403
        assert client.get(f"/ky-luat/lo/{batch.pk}/tien-do/").status_code == 403
    assert signed_in(other).get("/ky-luat/lo/").content.decode().count('data-testid="batch-row"') == 0
    assert signed_in(viewer).get("/ky-luat/lo/").status_code == 403


def test_recent_batches_are_those_of_the_editors_units(org_tree: Tree, editor: User) -> None:
    colleague = make_person()
    give(colleague, org_tree.province, Role.DISCIPLINE_EDITOR)
    other = make_person()
    give(other, org_tree.other_province, Role.DISCIPLINE_EDITOR)
    signed_in(colleague).post("/ky-luat/tai-len/", {"files": [corpus_file("digital/qd-cell-13.pdf")]})
    signed_in(other).post("/ky-luat/tai-len/", {"files": [corpus_file("digital/qd-cell-14.pdf")]})
    html = signed_in(editor).get("/ky-luat/lo/").content.decode()
    own = IngestBatch.objects.get(unit=org_tree.province)
    assert html.count('data-testid="batch-row"') == 1 and f"/ky-luat/lo/{own.pk}/" in html
    assert "0/1" in html and org_tree.province.name in html


def test_batch_page_queries_do_not_grow_with_the_files(org_tree: Tree, editor: User) -> None:
    client = signed_in(editor)
    pdfs = ["digital/qd-cell-13.pdf", "digital/qd-cell-14.pdf"]
    client.post("/ky-luat/tai-len/", {"files": [corpus_file(p) for p in pdfs]})
    small = IngestBatch.objects.get()
    many = [corpus_file(pdfs[i % 2], f"tep-{i}.pdf") for i in range(8)]
    client.post("/ky-luat/tai-len/", {"files": many})
    large = IngestBatch.objects.exclude(pk=small.pk).get()
    assert _queries(client, f"/ky-luat/lo/{small.pk}/") == _queries(client, f"/ky-luat/lo/{large.pk}/") <= 15
