"""The ingest queue: a file whose worker died is read again; a refused upload stores nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person, signed_in
from kiemtra.core.errors import DomainError
from kiemtra.discipline.choices import IngestOutcome
from kiemtra.discipline.models import IngestBatch, IngestItem
from kiemtra.discipline.services import ingest

from .corpus import CORPUS

pytestmark = pytest.mark.django_db


def test_a_file_whose_worker_died_is_read_again(org_tree: Tree) -> None:
    editor = make_person()
    give(editor, org_tree.centre, Role.DISCIPLINE_EDITOR)
    data = (CORPUS / "digital/qd-cell-13.pdf").read_bytes()
    batch = ingest.start_batch(editor, org_tree.centre, [ingest.Upload("a.pdf", data), ingest.Upload("b.pdf", data)])
    stuck = batch.items.get(filename="a.pdf")
    # A worker claimed the first file, then died: recently claimed, it is left alone.
    IngestItem.objects.filter(pk=stuck.pk).update(outcome=IngestOutcome.PROCESSING, claimed_at=timezone.now())
    assert ingest.process_queued() == 1
    assert IngestItem.objects.get(pk=stuck.pk).outcome == IngestOutcome.PROCESSING
    # An hour later, the claim is stale: the file is queued again and read.
    IngestItem.objects.filter(pk=stuck.pk).update(claimed_at=timezone.now() - ingest.STALE_CLAIM - dt.timedelta(1))
    assert ingest.process_queued() == 1
    outcomes = dict(batch.items.values_list("filename", "outcome"))
    assert outcomes == {"a.pdf": IngestOutcome.DUPLICATE_FILE, "b.pdf": IngestOutcome.EXTRACTED}
    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.total) == ("done", 2, 2)
    # Read once more by its first worker after all: still two files, and the batch finished once.
    IngestItem.objects.filter(pk=stuck.pk).update(outcome=IngestOutcome.QUEUED)
    assert ingest.process_queued() == 1
    batch.refresh_from_db()
    assert batch.done == 2
    assert AuditEvent.objects.filter(action="discipline.batch.finished", object_id=str(batch.pk)).count() == 1


def test_an_upload_with_a_broken_zip_is_refused_whole(org_tree: Tree) -> None:
    editor = make_person()
    give(editor, org_tree.centre, Role.DISCIPLINE_EDITOR)
    with pytest.raises(DomainError) as caught:
        ingest.start_batch(
            editor,
            org_tree.centre,
            [ingest.Upload("tot.pdf", b"%PDF-1.4"), ingest.Upload("lo.zip", b"PK\x03\x04 not a zip")],
        )
    assert caught.value.code == "bad_zip" and "lo.zip" in caught.value.message
    assert not IngestBatch.objects.exists() and not IngestItem.objects.exists()


def test_a_file_over_the_size_limit_gets_its_outcome_without_being_read(
    org_tree: Tree, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    editor = make_person()
    give(editor, org_tree.centre, Role.DISCIPLINE_EDITOR)
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "lon.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 5000)

    class Unreadable(io.BytesIO):
        def read(self, *args: object) -> bytes:
            raise AssertionError("a file known to be too big must not be read")

    with big.open("rb") as opened:
        batch = ingest.start_batch(
            editor,
            org_tree.centre,
            [
                ingest.Upload("lon.pdf", file=opened),  # size unknown: read, then measured
                ingest.Upload("rat-lon.pdf", file=Unreadable(), size=10**9),  # size known: never read
                ingest.Upload("nho.pdf", b"%PDF-1.4 small"),
            ],
        )
    outcomes = {i.filename: (i.outcome, i.message) for i in batch.items.all()}
    assert outcomes["lon.pdf"][0] == outcomes["rat-lon.pdf"][0] == IngestOutcome.UNSUPPORTED
    assert "MB" in outcomes["rat-lon.pdf"][1]
    assert outcomes["nho.pdf"][0] == IngestOutcome.QUEUED
    assert batch.items.filter(pending="").count() == 2


def test_an_announcement_is_a_source_the_ingest_reads_to_pending_decisions(org_tree: Tree) -> None:
    """Issue 11: published announcements are a source type of the ingest, not only signed decisions."""
    from kiemtra.discipline.models import Decision

    editor = make_person()
    give(editor, org_tree.centre, Role.DISCIPLINE_EDITOR)
    text = (
        "Trong 2 ngày 3 và 4/7/2024, tại Hà Nội, Ủy ban Kiểm tra Trung ương họp Kỳ họp thứ 41.\n"
        "Ủy ban Kiểm tra Trung ương quyết định thi hành kỷ luật: cảnh cáo Ban Thường vụ Huyện ủy Quế Sơn, "
        "nhiệm kỳ 2020–2025; khai trừ ra khỏi Đảng đồng chí Khúc Văn Lâm, nguyên Chủ tịch Ủy ban nhân dân "
        "huyện Quế Sơn.\nUBKTTW đề nghị Ban Bí thư xem xét, thi hành kỷ luật đồng chí Kha Văn Tín.\n"
    )
    batch = ingest.start_batch(editor, org_tree.centre, [ingest.Upload("thong-bao.txt", text.encode())])
    ingest.process_queued()
    item = batch.items.get()
    assert item.outcome == IngestOutcome.EXTRACTED and item.decisions == 2
    stored = {(d.subject_type, d.penalty, d.issuing_body) for d in Decision.objects.filter(document=item.document)}
    assert stored == {
        ("organization", "warning", "Ủy ban Kiểm tra Trung ương"),
        ("member", "expulsion", "Ủy ban Kiểm tra Trung ương"),
    }
    assert item.document is not None and item.document.content_type == "text/plain"

    # The reconciliation page shows the text; a text source has no page image (404, not a 500).
    from django.urls import reverse

    client = signed_in(editor)
    decision = Decision.objects.filter(document=item.document).first()
    assert decision is not None
    assert client.get(reverse("discipline:reconcile", args=[decision.pk])).status_code == 200
    assert client.get(reverse("discipline:page_image", args=[decision.pk, 1])).status_code == 404


def test_a_pdf_over_the_page_limit_gets_its_own_outcome(org_tree: Tree, settings: object) -> None:
    """Issue 8.12: a 2,000-page PDF held the only worker; the page count is checked before reading."""
    editor = make_person()
    give(editor, org_tree.centre, Role.DISCIPLINE_EDITOR)
    settings.KIEMTRA_MAX_PDF_PAGES = 1  # type: ignore[attr-defined]
    data = (CORPUS / "digital/tap-quyet-dinh-01.pdf").read_bytes()
    batch = ingest.start_batch(editor, org_tree.centre, [ingest.Upload("dai.pdf", data)])
    ingest.process_queued()
    item = batch.items.get()
    assert item.outcome == IngestOutcome.TOO_MANY_PAGES
    assert "giới hạn 1 trang" in item.message and item.document is None
