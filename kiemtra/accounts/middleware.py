"""Per-request account rules: forced password change, and the unit the user is working in."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import policies
from .two_factor import MUST_ENROL

# Pages a user who must change the password can still reach.
EXEMPT_PREFIXES = (
    "/static/",
    "/i18n/",
    "/tai-khoan/doi-mat-khau/",
    "/tai-khoan/dang-xuat/",
    "/tai-khoan/dang-nhap/",
    "/tai-khoan/vneid/",
)

TOTP_PATH = "/tai-khoan/xac-thuc-hai-lop/"

SIGNED_IN_WITH = "signed_in_with"


class PasswordChangeRequiredMiddleware:
    """A default or reset password must be changed before anything else (Quy định 06 Art. 6.3).

    Then, for a role where two-factor sign-in is mandatory, an authenticator is enrolled (issue 8.10).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and request.session.get(SIGNED_IN_WITH) != "vneid"
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            return redirect(reverse("accounts:password_change"))
        if (
            user.is_authenticated
            and request.session.get(MUST_ENROL)
            and not request.path.startswith((*EXEMPT_PREFIXES, TOTP_PATH))
        ):
            return redirect(reverse("accounts:totp"))
        return self.get_response(request)


class CurrentUnitMiddleware:
    """``request.current_unit``: the unit of one of the user's grants, chosen with the unit switcher."""

    SESSION_KEY = "current_unit_id"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.current_unit = None  # type: ignore[attr-defined]
        request.grant_units = []  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            units = {g.unit.pk: g.unit for g in policies.held_grants(request.user)}
            home = getattr(request.user, "home_unit", None)
            if not units and home is not None:
                units[home.pk] = home
            ordered = sorted(units.values(), key=lambda u: u.path)
            request.grant_units = ordered  # type: ignore[attr-defined]
            chosen = request.session.get(self.SESSION_KEY)
            request.current_unit = units.get(int(chosen) if chosen else 0) or (ordered[0] if ordered else None)  # type: ignore[attr-defined]
        return self.get_response(request)
