"""Data requests from the upper commission (Quy định 06 Art. 7.5; Letters II item 7). Thin: ``services.follow``.

The upper commission asks a lower one for its letter data (from the follow page); the lower one sees the
requests addressed to it and provides (counts and tracking codes, no identity); the upper one reads what
was provided, and every read is audited by the service.
"""

from __future__ import annotations

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
from kiemtra.core.errors import PolicyDenied
from kiemtra.core.widgets import parse_date
from kiemtra.orgs.models import OrgUnit

from ..choices import Kind, Status
from ..forms import DataRequestForm
from ..models import DataRequest
from ..policies import SCOPE
from ..services import follow

PAGE_SIZE = 30
SENT, RECEIVED = "gui", "nhan"


def _scope_ids(actor: Any) -> frozenset[int]:
    ids = policies.scope(actor, SCOPE).unit_ids
    if not ids:
        raise PolicyDenied("letters.letter.read")
    return frozenset(ids)


def lower_units(actor: Any) -> Any:
    """The commissions directly below the actor's registers (those the follow page lists)."""
    ids = _scope_ids(actor)
    return OrgUnit.objects.filter(parent_id__in=ids, valid_to__isnull=True).exclude(kind="department").order_by("code")


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    ids = _scope_ids(actor)
    direction = RECEIVED if request.GET.get("huong") == RECEIVED else SENT
    rows = DataRequest.objects.select_related("from_unit", "to_unit", "requested_by")
    rows = rows.filter(to_unit_id__in=ids) if direction == RECEIVED else rows.filter(from_unit_id__in=ids)
    page = Paginator(rows.order_by("-requested_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = DataRequest.objects.filter(to_unit_id__in=ids, state="open").count()
    return render(request, "letters/requests.html", {"page": page, "direction": direction, "waiting": waiting})


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    units = lower_units(actor)
    initial = {}
    if request.method != "POST":
        chosen = request.GET.get("unit", "")
        if chosen.isdigit():
            initial["to_unit"] = int(chosen)
    form = DataRequestForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "letters/request_new.html", {"form": form}, status=400)
        data = form.cleaned_data
        made = follow.request_data(actor, data["to_unit"], data["subject"], data["period_from"], data["period_to"])
        messages.success(request, _("Đã gửi yêu cầu cung cấp dữ liệu đến %(unit)s.") % {"unit": made.to_unit.name})
        return redirect("letters:request", pk=made.pk)
    return render(request, "letters/request_new.html", {"form": form})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting_user(request)
    item = get_object_or_404(DataRequest.objects.select_related("from_unit", "to_unit", "requested_by"), pk=pk)
    upper = policies.can(actor, "letters.follow.read", item.to_unit)
    lower = policies.can(actor, "letters.data_request.provide", item.to_unit)
    if not (upper or lower):
        raise PolicyDenied("letters.follow.read")
    provided = None
    if upper and item.state == "provided":
        provided = Paginator(_rows(follow.read_provided(actor, item)), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "letters/request.html",
        {
            "item": item,
            "provided": provided,
            "can_provide": lower and item.state == "open",
            "provided_count": len(item.provided.get("letters", [])) if item.state == "provided" else 0,
        },
    )


def _rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The provided letters with their dates read back (shown dd/mm/yyyy) and labels for the codes."""
    out = []
    for row in data.get("letters", []):
        out.append(
            {
                **row,
                "received_on": parse_date(row.get("received_on")),
                "due_on": parse_date(row.get("due_on")),
                "kind_label": dict(Kind.choices).get(row.get("kind"), row.get("kind")),
                "status_label": dict(Status.choices).get(row.get("status"), row.get("status")),
            }
        )
    return out


@login_required
@require_POST
def request_provide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting_user(request)
    item = get_object_or_404(DataRequest.objects.select_related("to_unit"), pk=pk)
    follow.provide(actor, item)
    messages.success(request, _("Đã cung cấp dữ liệu đơn thư (mã theo dõi, loại, trạng thái, hạn; không danh tính)."))
    return redirect("letters:request", pk=item.pk)
