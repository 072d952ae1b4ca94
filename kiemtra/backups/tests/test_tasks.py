"""``backup_if_due``: at most one backup per interval, and only the newest BACKUP_KEEP archives kept."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from kiemtra.audit.models import AuditEvent
from kiemtra.backups import archive
from kiemtra.backups.models import BackupRecord
from kiemtra.backups.tasks import backup_if_due

from .conftest import Env

pytestmark = pytest.mark.django_db(transaction=True)


def age_all_backups(hours: int) -> None:
    for record in BackupRecord.objects.all():
        record.created_at -= timedelta(hours=hours)
        record.save(update_fields=["created_at"])


def test_runs_when_no_backup_yet(env: Env) -> None:
    record_id = backup_if_due()
    record = BackupRecord.objects.get(pk=record_id)
    assert record.status == BackupRecord.Status.SUCCEEDED and Path(record.path).is_file()


def test_skips_while_a_recent_backup_exists_and_runs_once_it_is_old(env: Env, settings: Any) -> None:
    settings.BACKUP_INTERVAL_HOURS = 168
    backup_if_due()
    age_all_backups(167)
    assert backup_if_due() is None
    assert BackupRecord.objects.count() == 1
    age_all_backups(2)
    assert backup_if_due() is not None
    assert BackupRecord.objects.filter(status=BackupRecord.Status.SUCCEEDED).count() == 2


def test_a_failed_backup_does_not_count_as_recent(env: Env) -> None:
    BackupRecord.objects.create(status=BackupRecord.Status.FAILED, error="đĩa đầy")
    assert backup_if_due() is not None


def test_keeps_only_the_newest_n_archives(env: Env, settings: Any) -> None:
    settings.BACKUP_KEEP = 3
    elsewhere = Path(settings.MEDIA_ROOT).parent / "usb"
    elsewhere.mkdir()
    manual = BackupRecord.objects.create(status=BackupRecord.Status.SUCCEEDED, path=str(elsewhere / "x.kbak"))
    (elsewhere / "x.kbak").write_bytes(b"do nguoi van hanh tu giu")
    made = []
    for _ in range(5):
        age_all_backups(24 * 8)  # the previous one is now older than the weekly interval
        made.append(BackupRecord.objects.get(pk=backup_if_due()))

    kept = BackupRecord.objects.filter(status=BackupRecord.Status.SUCCEEDED).exclude(pk=manual.pk)
    assert set(kept) == set(made[-3:])
    # The audit checkpoint file lives beside the archives and is never pruned (issue 8.5).
    assert sorted(p.name for p in env.backup_dir.iterdir()) == sorted(
        [
            *(n for r in made[-3:] for n in (Path(r.path).name, archive.sidecar(Path(r.path)).name)),
            "audit-checkpoints.log",
        ]
    )
    for old in made[:2]:
        old.refresh_from_db()
        assert old.status == BackupRecord.Status.PRUNED
        assert AuditEvent.objects.filter(action="backups.pruned", object_id=str(old.pk)).exists()
    assert (elsewhere / "x.kbak").exists()  # archives outside BACKUP_DIR are the operator's own


def test_records_are_timestamped_now(env: Env) -> None:
    before = timezone.now()
    record = BackupRecord.objects.get(pk=backup_if_due())
    assert before <= record.created_at <= timezone.now()
