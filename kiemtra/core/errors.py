"""Errors that services raise and views turn into messages, never into a 500."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A rule of the regulations or of the data refused the change.

    ``message`` is Vietnamese text for the user; ``code`` is stable for the API
    and for tests.
    """

    def __init__(self, message: Any, *, code: str) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class PolicyDenied(PermissionDenied):
    """The policy layer refused an action; ``action`` names what was refused."""

    def __init__(self, action: str, message: str = "") -> None:
        super().__init__(message or action)
        self.action = action
