"""The commission's register: list with filters, one letter, paper registration, edits, reveals, export.

Every page starts from the letters scope (``letters.register``): a letter of
another commission, asked for by its identifier, is refused (403). Opening a
letter is an audited read; a protected sender is shown only to the letter's
handlers or to an approved reveal, others see "người tố cáo được bảo vệ".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies
from kiemtra.accounts.views.common import acting_user
from kiemtra.audit import services as audit
from kiemtra.core.downloads import attachment as download
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.models import OrgUnit

from .. import envelope, files
from ..choices import Channel, Kind, Status
from ..forms import SENDER_ROWS, AmendForm, PaperLetterForm, RevealDecisionForm, RevealRequestForm, incoming
from ..models import Attachment, HandlerAssignment, Letter, NameWord, RevealRequest
from ..policies import SCOPE
from ..search_keys import query_digests
from ..services import identity, records
from . import handling as handling_views

PAGE_SIZE = 50
# The count stops here: beyond it the register says "more than", and filters narrow it (a count of a
# whole 100,000-letter register on every page would cost more than the page).
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset: Any = self.object_list  # always a QuerySet here
        return int(queryset[: COUNT_CAP + 1].count())

    @property
    def cap(self) -> int:
        return COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


TRACKING = re.compile(r"^\s*DT-?[0-9A-Z]{5}-?[0-9A-Z]{5}\s*$", re.IGNORECASE)
PROTECTED = "người tố cáo được bảo vệ"


def _scope(actor: Any) -> policies.Scope:
    scope = policies.scope(actor, SCOPE)
    if not scope:
        raise PolicyDenied("letters.letter.read")
    return scope


def filtered(actor: Any, params: Any) -> tuple[Any, dict[str, str]]:
    """The register of the actor's commissions, narrowed by the query string's filters."""
    scope = _scope(actor)
    letters = Letter.objects.filter(holding_unit_id__in=scope.unit_ids)
    chosen: dict[str, str] = {}
    unit = params.get("unit", "")
    if unit.isdigit() and int(unit) in scope.unit_ids:
        letters = letters.filter(holding_unit_id=int(unit))
        chosen["unit"] = unit
    for name, values in (("status", Status.values), ("kind", Kind.values), ("channel", Channel.values)):
        value = params.get(name, "")
        if value in values:
            letters = letters.filter(**{name: value})
            chosen[name] = value
    if params.get("received") == "today":
        letters = letters.filter(received_at__date=timezone.localdate())
        chosen["received"] = "today"
    for name, lookup in (("from", "received_on__gte"), ("to", "received_on__lte")):
        try:
            day = dt.date.fromisoformat(params.get(name, ""))
        except ValueError:
            continue
        letters = letters.filter(**{lookup: day})
        chosen[name] = day.isoformat()
    query = params.get("q", "").strip()
    if query:
        chosen["q"] = query
        if TRACKING.match(query):
            code = re.sub(r"[^0-9A-Z]", "", query.upper())[2:]
            letters = letters.filter(tracking_code=f"DT-{code[:5]}-{code[5:]}")
        else:
            # Every word of the query must be a word of a sender's or the accused's name.
            for digest in query_digests(query):
                letters = letters.filter(pk__in=NameWord.objects.filter(digest=digest).values("letter_id"))
    return letters.select_related("holding_unit"), chosen


@login_required
def register(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    letters, chosen = filtered(actor, request.GET)
    page = CappedPaginator(letters.order_by("-received_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for letter in page.object_list:
        rows.append({"letter": letter, "title": records.content_of(letter).get("title", "")})
    if rows:
        audit.record(
            actor,
            "letters.register.listed",
            None,
            unit=rows[0]["letter"].holding_unit,
            is_read=True,
            letters=[r["letter"].tracking_code for r in rows],
        )
    scope = _scope(actor)
    return render(
        request,
        "letters/register.html",
        {
            "page": page,
            "rows": rows,
            "chosen": chosen,
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "channels": Channel.choices,
            "units": OrgUnit.objects.filter(pk__in=scope.unit_ids).order_by("path"),
            "query_string": "&".join(f"{k}={v}" for k, v in chosen.items()),
        },
    )


def _letter(actor: Any, uid: Any) -> Letter:
    letter = get_object_or_404(Letter.objects.select_related("holding_unit", "addressed_unit"), uid=uid)
    policies.require(actor, "letters.letter.read", letter)
    return letter


@login_required
def detail(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = acting_user(request)
    letter = _letter(actor, uid)
    opened = records.open_letter(actor, letter)
    keys = records.keys_of(letter)
    attachments = [
        {
            "item": a,
            "name": envelope.open_sealed(keys.data, a.name_sealed),
            "text": envelope.open_sealed(keys.data, a.text_sealed) if a.text_sealed else "",
        }
        for a in letter.attachments.all()
    ]
    return render(
        request,
        "letters/detail.html",
        {
            **handling_views.panel_context(
                actor, letter, f"{opened['content'].get('title', '')}\n{opened['content'].get('content', '')}"
            ),
            "letter": letter,
            "content": opened["content"],
            "senders": opened["senders"],
            "reply": opened["reply"],
            "protected_label": PROTECTED,
            "attachments": attachments,
            "versions": letter.versions.select_related("actor").order_by("-number"),
            "handlers": HandlerAssignment.objects.filter(letter=letter, active=True).select_related("person"),
            "my_requests": RevealRequest.objects.filter(letter=letter, requester=actor),
            "can_ask": policies.can(actor, "letters.identity.reveal_request", letter),
            "can_register": letter.status == Status.RECEIVED and policies.can(actor, "letters.letter.register", letter),
            "reveal_form": RevealRequestForm(),
            "amend_form": AmendForm(
                initial={
                    **opened["content"],
                    "kind": letter.kind,
                    "field_code": letter.field_code,
                    "locality": letter.locality,
                }
            ),
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = acting_user(request)
    letter = _letter(actor, uid)
    try:
        records.register(actor, letter)
        messages.success(request, _("Đã vào sổ đơn thư %(code)s.") % {"code": letter.tracking_code})
    except DomainError as refused:
        messages.error(request, refused.message)
    return redirect("letters:detail", uid=letter.uid)


@login_required
@require_POST
def amend(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = acting_user(request)
    letter = _letter(actor, uid)
    form = AmendForm(request.POST)
    if not form.is_valid():
        return render(request, "letters/form_errors.html", {"form": form, "letter": letter}, status=400)
    data = form.cleaned_data
    try:
        records.amend(
            actor,
            letter,
            reason=data["reason"],
            changes={k: data[k] for k in ("kind", "field_code", "locality", "title", "summary")},
        )
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect("letters:detail", uid=letter.uid)
    messages.success(request, _("Đã lưu; bản trước được giữ lại trong lịch sử."))
    return redirect("letters:detail", uid=letter.uid)


@login_required
@require_POST
def ask_reveal(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = acting_user(request)
    letter = _letter(actor, uid)
    form = RevealRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "letters/form_errors.html", {"form": form, "letter": letter}, status=400)
    try:
        identity.request_reveal(actor, letter, form.cleaned_data["reason"])
        messages.success(request, _("Đã gửi đề nghị tới người quản lý danh tính của cơ quan."))
    except DomainError as refused:
        messages.error(request, refused.message)
    return redirect("letters:detail", uid=letter.uid)


@login_required
def reveals(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    pending = identity.pending_for(actor)
    return render(request, "letters/reveals.html", {"pending": pending, "form": RevealDecisionForm()})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting_user(request)
    reveal = get_object_or_404(RevealRequest.objects.select_related("letter__holding_unit"), pk=pk)
    policies.require(actor, "letters.identity.reveal_decide", reveal)
    form = RevealDecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "letters/form_errors.html", {"form": form}, status=400)
    try:
        identity.decide_reveal(
            actor, reveal, approve=form.cleaned_data["decision"] == "approve", reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Đã ghi quyết định."))
    except DomainError as refused:
        messages.error(request, refused.message)
    return redirect("letters:reveals")


@login_required
def attachment_file(request: HttpRequest, uid: Any, number: int) -> HttpResponse:
    actor = acting_user(request)
    letter = _letter(actor, uid)
    item = get_object_or_404(Attachment, letter=letter, number=number)
    keys = records.keys_of(letter)
    audit.record_read(actor, "letters.attachment.read", letter, unit=letter.holding_unit, number=number)
    return download(
        envelope.open_bytes(keys.data, files.load(item.stored_name)),
        str(envelope.open_sealed(keys.data, item.name_sealed)),
        item.content_type,
    )


@login_required
def paper(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    scope = _scope(actor)
    units = OrgUnit.objects.filter(pk__in=scope.unit_ids).order_by("path")
    form = PaperLetterForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        unit = units.filter(pk=request.POST.get("unit") or 0).first() or (units.first() if units.count() == 1 else None)
        if unit is None:
            form.add_error(None, _("Chọn cơ quan vào sổ."))
        if form.is_valid() and unit is not None:
            policies.require(actor, "letters.letter.register", unit)
            data = form.cleaned_data
            new = records.NewLetter(
                channel=data["channel"],
                kind=data["kind"],
                holding_unit=unit,
                addressed_unit=unit,
                received_on=data["received_on"],
                title=data["title"],
                summary=data["summary"],
                content=data["content"],
                anonymous=data["anonymous"],
                false_name=data["false_name"],
                keep_identity_confidential=data["keep_identity_confidential"],
                senders=[
                    records.Sender(
                        full_name=data[f"sender_{i}_name"],
                        citizen_id=data[f"sender_{i}_citizen_id"] or "",
                        address=data[f"sender_{i}_address"],
                        phone=data[f"sender_{i}_phone"],
                        party_member=data[f"sender_{i}_party_member"],
                        organisation=data[f"sender_{i}_organisation"],
                    )
                    for i in range(1, SENDER_ROWS + 1)
                ],
                about=records.About(
                    name=data["about_name"],
                    position=data["about_position"],
                    organisation=data["about_organisation"],
                    unit=data["about_unit"],
                    rank=data["about_rank"],
                ),
                field_code=data["field_code"],
                locality=data["locality"],
                scans=incoming(data["scans"]),
                attachments=incoming(data["attachments"]),
            )
            try:
                with transaction.atomic():
                    letter = records.create(actor, new, status=Status.REGISTERED)
            except DomainError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Đã vào sổ đơn thư %(code)s.") % {"code": letter.tracking_code})
                return redirect("letters:detail", uid=letter.uid)
        status = 400
    return render(
        request,
        "letters/paper.html",
        {"form": form, "units": units, "sender_rows": range(1, SENDER_ROWS + 1)},
        status=status,
    )


CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A spreadsheet must not run what a sender wrote: a leading formula character is quoted."""
    text = str(value if value is not None else "")
    return "'" + text if text.startswith(CSV_FORMULA) else text


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The filtered register as CSV; a protected sender is never exported, whoever asks."""
    actor = acting_user(request)
    letters, _chosen = filtered(actor, request.GET)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Mã theo dõi"),
            _("Ngày nhận"),
            _("Loại đơn"),
            _("Kênh"),
            _("Trạng thái"),
            _("Cơ quan"),
            _("Tiêu đề"),
            _("Người gửi"),
        ]
    )
    codes = []
    for letter in letters.order_by("-received_at")[:10000]:
        keys = records.keys_of(letter)
        content = records.content_of(letter, keys)
        if letter.anonymous:
            sender = _("Nặc danh")
        elif letter.identity_protected:
            sender = PROTECTED
        else:
            sender = "; ".join(s["full_name"] for s in records.senders_of(letter, keys))
        writer.writerow(
            [
                _cell(v)
                for v in (
                    letter.tracking_code,
                    letter.received_on,
                    letter.get_kind_display(),
                    letter.get_channel_display(),
                    letter.get_status_display(),
                    letter.holding_unit.name,
                    content.get("title", ""),
                    sender,
                )
            ]
        )
        codes.append(letter.tracking_code)
    audit.record(actor, "letters.register.exported", None, is_read=True, count=len(codes))
    return download(("\ufeff" + out.getvalue()).encode(), "so-don-thu.csv", "text/csv; charset=utf-8")
