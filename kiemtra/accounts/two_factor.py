"""Who must sign in with a second factor (TOTP): the roles of ``TWO_FACTOR_REQUIRED_ROLES`` (issue 8.10)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from . import policies

# Session key: signed in with a password, a second factor is required and none is enrolled yet.
MUST_ENROL = "must_enrol_totp"


def requires_second_factor(user: Any) -> bool:
    """Every admin, approver, discipline editor and letter account, unless the account is exempt (demo)."""
    if getattr(user, "two_factor_exempt", False):
        return False
    required = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    return any(g.role in required for g in policies.held_grants(user))
