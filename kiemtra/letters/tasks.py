"""Background work of the letters module."""

from __future__ import annotations

from celery import shared_task

from .services.clock import notify_due


@shared_task(name="kiemtra.letters.tasks.notify_due_letters")
def notify_due_letters() -> int:
    """Once a day: each handler and the commission's leader hear of their letters due soon or overdue."""
    return notify_due()


@shared_task(name="kiemtra.letters.tasks.fold_intake_audit")
def fold_intake_audit() -> int:
    """Every minute: the VNeID journal rows a crash left without their audit event join the chain."""
    from .services import intake_audit

    if not intake_audit.supported():
        return 0
    return len(intake_audit.fold() or [])
