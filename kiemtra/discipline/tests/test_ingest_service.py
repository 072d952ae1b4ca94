"""The ingest queue: a file whose worker died is read again; a refused upload stores nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person
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
