"""Results and replies (Letters II item 4).

The result is recorded in clear where the forms count it (finding, complaint
outcome, violations, discipline) and sealed where it is prose (what was found,
what was done). The reply to the sender is drafted from a template, approved
by the commission's leader, and only then shown on the portal and in the
VNeID status API; a paper sender gets a printable PDF in the official layout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.core import events
from kiemtra.core.errors import DomainError

from .. import envelope
from ..choices import OPEN_STATUSES, ComplaintOutcome, Finding, Kind, ReplyState, Status
from ..models import Leader, Letter, ReplyTemplate
from . import records
from .steps import NOT_OPEN, handle, locked, require_state, required_text, step


@dataclass
class Result:
    summary: str  # what was found or done (sealed)
    finding: str = ""  # denunciations
    complaint_outcome: str = ""  # complaints
    violations: int = 0
    disciplined: int = 0


@transaction.atomic
def conclude(actor: Any, letter: Letter, result: Result, on: dt.date | None = None) -> Letter:
    letter = handle(actor, letter)
    require_state(letter, OPEN_STATUSES, NOT_OPEN)
    summary = required_text(result.summary, "summary", _("Cần ghi kết quả giải quyết."), 20_000)
    if letter.kind == Kind.DENUNCIATION and result.finding not in Finding.values[1:]:
        raise DomainError(_("Cần chọn kết luận về nội dung tố cáo."), code="finding")
    if letter.kind == Kind.COMPLAINT and result.complaint_outcome not in ComplaintOutcome.values[1:]:
        raise DomainError(_("Cần chọn kết quả giải quyết khiếu nại."), code="complaint_outcome")
    if result.violations < 0 or result.disciplined < 0:
        raise DomainError(_("Số vi phạm, số bị kỷ luật không được âm."), code="violations")
    letter.finding = result.finding if letter.kind == Kind.DENUNCIATION else ""
    letter.complaint_outcome = result.complaint_outcome if letter.kind == Kind.COMPLAINT else ""
    letter.violations, letter.disciplined = result.violations, result.disciplined
    letter.result_sealed = envelope.seal(records.data_key_of(letter), summary)
    letter.status = Status.CONCLUDED
    letter.concluded_on = on or timezone.localdate()
    letter.save()
    step(actor, letter, "concluded", finding=letter.finding, outcome=letter.complaint_outcome)
    return letter


def result_of(letter: Letter) -> str:
    return str(envelope.open_sealed(records.data_key_of(letter), letter.result_sealed) or "")


def _result_words(letter: Letter) -> str:
    parts = []
    if letter.finding:
        parts.append(str(Finding(letter.finding).label))
    if letter.complaint_outcome:
        parts.append(str(ComplaintOutcome(letter.complaint_outcome).label))
    summary = result_of(letter) if letter.result_sealed else ""
    return "; ".join([*parts, summary]) if summary else "; ".join(parts)


@transaction.atomic
def draft_reply(actor: Any, letter: Letter, template_code: str, result_text: str = "") -> Letter:
    """The handler drafts the answer from a template; the leader is told it waits for approval."""
    letter = handle(actor, letter)
    require_state(letter, (Status.CONCLUDED, Status.GUIDED, Status.SENT_OUTSIDE), NOT_OPEN)
    template = ReplyTemplate.objects.filter(code=template_code).first()
    if template is None:
        raise DomainError(_("Không có mẫu trả lời này."), code="template")
    text = template.body.format(
        tracking_code=letter.tracking_code,
        received_on=letter.received_on.strftime("%d/%m/%Y"),
        unit=letter.holding_unit.name,
        result=result_text or _result_words(letter),
    )
    letter.reply_draft_sealed = envelope.seal(records.data_key_of(letter), text)
    letter.reply_state = ReplyState.DRAFT
    letter.save()
    step(actor, letter, "reply_drafted", template=template.code)
    leaders = Leader.objects.filter(unit=letter.holding_unit, active=True).values_list("person_id", flat=True)
    events.announce(
        "letters.reply.to_approve",
        list(leaders),
        _("Trả lời đơn %(code)s chờ duyệt") % {"code": letter.tracking_code},
        url=f"/don-thu/{letter.uid}/",
        unit=letter.holding_unit,
    )
    return letter


def draft_of(letter: Letter) -> str:
    return str(envelope.open_sealed(records.data_key_of(letter), letter.reply_draft_sealed) or "")


@transaction.atomic
def approve_reply(actor: Any, letter: Letter) -> Letter:
    """The leader approves: the reply reaches the portal and the VNeID status API."""
    letter = locked(letter)
    policies.require(actor, "letters.reply.approve", letter)
    if letter.reply_state != ReplyState.DRAFT:
        raise DomainError(_("Không có dự thảo trả lời chờ duyệt."), code="reply_state")
    letter.reply_sealed = letter.reply_draft_sealed
    letter.reply_state = ReplyState.APPROVED
    letter.replied_at = timezone.now()
    letter.status = Status.ANSWERED
    letter.save()
    step(actor, letter, "answered")
    return letter


def reply_pdf(actor: Any, letter: Letter, today: dt.date | None = None) -> bytes:
    """The approved reply for a paper sender, in the layout of an official document (as ``stats.pdf``)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from kiemtra.stats.pdf import commission_header, date_line, place_of

    policies.require(actor, "letters.letter.read", letter)
    if letter.reply_state != ReplyState.APPROVED:
        raise DomainError(_("Trả lời chưa được lãnh đạo duyệt."), code="reply_state")
    opened = records.open_letter(actor, letter)  # audited read; the senders only if the actor may see them
    committee, commission = commission_header(letter.holding_unit)
    senders = opened["senders"] or []
    html = render_to_string(
        "letters/pdf/reply.html",
        {
            "committee": committee,
            "commission": commission,
            "date_line": date_line(place_of(letter.holding_unit), today or timezone.localdate()),
            "letter": letter,
            "to": ", ".join(s["full_name"] for s in senders) if senders else "",
            "address": senders[0]["address"] if senders else "",
            "reply": opened["reply"],
            "unit": letter.holding_unit,
        },
    )
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=frozenset())).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
