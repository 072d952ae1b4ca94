"""Proposals to inspect or supervise (Letters II item 9): drafted from a letter or a group of letters,
listed for the commission, approved or refused by its leader. Thin: ``services.proposals`` decides.

A proposal names its letters by tracking code; no sender is read or shown here. The case-files module
takes approved proposals over (``proposals.approved_for`` / ``take_over``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies
from kiemtra.accounts.views.common import acting_user
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.models import OrgUnit

from ..choices import ProposalState
from ..forms import ProposalDecisionForm, ProposalForm
from ..models import InspectionProposal, Leader, Letter
from ..policies import SCOPE
from ..services import matters, proposals

PAGE_SIZE = 30


def proposal_units(actor: Any) -> set[int]:
    """The commissions whose proposals the actor reads: the registers it works on, the units it leads."""
    ids = set(policies.scope(actor, SCOPE).unit_ids)
    ids |= set(Leader.objects.filter(person_id=actor.pk, active=True).values_list("unit_id", flat=True))
    return ids


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    units = proposal_units(actor)
    if not units:
        raise PolicyDenied("letters.proposal.read")
    rows = InspectionProposal.objects.filter(unit_id__in=units).select_related("unit", "drafted_by", "decided_by")
    state = request.GET.get("state", "")
    if state in ProposalState.values:
        rows = rows.filter(state=state)
    page = Paginator(rows.order_by("-drafted_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "letters/proposals.html",
        {"page": page, "states": ProposalState.choices, "state": state},
    )


def _origin(actor: Any, params: Any) -> tuple[Letter, list[Letter]]:
    """The letter the proposal starts from (``don``, or ``nhom`` for its whole group), and the letters
    it may carry: those of the group held by the same commission (a proposal is one commission's)."""
    uid = params.get("nhom") or params.get("don") or ""
    letter = Letter.objects.select_related("holding_unit").filter(uid=uid).first() if _is_uuid(uid) else None
    if letter is None:
        raise DomainError(_("Đơn thư làm căn cứ: không có đơn thư này."), code="letters")
    policies.require(actor, "letters.letter.handle", letter)
    group = [x for x in matters.group_of(letter) if x.holding_unit_id == letter.holding_unit_id] or [letter]
    return letter, group


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


@login_required
def proposal_new(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    params = request.POST if request.method == "POST" else request.GET
    letter, candidates = _origin(actor, params)
    unit = letter.holding_unit
    policies.require(actor, "letters.proposal.draft", unit)
    chosen = candidates if params.get("nhom") else [letter]
    units = OrgUnit.objects.filter(valid_to__isnull=True, path__startswith=unit.path).order_by("path")
    if request.method != "POST":
        initial = {
            "letters": [str(x.uid) for x in chosen],
            "target_unit": letter.accused_unit_id,
            "target_kind": "organisation" if letter.accused_is_organisation else "member",
        }
        form = ProposalForm(initial=initial, letters=candidates, units=units)
        return _draft_page(request, form, letter, params)
    form = ProposalForm(request.POST, letters=candidates, units=units)
    if not form.is_valid():
        return _draft_page(request, form, letter, params, status=400)
    data = form.cleaned_data
    picked = [x for x in candidates if str(x.uid) in set(data["letters"])]
    try:
        proposal = proposals.draft(
            actor,
            unit,
            target_kind=data["target_kind"],
            target_name=data["target_name"],
            grounds=data["grounds"],
            letters=picked,
            target_unit=data["target_unit"],
        )
    except DomainError as refused:
        form.add_error(None, refused.message)
        return _draft_page(request, form, letter, params, status=400)
    messages.success(request, _("Đã gửi đề nghị kiểm tra, giám sát để lãnh đạo duyệt."))
    return redirect("letters:proposal", pk=proposal.pk)


def _draft_page(request: HttpRequest, form: ProposalForm, letter: Letter, params: Any, status: int = 200) -> Any:
    return render(
        request,
        "letters/proposal_new.html",
        {"form": form, "letter": letter, "group": "nhom" if params.get("nhom") else "don"},
        status=status,
    )


def _proposal(actor: Any, pk: int) -> InspectionProposal:
    proposal = get_object_or_404(
        InspectionProposal.objects.select_related("unit", "target_unit", "drafted_by", "decided_by"), pk=pk
    )
    policies.require(actor, "letters.proposal.read", proposal.unit)
    return proposal


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting_user(request)
    proposal = _proposal(actor, pk)
    letters = list(proposal.letters.select_related("holding_unit").order_by("received_on", "pk"))
    return render(
        request,
        "letters/proposal.html",
        {
            "proposal": proposal,
            "letters": [(x, policies.can(actor, "letters.letter.read", x)) for x in letters],
            "can_decide": proposal.state == ProposalState.SUBMITTED
            and policies.can(actor, "letters.proposal.decide", proposal.unit),
            "form": ProposalDecisionForm(),
        },
    )


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting_user(request)
    proposal = _proposal(actor, pk)
    policies.require(actor, "letters.proposal.decide", proposal.unit)
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "letters/form_errors.html", {"form": form, "proposal": proposal}, status=400)
    data = form.cleaned_data
    proposals.decide(actor, proposal, approve=data["decision"] == "approve", reason=data["reason"])
    messages.success(request, _("Đã ghi quyết định về đề nghị."))
    return redirect("letters:proposal", pk=proposal.pk)
