"""Analytics of discipline decisions (issue 4 item 6): filters, charts, the dot-map, tables and their export.

Everything is read within ``policies.scope(user, "discipline")``; a reader with
no discipline scope is refused. Figures are counts over plain columns: a
classified decision is counted and never decrypted, so the page records no read.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module
from kiemtra.accounts.policies import Scope
from kiemtra.accounts.views.common import acting_user
from kiemtra.audit import services as audit
from kiemtra.core import exports
from kiemtra.core.errors import PolicyDenied
from kiemtra.orgs.models import OrgUnit

from .. import filters
from ..analytics import (
    DIMENSIONS,
    SPLITS,
    TABLE_DIMENSIONS,
    Filters,
    Overview,
    Step,
    bars,
    map_data,
    overview,
)
from ..models import Decision

# The filters analytics offers: those of the search page but the issuing body and the unit.
ANALYTICS_FILTERS = (
    "term",
    "year_from",
    "year_to",
    "province",
    "penalty",
    "category",
    "subject_type",
    "issuing_level",
    "position_level",
)


def _visible(request: HttpRequest) -> Scope:
    visible = policies.scope(request.user, Module.DISCIPLINE)
    if not visible:
        raise PolicyDenied("discipline.view")
    return visible


class FilterForm(filters.DecisionFilterForm):
    """The search page's filters (``filters.DecisionFilter``) and how to draw the trend.

    A bad value is reported and left out, the others still apply.
    """

    step = forms.ChoiceField(
        label=gettext_lazy("Xu hướng theo"),
        required=False,
        choices=[(Step.YEAR, gettext_lazy("Năm")), (Step.QUARTER, gettext_lazy("Quý"))],
        error_messages={"invalid_choice": filters.INVALID_CHOICE},
    )
    split = forms.ChoiceField(
        label=gettext_lazy("Tách theo"), required=False, error_messages={"invalid_choice": filters.INVALID_CHOICE}
    )

    def __init__(self, data: QueryDict, visible: Scope) -> None:
        super().__init__(filters.clean_params(data, (*ANALYTICS_FILTERS, "step", "split")))
        decisions = visible.filter(Decision.objects.published()).order_by()
        # Only the provinces that have decisions in the reader's scope are offered (and accepted).
        provinces = list(
            OrgUnit.objects.filter(pk__in=decisions.filter(province__isnull=False).values("province_id"))
            .order_by("name")
            .values_list("pk", "name")
        )
        shared = filters.DecisionFilter({}, provinces=provinces).form.fields
        own = {name: self.fields[name] for name in ("step", "split")}
        self.fields = {**{name: shared[name] for name in ANALYTICS_FILTERS}, **own}
        split = self.fields["split"]
        assert isinstance(split, forms.ChoiceField)
        split.choices = [("", gettext_lazy("— không tách —")), *[(s, DIMENSIONS[s].title) for s in SPLITS if s]]
        self.labels: dict[str, dict[str, str]] = {}
        for name, f in self.fields.items():
            if isinstance(f, forms.ChoiceField):
                self.labels[name] = {str(k): str(v) for k, v in f.choices if k not in ("", None)}  # type: ignore[misc,union-attr]
            css = "form-select form-select-sm" if isinstance(f, forms.ChoiceField) else "form-control form-control-sm"
            f.widget.attrs.update({"class": css, "id": f"a-{name}"})

    def filters(self) -> Filters:
        """The filters from the valid fields only (call after ``is_valid``)."""
        data = getattr(self, "cleaned_data", {})
        return Filters(
            term=data.get("term") or "",
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            province=data.get("province"),
            penalty=data.get("penalty") or "",
            category=data.get("category") or "",
            subject_type=data.get("subject_type") or "",
            issuing_level=data.get("issuing_level") or "",
            position_level=data.get("position_level") or "",
        )


def read(request: HttpRequest) -> tuple[FilterForm, Overview]:
    visible = _visible(request)
    form = FilterForm(request.GET, visible)
    form.is_valid()  # errors are shown; the valid filters still apply
    data = getattr(form, "cleaned_data", {})
    step = data.get("step") or Step.YEAR
    split = data.get("split") or ""
    return form, overview(visible, form.filters(), step=step, split=split)


@login_required
def analytics(request: HttpRequest) -> HttpResponse:
    form, result = read(request)
    tables = [result.tables[name] for name in TABLE_DIMENSIONS]
    charts = {
        "trend": {**result.trend.chart(), "urls": [[c.url for c in s.cells] for s in result.trend.series]},
        "penalty": bars(result.tables["penalty"]),
        "category": bars(result.tables["category"]),
        "position_level": bars(result.tables["position_level"]),
        "provinces": map_data(result.province_dots),
        "units": map_data(result.unit_dots),
    }
    province_name = next((c.label for c in result.tables["province"].cells if c.key[0] == result.filters.province), "")
    query = request.GET.copy()
    return render(
        request,
        "discipline/analytics.html",
        {
            "form": form,
            "problems": [
                (form.fields[n].label if n in form.fields else "", e) for n, es in form.errors.items() for e in es
            ],
            "result": result,
            "tables": tables,
            "charts": charts,
            "province_name": province_name,
            "export_query": query.urlencode(),
            "breadcrumbs": [(_("Phân tích quyết định kỷ luật"), None)],
        },
    )


# --- export ----------------------------------------------------------------------------------


def _describe(result: Overview, form: FilterForm) -> list[str]:
    lines = [
        _("Quyết định kỷ luật đã đối soát, công bố, trong phạm vi được xem: %(n)s quyết định.") % {"n": result.total},
    ]
    chosen = []
    for name, value in result.filters.params().items():
        f = form.fields[name]
        label = form.labels.get(name, {}).get(value, value)
        chosen.append(f"{f.label}: {label}")
    lines.append(_("Điều kiện lọc: %(f)s") % {"f": "; ".join(chosen) if chosen else _("không có")})
    lines.append(_("Một quyết định có thể thuộc nhiều nội dung vi phạm: bảng nội dung vi phạm không cộng dồn."))
    return lines


def export_xlsx(request: HttpRequest, form: FilterForm, result: Overview) -> HttpResponse:
    """One sheet per table, the trend first; each count links to the decisions behind it.

    Every label is text (a unit or category named "=…" is not a formula): ``exports.xlsx_attachment``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    who = str(acting_user(request))
    head = [
        _("Kiểm tra số — phân tích quyết định kỷ luật"),
        *_describe(result, form),
        _("Lập lúc %(at)s, bởi %(who)s") % {"at": f"{timezone.localtime():%d/%m/%Y %H:%M}", "who": who},
        "",
    ]

    def sheet(title: str, header: list[str], rows: list[tuple[str, list[tuple[int, str | None]]]]) -> None:
        ws = book.create_sheet(title[:31])
        for line in head:
            ws.append([line])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append(header)
        header_row = ws.max_row
        for c in ws[header_row]:
            c.font = Font(bold=True)
            c.alignment = Alignment(wrap_text=True, vertical="center")
        for label, counts in rows:
            ws.append([label, *[n for n, _url in counts]])
            for i, (_n, url) in enumerate(counts, start=2):
                if url:
                    cell = ws.cell(ws.max_row, i)
                    cell.hyperlink = request.build_absolute_uri(url)
        ws.column_dimensions["A"].width = 56
        ws.freeze_panes = ws.cell(header_row + 1, 2)

    trend = result.trend
    sheet(
        _("Xu hướng"),
        [str(trend.split.title) if trend.split else "", *trend.period_labels],
        [(s.name, [(c.count, c.url) for c in s.cells]) for s in trend.series],
    )
    for name in TABLE_DIMENSIONS:
        t = result.tables[name]
        rows = [(c.label, [(c.count, c.url)]) for c in t.cells]
        if name != "category":
            rows.append((_("Tổng cộng"), [(t.total, t.total_url)]))
        sheet(t.title, [t.title, _("Số lượng quyết định")], rows)
    if result.unit_cells:
        sheet(
            _("Theo đơn vị quản lý"),
            [_("Đơn vị quản lý quyết định"), _("Số lượng quyết định")],
            [(c.label, [(c.count, c.url)]) for c in result.unit_cells],
        )
    default = book.worksheets[0]
    book.remove(default)
    return exports.xlsx_attachment(book, f"phan-tich-ky-luat-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def export(request: HttpRequest) -> HttpResponse:
    form, result = read(request)
    audit.record(
        acting_user(request),
        "discipline.analytics.exported",
        None,
        unit=getattr(request, "current_unit", None),
        is_read=True,
        filters=result.filters.params(),
        decisions=result.total,
    )
    return export_xlsx(request, form, result)


urlpatterns: list[URLPattern] = [
    path("phan-tich/", analytics, name="analytics"),
    path("phan-tich/xuat-excel/", export, name="analytics_export"),
]
