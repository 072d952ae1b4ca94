"""Background work of the case-files module."""

from __future__ import annotations

from celery import shared_task

from .services.cases import warn_running_steps
from .services.followup import remind_requests


@shared_task(name="kiemtra.cases.tasks.warn_steps")
def warn_steps() -> int:
    """The 50 / 75 / 90 % warnings of running steps."""
    return warn_running_steps()


@shared_task(name="kiemtra.cases.tasks.remind_follow_ups")
def remind_follow_ups() -> int:
    """Reminders before and after a request's due date, escalating."""
    return remind_requests()


@shared_task(name="kiemtra.cases.tasks.import_queued")
def import_queued() -> int:
    """Read the backlog documents waiting in import batches, a few per run."""
    from .services.backlog import process_queued

    return process_queued()
