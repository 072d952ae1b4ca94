"""Đối soát pages: the queue of pending decisions and the two-pane page where a person checks every field.

The document is on the left (the page image for scanned pages, and the page text
with the source span of each extracted field marked), the fields on the right,
prefilled with what the extractor read and coloured by its confidence. Saving
goes through ``services.reconciliation``, which checks the catalog rules and keeps
each field's verdict; the page only reads and writes the form.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Avg, F, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kiemtra.accounts import policies
from kiemtra.accounts.views.common import acting_user
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.core.widgets import format_date, parse_date
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

from .. import filters
from ..choices import DecisionState, Gender, IssuingLevel, PenaltyCode, PositionLevel, SubjectType
from ..models import Decision, DocumentPage, ExtractedField, IngestItem, Penalty, SourceDocument, ViolationCategory
from ..services import documents, from_cases, reconciliation, records

# Like ``filters.UNSEEN`` but keeping line breaks and tabs: positions are one per line.
UNSEEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PAGE_SIZE = 25
IMAGE_DPI = 110  # enough to read a scanned page beside the form; the OCR itself reads at 300
IMAGE_MAX_WIDTH = 1000
HIGH, MEDIUM = 0.9, 0.6  # confidence bands: green at or above HIGH, amber down to MEDIUM, red below

LABELS = records.LABELS
ENUMS: dict[str, Any] = {
    "issuing_level": IssuingLevel,
    "subject_type": SubjectType,
    "gender": Gender,
    "position_level": PositionLevel,
}
KINDS = {
    "issued_on": "date",
    "effective_on": "date",
    "birth_year": "year",
    "probationary": "check",
    "party_committee_member": "yesno",
    "positions": "lines",
    "violations": "textarea",
    "legal_basis": "textarea",
    "penalty": "penalty",
    "violation_categories": "categories",
    **dict.fromkeys(ENUMS, "select"),
}


# --- the queue ------------------------------------------------------------------------------------


def reconcile_units(user: Any) -> list[OrgUnit]:
    """The units whose pending decisions ``user`` may reconcile (own unit only: no subtree)."""
    units = {g.unit.pk: g.unit for g in policies.held_grants(user)}
    return [u for u in units.values() if policies.can(user, "discipline.reconcile", u)]


def pending_queue(units: list[OrgUnit]) -> QuerySet[Decision]:
    """Pending decisions of these units, the ones the extractor doubts most first."""
    first_batch = IngestItem.objects.filter(document=OuterRef("document")).order_by("pk").values("batch_id")[:1]
    return (
        Decision.objects.filter(state=DecisionState.PENDING, unit__in=units)
        .annotate(mean_confidence=Avg("extracted__confidence"), batch_id=Subquery(first_batch))
        .order_by(F("mean_confidence").asc(nulls_first=True), "pk")
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    units = reconcile_units(actor)
    if not units:
        raise PolicyDenied("discipline.reconcile")
    decisions = pending_queue(units).select_related("unit", "document")
    document = filters.record_id(request.GET.get("tai-lieu"))
    document_id = str(document) if document is not None else ""
    if document is not None:
        decisions = decisions.filter(document_id=document)
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    for decision in page:
        decision.band = band(decision.mean_confidence)  # type: ignore[attr-defined]
    return render(
        request,
        "discipline/queue.html",
        {
            "page": page,
            "units": units,
            "document_id": document_id,
            "breadcrumbs": [(_("Đối soát quyết định kỷ luật"), None)],
        },
    )


def band(confidence: float | None) -> str:
    """The colour class of a confidence: high, medium, low, or missing when nothing was read."""
    if confidence is None:
        return "missing"
    if confidence >= HIGH:
        return "high"
    return "medium" if confidence >= MEDIUM else "low"


# --- the form -------------------------------------------------------------------------------------


@dataclass
class Option:
    value: str
    label: str
    subject_type: str = ""  # catalog entries apply to one kind of subject; "" for any
    selected: bool = False


@dataclass
class FieldRow:
    """One field of the form, with what was read and how sure the extractor was."""

    name: str
    label: str
    kind: str
    value: Any
    confidence: float | None
    has_source: bool
    options: list[Option] = field(default_factory=list)

    @property
    def band(self) -> str:
        return band(self.confidence)

    @property
    def percent(self) -> int | None:
        return None if self.confidence is None else round(100 * self.confidence)

    @property
    def display(self) -> str:
        """The value in words, for the confirmation before publishing."""
        if self.kind == "categories":
            return "; ".join(o.label for o in self.options if o.selected) or "—"
        if self.options:
            return next((o.label for o in self.options if o.selected and o.value), "—")
        if self.kind == "check":
            return str(_("Có") if self.value else _("Không"))
        if self.kind == "yesno":
            return str({"1": _("Có"), "0": _("Không")}.get(self.value, "—"))
        return str(self.value) or "—"

    @property
    def hidden_values(self) -> list[str]:
        """The posted form of the value: the confirmation carries exactly what was checked."""
        if self.kind == "categories":
            return list(self.value)
        if self.kind == "check":
            return ["1"] if self.value else []
        return [str(self.value)]


def prefill(decision: Decision, details: Any, extracted: dict[str, ExtractedField]) -> dict[str, Any]:
    """What the extractor read, field by field; the stored value where it read nothing."""
    current = records.values_of(decision, details)
    return {name: extracted[name].value if name in extracted else current.get(name) for name in records.FIELDS}


def posted(data: QueryDict) -> dict[str, Any]:
    """The reviewer's values, in the canonical shapes of ``records.FIELDS``."""
    values: dict[str, Any] = {}
    for name in records.FIELDS:
        kind = KINDS.get(name, "text")
        # Control characters (NUL…) and direction overrides are never part of a decision's text.
        raw = UNSEEN.sub("", data.get(name, ""))
        if kind == "check":
            values[name] = raw == "1"
        elif kind == "yesno":
            values[name] = {"1": True, "0": False}.get(raw)
        elif kind == "lines":
            values[name] = [line.strip() for line in raw.splitlines() if line.strip()]
        elif kind == "categories":
            values[name] = sorted({UNSEEN.sub("", v)[:32] for v in data.getlist(name)[:100]})
        elif kind == "year":
            values[name] = raw.strip() or None
        elif kind == "date":  # typed dd/mm/yyyy; the canonical shape is ISO
            day = parse_date(raw)
            values[name] = day.isoformat() if day else raw.strip()
        else:
            values[name] = raw.strip()
    return values


def _shown(kind: str, value: Any) -> Any:
    """A canonical value as the form shows it."""
    if kind == "check":
        return bool(value)
    if kind == "yesno":
        return "" if value in (None, "") else ("1" if value else "0")
    if kind == "lines":
        return "\n".join(str(v) for v in value or [])
    if kind == "categories":
        return [str(v) for v in value or []]
    if kind == "date":
        return format_date(value)
    return "" if value is None else str(value)


def _day(value: Any) -> dt.date:
    """The day whose catalog applies; today while the date field does not hold a date."""
    return parse_date(str(value or "")) or dt.date.today()


def _catalog_options(name: str, value: Any, day: dt.date, subject_type: str) -> list[Option]:
    """Catalog entries in force on ``day`` for both kinds of subject; the page shows those of ``subject_type``."""
    if name == "categories":
        chosen = set(value or [])
        return [
            Option(c.code, c.name, c.subject_type, c.code in chosen) for c in ViolationCategory.objects.valid_on(day)
        ]
    options = [Option("", _("— không có (quyết định xóa bỏ kỷ luật) —"))]
    options += [Option(p.code, p.name, p.subject_type) for p in Penalty.objects.valid_on(day)]
    if value and not any(o.value == value and o.subject_type == subject_type for o in options):
        # Keep what was read visible and chosen; the service says why it is refused.
        label = dict(PenaltyCode.choices).get(value, value)
        options.append(Option(str(value), _("%(p)s (không áp dụng với đối tượng này)") % {"p": label}))
    for option in options:
        option.selected = option.value == (value or "") and option.subject_type in ("", subject_type)
    return options


def field_rows(values: dict[str, Any], extracted: dict[str, ExtractedField]) -> list[FieldRow]:
    day = _day(values.get("issued_on"))
    rows = []
    for name in records.FIELDS:
        kind = KINDS.get(name, "text")
        found = extracted.get(name)
        row = FieldRow(
            name=name,
            label=str(LABELS[name]),
            kind=kind,
            value=_shown(kind, values.get(name)),
            confidence=found.confidence if found is not None else None,
            has_source=found is not None and found.page is not None and found.start is not None,
        )
        if kind == "select":
            blank = [Option("", "—")] if name in ("gender", "position_level") else []
            row.options = blank + [Option(v, str(label), "", v == row.value) for v, label in ENUMS[name].choices]
        elif kind in ("penalty", "categories"):
            row.options = _catalog_options(kind, values.get(name), day, str(values.get("subject_type") or ""))
        rows.append(row)
    return rows


# --- the document ---------------------------------------------------------------------------------


def highlight(text: str, spans: list[tuple[int, int, str]]) -> SafeString:
    """The page text, escaped, with each field's source span wrapped in ``<mark data-field="…">``.

    Spans may overlap (a name inside a longer line): the text is cut at every span
    edge and each piece is marked with all the fields that cover it.
    """
    size = len(text)
    clean = [(max(0, s), min(size, e), n) for s, e, n in spans if min(size, e) > max(0, s)]
    cuts = sorted({0, size, *(s for s, _e, _n in clean), *(e for _s, e, _n in clean)})
    parts: list[str] = []
    for a, b in itertools.pairwise(cuts):
        names = sorted({n for s, e, n in clean if s <= a and b <= e})
        if names:
            parts.append(format_html('<mark class="src" data-field="{}">{}</mark>', " ".join(names), text[a:b]))
        else:
            parts.append(escape(text[a:b]))
    return mark_safe("".join(parts))  # noqa: S308 — every piece above is escaped


@dataclass
class PageView:
    number: int
    source: str
    confidence: float | None
    html: SafeString


def page_views(document: SourceDocument | None, extracted: dict[str, ExtractedField]) -> list[PageView]:
    if document is None:
        return []
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for name, found in extracted.items():
        if found.page is not None and found.start is not None and found.end is not None:
            spans.setdefault(found.page, []).append((found.start, found.end, name))
    pages = DocumentPage.objects.filter(document=document).order_by("number")
    out = []
    for page in pages:
        page.document = document  # .text decrypts by the document's confidentiality: no query per page
        out.append(
            PageView(page.number, page.source, page.ocr_confidence, highlight(page.text, spans.get(page.number, [])))
        )
    return out


# --- the pages ------------------------------------------------------------------------------------


def _decision(pk: int) -> Decision:
    return get_object_or_404(Decision.objects.select_related("unit", "document", "province"), pk=pk)


def _render(
    request: HttpRequest,
    decision: Decision,
    values: dict[str, Any],
    extracted: dict[str, ExtractedField],
    *,
    error: str = "",
    reject_error: str = "",
    reason: str = "",
    status: int = 200,
    confirming: list[str] | None = None,
) -> HttpResponse:
    provinces = OrgUnit.objects.filter(kind=UnitKind.PROVINCIAL, valid_to__isnull=True).order_by("name")
    return render(
        request,
        "discipline/reconcile.html",
        {
            "decision": decision,
            "rows": field_rows(values, extracted),
            "subject_type": values.get("subject_type") or "",
            "pages": page_views(decision.document, extracted),
            "provinces": provinces.values_list("name", flat=True),
            "error": error,
            "reject_error": reject_error,
            "reason": reason,
            "confirming": confirming is not None,
            "corrected": set(confirming or []),
            "source_case_url": from_cases.case_url(decision.source_case_ref),
            "breadcrumbs": [(_("Đối soát quyết định kỷ luật"), "discipline:queue"), (str(decision), None)],
        },
        status=status,
    )


def _next(actor: Any, after: Decision) -> HttpResponse:
    following = pending_queue(reconcile_units(actor)).exclude(pk=after.pk).first()
    if following is None:
        return redirect("discipline:queue")
    return redirect("discipline:reconcile", pk=following.pk)


def _extracted(decision: Decision) -> dict[str, ExtractedField]:
    return {f.name: f for f in ExtractedField.objects.filter(decision=decision)}


@login_required
@require_http_methods(["GET", "POST"])
def reconcile_page(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form. POST in two steps, so that nothing is published by a slip (and without JavaScript):

    - ``review`` (the form as corrected) or ``accept_all`` (everything as read): the values are checked
      and shown back for confirmation, with the corrected fields marked; nothing is stored;
    - ``publish``: the confirmed values are reconciled and the decision published;
    - ``edit``: back to the form with the values of the confirmation.
    """
    actor = acting_user(request)
    decision = _decision(pk)
    policies.require(actor, "discipline.reconcile", decision.unit)
    if decision.state != DecisionState.PENDING:
        messages.info(request, _("Quyết định %(d)s đã được đối soát.") % {"d": decision})
        return redirect("discipline:queue")
    extracted = _extracted(decision)
    details = records.read_details(actor, decision)  # a classified decision's read is audited here
    if request.method == "GET":
        return _render(request, decision, prefill(decision, details, extracted), extracted)
    action = request.POST.get("action", "")
    read = prefill(decision, details, extracted)
    values = read if action == "accept_all" else posted(request.POST)
    if action == "edit":
        return _render(request, decision, values, extracted)
    try:
        if action != "publish":
            corrected = reconciliation.check(actor, decision, values)
            return _render(request, decision, values, extracted, confirming=corrected)
        reconciliation.reconcile(actor, decision, values)
    except DomainError as exc:
        return _render(request, decision, values, extracted, error=exc.message, status=400)
    messages.success(request, _("Đã đối soát và công bố quyết định %(d)s.") % {"d": values.get("number") or decision})
    return _next(actor, decision)


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting_user(request)
    decision = _decision(pk)
    reason = UNSEEN.sub("", request.POST.get("reason", ""))
    try:
        reconciliation.reject(actor, decision, reason)
    except DomainError as exc:
        if decision.state != DecisionState.PENDING:
            messages.error(request, exc.message)
            return redirect("discipline:queue")
        extracted = _extracted(decision)
        values = prefill(decision, records.read_details(actor, decision), extracted)
        return _render(request, decision, values, extracted, reject_error=exc.message, reason=reason, status=400)
    messages.success(request, _("Đã loại bỏ %(d)s: %(r)s") % {"d": decision, "r": reason.strip()})
    return _next(actor, decision)


def _page_png(data: bytes, number: int) -> bytes:
    """Page ``number`` of a PDF or an image file, as a PNG small enough to show beside the form."""
    from PIL import Image

    if data[:5] == b"%PDF-":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            if not 1 <= number <= len(pdf):
                raise Http404
            image = pdf[number - 1].render(scale=IMAGE_DPI / 72).to_pil()
        finally:
            pdf.close()
    else:
        try:
            image = Image.open(io.BytesIO(data))
        except (OSError, ValueError) as exc:  # a text announcement has no page image: its text is shown
            raise Http404 from exc
        try:
            image.seek(number - 1)  # a TIFF holds one page per frame
        except EOFError as exc:
            raise Http404 from exc
        image = image.convert("RGB") if image.mode not in ("L", "RGB") else image.copy()
        image.thumbnail((IMAGE_MAX_WIDTH, IMAGE_MAX_WIDTH * 2))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@login_required
def page_image(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A page of the original as an image: the decision's own rule (``services.documents``), audited."""
    actor = acting_user(request)
    decision = _decision(pk)
    if not documents.may_read(actor, decision):
        raise PolicyDenied("discipline.view")
    document = decision.document
    if document is None or not 1 <= number <= max(document.page_count, 1):
        raise Http404
    png = _page_png(documents.read_original(actor, decision, action="discipline.document.read", page=number), number)
    response = HttpResponse(png, content_type="image/png")
    private = documents.protected(decision, document)
    response["Cache-Control"] = "private, no-store" if private else "private, max-age=3600"
    return response


urlpatterns: list[URLPattern] = [
    path("doi-soat/", queue, name="queue"),
    path("doi-soat/<int:pk>/", reconcile_page, name="reconcile"),
    path("doi-soat/<int:pk>/loai-bo/", reject, name="reject"),
    path("doi-soat/<int:pk>/trang/<int:number>.png", page_image, name="page_image"),
]
