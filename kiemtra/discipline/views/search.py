"""The module's landing page: search with filters, one decision, its original file, and the .xlsx export.

Every page starts from ``policies.scope(actor, "discipline")`` through
``search.search``: a decision outside the scope, asked for by id, is refused
(403). Classified decisions are listed to every reader in scope with their
public columns; their personal details only to those allowed to read classified
decisions, and each such read is audited (``records.read_details`` /
``records.visible_details``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module
from kiemtra.accounts.views.common import acting_user
from kiemtra.audit import services as audit
from kiemtra.core.downloads import attachment
from kiemtra.core.errors import PolicyDenied
from kiemtra.orgs.models import OrgUnit

from .. import filters, search, search_export
from ..choices import DecisionState, IssuingLevel, PenaltyCode, PositionLevel, SubjectType
from ..models import Decision
from ..services import documents, from_cases, records


def _require_reader(actor: Any) -> None:
    if not policies.scope(actor, Module.DISCIPLINE):
        raise PolicyDenied("discipline.view")


def _filters() -> dict[str, Any]:
    return {
        "provinces": [OrgUnit(pk=pk, name=name) for pk, name in filters.province_choices()],
        "categories": filters.category_choices(),
        "issuing_levels": IssuingLevel.choices,
        "penalties": PenaltyCode.choices,
        "position_levels": PositionLevel.choices,
        "subject_types": SubjectType.choices,
        "sorts": search.sort_choices(),
    }


def _describe(query: search.DecisionQuery) -> list[str]:
    """The search in words, for the export's notes sheet."""
    lines = [_("Kiểm tra số — tra cứu quyết định kỷ luật")]
    if query.text:
        lines.append(_("Từ khóa: %(q)s") % {"q": query.text})
    labels = {
        "term": _("Nhiệm kỳ"),
        "issuing_body": _("Cơ quan ban hành"),
        "issuing_level": _("Cấp ban hành"),
        "penalty": _("Hình thức kỷ luật"),
        "category": _("Nội dung vi phạm"),
        "position_level": _("Cấp chức vụ"),
        "subject_type": _("Đối tượng"),
    }
    for name, label in labels.items():
        value = getattr(query, name)
        if value:
            lines.append(f"{label}: {value}")
    if query.province:
        province = OrgUnit.objects.filter(pk=query.province).values_list("name", flat=True).first()
        lines.append(_("Tỉnh, thành: %(p)s") % {"p": province})
    if query.year_from or query.year_to:
        lines.append(_("Năm ban hành: %(a)s – %(b)s") % {"a": query.year_from or "…", "b": query.year_to or "…"})
    if query.unit:
        unit = OrgUnit.objects.filter(pk=query.unit).values_list("name", flat=True).first()
        lines.append(_("Đơn vị quản lý: %(u)s") % {"u": unit})
    lines.append(_("Sắp xếp: %(s)s") % {"s": dict(search.sort_choices())[query.order]})
    return lines


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    _require_reader(actor)
    query, errors = search.parse_query(request.GET)
    page = search.paginate(actor, query, request.GET.get("page"))
    decisions = list(page.object_list)
    details = records.visible_details(actor, decisions)
    context = {
        "query": query,
        "errors": errors,
        "page": page,
        "rows": [(d, details[d.pk]) for d in decisions],
        "count": page.paginator.count,
        "more": page.more,
        "count_cap": search.COUNT_CAP,
        "export_cap": search_export.EXPORT_CAP,
        "export_query": urlencode(query.params()),
        "breadcrumbs": [(_("Tra cứu quyết định kỷ luật"), None)],
        **_filters(),
    }
    return render(request, "discipline/search.html", context)


def _published(actor: Any, pk: int) -> Decision:
    decision = get_object_or_404(
        Decision.objects.published().select_related("unit", "province", "document", "amends"), pk=pk
    )
    policies.require(actor, "discipline.view", decision.unit)
    return decision


@login_required
def decision_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting_user(request)
    decision = _published(actor, pk)
    withheld = decision.is_classified and not policies.can(actor, "discipline.read_classified", decision.unit)
    details = None if withheld else records.read_details(actor, decision)
    visible = policies.scope(actor, Module.DISCIPLINE)
    amends = decision.amends
    if amends is not None and (amends.state != DecisionState.PUBLISHED or amends.unit_id not in visible):
        amends = None
    amended_by = list(visible.filter(decision.amended_by.published()).order_by("issued_on", "pk"))
    context = {
        "decision": decision,
        "details": details,
        "withheld": withheld,
        "categories": list(decision.categories.all()),
        "amends": amends,
        "amended_by": amended_by,
        "source_case_url": from_cases.case_url(decision.source_case_ref),
        "breadcrumbs": [(_("Tra cứu quyết định kỷ luật"), "discipline:search"), (str(decision), None)],
    }
    return render(request, "discipline/decision.html", context)


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The original file, decrypted; every download is in the audit log."""
    actor = acting_user(request)
    decision = _published(actor, pk)
    document = decision.document
    if document is None:
        raise Http404
    content = documents.read_original(
        actor, decision, action="discipline.document.downloaded", filename=document.filename
    )
    return attachment(content, document.filename, document.content_type or "application/octet-stream")


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The current search as .xlsx (at most ``EXPORT_CAP`` rows)."""
    actor = acting_user(request)
    _require_reader(actor)
    query, _errors = search.parse_query(request.GET)
    exported = search_export.build(actor, search.search(actor, query), _describe(query))
    audit.record(
        actor,
        "discipline.search.exported",
        None,
        unit=getattr(request, "current_unit", None),
        is_read=True,
        query=query.params(),
        rows=exported.rows,
        capped=exported.more,
        classified=exported.classified_read,
    )
    return attachment(
        exported.content, f"quyet-dinh-ky-luat-{timezone.localdate():%Y%m%d}.xlsx", search_export.CONTENT_TYPE
    )


urlpatterns: list[URLPattern] = [
    path("", search_page, name="search"),
    path("quyet-dinh/<int:pk>/", decision_page, name="decision"),
    path("quyet-dinh/<int:pk>/tep/", document_download, name="document"),
    path("xuat-excel/", export, name="export"),
]
