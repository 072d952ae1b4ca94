"""Celery for the scaled set-up (REDIS_URL set); the embedded set-up runs tasks in-process."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemtra.settings")

app = Celery("kiemtra")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    # Hourly check; the backup itself runs only when BACKUP_INTERVAL_HOURS has passed.
    "backups-when-due": {"task": "kiemtra.backups.tasks.backup_if_due", "schedule": 3600.0},
    # Every few minutes, the audit chain's head to the checkpoint file (issue 8.5).
    "audit-checkpoint": {"task": "kiemtra.audit.tasks.checkpoint_audit_head", "schedule": 300.0},
    "stats-lock-periods-at-deadline": {"task": "kiemtra.stats.tasks.lock_due_periods", "schedule": 60.0},
    "stats-trial-purge-when-due": {"task": "kiemtra.stats.tasks.purge_trial_when_due", "schedule": 60.0},
    "discipline-ingest-queued": {"task": "kiemtra.discipline.tasks.ingest_queued", "schedule": 3.0},
}
