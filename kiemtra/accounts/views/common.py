from __future__ import annotations

from typing import cast

from django.http import HttpRequest

from ..models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in user of a ``login_required`` view."""
    return cast(User, request.user)
