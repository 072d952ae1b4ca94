"""The yearly programmes in scope (the upper commission sees its subordinates'), plan versus actual, approval."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies as account_policies

from . import policies
from .models import Programme
from .services import programmes


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    scope = account_policies.scope(request.user, policies.SCOPE)
    if not scope:
        raise PermissionDenied
    text = (request.GET.get("nam") or "").strip()
    year = int(text) if text.isdigit() and len(text) == 4 else timezone.localdate().year
    shown = (
        scope.filter(Programme.objects.filter(year=year))
        .select_related("unit")
        .order_by("unit__path", "-version")[:200]
    )
    rows = [
        {
            "programme": p,
            "lines": programmes.plan_versus_actual(p),
            "may_approve": p.state == "draft" and account_policies.can(request.user, "cases.programme.approve", p.unit),
        }
        for p in shown
    ]
    return render(request, "cases/programmes.html", {"rows": rows, "year": year})


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.select_related("unit"), pk=pk)
    programmes.approve_programme(request.user, programme)
    messages.success(request, _("Đã phê duyệt chương trình."))
    return redirect(f"/kiem-tra/chuong-trinh/?nam={programme.year}")
