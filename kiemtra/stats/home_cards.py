"""The statistics card of the home page: what waits for this statistician or approver.

Registered in ``StatsConfig.ready()``. Two aggregate queries whatever the number of
reports (the user's grants are read once per request by the policy layer): one over
the reports of the units where the user works, one over their direct subordinates'.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kiemtra.accounts import policies
from kiemtra.accounts.choices import ROLE_MODULE, Function, Module
from kiemtra.core.registry import CardLine, HomeCard

from .choices import ReportState
from .models import Report
from .services import board

S = ReportState
CLOSING_SOON = dt.timedelta(days=7)


def _units(user: Any, function: str) -> list[Any]:
    """The units whose reports ``user`` works on with ``function`` (Vụ Tổng hợp acts for the Centre)."""
    found = {}
    for grant in policies.held_grants(user):
        if function in grant.functions and ROLE_MODULE[grant.role] == Module.STATS:
            unit = board.acting_unit(user, grant.unit)
            found[unit.pk] = unit
    return list(found.values())


def _link(name: str, units: list[Any], **params: str) -> str:
    query = dict(params)
    if len(units) == 1:
        query["don_vi"] = str(units[0].pk)
    return reverse(name) + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def stats_card(request: HttpRequest) -> HomeCard | None:
    user = request.user
    statistician_at = _units(user, Function.STATISTICIAN)
    approver_at = _units(user, Function.APPROVER)
    if not statistician_at and not approver_at:
        return None
    now = timezone.now()
    mine = {u.pk for u in [*statistician_at, *approver_at]}
    closing = Q(state__in=board.NOT_SENT, period__deadline__gt=now, period__deadline__lte=now + CLOSING_SOON)
    own = Report.objects.filter(board.current(now), unit_id__in=mine).aggregate(
        to_approve=Count("id", filter=Q(state=S.PENDING_APPROVAL, unit_id__in=[u.pk for u in approver_at])),
        returned=Count(
            "id",
            filter=Q(state=S.DRAFT, unit_id__in=[u.pk for u in statistician_at]) & ~Q(return_reason=""),
        ),
        closing=Count("period", distinct=True, filter=closing),
    )
    below = Report.objects.filter(board.current(now), unit__parent_id__in=mine).aggregate(
        to_receive=Count("id", filter=Q(state=S.SUBMITTED, unit__parent_id__in=[u.pk for u in statistician_at])),
        not_sent=Count("unit", distinct=True, filter=Q(state__in=board.NOT_SENT)),
        overdue_units=Count(
            "unit",
            distinct=True,
            filter=Q(state__in=board.NOT_SENT, period__deadline__lte=now)
            & (Q(reopened_until__isnull=True) | Q(reopened_until__lte=now)),
        ),
    )
    lines: list[CardLine] = []
    if approver_at:
        lines.append(
            CardLine(
                _("Báo cáo chờ tôi phê duyệt"),
                _link("stats:reports", approver_at, trang_thai=S.PENDING_APPROVAL.value),
                own["to_approve"],
                "warning" if own["to_approve"] else "",
            )
        )
    if statistician_at:
        lines.append(
            CardLine(
                _("Báo cáo bị trả lại cho tôi"),
                _link("stats:reports", statistician_at, trang_thai=board.RETURNED_FILTER),
                own["returned"],
                "danger" if own["returned"] else "",
            )
        )
        lines.append(
            CardLine(
                _("Báo cáo cấp dưới chờ tôi tiếp nhận"),
                _link("stats:board", statistician_at, trang_thai=S.SUBMITTED.value),
                below["to_receive"],
                "warning" if below["to_receive"] else "",
            )
        )
    if own["closing"]:
        lines.append(
            CardLine(
                ngettext(
                    "Kỳ báo cáo sắp hết hạn (trong %(d)s ngày) mà đơn vị chưa gửi đủ",
                    "Kỳ báo cáo sắp hết hạn (trong %(d)s ngày) mà đơn vị chưa gửi đủ",
                    own["closing"],
                )
                % {"d": CLOSING_SOON.days},
                _link("stats:reports", [*statistician_at, *approver_at], trang_thai=board.NOT_SENT_FILTER),
                own["closing"],
                "warning",
            )
        )
    if below["not_sent"] or below["to_receive"]:
        lines.append(
            CardLine(
                _("Đơn vị cấp dưới chưa gửi đủ báo cáo (trong đó %(n)s đã quá hạn)") % {"n": below["overdue_units"]}
                if below["overdue_units"]
                else _("Đơn vị cấp dưới chưa gửi đủ báo cáo"),
                _link("stats:board", [*statistician_at, *approver_at], trang_thai=board.NOT_SENT_FILTER),
                below["not_sent"],
                "danger" if below["overdue_units"] else "",
            )
        )
    return HomeCard(TITLE, lines, icon="bar-chart-line")


TITLE = gettext_lazy("Báo cáo thống kê đang chờ")
