"""Sign-in with password (+ TOTP), sign-out, password change, TOTP enrolment, unit switcher."""

from __future__ import annotations

import base64
import io
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, signals
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError

from .. import two_factor
from ..forms import PasswordChangeForm, SignInForm, TotpConfirmForm
from ..middleware import CurrentUnitMiddleware
from ..services import people
from .common import acting_user

QR_SCALE = 5


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    form = SignInForm(request.POST or None)
    form.errors.clear()
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "locked": True,
        },
        status=429,
    )


def _safe_next(request: HttpRequest) -> str:
    """A path of this site to go back to; anything else (another host, a bare word) goes home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return "/"


def _refused(form: SignInForm) -> None:
    # One message whatever was wrong — identifier, password or second factor — so that a guessed
    # password is never confirmed by a different answer (issue 8.10).
    form.add_error(None, _("Mã định danh, mật khẩu hoặc mã xác thực không đúng."))


def sign_in(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = authenticate(request, username=data["username"].strip(), password=data["password"])
        if getattr(request, "axes_locked_out", False):
            audit.record(None, "accounts.sign_in.locked_out", None, identifier_code=data["username"].strip())
            return locked_out(request)
        if user is None:
            audit.record(None, "accounts.sign_in.failed", None, identifier_code=data["username"].strip())
            _refused(form)
        else:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is not None and not device.verify_token(data["otp_token"].strip()):
                # A wrong second factor counts toward the lock-out like a wrong password.
                signals.user_login_failed.send(
                    sender=__name__, credentials={"username": data["username"]}, request=request
                )
                audit.record(None, "accounts.sign_in.failed", None, identifier_code=data["username"].strip())
                _refused(form)
            else:
                login(request, user)
                if device is not None:
                    otp_login(request, device)
                elif two_factor.requires_second_factor(user):
                    # Mandatory for this role: nothing else opens until a device is enrolled.
                    request.session[two_factor.MUST_ENROL] = True
                audit.record(
                    user,
                    "accounts.signed_in",
                    user,
                    unit=user.home_unit,
                    method="password",
                    second_factor=device is not None,
                )
                return HttpResponseRedirect(_safe_next(request))
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "vneid_enabled": bool(settings.VNEID_ISSUER),
        },
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit.record(request.user, "accounts.signed_out", acting_user(request))
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("accounts:login")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people.change_own_password(
                acting_user(request),
                form.cleaned_data["old_password"],  # type: ignore[arg-type]
                form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            form.add_error("new_password" if exc.code != "wrong_password" else "old_password", exc.message)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, acting_user(request))
            messages.success(request, _("Đã đổi mật khẩu."))
            return redirect("core:home")
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "forced": getattr(request.user, "must_change_password", False),
        },
    )


@login_required
def totp(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show the secret as a QR code, confirm with one code."""
    user = acting_user(request)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed is not None:
        return render(request, "accounts/totp.html", {"confirmed": True})
    device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "VNeID/TOTP"})
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session.pop(two_factor.MUST_ENROL, None)
            audit.record(user, "accounts.totp.enrolled", user, unit=getattr(user, "home_unit", None))
            messages.success(request, _("Đã bật xác thực hai lớp. Từ lần sau, khi đăng nhập cần nhập mã 6 số."))
            return redirect("core:home")
        form.add_error("token", _("Mã không đúng. Kiểm tra giờ trên điện thoại và thử mã mới."))
    qr = segno.make(device.config_url, error="m")
    # A standalone SVG document needs its namespace, or the browser shows nothing in <img> (issue 10.8).
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=QR_SCALE, border=4, xmldecl=False, svgns=True, dark="#000", light="#fff")
    svg = base64.b64encode(buffer.getvalue()).decode()
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/totp.html",
        {
            "form": form,
            "qr_svg_b64": svg,
            "secret": secret,
            "mandatory": bool(request.session.get(two_factor.MUST_ENROL)),
            "qr_size": qr.symbol_size(scale=QR_SCALE, border=4)[0],
        },
    )


@login_required
@require_POST
def switch_unit(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("unit")
    allowed = {str(u.pk) for u in getattr(request, "grant_units", [])}
    if wanted in allowed:
        request.session[CurrentUnitMiddleware.SESSION_KEY] = int(wanted)  # type: ignore[arg-type]
    else:
        messages.error(request, _("Bạn không có phân quyền tại đơn vị này."))
    return HttpResponseRedirect(_safe_next(request))
