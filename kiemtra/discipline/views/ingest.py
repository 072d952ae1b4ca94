"""Ingest pages: the upload form, a batch's progress bar and per-file outcomes, and the recent batches.

The upload only stores the files as queued items (``services.ingest.start_batch``);
the scheduler reads and extracts them in the background, so the batch page polls
a small partial every two seconds until the batch is done.
"""

from __future__ import annotations

from collections import Counter
from types import ModuleType
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kiemtra.accounts import policies
from kiemtra.accounts.views.common import acting_user
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.models import OrgUnit

from .. import filters
from ..choices import BatchState, Confidentiality, DecisionState, IngestOutcome
from ..models import Decision, IngestBatch, IngestItem

RECENT_BATCHES = 50
OUTCOME_STYLE: dict[str, str] = {
    IngestOutcome.QUEUED: "light",
    IngestOutcome.PROCESSING: "info",
    IngestOutcome.EXTRACTED: "success",
    IngestOutcome.DUPLICATE_FILE: "secondary",
    IngestOutcome.DUPLICATE_DECISION: "secondary",
    IngestOutcome.NOT_A_DECISION: "warning",
}  # every other outcome is a file that could not be read: "danger"


def _service() -> ModuleType:
    """The ingest service, imported on use: it loads the reading and OCR stack, which other pages do not need."""
    from ..services import ingest

    return ingest


def ingest_units(user: Any) -> list[OrgUnit]:
    """The units for which ``user`` may upload decisions (an editor's own unit)."""
    units = {g.unit.pk: g.unit for g in policies.held_grants(user)}
    return sorted(
        (u for u in units.values() if policies.can(user, "discipline.ingest", u)), key=lambda u: (u.path, u.pk)
    )


def _upload_page(
    request: HttpRequest,
    units: list[OrgUnit],
    chosen: OrgUnit,
    confidentiality: str,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    service = _service()
    return render(
        request,
        "discipline/ingest.html",
        {
            "units": units,
            "chosen": chosen,
            "confidentiality": confidentiality,
            "levels": Confidentiality.choices,
            "error": error,
            "max_files": min(service.MAX_BATCH_FILES, settings.DATA_UPLOAD_MAX_NUMBER_FILES or service.MAX_BATCH_FILES),
            "max_mb": service.MAX_FILE_BYTES // (1024 * 1024),
            "accept": ",".join(sorted(service.ACCEPTED_SUFFIXES | {".zip"})),
            "breadcrumbs": [(_("Tải lên quyết định kỷ luật"), None)],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    units = ingest_units(actor)
    if not units:
        raise PolicyDenied("discipline.ingest")
    current = getattr(request, "current_unit", None)
    chosen = next((u for u in units if current is not None and u.pk == current.pk), units[0])
    if request.method == "GET":
        return _upload_page(request, units, chosen, Confidentiality.ORDINARY)
    unit_id = request.POST.get("unit", "")
    unit = get_object_or_404(OrgUnit, pk=pk) if (pk := filters.record_id(unit_id)) is not None else chosen
    confidentiality = filters.clean_value(request.POST.get("confidentiality", Confidentiality.ORDINARY))
    service = _service()
    uploads = [service.Upload(f.name or "tep", file=f, size=f.size) for f in request.FILES.getlist("files")]
    try:
        batch = service.start_batch(actor, unit, uploads, confidentiality)  # checks discipline.ingest on the unit
    except DomainError as exc:
        shown = unit if unit in units else chosen
        return _upload_page(request, units, shown, confidentiality, exc.message, status=400)
    messages.success(
        request,
        _("Đã nhận %(n)s tệp. Hệ thống đang đọc và bóc tách; có thể rời trang này, kết quả vẫn được lưu.")
        % {"n": batch.total},
    )
    return redirect("discipline:batch", pk=batch.pk)


def _batch(request: HttpRequest, pk: int) -> IngestBatch:
    batch = get_object_or_404(IngestBatch.objects.select_related("unit", "created_by"), pk=pk)
    policies.require(acting_user(request), "discipline.ingest", batch.unit)
    return batch


def _batch_context(batch: IngestBatch) -> dict[str, Any]:
    items = list(IngestItem.objects.filter(batch=batch).order_by("position"))
    documents = {i.document_id for i in items if i.document_id and i.outcome == IngestOutcome.EXTRACTED}
    waiting = {
        row["document_id"]: row
        for row in Decision.objects.filter(document_id__in=documents, state=DecisionState.PENDING)
        .values("document_id")
        .annotate(first=Min("pk"), n=Count("pk"))
    }
    for item in items:
        item.style = OUTCOME_STYLE.get(item.outcome, "danger")  # type: ignore[attr-defined]
        item.waiting = waiting.get(item.document_id) if item.outcome == IngestOutcome.EXTRACTED else None  # type: ignore[attr-defined]
    labels = dict(IngestOutcome.choices)
    counts = Counter(i.outcome for i in items)
    return {
        "batch": batch,
        "items": items,
        "running": batch.state == BatchState.RUNNING,
        "summary": [(labels[o], OUTCOME_STYLE.get(o, "danger"), n) for o, n in sorted(counts.items())],
        "decisions": sum(i.decisions for i in items),
    }


@login_required
def batch_page(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    context = _batch_context(batch)
    context["breadcrumbs"] = [(_("Các lô tải lên"), "discipline:batches"), (_("Lô %(n)s") % {"n": batch.pk}, None)]
    return render(request, "discipline/batch.html", context)


@login_required
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar and the outcome list alone: polled by htmx while the batch runs."""
    return render(request, "discipline/_batch_progress.html", _batch_context(_batch(request, pk)))


@login_required
def batches(request: HttpRequest) -> HttpResponse:
    units = ingest_units(acting_user(request))
    if not units:
        raise PolicyDenied("discipline.ingest")
    recent = IngestBatch.objects.filter(unit__in=units).select_related("unit", "created_by")[:RECENT_BATCHES]
    return render(
        request,
        "discipline/batches.html",
        {"batches": recent, "breadcrumbs": [(_("Các lô tải lên"), None)]},
    )


urlpatterns: list[URLPattern] = [
    path("tai-len/", upload, name="ingest"),
    path("lo/", batches, name="batches"),
    path("lo/<int:pk>/", batch_page, name="batch"),
    path("lo/<int:pk>/tien-do/", batch_progress, name="batch_progress"),
]
