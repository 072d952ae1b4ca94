"""The handling pages: the panel on a letter (status, due date and why, history, suggestions, actions),
one POST endpoint per action, the reply PDF, and the due-soon / overdue list. Thin: services decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies
from kiemtra.accounts.models import User
from kiemtra.accounts.views.common import acting_user
from kiemtra.core.downloads import attachment as download
from kiemtra.core.errors import DomainError
from kiemtra.orgs.models import OrgUnit

from ..choices import ComplaintOutcome, Finding, Kind, ReferralState
from ..models import FieldCategory, Letter, Referral, ReplyTemplate
from ..policies import SCOPE
from ..services import clock, handling, records, related, results


def _letter(actor: Any, uid: Any) -> Letter:
    letter = get_object_or_404(Letter.objects.select_related("holding_unit"), uid=uid)
    policies.require(actor, "letters.letter.read", letter)
    return letter


def panel_context(actor: Any, letter: Letter, text: str) -> dict[str, Any]:
    """What the detail page shows about handling (no other letter is opened for the suggestions)."""
    from ..classifier import model

    can_handle = policies.can(actor, "letters.letter.handle", letter)
    explained = clock.explain(letter)
    guess = None
    try:
        suggestion = model.suggest(text) if can_handle and text else None
    except Exception:  # the assist is optional: a missing or broken model never breaks the page
        suggestion = None
    if suggestion is not None:
        field = FieldCategory.objects.filter(code=suggestion.field).first()
        guess = {
            "kind": Kind(suggestion.kind).label,
            "field": field.name if field else suggestion.field,
            "confidence": suggestion.confidence,
        }
    return {
        "status_label": handling.destination_label(letter),
        "due_lines": explained.lines() if explained else [],
        "steps": letter.steps.select_related("unit", "actor"),
        "suggestions": related.suggest(actor, letter) if can_handle else [],
        "guess": guess,
        "can_handle": can_handle,
        "pending_referral": letter.referrals.filter(state=ReferralState.PENDING, to_unit=letter.holding_unit).first(),
        "can_approve": policies.can(actor, "letters.reply.approve", letter),
        "findings": Finding.choices,
        "outcomes": ComplaintOutcome.choices,
        "templates": ReplyTemplate.objects.order_by("code") if can_handle else [],
        "reply_draft": results.draft_of(letter) if letter.reply_draft_sealed and can_handle else "",
    }


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise DomainError(_("Ngày không hợp lệ (YYYY-MM-DD)."), code="date") from None


def _int(value: str) -> int:
    try:
        return int(value or 0)
    except ValueError:
        raise DomainError(_("Số không hợp lệ."), code="number") from None


def _unit(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code.strip(), valid_to__isnull=True).first()
    if unit is None:
        raise DomainError(_("Không có đơn vị mã %(c)s.") % {"c": code}, code="unit")
    return unit


def _person(code: str) -> User:
    person = User.objects.filter(identifier_code=code.strip(), is_active=True).first()
    if person is None:
        raise DomainError(_("Mã định danh cán bộ xử lý: không có tài khoản này."), code="identifier_code")
    return person


def _referral(letter: Letter) -> Referral:
    referral = letter.referrals.filter(state=ReferralState.PENDING, to_unit=letter.holding_unit).first()
    if referral is None:
        raise DomainError(_("Không có đơn chuyển đến chờ tiếp nhận."), code="referral")
    return referral


Action = Callable[[Any, Letter, Any], object]
ACTIONS: dict[str, Action] = {
    "classify": lambda a, x, p: handling.classify(
        a,
        x,
        handling.Classification(
            kind=p.get("kind", x.kind),
            field_code=p.get("field_code", ""),
            locality=p.get("locality", ""),
            accused_unit=_unit(p["accused_unit"]) if p.get("accused_unit") else None,
            accused_rank=p.get("accused_rank", ""),
            decision_received_on=_date(p.get("decision_received_on", "")),
            mixed=bool(p.get("mixed")),
            reason=p.get("reason", ""),
        ),
    ),
    "eligibility": lambda a, x, p: handling.check_eligibility(
        a,
        x,
        handling.EligibilityCheck(
            complete=not p.get("incomplete"),
            sender_address_known=not p.get("no_address"),
            repeat_without_new_facts=bool(p.get("repeat")),
            note=p.get("note", ""),
        ),
    ),
    "assign": lambda a, x, p: handling.assign(a, x, _person(p.get("identifier_code", ""))),
    "refer": lambda a, x, p: handling.refer(a, x, _unit(p.get("to_unit", "")), p.get("reason", "")),
    "accept": lambda a, x, p: handling.accept(a, _referral(x)),
    "send_back": lambda a, x, p: handling.send_back(a, _referral(x), p.get("reason", "")),
    "outside": lambda a, x, p: handling.send_outside(a, x, p.get("outside_body", ""), p.get("reason", "")),
    "guide": lambda a, x, p: handling.guide(a, x, p.get("guidance", "")),
    "file": lambda a, x, p: handling.file_away(a, x, p.get("reason", "")),
    "suspend": lambda a, x, p: clock.suspend(a, x, p.get("reason", "")),
    "resume": lambda a, x, p: clock.resume(a, x),
    "extend": lambda a, x, p: clock.extend(a, x, p.get("reason", "")),
    "conclude": lambda a, x, p: results.conclude(
        a,
        x,
        results.Result(
            summary=p.get("summary", ""),
            finding=p.get("finding", ""),
            complaint_outcome=p.get("complaint_outcome", ""),
            violations=_int(p.get("violations", "")),
            disciplined=_int(p.get("disciplined", "")),
        ),
    ),
    "draft_reply": lambda a, x, p: results.draft_reply(a, x, p.get("template", ""), p.get("result_text", "")),
    "approve_reply": lambda a, x, p: results.approve_reply(a, x),
}


@login_required
@require_POST
def act(request: HttpRequest, uid: Any, action: str) -> HttpResponse:
    """One handling action; a refusal answers 400 with the Vietnamese message and changes nothing."""
    actor = acting_user(request)
    letter = get_object_or_404(Letter, uid=uid)
    if action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](actor, letter, request.POST)
    except DomainError as refused:
        return render(request, "letters/refused.html", {"message": refused.message, "letter": letter}, status=400)
    messages.success(request, _("Đã lưu."))
    if not policies.can(actor, "letters.letter.read", Letter.objects.get(pk=letter.pk)):
        return redirect("letters:register")  # referred away: no longer in this register
    return redirect("letters:detail", uid=letter.uid)


@login_required
def reply_pdf(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = acting_user(request)
    letter = _letter(actor, uid)
    try:
        pdf = results.reply_pdf(actor, letter)
    except DomainError as refused:
        return render(request, "letters/refused.html", {"message": refused.message, "letter": letter}, status=400)
    return download(pdf, f"tra-loi-{letter.tracking_code}.pdf", "application/pdf")


@login_required
def due(request: HttpRequest) -> HttpResponse:
    """Due soon and overdue letters of the commissions the user works on."""
    actor = acting_user(request)
    scope = policies.scope(actor, SCOPE)
    if not scope:
        raise Http404
    ids = scope.unit_ids
    return render(
        request,
        "letters/due.html",
        {
            "overdue": clock.overdue(ids).select_related("holding_unit")[:200],
            "soon": clock.due_soon(ids).select_related("holding_unit")[:200],
        },
    )


def letter_text(letter: Letter) -> str:
    content = records.content_of(letter)
    return f"{content.get('title', '')}\n{content.get('content', '')}"


@login_required
def follow_lower(request: HttpRequest) -> HttpResponse:
    """Art. 7.2: the commissions directly below mine, their counts, overdue letters and register score."""
    from ..services import follow

    actor = acting_user(request)
    scope = policies.scope(actor, SCOPE)
    if not scope:
        raise Http404
    today = timezone.localdate()
    start = today - dt.timedelta(days=365)
    below = OrgUnit.objects.filter(parent_id__in=scope.unit_ids, valid_to__isnull=True).exclude(kind="department")
    rows = [follow.overview(actor, unit, start, today) for unit in below.order_by("code")[:200]]
    return render(request, "letters/follow.html", {"rows": rows, "start": start, "end": today})
