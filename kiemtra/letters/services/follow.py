"""Following the lower commissions (Quy định 06 Art. 7.2, 7.5; Letters II item 7).

An upper commission sees each lower one's counts by kind and state, its
overdue letters and a score of how complete and timely its register is; it may
ask a lower commission for its letter data: the request, what was provided
(counts and tracking codes — identities stay sealed) and every read are recorded.

The score (0–100), written down here because the regulation names the duty
("tính đầy đủ, chính xác, kịp thời", Art. 7.1) but no formula:
- completeness: the share of the period's letters that have a field and an
  eligibility decision (a register entry a handler has actually worked);
- timeliness: the share of letters with a clock that were concluded by their
  due date or are still within it;
- score = the mean of the two, both in percent (no letters: 100).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core import events
from kiemtra.core.errors import DomainError
from kiemtra.core.text import nfc
from kiemtra.orgs.models import OrgUnit

from ..choices import OPEN_STATUSES, DataRequestState
from ..models import DataRequest, Letter
from ..policies import register_people


@dataclass
class Overview:
    unit: OrgUnit
    total: int
    by_kind: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    completeness: float = 100.0
    timeliness: float = 100.0

    @property
    def score(self) -> float:
        return round((self.completeness + self.timeliness) / 2, 1)


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


def overview(actor: Any, unit: OrgUnit, start: dt.date, end: dt.date, today: dt.date | None = None) -> Overview:
    """One lower commission's register for the period, in counts (GROUP BY queries; nothing decrypted)."""
    policies.require(actor, "letters.follow.read", unit)
    today = today or timezone.localdate()
    letters = Letter.objects.filter(holding_unit=unit, received_on__gte=start, received_on__lte=end).order_by()
    by_kind = dict(letters.values_list("kind").annotate(n=Count("pk")))
    by_status = dict(letters.values_list("status").annotate(n=Count("pk")))
    total = sum(by_kind.values())
    complete = letters.exclude(field_code="").exclude(eligibility="").count()
    clocked = letters.filter(due_on__isnull=False)
    timely = clocked.filter(
        Q(concluded_on__isnull=False, concluded_on__lte=F("due_on"))
        | Q(concluded_on__isnull=True, status__in=OPEN_STATUSES, due_on__gte=today)
    ).count()
    overdue = letters.filter(status__in=OPEN_STATUSES, due_on__lt=today).count()
    audit.record_read(actor, "letters.follow.read", unit, unit=unit)
    return Overview(
        unit, total, by_kind, by_status, overdue, _percent(complete, total), _percent(timely, clocked.count())
    )


def lower_commissions(actor: Any) -> list[OrgUnit]:
    """The commissions below the actor's registers that it follows."""
    ids = policies.scope(actor, "letters.register").unit_ids
    roots = OrgUnit.objects.filter(pk__in=ids)
    below = OrgUnit.objects.none()
    for root in roots:
        below = below | OrgUnit.objects.filter(path__startswith=root.path, valid_to__isnull=True).exclude(pk=root.pk)
    return [
        u for u in below.exclude(kind="department").order_by("path") if policies.can(actor, "letters.follow.read", u)
    ]


@transaction.atomic
def request_data(actor: Any, to_unit: OrgUnit, subject: str, start: dt.date, end: dt.date) -> DataRequest:
    """Art. 7.5: the upper commission asks a lower one for its letter data."""
    policies.require(actor, "letters.data_request.create", to_unit)
    if not nfc(subject).strip():
        raise DomainError(_("Cần ghi nội dung yêu cầu cung cấp dữ liệu."), code="subject")
    if end < start:
        raise DomainError(_("Ngày kết thúc không được trước ngày bắt đầu."), code="period_to")
    mine = policies.scope(actor, "letters.register").unit_ids
    from_unit = next(u for u in OrgUnit.objects.filter(pk__in=mine) if u.is_ancestor_of(to_unit))
    made = DataRequest.objects.create(
        from_unit=from_unit,
        to_unit=to_unit,
        subject=nfc(subject)[:1000],
        period_from=start,
        period_to=end,
        requested_by=actor,
    )
    audit.record(actor, "letters.data_request.created", made, unit=to_unit)
    # Those who can answer it: the people working on the lower commission's register.
    events.announce(
        "letters.data_request.created",
        register_people(to_unit),
        _("%(unit)s yêu cầu cung cấp dữ liệu đơn thư từ %(start)s đến %(end)s")
        % {"unit": from_unit.name, "start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")},
        url=reverse("letters:request", args=[made.pk]),
        body=made.subject,
        unit=to_unit,
    )
    return made


@transaction.atomic
def provide(actor: Any, request: DataRequest) -> DataRequest:
    """The lower commission answers with counts and tracking codes: no sender, no content."""
    request = DataRequest.objects.select_for_update().get(pk=request.pk)
    policies.require(actor, "letters.data_request.provide", request.to_unit)
    if request.state != DataRequestState.OPEN:
        raise DomainError(_("Yêu cầu này đã được cung cấp dữ liệu."), code="state")
    letters = Letter.objects.filter(
        holding_unit=request.to_unit, received_on__gte=request.period_from, received_on__lte=request.period_to
    ).order_by("received_on", "pk")
    request.provided = {
        "letters": [
            {
                "tracking_code": code,
                "kind": kind,
                "status": status,
                "received_on": received.isoformat(),
                "due_on": due.isoformat() if due else None,
            }
            for code, kind, status, received, due in letters.values_list(
                "tracking_code", "kind", "status", "received_on", "due_on"
            )
        ]
    }
    request.state, request.provided_by, request.provided_at = DataRequestState.PROVIDED, actor, timezone.now()
    request.save()
    audit.record(actor, "letters.data_request.provided", request, unit=request.to_unit, letters=letters.count())
    events.announce(
        "letters.data_request.provided",
        [request.requested_by_id],
        _("%(unit)s đã cung cấp dữ liệu đơn thư theo yêu cầu") % {"unit": request.to_unit.name},
        url=reverse("letters:request", args=[request.pk]),
        unit=request.from_unit_id,
    )
    return request


def read_provided(actor: Any, request: DataRequest) -> dict[str, Any]:
    """Every read of provided data is audited."""
    policies.require(actor, "letters.follow.read", request.to_unit)
    audit.record_read(actor, "letters.data_request.read", request, unit=request.to_unit)
    return dict(request.provided)
