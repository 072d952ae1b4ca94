"""Scheduled backups: called hourly by the in-process scheduler or by Celery beat (same dotted name)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services
from .models import BackupRecord


@shared_task
def backup_if_due() -> int | None:
    """Back up when no backup succeeded within BACKUP_INTERVAL_HOURS, then keep only the newest BACKUP_KEEP.

    Returns the new record's id (Celery results must serialise), or None when nothing was due.
    """
    since = timezone.now() - timedelta(hours=settings.BACKUP_INTERVAL_HOURS)
    if BackupRecord.objects.filter(status=BackupRecord.Status.SUCCEEDED, created_at__gte=since).exists():
        return None
    record = services.backup()
    services.prune(settings.BACKUP_KEEP)
    return record.pk
