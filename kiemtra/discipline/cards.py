"""The module's home-page card (issue 10 item 2): the decisions waiting for this user, and batches being read.

Registered in ``DisciplineConfig.ready``; the shell draws it. Nothing for someone
who neither uploads nor reconciles decisions (a viewer's work is to search).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kiemtra.accounts.views.common import acting_user
from kiemtra.core.registry import CardLine, HomeCard

from .choices import BatchState, DecisionState
from .models import Decision, IngestBatch


def discipline_card(request: HttpRequest) -> HomeCard | None:
    from .views.ingest import ingest_units
    from .views.reconcile import reconcile_units

    user = acting_user(request)
    reconciling = reconcile_units(user)
    uploading = ingest_units(user)
    if not reconciling and not uploading:
        return None
    lines = []
    if reconciling:
        waiting = Decision.objects.filter(state=DecisionState.PENDING, unit__in=reconciling).count()
        lines.append(
            CardLine(
                _("Quyết định chờ đối soát"),
                url=reverse("discipline:queue"),
                count=waiting,
                tone="warning" if waiting else "",
            )
        )
    if uploading:
        reading = IngestBatch.objects.filter(state=BatchState.RUNNING, unit__in=uploading).count()
        lines.append(CardLine(_("Lô tài liệu đang được đọc"), url=reverse("discipline:batches"), count=reading))
    return HomeCard(title=_("Cơ sở dữ liệu kỷ luật đảng"), lines=lines, icon="folder-check")
