"""The handling pages: the panel on a letter (status, due date and why, history, suggestions, actions),
one POST endpoint per action, the reply PDF, and the due-soon / overdue list. Thin: services decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
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
from kiemtra.core.widgets import format_date, parse_date
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

from ..audit_labels import ACTION_LABELS
from ..choices import OPEN_STATUSES, ComplaintOutcome, Eligibility, Finding, Kind, LinkKind, ReferralState, Status
from ..models import CompetenceRule, FieldCategory, Letter, Referral, ReplyTemplate
from ..policies import SCOPE, register_people
from ..services import clock, handling, matters, records, related, results


def _letter(actor: Any, uid: Any) -> Letter:
    letter = get_object_or_404(Letter.objects.select_related("holding_unit"), uid=uid)
    policies.require(actor, "letters.letter.read", letter)
    return letter


def panel_context(actor: Any, letter: Letter, text: str) -> dict[str, Any]:
    """What the detail page shows about handling (no other letter is opened for the suggestions).

    Each action's form is offered only to someone entitled to it and only in a state where the
    service accepts it, so what the page shows is what can be done.
    """
    from ..classifier import model

    can_handle = policies.can(actor, "letters.letter.handle", letter)
    can_assign = policies.can(actor, "letters.letter.assign", letter)
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
    status = letter.status
    undecided = status in handling.UNDECIDED
    pending_referral = letter.referrals.filter(state=ReferralState.PENDING, to_unit=letter.holding_unit).first()
    linked = matters.links_of(actor, letter)
    group = matters.group_of(letter)
    return {
        "status_label": handling.destination_label(letter),
        "due_lines": explained.lines() if explained else [],
        "steps": _steps(letter),
        "suggestions": _suggestions(actor, letter, linked) if can_handle else [],
        "linked": linked,
        "group": group,
        "group_readable": {x.pk for x in group if policies.can(actor, "letters.letter.read", x)},
        "proposals": letter.proposals.order_by("-drafted_at") if can_handle else [],
        "guess": guess,
        "can_handle": can_handle,
        "can_assign": can_assign and status in (*handling.UNDECIDED, Status.HANDLING, Status.SUSPENDED),
        "handler_choices": policies_register_people(letter) if can_assign else [],
        "pending_referral": pending_referral,
        "can_approve": policies.can(actor, "letters.reply.approve", letter),
        # Which forms the services would accept now.
        "may": {
            "classify": undecided or status == Status.HANDLING,
            "eligibility": undecided and pending_referral is None,
            "decide": undecided and pending_referral is None,  # refer, send outside, guide
            "refer": undecided and pending_referral is None and letter.eligibility == Eligibility.ELIGIBLE,
            "file": (undecided and pending_referral is None) or status == Status.KEPT,
            "suspend": status == Status.HANDLING,
            "resume": status == Status.SUSPENDED,
            "extend": status in OPEN_STATUSES and not letter.extended_days,
            "conclude": status in OPEN_STATUSES,
            "draft_reply": status in (Status.CONCLUDED, Status.GUIDED, Status.SENT_OUTSIDE),
            "propose": can_handle and policies.can(actor, "letters.proposal.draft", letter.holding_unit),
        },
        "kinds": Kind.choices,
        "fields": FieldCategory.objects.order_by("order", "code") if can_handle else [],
        "ranks": CompetenceRule.objects.order_by("rank") if can_handle else [],
        "accused_units": _accused_units(letter) if can_handle and undecided else [],
        "refer_units": _refer_units(letter) if can_handle and undecided else [],
        "competent": handling.suggest_competent(letter) if can_handle and undecided else None,
        "link_kinds": LinkKind.choices,
        "findings": Finding.choices,
        "outcomes": ComplaintOutcome.choices,
        "templates": ReplyTemplate.objects.order_by("code") if can_handle else [],
        "reply_draft": results.draft_of(letter) if letter.reply_draft_sealed and can_handle else "",
        "decision_received_on": format_date(letter.decision_received_on),
    }


def _steps(letter: Letter) -> list[dict[str, Any]]:
    """The history with its actions in words (the audit labels), never a code."""
    kinds = dict(LinkKind.choices)
    out = []
    for s in letter.steps.select_related("unit", "actor"):
        note = str(kinds.get(s.note, s.note)) if s.action == "linked" else s.note
        label = ACTION_LABELS.get(f"letters.letter.{s.action}", s.action)
        out.append({"at": s.at, "unit": s.unit, "label": label, "note": note})
    return out


def policies_register_people(letter: Letter) -> list[User]:
    return list(register_people(letter.holding_unit)[:500])


def _suggestions(actor: Any, letter: Letter, linked: list[matters.Linked]) -> list[dict[str, Any]]:
    """The related-letter suggestions, each marked: already linked, or linkable by this reader."""
    found = related.suggest(actor, letter)
    letters = Letter.objects.select_related("holding_unit").in_bulk([s.letter_id for s in found])
    done = {x.letter.pk for x in linked}
    out = []
    for s in found:
        other = letters.get(s.letter_id)
        if other is None:
            continue
        out.append(
            {
                "tracking_code": s.tracking_code,
                "similarity": s.similarity,
                "reasons": [str(related.REASON_LABELS.get(r, r)) for r in s.reasons],
                "letter": other,
                "readable": policies.can(actor, "letters.letter.read", other),
                "linked": other.pk in done,
                "same_matter": bool(letter.matter_id and other.matter_id == letter.matter_id),
            }
        )
    return out


COMMISSION_KINDS = (UnitKind.CENTRAL, UnitKind.PROVINCIAL, UnitKind.COMMUNE)
UNIT_CHOICES = 60


def _refer_units(letter: Letter) -> list[OrgUnit]:
    """The likely receivers first: the suggested competent commission, those above, those directly below."""
    here = letter.holding_unit
    competent = handling.suggest_competent(letter)
    near = OrgUnit.objects.filter(
        Q(pk__in=here.ancestor_ids) | Q(parent=here), valid_to__isnull=True, kind__in=COMMISSION_KINDS
    ).exclude(pk=here.pk)
    units = list(near.order_by("path")[:UNIT_CHOICES])
    if competent is not None and competent.pk != here.pk and competent not in units:
        units.insert(0, competent)
    return units


def _accused_units(letter: Letter) -> list[OrgUnit]:
    here = letter.holding_unit
    units = list(
        OrgUnit.objects.filter(Q(pk=here.pk) | Q(parent=here), valid_to__isnull=True).order_by("path")[:UNIT_CHOICES]
    )
    if letter.accused_unit is not None and letter.accused_unit not in units:
        units.insert(0, letter.accused_unit)
    return units


@login_required
def unit_options(request: HttpRequest) -> HttpResponse:
    """htmx: the ``<option>``s of units whose name or code holds every word typed (diacritics optional)."""
    actor = acting_user(request)
    if not policies.scope(actor, SCOPE):
        raise Http404
    query = request.GET.get("q", "")[:255]
    units = OrgUnit.objects.filter(valid_to__isnull=True)
    if request.GET.get("kind") == "commission":
        units = units.filter(kind__in=COMMISSION_KINDS)
    found = list(units.search(query).order_by("path")[:UNIT_CHOICES]) if query.strip() else []
    return render(request, "letters/unit_options.html", {"units": found, "query": query})


def _date(value: str, label: str) -> dt.date | None:
    if not (value or "").strip():
        return None
    day = parse_date(value)
    if day is None:
        raise DomainError(
            _("%(field)s: hãy nhập ngày theo dạng dd/mm/yyyy, ví dụ 07/12/2026.") % {"field": label}, code="date"
        )
    return day


def _int(value: str, label: str) -> int:
    text = (value or "").strip()
    if not text:
        return 0
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        raise DomainError(_("%(field)s: hãy nhập một số nguyên không âm.") % {"field": label}, code="number")
    return int(text)


def _unit(value: str, label: str) -> OrgUnit:
    text = (value or "").strip()
    unit = OrgUnit.objects.filter(pk=int(text), valid_to__isnull=True).first() if text.isdigit() else None
    if unit is None:
        raise DomainError(_("%(field)s: hãy chọn một đơn vị trong danh sách.") % {"field": label}, code="unit")
    return unit


def _person(letter: Letter, value: str) -> User:
    """One of the commission's people, chosen from the list (not a typed identifier)."""
    text = (value or "").strip()
    person = register_people(letter.holding_unit).filter(pk=int(text)).first() if text.isdigit() else None
    if person is None:
        raise DomainError(_("Cán bộ xử lý: hãy chọn một người làm việc trên sổ đơn thư của cơ quan."), code="handler")
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
            accused_unit=_unit(p["accused_unit"], _("Đơn vị của người bị tố cáo")) if p.get("accused_unit") else None,
            accused_rank=p.get("accused_rank", ""),
            accused_is_organisation=bool(p.get("accused_is_organisation")),
            decision_received_on=_date(p.get("decision_received_on", ""), _("Ngày nhận quyết định bị khiếu nại")),
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
    # One assignment: handler access to the sealed identity, and the clock once the letter is eligible.
    "assign": lambda a, x, p: handling.assign(a, x, _person(x, p.get("handler", ""))),
    "refer": lambda a, x, p: handling.refer(
        a, x, _unit(p.get("to_unit", ""), _("Cơ quan nhận đơn")), p.get("reason", "")
    ),
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
            violations=_int(p.get("violations", ""), _("Số đảng viên, tổ chức có vi phạm")),
            disciplined=_int(p.get("disciplined", ""), _("Số đã thi hành kỷ luật")),
        ),
    ),
    "draft_reply": lambda a, x, p: results.draft_reply(a, x, p.get("template", ""), p.get("result_text", "")),
    "approve_reply": lambda a, x, p: results.approve_reply(a, x),
    "link": lambda a, x, p: matters.link(a, x, p.get("other", ""), p.get("kind", "")),
    "unlink": lambda a, x, p: matters.unlink(a, x, p.get("other", ""), p.get("reason", "")),
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
