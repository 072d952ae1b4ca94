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

from .forms import AuditFilterForm
from .models import AuditEvent


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    visible = policy.scope(request.user, "audit")
    if not visible:
        raise PolicyDenied("audit.view")
    qs = AuditEvent.objects.all()
    if not visible.everything:
        qs = qs.filter(Q(unit_id__in=visible.unit_ids) | Q(actor_id=request.user.pk))
    form = AuditFilterForm(request.GET)
    actions = labels.action_choices()
    if not form.is_valid():
        # A bad filter value is the user's mistake: say which field, show nothing rather than guess (issue 8.6).
        page = Paginator(qs.none(), 50).get_page(1)
        context = {"page": page, "params": request.GET, "errors": form.messages(), "actions": actions}
        return render(request, "audit/list.html", context, status=400)
    data = form.cleaned_data
    # The unit's name or code, with or without diacritics (the unit's own search text, through the relation).
    for word in fold(data["unit"]).split():
        qs = qs.filter(unit__search_text__contains=word)
    if person := data["person"].strip():
        qs = qs.filter(actor_label__icontains=person)
    if action := data["action"].strip():
        qs = qs.filter(action__startswith=action)
    if data["date_from"] is not None:
        qs = qs.filter(at__date__gte=data["date_from"])
    if data["date_to"] is not None:
        qs = qs.filter(at__date__lte=data["date_to"])
    page = Paginator(qs.order_by("-seq"), 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "params": request.GET, "errors": [], "actions": actions})
