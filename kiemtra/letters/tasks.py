"""Background work of the letters module."""

from __future__ import annotations

from celery import shared_task

from .services.clock import notify_due


@shared_task(name="kiemtra.letters.tasks.notify_due_letters")
def notify_due_letters() -> int:
    """Once a day: each handler and the commission's leader hear of their letters due soon or overdue."""
    return notify_due()
