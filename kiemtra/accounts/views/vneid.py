"""Sign-in with VNeID: send the person to the provider, and take them back signed in (or told why not)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kiemtra.audit import services as audit

from .. import oidc
from ..middleware import SIGNED_IN_WITH
from .auth import _safe_next


def _require_configured() -> None:
    if not settings.VNEID_ISSUER:
        raise Http404


def _failed(request: HttpRequest, error: oidc.VneidError, next_url: str = "") -> HttpResponse:
    audit.record(None, "accounts.vneid.failed", None, reason=error.reason)
    messages.error(request, error.message)
    target = reverse("accounts:login")
    # Keep where the person was going, so the password form can still take them there.
    if next_url and next_url != "/":
        target = f"{target}?{urlencode({'next': next_url})}"
    return redirect(target)


@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    _require_configured()
    next_url = _safe_next(request)
    try:
        url = oidc.begin(
            request.session,
            redirect_uri=settings.VNEID_REDIRECT_URI or request.build_absolute_uri(reverse("accounts:vneid_callback")),
            next_url=next_url,
        )
    except oidc.VneidError as error:
        return _failed(request, error, next_url)
    return redirect(url)


@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    _require_configured()
    flow = request.session.get(oidc.SESSION_KEY)
    next_url = str(flow.get("next", "")) if isinstance(flow, dict) else ""
    try:
        verified = oidc.complete(request.session, request.GET.dict())
        user = oidc.account_for(verified.citizen_id)
    except oidc.VneidError as error:
        return _failed(request, error, next_url)
    # login() must be told the backend when several are configured; the session then reloads the user through it.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # A level-2 e-ID sign-in proves the person; no password is involved to be changed.
    request.session[SIGNED_IN_WITH] = "vneid"
    audit.record(user, "accounts.signed_in", user, unit=user.home_unit, method="vneid")
    return redirect(verified.next_url or "/")
