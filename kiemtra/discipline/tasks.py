"""Background work of the discipline module."""

from __future__ import annotations

from celery import shared_task

from .services.ingest import process_queued


@shared_task(name="kiemtra.discipline.tasks.ingest_queued")
def ingest_queued() -> int:
    """Read, OCR and extract the files waiting in upload batches (a few per run, oldest first)."""
    return process_queued()
