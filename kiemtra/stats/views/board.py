"""The completeness board: progress per form, then the subordinates' reports as one table.

A province follows 127 communes × 14 forms: the page shows one line of progress per
form and a filtered, sorted, paged table (50 rows), so its size does not grow with
the number of subordinates. Each row carries its own actions (receive, return with a
reason, remind); the bulk steps (receive every valid report of a form, approve every
pending report of the unit) stay. The actions post to the chain views of ``entry``
with ``next`` pointing back here, so the user returns to the same filtered page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Function
from kiemtra.accounts.views.common import acting_user
from kiemtra.audit import services as audit
from kiemtra.core.downloads import XLSX_CONTENT_TYPE, attachment
from kiemtra.core.errors import DomainError, PolicyDenied

from .. import excel
from ..choices import ReportState
from ..ids import object_id
from ..models import FormVersion, Report, ReportingPeriod
from ..services import board as board_services
from .entry import _report_or_404, _unit_for

S = ReportState

STATE_CHOICES: list[tuple[str, Any]] = [
    ("", gettext_lazy("Mọi trạng thái")),
    (board_services.NOT_SENT_FILTER, gettext_lazy("Chưa gửi lên")),
    (board_services.OVERDUE_FILTER, gettext_lazy("Quá hạn, chưa gửi")),
    (board_services.RETURNED_FILTER, gettext_lazy("Bị trả lại")),
    *[(s.value, s.label) for s in S],
]
SORT_COLUMNS = {"don-vi": "unit", "bieu": "form", "trang-thai": "state", "han": "deadline"}


def _int(text: str | None) -> int | None:
    return object_id(text)  # within the database's range: 100,000 digits is a 404, not a 500


def _query(params: Any) -> board_services.BoardQuery:
    sort = params.get("sap_xep", "")
    return board_services.BoardQuery(
        period_id=_int(params.get("ky")),
        version_id=_int(params.get("bieu")),
        state=params.get("trang_thai", ""),
        name=params.get("q", "")[:100],
        sort=sort if sort in board_services.SORTS else board_services.DEFAULT_SORT,
        page=_int(params.get("trang")) or 1,
    )


def _followed_unit(request: HttpRequest, requested: str | None) -> Any:
    unit = _unit_for(request, requested)
    if not board_services.follows(acting_user(request), unit):
        raise PolicyDenied("stats.board")
    return unit


def _link(base: dict[str, str], **changes: Any) -> str:
    """The board's query string with some parameters changed (empty values dropped)."""
    merged = {**base, **{k: str(v) for k, v in changes.items()}}
    return "?" + urlencode({k: v for k, v in merged.items() if v})


@login_required
@require_GET
def board_page(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    unit = _followed_unit(request, request.GET.get("don_vi"))
    query = _query(request.GET)
    groups = board_services.progress(unit)
    page = board_services.board_page(unit, query)
    can_approve = policies.has_function(user, Function.APPROVER, unit)
    can_receive = policies.has_function(user, Function.STATISTICIAN, unit)
    pending = [r for r in board_services.current_reports(unit) if r.state == S.PENDING_APPROVAL] if can_approve else []
    upper_closed = {(g.period.pk, g.version.pk) for g in groups if g.upper_closed}
    base = {
        "don_vi": request.GET.get("don_vi", "") if request.GET.get("don_vi", "").isdigit() else "",
        "ky": str(query.period_id or ""),
        "bieu": str(query.version_id or ""),
        "trang_thai": query.state,
        "q": query.name,
        "sap_xep": "" if query.sort == board_services.DEFAULT_SORT else query.sort,
    }
    here = reverse("stats:board") + _link(base, trang=page.page if page.page > 1 else "")
    rows = []
    for row in page.rows:
        report = row.report
        open_above = (report.period_id, report.form_version_id) not in upper_closed
        rows.append(
            {
                "row": row,
                "receive": can_receive and open_above and report.state == S.SUBMITTED,
                "return": can_receive and open_above and report.state in (S.SUBMITTED, S.RECEIVED),
            }
        )
    sorts = {}
    for slug, name in SORT_COLUMNS.items():
        descending = query.sort == slug
        sorts[name] = {
            "url": _link(base, sap_xep=f"-{slug}" if descending else slug),
            "active": query.sort.lstrip("-") == slug,
            "descending": query.sort == f"-{slug}",
        }
    return render(
        request,
        "stats/entry/board.html",
        {
            "unit": unit,
            "groups": groups,
            "page": page,
            "rows": rows,
            "query": query,
            "base": base,
            "sorts": sorts,
            "state_choices": STATE_CHOICES,
            "forms": [(g.version.pk, g.version.form.code, g.version.title) for g in groups],
            "periods": list({g.period.pk: g.period for g in groups}.values()),
            "previous_url": _link(base, trang=page.page - 1) if page.has_previous else "",
            "next_url": _link(base, trang=page.page + 1) if page.has_next else "",
            "here": here,
            "can_receive": can_receive,
            "can_approve": can_approve,
            "pending": pending,
            "unit_param": base["don_vi"],
            "breadcrumbs": [(_("Báo cáo thống kê"), "stats:reports"), (_("Theo dõi tiến độ cấp dưới"), None)],
        },
    )


def _board_url(request: HttpRequest) -> str:
    """Back to the board the user came from, with its filters (``next``), else the plain board."""
    target = request.POST.get("next", "")
    if target.startswith(reverse("stats:board")):
        return target
    unit = request.POST.get("don_vi", "")
    return reverse("stats:board") + (f"?don_vi={unit}" if unit.isdigit() else "")


@login_required
@require_POST
def board_receive_all(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    unit = _unit_for(request, request.POST.get("don_vi"))
    outcome = board_services.receive_all_valid(
        user, unit, period_id=_int(request.POST.get("period")), version_id=_int(request.POST.get("version"))
    )
    if outcome.done:
        messages.success(
            request,
            _("Đã tiếp nhận %(n)s báo cáo: %(units)s.")
            % {"n": len(outcome.done), "units": ", ".join(r.unit.name for r in outcome.done)},
        )
    for report, why in outcome.skipped:
        messages.warning(
            request,
            _("Bỏ qua %(unit)s (biểu %(form)s): %(why)s")
            % {"unit": report.unit.name, "form": report.form_version.form.code, "why": why},
        )
    if outcome.not_ready:
        messages.info(
            request,
            _("%(n)s báo cáo chưa được gửi lên: %(units)s.")
            % {"n": len(outcome.not_ready), "units": ", ".join(r.unit.name for r in outcome.not_ready)},
        )
    if not outcome.done and not outcome.skipped:
        messages.info(request, _("Không có báo cáo nào chờ tiếp nhận."))
    return redirect(_board_url(request))


@login_required
@require_POST
def board_approve_all(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    unit = _unit_for(request, request.POST.get("don_vi"))
    outcome = board_services.approve_all(user, unit)
    if outcome.done:
        messages.success(
            request,
            _("Đã phê duyệt %(n)s báo cáo: %(forms)s.")
            % {"n": len(outcome.done), "forms": ", ".join(str(r.form_version) for r in outcome.done)},
        )
    for report, why in outcome.skipped:
        messages.warning(request, _("Bỏ qua %(form)s: %(why)s") % {"form": report.form_version, "why": why})
    if not outcome.done and not outcome.skipped:
        messages.info(request, _("Không có báo cáo nào chờ phê duyệt."))
    return redirect(_board_url(request))


@login_required
@require_POST
def board_remind(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(pk)
    try:
        event = board_services.send_reminder(acting_user(request), report)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        told = len(event.extra.get("recipients", []))
        messages.success(
            request,
            _("Đã nhắc %(unit)s: %(n)s người thống kê và lãnh đạo phê duyệt của đơn vị nhận được thông báo.")
            % {"unit": report.unit.name, "n": told},
        )
    return redirect(_board_url(request))


@login_required
@require_GET
def board_xlsx(request: HttpRequest) -> HttpResponse:
    """The chosen form of the chosen period across the unit's direct subordinates, in one workbook."""
    unit = _followed_unit(request, request.GET.get("don_vi"))
    period_id, version_id = _int(request.GET.get("ky")), _int(request.GET.get("bieu"))
    if period_id is None or version_id is None:
        raise Http404
    period = ReportingPeriod.objects.filter(pk=period_id).first()
    version = FormVersion.objects.select_related("form").filter(pk=version_id).first()
    if period is None or version is None:
        raise Http404
    related = ("unit", "unit__parent", "period", "form_version__form")
    subordinates = list(
        Report.objects.filter(unit__parent_id=unit.pk, period=period, form_version=version)
        .select_related(*related)
        .order_by("unit__name")
    )
    if not subordinates:
        raise Http404(_("Không có báo cáo nào của đơn vị cấp dưới cho biểu này trong kỳ này."))
    upper = Report.objects.select_related(*related).filter(unit=unit, period=period, form_version=version).first()
    data = excel.export_subordinates(upper, subordinates)
    audit.record(
        acting_user(request),
        "stats.export",
        period,
        unit=unit,
        format="xlsx",
        subordinates=True,
        form=version.form.code,
        reports=[r.pk for r in subordinates],
    )
    name = f"Cap-duoi_Bieu-{version.form.code}_{unit.code}_{period.code}.xlsx".replace("/", "-")
    return attachment(data, name, XLSX_CONTENT_TYPE)


urlpatterns: list[URLPattern] = [
    path("theo-doi/", board_page, name="board"),
    path("theo-doi/excel/", board_xlsx, name="board_xlsx"),
    path("theo-doi/tiep-nhan/", board_receive_all, name="board_receive_all"),
    path("theo-doi/phe-duyet/", board_approve_all, name="board_approve_all"),
    path("theo-doi/nhac/<int:pk>/", board_remind, name="board_remind"),
]
