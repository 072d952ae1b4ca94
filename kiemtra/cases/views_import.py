"""The backlog upload page and its progress bar (htmx polling the partial)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kiemtra.accounts import policies as account_policies
from kiemtra.core.errors import DomainError

from . import policies
from .models import ImportBatch
from .services import backlog


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    units = policies.officer_units(request.user)
    if not units:
        raise PermissionDenied
    if request.method == "POST":
        archive = request.FILES.get("archive")
        if archive is None:
            raise DomainError(_("Chọn tệp ZIP chứa các thư mục hồ sơ."), code="archive")
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), units[0])
        files = backlog.from_zip(archive.read())
        batch = backlog.start_import(request.user, unit, files, use_ocr=bool(request.POST.get("ocr")))
        return redirect("cases:import_batch", batch.pk)
    return render(request, "cases/import.html", {"units": units})


@login_required
def batch_page(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    if not account_policies.can(request.user, "cases.import", batch.unit):
        raise PermissionDenied
    context = {"batch": batch, "progress": backlog.progress(batch), "items": batch.items.all()}
    template = "cases/_import_progress.html" if request.GET.get("partial") else "cases/import_batch.html"
    return render(request, template, context)
