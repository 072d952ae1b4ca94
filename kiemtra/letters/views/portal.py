"""The citizens' portal: sign in with VNeID, send a letter, follow "my letters"."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kiemtra.accounts import oidc
from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError

from ..forms import PortalLetterForm, incoming
from ..policies import commission_of
from ..services import handling, portal, records


def citizen_required(view: Any) -> Any:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        citizen = portal.current(request.session)
        if citizen is None:
            return redirect("letters:portal")
        return view(request, citizen, *args, **kwargs)

    return wrapped


def _redirect_uri(request: HttpRequest) -> str:
    return getattr(settings, "LETTERS_PORTAL_REDIRECT_URI", "") or request.build_absolute_uri(
        reverse("letters:portal_callback")
    )


@never_cache
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "letters/portal_home.html",
        {"citizen": portal.current(request.session), "vneid": bool(settings.VNEID_ISSUER)},
    )


@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    if not settings.VNEID_ISSUER:
        raise Http404
    try:
        url = oidc.begin(request.session, redirect_uri=_redirect_uri(request), next_url=reverse("letters:portal_mine"))
    except oidc.VneidError as error:
        messages.error(request, error.message)
        return redirect("letters:portal")
    return redirect(url)


@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    if not settings.VNEID_ISSUER:
        raise Http404
    try:
        verified = oidc.complete(request.session, request.GET.dict())
    except oidc.VneidError as error:
        audit.record(None, "letters.portal.sign_in_failed", None, reason=error.reason)
        messages.error(request, error.message)
        return redirect("letters:portal")
    citizen = portal.sign_in(request.session, verified.citizen_id)
    # The citizen is known to the log by a keyed digest only.
    audit.record(None, "letters.portal.signed_in", None, citizen=citizen.digest[:16])
    return redirect("letters:portal_mine")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    portal.sign_out(request.session)
    return redirect("letters:portal")


@never_cache
@citizen_required
def send(request: HttpRequest, citizen: portal.Citizen) -> HttpResponse:
    form = PortalLetterForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            addressed = data["addressed_unit"]
            new = records.NewLetter(
                channel="portal",
                kind=data["kind"],
                holding_unit=commission_of(addressed) if addressed else records.root_commission(),
                addressed_unit=addressed,
                received_on=timezone.localdate(),
                submitted_at=timezone.now(),
                title=data["title"],
                content=data["content"],
                senders=[
                    records.Sender(
                        full_name=data["full_name"],
                        citizen_id=citizen.citizen_id,
                        address=data["address"],
                        phone=data["phone"],
                    )
                ],
                keep_identity_confidential=data["keep_identity_confidential"],
                about=records.About(
                    name=data["about_name"], position=data["about_position"], organisation=data["about_organisation"]
                ),
                attachments=incoming(data["attachments"]),
            )
            try:
                with transaction.atomic():
                    letter = portal.submit(citizen, new)
            except DomainError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Đã gửi đơn. Mã theo dõi: %(code)s.") % {"code": letter.tracking_code})
                return redirect("letters:portal_mine")
        return render(request, "letters/portal_send.html", {"form": form, "limit": portal.daily_limit()}, status=400)
    return render(request, "letters/portal_send.html", {"form": form, "limit": portal.daily_limit()})


@never_cache
@citizen_required
def mine(request: HttpRequest, citizen: portal.Citizen) -> HttpResponse:
    rows = [
        {
            "letter": letter,
            "title": records.content_of(letter).get("title", ""),
            "reply": records.reply_of(letter),
            "status": handling.destination_label(letter),
        }
        for letter in portal.my_letters(citizen).select_related("holding_unit")[:200]
    ]
    return render(request, "letters/portal_mine.html", {"rows": rows})
