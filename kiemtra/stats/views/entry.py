"""Data entry: the unit's reports, the report grid with autosave, the chain actions and the completeness board.

Every view asks the policy first (``PolicyDenied`` → 403), then calls one
service; a ``DomainError`` becomes a message (pages) or a JSON error (the
autosave endpoint), never a 500.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module
from kiemtra.accounts.models import User
from kiemtra.accounts.views.common import acting_user
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.models import OrgUnit

from ..choices import CellType, ReportState
from ..grid import Cell, Grid, Problem
from ..ids import object_id
from ..models import Column, Report
from ..services import board as board_services
from ..services import reports as report_services
from ..services import rollup, transitions
from .grid_html import GridCell, cells_html

S = ReportState


@dataclass(frozen=True)
class ChainAction:
    """A button of the report page: the service it calls and what the user is told."""

    name: str
    slug: str
    label: Any
    confirm: Any
    done: Any
    style: str

    @property
    def needs_reason(self) -> bool:
        return transitions.TRANSITIONS[self.name].needs_reason

    @property
    def url_name(self) -> str:
        return f"stats:report_{self.name}"


CHAIN_ACTIONS = [
    ChainAction(
        "forward",
        "chuyen-phe-duyet",
        gettext_lazy("Chuyển lãnh đạo phê duyệt"),
        gettext_lazy(
            "Chuyển báo cáo lên lãnh đạo phê duyệt? Sau khi chuyển, số liệu chỉ sửa được nếu báo cáo bị trả lại."
        ),
        gettext_lazy("Đã chuyển báo cáo lên lãnh đạo phê duyệt."),
        "btn-primary",
    ),
    ChainAction(
        "approve",
        "phe-duyet",
        gettext_lazy("Phê duyệt"),
        gettext_lazy("Phê duyệt báo cáo này?"),
        gettext_lazy("Đã phê duyệt báo cáo."),
        "btn-success",
    ),
    ChainAction(
        "send",
        "gui-cap-tren",
        gettext_lazy("Gửi lên cấp trên"),
        gettext_lazy("Gửi báo cáo lên cấp trên? Báo cáo đã phê duyệt và gửi là báo cáo chính thức (Điều 4)."),
        gettext_lazy("Đã gửi báo cáo lên cấp trên."),
        "btn-primary",
    ),
    ChainAction(
        "receive",
        "tiep-nhan",
        gettext_lazy("Tiếp nhận"),
        gettext_lazy("Tiếp nhận báo cáo này? Số liệu sẽ được cộng ngay vào báo cáo tổng hợp của đơn vị bạn."),
        gettext_lazy("Đã tiếp nhận báo cáo; số liệu tổng hợp của đơn vị bạn đã được cập nhật."),
        "btn-success",
    ),
    ChainAction(
        "return",
        "tra-lai",
        gettext_lazy("Trả lại cho người thống kê"),
        gettext_lazy("Trả lại báo cáo cho người thống kê để sửa?"),
        gettext_lazy("Đã trả lại báo cáo cho người thống kê."),
        "btn-outline-danger",
    ),
    ChainAction(
        "return_from_above",
        "tra-lai-tu-cap-tren",
        gettext_lazy("Trả lại cho đơn vị cấp dưới"),
        gettext_lazy("Trả lại báo cáo cho đơn vị cấp dưới? Nếu đã tiếp nhận, số liệu sẽ được trừ khỏi tổng hợp."),
        gettext_lazy("Đã trả lại báo cáo cho đơn vị cấp dưới."),
        "btn-outline-danger",
    ),
]

# --- helpers ---------------------------------------------------------------------


def display(value: Decimal | str | None, column: Column, *, for_input: bool = False) -> str:
    """Vietnamese writing of a figure: "1.234" (thousands), "2,5" (decimal comma).

    In an input of a decimal column the thousands are not grouped, so that what
    the user sees reads back as the same number (``Grid.parse``).
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    text = rollup.text(value)
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _dot, fraction = digits.partition(".")
    fraction_part = f",{fraction}" if fraction else ""
    if for_input and column.cell_type != CellType.INTEGER:
        return f"{sign}{whole}{fraction_part}"
    return f"{sign}{int(whole):,}".replace(",", ".") + fraction_part


def display_text(text: str, column: Column) -> str:
    """A figure stored as text in a snapshot, written the Vietnamese way."""
    if column.cell_type == CellType.TEXT or not text:
        return text
    try:
        return display(Decimal(text), column)
    except InvalidOperation:
        return text


def _report_or_404(pk: int) -> Report:
    return get_object_or_404(
        Report.objects.select_related("unit", "unit__parent", "period", "form_version__form"), pk=pk
    )


def _unit_for(request: HttpRequest, requested: str | None) -> OrgUnit:
    """The unit a list or board page is about: the one asked for, else the user's current unit."""
    user = acting_user(request)
    scope = policies.scope(user, Module.STATS)
    if not scope:
        raise PolicyDenied("stats.view")  # e.g. a unit admin: no access to statistics data (Art. 3.5.a)
    if requested:
        if (unit_id := object_id(requested)) is None:
            raise Http404
        unit = get_object_or_404(OrgUnit.objects.select_related("parent"), pk=unit_id)
    else:
        current = getattr(request, "current_unit", None)
        if current is None:
            raise PolicyDenied("stats.view")
        unit = board_services.acting_unit(user, current)
    if unit not in scope:
        raise PolicyDenied("stats.view")
    return unit


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _problems(problems: list[Problem]) -> list[dict[str, Any]]:
    blocking = Grid.blocking(problems)
    warnings = [p for p in problems if p not in blocking]
    return [
        {"code": p.rule_code, "severity": p.severity, "blocking": p in blocking, "message": p.message}
        for p in (*blocking, *warnings)
    ]


def _figures(report: Report, grid: Grid) -> tuple[rollup.Figures, rollup.Figures]:
    """Own figures (inputs and computed cells) and consolidated figures (own + received subordinates)."""
    own = grid.compute(rollup.own_values(report))
    return own, rollup.plus_children(own, report)


def _changes(report: Report, grid: Grid) -> dict[Cell, tuple[str, str]]:
    changes = report_services.changes_since_approval(report)
    return {
        cell: (display_text(then, grid.column_by_id[cell[1]]), display_text(now, grid.column_by_id[cell[1]]))
        for cell, (then, now) in changes.items()
        if cell[0] in grid.row_by_id and cell[1] in grid.column_by_id
    }


def _payload(report: Report, grid: Grid, problems: list[Problem] | None = None) -> dict[str, Any]:
    """What the grid needs after a save: revision, every cell, the consolidated figures, problems, changes."""
    own, consolidated = _figures(report, grid)
    if problems is None:
        problems = report_services.validate(report, consolidated)
    changes = _changes(report, grid)
    return {
        "revision": report.revision,
        "saved_at": timezone.localtime(report.updated_at).strftime("%H:%M:%S"),
        "values": rollup.encode(own),
        "consolidated": rollup.encode(consolidated),
        "problems": _problems(problems),
        "changes": [
            {"cell": rollup.key(cell), "name": grid.cell_name(cell), "then": then, "now": now}
            for cell, (then, now) in sorted(changes.items(), key=lambda item: _position(grid, item[0]))
        ],
        "entered_by_upper": report.entered_by_upper,
    }


def _position(grid: Grid, cell: Cell) -> tuple[int, int]:
    return grid.row_by_id[cell[0]].position, grid.column_by_id[cell[1]].position


# --- the unit's reports ----------------------------------------------------------

REPORT_FILTERS = {
    S.PENDING_APPROVAL.value: gettext_lazy("Chỉ các báo cáo chờ phê duyệt"),
    board_services.RETURNED_FILTER: gettext_lazy("Chỉ các báo cáo bị trả lại"),
    board_services.NOT_SENT_FILTER: gettext_lazy("Chỉ các báo cáo chưa gửi lên"),
}


def _state_matches(report: Report, wanted: str) -> bool:
    if wanted == board_services.RETURNED_FILTER:
        return report.state == S.DRAFT and bool(report.return_reason)
    if wanted == board_services.NOT_SENT_FILTER:
        return report.state in board_services.NOT_SENT
    return report.state == wanted


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The current unit's reports of the open periods, grouped by period."""
    user = acting_user(request)
    unit = _unit_for(request, request.GET.get("don_vi"))
    periods: dict[int, dict[str, Any]] = {}
    for report in board_services.current_reports(unit):
        entry = periods.setdefault(report.period_id, {"period": report.period, "reports": []})
        entry["reports"].append(report)
    follows = board_services.follows(user, unit) and unit.children.exists()
    wanted = request.GET.get("trang_thai", "")
    if wanted:  # the home page's links: "waiting for my approval", "returned to me"
        for entry in periods.values():
            entry["reports"] = [r for r in entry["reports"] if _state_matches(r, wanted)]
        periods = {k: v for k, v in periods.items() if v["reports"]}
    return render(
        request,
        "stats/entry/reports.html",
        {
            "unit": unit,
            "periods": list(periods.values()),
            "follows": follows,
            "can_enter": policies.can(user, "stats.enter", unit),
            "state_filter": REPORT_FILTERS.get(wanted, ""),
            "now": timezone.now(),
            "breadcrumbs": [(_("Báo cáo thống kê"), None)],
        },
    )


# --- the report page -------------------------------------------------------------


def _available_actions(user: User, report: Report) -> tuple[list[ChainAction], bool]:
    """The chain buttons: what the state machine says ``user`` may do now; and whether the upper report left."""
    allowed = {t.action for t in transitions.available_transitions(user, report)}
    from_above = any(policies.can(user, a, report.unit) for a in ("stats.receive", "stats.return_from_above"))
    upper_closed = from_above and report.state in (S.SUBMITTED, S.RECEIVED) and transitions.upper_has_left(report)
    return [action for action in CHAIN_ACTIONS if action.name in allowed], upper_closed


@login_required
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(pk)
    user = acting_user(request)
    policies.require(user, "stats.view", report.unit)
    grid = Grid.of(report.form_version)
    own, consolidated = _figures(report, grid)
    problems = report_services.validate(report, consolidated)
    changes = _changes(report, grid)
    now = timezone.now()
    can_enter = policies.can(user, "stats.enter", report.unit)
    past_deadline = now >= report.deadline
    editable = can_enter and report.state == S.DRAFT and not past_deadline
    received, subordinates = board_services.subordinate_progress(report)
    rows = []
    for i, row in enumerate(grid.rows):
        cells = []
        for j, column in enumerate(grid.columns):
            cell = (row.pk, column.pk)
            computed = grid.is_computed(cell)
            cells.append(
                GridCell(
                    key=rollup.key(cell),
                    row=i,
                    col=j,
                    computed=computed,
                    kind=column.cell_type,
                    own=display(own.get(cell), column, for_input=editable and not computed),
                    total=display(consolidated.get(cell), column),
                    label=_("Dòng %(rc)s. %(rl)s, cột %(cc)s. %(cl)s")
                    % {"rc": row.code, "rl": row.label, "cc": column.code, "cl": column.label},
                    changed=changes.get(cell),
                )
            )
        rows.append({"row": row, "cells_html": cells_html(cells, editable=editable, with_totals=bool(subordinates))})
    actions, upper_closed = _available_actions(user, report)
    own_statistician = policies.can(user, "stats.forward", report.unit)
    config = {
        "report": report.pk,
        "revision": report.revision,
        "saveUrl": reverse("stats:save_values", args=[report.pk]),
        "editable": editable,
        "i18n": {
            "saving": _("Đang lưu…"),
            "savedAt": _("Đã lưu lúc %s"),
            "error": _("Lỗi: %s"),
            "unsaved": _("Có số liệu chưa lưu"),
            "network": _("không kết nối được máy chủ; số liệu vẫn còn trên màn hình, sẽ thử lưu lại."),
            "session": _("phiên đăng nhập đã hết hạn. Hãy đăng nhập lại trong thẻ khác rồi nhập tiếp."),
            "invalidLeft": _("%s ô nhập sai chưa được lưu"),
            "pasted": _("Đã dán %s ô (ô tự tính được bỏ qua)."),
            "theirs": _("Người khác vừa nhập: %s"),
            "mine": _("giữ số bạn đã nhập"),
            "noProblems": _("Không có lỗi kiểm tra."),
            "blocking": _("Lỗi (chặn gửi)"),
            "warning": _("Cảnh báo"),
            "ruleCode": _("Mã quy tắc kiểm tra"),
            "noChanges": _("Không có ô nào thay đổi so với lần phê duyệt gần nhất."),
            "whenApproved": _("Khi phê duyệt: %s — nay: %s"),
        },
    }
    return render(
        request,
        "stats/entry/report.html",
        {
            "report": report,
            "grid": grid,
            "columns": grid.columns,
            "rows": rows,
            "problems": _problems(problems),
            "changes": [
                {"name": grid.cell_name(cell), "then": then, "now": now_text}
                for cell, (then, now_text) in sorted(changes.items(), key=lambda item: _position(grid, item[0]))
            ],
            "has_approval": report.snapshots.filter(kind="approved").exists(),
            "history": [
                {"transition": t, "label": board_services.transition_label(t.action)}
                for t in report.transitions.select_related("actor")
            ],
            "editable": editable,
            "can_enter": can_enter,
            "own_statistician": own_statistician,
            "on_behalf": editable and not own_statistician,
            "past_deadline": past_deadline,
            "subordinates": subordinates,
            "received": received,
            "follows": board_services.follows(user, report.unit),
            "actions": actions,
            "upper_closed": upper_closed and report.state in (S.SUBMITTED, S.RECEIVED),
            "config": config,
            "breadcrumbs": [
                (_("Báo cáo thống kê"), "stats:reports"),
                (
                    _("Biểu %(code)s — %(unit)s") % {"code": report.form_version.form.code, "unit": report.unit.name},
                    None,
                ),
            ],
        },
    )


# --- autosave ---------------------------------------------------------------------


def _error(status: int, code: str, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"code": code, "error": message, **extra}, status=status)


@login_required
@require_POST
def save_values(request: HttpRequest, pk: int) -> JsonResponse:
    """POST {revision, cells: {"<row>:<col>": "text"}} → the new revision and every figure, or an error."""
    report = _report_or_404(pk)
    user = acting_user(request)
    try:
        body = json.loads(request.body)
        revision = int(body["revision"])
        raw_cells = body["cells"]
        if not isinstance(raw_cells, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return _error(400, "bad_request", _("Yêu cầu lưu không hợp lệ."))
    grid = Grid.of(report.form_version)
    changes: dict[Cell, object] = {}
    for key, raw in raw_cells.items():
        try:
            changes[rollup.unkey(key)] = raw
        except ValueError:
            return _error(400, "bad_value", _("Ô không thuộc biểu này."), cells={key: _("Ô không thuộc biểu này.")})
    try:
        result = report_services.save_values(user, report, changes, expected_revision=revision)
    except report_services.StaleRevision as exc:
        fresh = _report_or_404(pk)
        names = {key: grid.cell_name(rollup.unkey(key)) for key in exc.theirs if _known(grid, key)}
        return JsonResponse(
            {"code": exc.code, "error": exc.message, "theirs": exc.theirs, "names": names, **_payload(fresh, grid)},
            status=409,
        )
    except PolicyDenied:
        return _error(403, "forbidden", _("Bạn không có quyền nhập số liệu của đơn vị này."))
    except report_services.BadCells as exc:
        cells = {rollup.key(cell): message for cell, message in exc.cells.items()}
        return _error(400, exc.code, exc.message, cells=cells)
    except DomainError as exc:
        return _error(400, exc.code, exc.message)
    return JsonResponse({"changed": result.changed, **_payload(result.report, grid, result.problems)})


def _known(grid: Grid, key: str) -> bool:
    try:
        row, column = rollup.unkey(key)
    except ValueError:
        return False
    return row in grid.row_by_id and column in grid.column_by_id


# --- the chain ---------------------------------------------------------------------


def _chain_view(action: ChainAction) -> Callable[[HttpRequest, int], HttpResponse]:
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        report = _report_or_404(pk)
        try:
            # The service asks the policy first (PolicyDenied → 403): a refusal says nothing about the report.
            report_services.perform(acting_user(request), report, action.name, request.POST.get("reason", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, str(action.done))
        return _back(request, reverse("stats:report", args=[report.pk]))

    view.__name__ = f"report_{action.name}"
    return view


urlpatterns: list[URLPattern] = [
    path("", report_list, name="reports"),
    path("bao-cao/<int:pk>/", report_page, name="report"),
    path("bao-cao/<int:pk>/luu/", save_values, name="save_values"),
    *[
        path(f"bao-cao/<int:pk>/{action.slug}/", _chain_view(action), name=f"report_{action.name}")
        for action in CHAIN_ACTIONS
    ],
]
