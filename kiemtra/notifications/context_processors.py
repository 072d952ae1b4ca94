"""The bell's unread count, for the header of every page (one indexed COUNT, only when signed in)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .services import unread_count


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a page that does not draw the header (a partial, a download) pays nothing.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
