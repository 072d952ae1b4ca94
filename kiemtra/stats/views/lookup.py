"""Use and sharing of the data (Quy định 11 Art. 11-12): look-up with charts, map and export; API clients.

Every query starts from ``policies.scope(user, "stats")``: a unit outside it,
asked for by id, is refused (403), and the tables only ever hold units inside it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module
from kiemtra.accounts.policies import Scope
from kiemtra.accounts.views.common import acting_user
from kiemtra.core import exports as files
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.models import OrgUnit

from .. import api
from ..forms import TextGuard
from ..ids import object_id
from ..lookup import (
    Layout,
    Pivot,
    Selection,
    chart_data,
    latest_version,
    map_data,
    numeric_columns,
    periods_of,
    pivot,
    scope_roots,
    tree_choices,
    units_under,
)
from ..models import Form, FormVersion, Report, ReportingPeriod
from ..models_api import ApiClient
from ..services import exports

TABLE_LIMIT = 500  # rows shown on the page; the exports hold them all
SEARCH_LIMIT = 30
SEARCH_MAX_CHARS = 255  # OrgUnit.name's length
DEFAULT_PERIODS = 4


def _ints(values: list[str]) -> list[int]:
    return [n for n in map(object_id, values) if n is not None]


def _visible(request: HttpRequest) -> Scope:
    visible = policies.scope(request.user, Module.STATS)
    if not visible:
        raise PolicyDenied("stats.view")
    return visible


@dataclass
class Choices:
    """What the look-up form offers, and what is chosen."""

    forms: list[Form]
    version: FormVersion | None = None
    periods: list[ReportingPeriod] = field(default_factory=list)
    trees: list[OrgUnit] = field(default_factory=list)
    picked_units: list[OrgUnit] = field(default_factory=list)
    tree: OrgUnit | None = None
    whole_subtree: bool = False


def read_selection(params: QueryDict, visible: Scope) -> tuple[Selection | None, Choices]:
    """The selection from the query string; units outside the scope are refused, not dropped."""
    choices = Choices(forms=list(Form.objects.filter(versions__isnull=False).distinct().order_by("code")))
    form = next((f for f in choices.forms if f.code == params.get("form")), choices.forms[0] if choices.forms else None)
    if form is None:
        return None, choices
    version = latest_version(form)
    assert version is not None
    choices.version = version
    layout = str(params.get("layout")) if params.get("layout") in Layout.values else Layout.UNITS_PERIODS
    row_codes = [r.code for r in version.rows.all()]
    rows = [c for c in params.getlist("row") if c in row_codes]
    if not rows:
        rows = row_codes[:1] if layout == Layout.UNITS_PERIODS else row_codes
    columns = [c.code for c in numeric_columns(version)]
    column = str(params.get("column")) if params.get("column") in columns else (columns[0] if columns else "")

    choices.periods = periods_of(form)
    wanted = set(_ints(params.getlist("period")))
    periods = [p for p in choices.periods if p.pk in wanted]
    if not periods:
        real = [p for p in choices.periods if not p.is_trial] or choices.periods
        periods = real[-(DEFAULT_PERIODS if layout == Layout.UNITS_PERIODS else 1) :]

    choices.picked_units = list(OrgUnit.objects.filter(pk__in=_ints(params.getlist("unit"))).order_by("path"))
    if any(u not in visible for u in choices.picked_units):
        raise PolicyDenied("stats.view")
    choices.trees = tree_choices(visible)
    tree_id = _ints([params.get("tree", "")])
    if tree_id:
        choices.tree = get_object_or_404(OrgUnit, pk=tree_id[0])
        if choices.tree not in visible:
            raise PolicyDenied("stats.view")
    choices.whole_subtree = params.get("tree_mode") == "subtree"
    units = {u.pk: u for u in choices.picked_units}
    if choices.tree is None and not units and "tree" not in params:
        roots = scope_roots(visible)
        if len(roots) == 1:
            choices.tree = roots[0]
        else:  # e.g. a regional department: the provinces it follows
            filing = set(
                Report.objects.filter(unit__in=roots, form_version__form=form, period__in=periods).values_list(
                    "unit_id", flat=True
                )
            )
            units.update({u.pk: u for u in roots if u.pk in filing})
    if choices.tree is not None:
        for unit in units_under(visible, choices.tree, whole_subtree=choices.whole_subtree, form=form, periods=periods):
            units.setdefault(unit.pk, unit)
    selection = Selection(
        form=form,
        version=version,
        row_codes=rows,
        column_code=column,
        units=sorted(units.values(), key=lambda u: u.path),
        periods=periods,
        layout=layout,
        official_only=params.get("official_only") == "1",
    )
    return selection, choices


def _search(visible: Scope, query: str) -> list[OrgUnit]:
    if not query.strip() or len(query) > SEARCH_MAX_CHARS:
        return []  # no unit name is longer; SQLite refuses a LIKE pattern of 50,000 characters
    return list(visible.filter(OrgUnit.objects.search(query), "pk").order_by("path")[:SEARCH_LIMIT])


@login_required
def lookup(request: HttpRequest) -> HttpResponse:
    visible = _visible(request)
    selection, choices = read_selection(request.GET, visible)
    context: dict[str, Any] = {
        "choices": choices,
        "selection": selection,
        "layouts": Layout.choices,
        "search": request.GET.get("q", ""),
        "search_results": _search(visible, request.GET.get("q", "")),
        "breadcrumbs": [(_("Tra cứu số liệu thống kê"), None)],
    }
    if selection is not None:
        table = pivot(visible, selection)
        query = request.GET.copy()
        query.pop("q", None)
        context.update(
            table=table,
            shown_rows=table.rows[:TABLE_LIMIT],
            truncated=len(table.rows) > TABLE_LIMIT,
            table_limit=TABLE_LIMIT,
            chart=chart_data(selection, table),
            dots=map_data(selection, table),
            export_query=query.urlencode(),
            picked_ids={u.pk for u in choices.picked_units},
            chosen_periods={p.pk for p in selection.periods},
            column=selection.column,
        )
    return render(request, "stats/lookup/lookup.html", context)


@login_required
def unit_search(request: HttpRequest) -> HttpResponse:
    """htmx: units of the scope whose name or code matches, with or without diacritics."""
    visible = _visible(request)
    results = _search(visible, request.GET.get("q", ""))
    return render(
        request, "stats/lookup/unit_results.html", {"search_results": results, "search": request.GET.get("q")}
    )


# --- export -------------------------------------------------------------------------------


def _describe(selection: Selection) -> list[str]:
    column = selection.column
    lines = [
        _("Biểu %(code)s — %(title)s") % {"code": selection.form.code, "title": selection.version.title},
        _("Cột: %(col)s") % {"col": f"{column.code}. {column.label}" if column else selection.column_code},
        _("Số liệu tổng hợp: số liệu của đơn vị cộng số liệu của các đơn vị cấp dưới trực tiếp đã được tiếp nhận."),
    ]
    if selection.layout == Layout.UNITS_PERIODS and selection.rows:
        row = selection.rows[0]
        lines.insert(1, _("Chỉ tiêu: %(row)s") % {"row": f"{row.code}. {row.label}"})
    if selection.layout == Layout.INDICATORS_UNITS and selection.table_periods:
        lines.insert(1, _("Kỳ báo cáo: %(p)s") % {"p": selection.table_periods[0].name})
    if selection.official_only:
        lines.append(_("Chỉ gồm số liệu chính thức (báo cáo đã phê duyệt, đã gửi hoặc đã được tiếp nhận)."))
    else:
        lines.append(
            _(
                "Số liệu tạm thời (báo cáo chưa được phê duyệt) được đánh dấu; báo cáo đã phê duyệt, đã gửi hoặc đã "
                "được tiếp nhận là số liệu chính thức."
            )
        )
    return lines


def _filename(selection: Selection, extension: str) -> str:
    return f"tra-cuu-bieu-{selection.form.code}-{timezone.localdate():%Y%m%d}.{extension}"


def export_csv(selection: Selection, table: Pivot) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that Excel opens the Vietnamese text correctly."""
    buffer = io.StringIO()
    writer = files.csv_writer(buffer)
    writer.writerow([table.corner, *table.column_labels])
    provisional: list[tuple[str, str, str]] = []
    for row in table.rows:
        writer.writerow([row.label, *[c.text for c in row.cells]])
        provisional.extend(
            (row.label, label, c.state_label)
            for label, c in zip(table.column_labels, row.cells, strict=True)
            if c.provisional
        )
    writer.writerow([])
    for line in _describe(selection):
        writer.writerow([line])
    if provisional:
        writer.writerow([_("Số liệu tạm thời (báo cáo chưa được phê duyệt):")])
        for entry in provisional:
            writer.writerow(list(entry))
    return files.csv_attachment(buffer.getvalue(), _filename(selection, "csv"))


def export_xlsx(selection: Selection, table: Pivot, who: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Tra cứu")[:31]
    lines = _describe(selection)
    sheet.append([_("Kiểm tra số — tra cứu số liệu thống kê")])
    sheet["A1"].font = Font(bold=True, size=13)
    for line in lines:
        sheet.append([line])
    sheet.append([_("Lập lúc %(at)s, bởi %(who)s") % {"at": f"{timezone.localtime():%d/%m/%Y %H:%M}", "who": who}])
    provisional_fill = PatternFill("solid", fgColor="FFF3CD")
    if table.has_provisional:
        sheet.append([_("Ô nền vàng, chữ nghiêng: số liệu tạm thời (báo cáo chưa được phê duyệt).")])
        sheet.cell(sheet.max_row, 1).fill = provisional_fill
    sheet.append([])
    sheet.append([table.corner, *table.column_labels])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in table.rows:
        sheet.append([row.label, *[c.value for c in row.cells]])
        for i, figure in enumerate(row.cells, start=2):
            if figure.provisional:
                cell = sheet.cell(sheet.max_row, i)
                cell.fill = provisional_fill
                cell.font = Font(italic=True)
                cell.comment = Comment(_("Tạm thời: %(s)s") % {"s": figure.state_label}, "Kiểm tra số")
    sheet.freeze_panes = sheet.cell(header_row + 1, 2)
    sheet.column_dimensions["A"].width = 48
    for i in range(2, len(table.column_labels) + 2):
        sheet.column_dimensions[get_column_letter(i)].width = 16
    return files.xlsx_attachment(book, _filename(selection, "xlsx"))


@login_required
def export(request: HttpRequest) -> HttpResponse:
    visible = _visible(request)
    selection, _choices = read_selection(request.GET, visible)
    kind = request.GET.get("export", "xlsx")
    if selection is None or kind not in ("xlsx", "csv"):
        return redirect("stats:lookup")
    user = acting_user(request)
    table = exports.lookup_table(
        user, visible, selection, exported_as=kind, unit=getattr(request, "current_unit", None)
    )
    if kind == "csv":
        return export_csv(selection, table)
    return export_xlsx(selection, table, str(user))


# --- integration clients (the system admin) -----------------------------------------------


class ApiClientForm(TextGuard, forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên ứng dụng"), max_length=200)
    document_ref = forms.CharField(label=gettext_lazy("Văn bản phê duyệt kết nối"), max_length=255)
    unit_codes = forms.CharField(
        label=gettext_lazy("Mã các đơn vị được phép"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Cách nhau bằng dấu phẩy, dấu cách hoặc xuống dòng."),
    )
    include_subtree = forms.BooleanField(
        label=gettext_lazy("Gồm cả các đơn vị cấp dưới của các đơn vị trên"), required=False, initial=True
    )
    allowed_forms = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Biểu được phép"), queryset=Form.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    can_push = forms.BooleanField(label=gettext_lazy("Được gửi số liệu vào"), required=False, initial=True)
    can_read = forms.BooleanField(label=gettext_lazy("Được lấy số liệu đã phê duyệt"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            if isinstance(f.widget, forms.CheckboxInput):
                f.widget.attrs["class"] = "form-check-input"
            elif not isinstance(f.widget, forms.CheckboxSelectMultiple):
                f.widget.attrs["class"] = "form-control"
            f.widget.attrs.setdefault("id", f"client-{name}")


def _schema_url() -> str | None:
    try:
        return reverse("stats_api:schema")
    except NoReverseMatch:  # the API is not routed in this deployment
        return None


def _configurer(request: HttpRequest) -> Any:
    user = acting_user(request)
    policies.require(user, "stats.configure")
    return user


@login_required
def api_clients(request: HttpRequest) -> HttpResponse:
    """Register and revoke the applications connected through the API (Art. 12)."""
    user = _configurer(request)
    form = ApiClientForm(request.POST or None)
    token, created = None, None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created, token = api.register_client(
                user,
                name=data["name"],
                document_ref=data["document_ref"],
                unit_codes=data["unit_codes"].replace(",", " ").split(),
                forms=list(data["allowed_forms"]),
                include_subtree=data["include_subtree"],
                can_push=data["can_push"],
                can_read=data["can_read"],
            )
            form = ApiClientForm()
        except DomainError as exc:
            form.add_error(None, exc.message)
    clients = ApiClient.objects.select_related("created_by", "revoked_by").prefetch_related("units", "forms")
    response = render(
        request,
        "stats/lookup/api_clients.html",
        {
            "form": form,
            "clients": clients,
            "token": token,
            "created": created,
            "schema_url": _schema_url(),
            "breadcrumbs": [(_("Ứng dụng kết nối"), None)],
        },
    )
    if token:
        response["Cache-Control"] = "no-store"  # the token is shown once and must not be kept by the browser
    return response


@login_required
@require_POST
def api_client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _configurer(request)
    client = get_object_or_404(ApiClient, pk=pk)
    try:
        api.revoke_client(user, client, request.POST.get("reason", ""))
        messages.success(request, _("Đã thu hồi quyền kết nối của %(n)s.") % {"n": client.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("stats:api_clients")


urlpatterns: list[URLPattern] = [
    path("tra-cuu/", lookup, name="lookup"),
    path("tra-cuu/don-vi/", unit_search, name="lookup_units"),
    path("tra-cuu/xuat/", export, name="lookup_export"),
    path("ung-dung-ket-noi/", api_clients, name="api_clients"),
    path("ung-dung-ket-noi/<int:pk>/thu-hoi/", api_client_revoke, name="api_client_revoke"),
]
