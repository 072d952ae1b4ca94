"""Scheduled audit work: run by ``kiemtra scheduler`` or by Celery beat (same dotted name)."""

from __future__ import annotations

from celery import shared_task

from . import checkpoints


@shared_task
def checkpoint_audit_head() -> int | None:
    """Write the chain head to the checkpoint file, every few minutes (issue 8.5). Returns its sequence number."""
    written = checkpoints.write("scheduled")
    return written.seq if written else None
