"""The delivery channels the notifications app registers with the kernel's announcements."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail

from kiemtra.core.events import Announcement

from .models import Notification


def in_app(item: Announcement) -> None:
    """One row per recipient: the bell counts them, the notification page lists them."""
    Notification.objects.bulk_create(
        Notification(
            recipient_id=recipient_id,
            kind=item.kind,
            title=item.title[:255],
            body=item.body,
            url=item.url[:500],
            unit_id=item.unit_id,
        )
        for recipient_id in item.recipient_ids
    )


def email(item: Announcement) -> None:
    """The same announcement by e-mail to recipients who have an address (NOTIFICATIONS_EMAIL=1)."""
    addresses = (
        get_user_model()
        .objects.filter(pk__in=item.recipient_ids, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    link = f"{settings.NOTIFICATIONS_SITE_URL.rstrip('/')}{item.url}" if item.url else ""
    text = "\n\n".join(part for part in (item.body, link) if part)
    send_mass_mail([(item.title, text, None, [address]) for address in addresses], fail_silently=False)
