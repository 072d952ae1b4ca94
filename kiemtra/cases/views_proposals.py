"""Approved letters proposals waiting in the commission, and opening a case from one without re-typing.

Only what the letters module lets cases read is shown: the accused, the grounds and
the letters' tracking codes — never a sender (the denouncer's identity stays sealed).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import forms
from .services import from_letters

PAGE_SIZE = 20


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    if not from_letters.led_units(request.user):
        raise PermissionDenied
    page = Paginator(from_letters.waiting_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(p, from_letters.letter_codes(p)) for p in page.object_list]
    return render(request, "cases/proposals.html", {"page": page, "rows": rows})


@login_required
def proposal_open(request: HttpRequest, pk: int) -> HttpResponse:
    if not from_letters.led_units(request.user):
        raise PermissionDenied
    proposal = from_letters.waiting_proposal(request.user, pk)
    if proposal is None:
        raise Http404
    if request.method == "POST":
        case = from_letters.open_from_letters(
            request.user,
            proposal,
            decision_number=forms.text_field(request.POST, "decision_number", _("Số quyết định")),
            decision_date=forms.date_field(request.POST, "decision_date", _("Ngày quyết định")),
            signer=forms.text_field(request.POST, "signer", _("Người ký")),
        )
        messages.success(request, _("Đã mở hồ sơ %(number)s từ đề nghị.") % {"number": case.decision_number})
        return redirect("cases:case", case.pk)
    return render(
        request, "cases/proposal_open.html", {"proposal": proposal, "codes": from_letters.letter_codes(proposal)}
    )
