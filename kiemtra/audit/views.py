"""The audit page: filter by unit, person, date and action — within the viewer's audit scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kiemtra.core import labels, policy
from kiemtra.core.errors import PolicyDenied
from kiemtra.core.text import fold
from kiemtra.core.widgets import parse_date  # dd/mm/yyyy as typed (ISO still read)

from .models import AuditEvent


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    visible = policy.scope(request.user, "audit")
    if not visible:
        raise PolicyDenied("audit.view")
    qs = AuditEvent.objects.all()
    if not visible.everything:
        qs = qs.filter(Q(unit_id__in=visible.unit_ids) | Q(actor_id=request.user.pk))
    params = request.GET
    # The unit's name or code, with or without diacritics (the unit's own search text, through the relation).
    for word in fold(params.get("unit", "")).split():
        qs = qs.filter(unit__search_text__contains=word)
    if person := params.get("person", "").strip():
        qs = qs.filter(actor_label__icontains=person)
    if action := params.get("action", "").strip():
        qs = qs.filter(action__startswith=action)
    if (start := parse_date(params.get("from", "") or "")) is not None:
        qs = qs.filter(at__date__gte=start)
    if (end := parse_date(params.get("to", "") or "")) is not None:
        qs = qs.filter(at__date__lte=end)
    page = Paginator(qs.order_by("-seq"), 50).get_page(params.get("page"))
    return render(request, "audit/list.html", {"page": page, "params": params, "actions": labels.action_choices()})
