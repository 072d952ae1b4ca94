"""Marking notifications read: only one's own."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Notification


@transaction.atomic
def mark_read(user: Any, notification_id: int) -> Notification:
    """Mark one of ``user``'s notifications read; another user's is "not found" (no hint it exists)."""
    notification = Notification.objects.select_for_update().get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user: Any) -> int:
    return Notification.objects.of(user).unread().update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.of(user).unread().count()
