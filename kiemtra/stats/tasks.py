"""Background work of the statistics module."""

from __future__ import annotations

from celery import shared_task

from .services.periods import lock_due_periods, purge_trial_when_due, warn_periods_about_to_lock


@shared_task(name="kiemtra.stats.tasks.lock_due_periods")
def lock_periods_at_deadline() -> int:
    """Art. 7.3: lock every period whose deadline has passed (the writes check the deadline too).

    The same minutely run tells the units a day ahead that their period is about to lock.
    """
    warn_periods_about_to_lock()
    return lock_due_periods()


@shared_task(name="kiemtra.stats.tasks.purge_trial_when_due")
def purge_trial_data_when_due() -> int:
    """Delete the trial data at the time the system admin set."""
    return purge_trial_when_due()
