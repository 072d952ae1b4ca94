"""Celery for the scaled set-up (REDIS_URL set); the embedded set-up runs tasks in-process."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemtra.settings")

app = Celery("kiemtra")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule(sender: Celery, **kwargs: Any) -> None:
    """Beat runs the jobs the apps registered (``kiemtra.core.scheduler``), the list the embedded scheduler runs."""
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from kiemtra.core.scheduler import beat_schedule

    sender.conf.beat_schedule = beat_schedule()
