"""The form designer pages (system admin only): forms and versions, the grid, edits, JSON in and out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies
from kiemtra.accounts.models import User
from kiemtra.accounts.views.common import acting_user
from kiemtra.core.errors import DomainError
from kiemtra.core.forms import StyledForm
from kiemtra.orgs.choices import DepartmentRole, UnitKind

from .. import formsets
from ..choices import CellType, PeriodType, Severity
from ..forms import TextGuard
from ..models import Column, Form, FormVersion, Row, ValidationRule
from ..services import designer

MAX_UPLOAD = 2 * 1024 * 1024

UNIT_CATEGORY_CHOICES = [
    *((str(k.value), k.label) for k in UnitKind if k != UnitKind.DEPARTMENT),
    *((str(r.value), r.label) for r in DepartmentRole if r.value),
]


def _checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class VersionForm(TextGuard, StyledForm):
    title = forms.CharField(label=gettext_lazy("Tên biểu"), max_length=255)
    unit_categories = forms.MultipleChoiceField(
        label=gettext_lazy("Đơn vị thực hiện"), choices=UNIT_CATEGORY_CHOICES, widget=_checkboxes()
    )
    period_types = forms.MultipleChoiceField(
        label=gettext_lazy("Loại kỳ báo cáo"), choices=PeriodType.choices, widget=_checkboxes()
    )
    source = forms.CharField(label=gettext_lazy("Căn cứ"), max_length=255, required=False)


class NewFormForm(VersionForm):
    code = forms.CharField(label=gettext_lazy("Số hiệu biểu"), max_length=16)
    field_order = ["code", "title", "unit_categories", "period_types", "source"]


class RowForm(TextGuard, StyledForm):
    code = forms.CharField(label=gettext_lazy("Mã dòng"), max_length=16)
    label = forms.CharField(label=gettext_lazy("Tên chỉ tiêu"), max_length=500)
    formula = forms.CharField(
        label=gettext_lazy("Công thức (dòng tính toán, ví dụ R1 + R2)"), max_length=500, required=False
    )
    position = forms.IntegerField(label=gettext_lazy("Vị trí"), min_value=1, max_value=10_000, required=False)


class ColumnForm(TextGuard, StyledForm):
    code = forms.CharField(label=gettext_lazy("Mã cột"), max_length=16)
    label = forms.CharField(label=gettext_lazy("Tên cột"), max_length=500)
    cell_type = forms.ChoiceField(label=gettext_lazy("Kiểu ô"), choices=CellType.choices)
    decimal_places = forms.IntegerField(
        label=gettext_lazy("Số chữ số thập phân"), min_value=0, max_value=formsets.MAX_DECIMAL_PLACES, initial=0
    )
    rolls_up = forms.BooleanField(
        label=gettext_lazy("Cộng dồn lên cấp trên"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    formula = forms.CharField(
        label=gettext_lazy("Công thức (cột tính toán, ví dụ C2 + C3)"), max_length=500, required=False
    )
    position = forms.IntegerField(label=gettext_lazy("Vị trí"), min_value=1, max_value=10_000, required=False)


class RuleForm(TextGuard, StyledForm):
    code = forms.CharField(label=gettext_lazy("Mã quy tắc"), max_length=32)
    expression = forms.CharField(
        label=gettext_lazy("Biểu thức (ví dụ R1_C3 <= R1_C1; F01_RT_C1; PREV(RT_C1))"), max_length=1000
    )
    severity = forms.ChoiceField(label=gettext_lazy("Mức độ"), choices=Severity.choices)
    message = forms.CharField(label=gettext_lazy("Thông báo khi vi phạm"), max_length=500)


class ImportForm(TextGuard, StyledForm):
    file = forms.FileField(label=gettext_lazy("Tệp JSON định nghĩa biểu"))


# --- helpers ------------------------------------------------------------------------


def _configurer(request: HttpRequest) -> User:
    """Every designer page is the system admin's (Art. 2.8, 3.2.a); everyone else gets 403."""
    actor = acting_user(request)
    policies.require(actor, "stats.configure")
    return actor


def _form_errors(form: forms.Form) -> str:
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(str(e) for e in errs)}"
        for name, errs in form.errors.items()
    )


def _attempt(request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], Any], done: str) -> None:
    """Validate the form, run the service, turn the outcome into a message."""
    if not form.is_valid():
        messages.error(request, _("Thông tin chưa hợp lệ: %(e)s") % {"e": _form_errors(form)})
        return
    try:
        action(form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


def _back(version_id: int) -> HttpResponse:
    return redirect("stats:form_version", pk=version_id)


BREADCRUMB = (gettext_lazy("Thiết kế biểu mẫu"), "stats:designer")


# --- pages --------------------------------------------------------------------------


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    _configurer(request)
    versions = (
        FormVersion.objects.annotate(
            n_rows=Count("rows", distinct=True),
            n_columns=Count("columns", distinct=True),
            n_rules=Count("rules", distinct=True),
        )
        .prefetch_related("periods")
        .order_by("-number")
    )
    form_rows = Form.objects.prefetch_related(Prefetch("versions", queryset=versions)).order_by("code")
    return render(
        request,
        "stats/designer/list.html",
        {
            "forms": form_rows,
            "new_form": NewFormForm(auto_id="new_%s"),
            "import_form": ImportForm(auto_id="import_%s"),
            "breadcrumbs": [(BREADCRUMB[0], None)],
        },
    )


def _grid(rows: list[Row], columns: list[Column]) -> list[dict[str, Any]]:
    grid = []
    for row in rows:
        cells = []
        for column in columns:
            formula = row.formula or column.formula
            cells.append({"column": column, "computed": bool(formula), "formula": formula})
        grid.append({"row": row, "cells": cells})
    return grid


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _configurer(request)
    version = get_object_or_404(FormVersion.objects.select_related("form"), pk=pk)
    rows, columns = list(version.rows.all()), list(version.columns.all())
    rules = list(version.rules.all())
    frozen = designer.is_frozen(version)
    context: dict[str, Any] = {
        "version": version,
        "form": version.form,
        "rows": rows,
        "columns": columns,
        "rules": rules,
        "grid": _grid(rows, columns),
        "frozen": frozen,
        "periods": list(version.periods.order_by("-data_cutoff")),
        "siblings": list(version.form.versions.order_by("-number")),
        "category_labels": [dict(UNIT_CATEGORY_CHOICES).get(c, c) for c in version.unit_categories],
        "period_type_labels": [dict(PeriodType.choices).get(t, t) for t in version.period_types],
        "breadcrumbs": [BREADCRUMB, (str(version), None)],
    }
    if not frozen:
        context.update(
            version_form=VersionForm(
                initial={
                    "title": version.title,
                    "unit_categories": version.unit_categories,
                    "period_types": version.period_types,
                    "source": version.source,
                },
                auto_id="version_%s",
            ),
            row_form=RowForm(auto_id="row_%s"),
            column_form=ColumnForm(auto_id="column_%s"),
            rule_form=RuleForm(auto_id="rule_%s", initial={"severity": Severity.BLOCKING}),
            row_forms=[
                (
                    r,
                    RowForm(
                        initial={"code": r.code, "label": r.label, "formula": r.formula, "position": i},
                        auto_id=f"row{r.pk}_%s",
                    ),
                )
                for i, r in enumerate(rows, 1)
            ],
            column_forms=[
                (
                    c,
                    ColumnForm(
                        initial={
                            "code": c.code,
                            "label": c.label,
                            "cell_type": c.cell_type,
                            "decimal_places": c.decimal_places,
                            "rolls_up": c.rolls_up,
                            "formula": c.formula,
                            "position": i,
                        },
                        auto_id=f"column{c.pk}_%s",
                    ),
                )
                for i, c in enumerate(columns, 1)
            ],
            rule_forms=[
                (
                    r,
                    RuleForm(
                        initial={
                            "code": r.code,
                            "expression": r.expression,
                            "severity": r.severity,
                            "message": r.message,
                        },
                        auto_id=f"rule{r.pk}_%s",
                    ),
                )
                for r in rules
            ],
        )
    return render(request, "stats/designer/version.html", context)


@login_required
@require_POST
def form_create(request: HttpRequest) -> HttpResponse:
    actor = _configurer(request)
    form = NewFormForm(request.POST)
    created: list[FormVersion] = []

    def run(data: dict[str, Any]) -> None:
        created.append(
            designer.create_form(
                actor,
                code=data["code"],
                title=data["title"],
                unit_categories=data["unit_categories"],
                period_types=data["period_types"],
                source=data["source"],
            )
        )

    _attempt(request, form, run, _("Đã tạo biểu mới (phiên bản 1): thêm dòng, cột và quy tắc."))
    return _back(created[0].pk) if created else redirect("stats:designer")


@login_required
@require_POST
def version_copy(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    version = get_object_or_404(FormVersion, pk=pk)
    try:
        copy = designer.new_version(actor, version)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(version.pk)
    messages.success(request, _("Đã tạo phiên bản %(n)s từ phiên bản %(o)s.") % {"n": copy.number, "o": version.number})
    return _back(copy.pk)


@login_required
@require_POST
def version_update(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    version = get_object_or_404(FormVersion, pk=pk)
    _attempt(
        request,
        VersionForm(request.POST),
        lambda d: designer.update_version(
            actor,
            version,
            title=d["title"],
            unit_categories=d["unit_categories"],
            period_types=d["period_types"],
            source=d["source"],
        ),
        _("Đã lưu thông tin phiên bản."),
    )
    return _back(version.pk)


@login_required
@require_POST
def row_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    version = get_object_or_404(FormVersion, pk=pk)
    _attempt(request, RowForm(request.POST), lambda d: designer.add_row(actor, version, **d), _("Đã thêm dòng."))
    return _back(version.pk)


@login_required
@require_POST
def row_update(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    row = get_object_or_404(Row, pk=pk)
    _attempt(request, RowForm(request.POST), lambda d: designer.update_row(actor, row, **d), _("Đã lưu dòng."))
    return _back(row.version_id)


@login_required
@require_POST
def row_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    row = get_object_or_404(Row, pk=pk)
    try:
        designer.delete_row(actor, row)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa dòng %(c)s.") % {"c": row.code})
    return _back(row.version_id)


@login_required
@require_POST
def column_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    version = get_object_or_404(FormVersion, pk=pk)
    _attempt(request, ColumnForm(request.POST), lambda d: designer.add_column(actor, version, **d), _("Đã thêm cột."))
    return _back(version.pk)


@login_required
@require_POST
def column_update(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    column = get_object_or_404(Column, pk=pk)
    _attempt(request, ColumnForm(request.POST), lambda d: designer.update_column(actor, column, **d), _("Đã lưu cột."))
    return _back(column.version_id)


@login_required
@require_POST
def column_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    column = get_object_or_404(Column, pk=pk)
    try:
        designer.delete_column(actor, column)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa cột %(c)s.") % {"c": column.code})
    return _back(column.version_id)


@login_required
@require_POST
def rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    version = get_object_or_404(FormVersion, pk=pk)
    _attempt(request, RuleForm(request.POST), lambda d: designer.add_rule(actor, version, **d), _("Đã thêm quy tắc."))
    return _back(version.pk)


@login_required
@require_POST
def rule_update(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    rule = get_object_or_404(ValidationRule, pk=pk)
    _attempt(request, RuleForm(request.POST), lambda d: designer.update_rule(actor, rule, **d), _("Đã lưu quy tắc."))
    return _back(rule.version_id)


@login_required
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    rule = get_object_or_404(ValidationRule, pk=pk)
    try:
        designer.delete_rule(actor, rule)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa quy tắc %(c)s.") % {"c": rule.code})
    return _back(rule.version_id)


@login_required
def form_export(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _configurer(request)
    version = get_object_or_404(FormVersion.objects.select_related("form"), pk=pk)
    document = designer.export_version(actor, version)
    response = HttpResponse(formsets.dumps(document), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bieu-{version.form.code}-v{version.number}.json"'
    return response


@login_required
def form_import(request: HttpRequest) -> HttpResponse:
    actor = _configurer(request)
    if request.method != "POST":
        return render(
            request,
            "stats/designer/import.html",
            {"import_form": ImportForm(auto_id="import_%s"), "breadcrumbs": [BREADCRUMB, (_("Nhập biểu"), None)]},
        )
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Chọn tệp JSON cần nhập."))
        return redirect("stats:designer")
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD:
        messages.error(request, _("Tệp quá lớn (tối đa 2 MB)."))
        return redirect("stats:designer")
    try:
        created = designer.import_file(actor, upload.read())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("stats:designer")
    messages.success(
        request,
        _("Đã nhập %(n)s phiên bản biểu: %(v)s.")
        % {"n": len(created), "v": ", ".join(f"{v.form.code} v{v.number}" for v in created)},
    )
    return _back(created[0].pk) if len(created) == 1 else redirect("stats:designer")


urlpatterns: list[URLPattern] = [
    path("bieu-mau/", form_list, name="designer"),
    path("bieu-mau/tao/", form_create, name="form_create"),
    path("bieu-mau/nhap/", form_import, name="form_import"),
    path("bieu-mau/phien-ban/<int:pk>/", version_detail, name="form_version"),
    path("bieu-mau/phien-ban/<int:pk>/xuat-json/", form_export, name="form_export"),
    path("bieu-mau/phien-ban/<int:pk>/phien-ban-moi/", version_copy, name="form_version_copy"),
    path("bieu-mau/phien-ban/<int:pk>/thong-tin/", version_update, name="form_version_update"),
    path("bieu-mau/phien-ban/<int:pk>/dong/them/", row_add, name="form_row_add"),
    path("bieu-mau/dong/<int:pk>/sua/", row_update, name="form_row_update"),
    path("bieu-mau/dong/<int:pk>/xoa/", row_delete, name="form_row_delete"),
    path("bieu-mau/phien-ban/<int:pk>/cot/them/", column_add, name="form_column_add"),
    path("bieu-mau/cot/<int:pk>/sua/", column_update, name="form_column_update"),
    path("bieu-mau/cot/<int:pk>/xoa/", column_delete, name="form_column_delete"),
    path("bieu-mau/phien-ban/<int:pk>/quy-tac/them/", rule_add, name="form_rule_add"),
    path("bieu-mau/quy-tac/<int:pk>/sua/", rule_update, name="form_rule_update"),
    path("bieu-mau/quy-tac/<int:pk>/xoa/", rule_delete, name="form_rule_delete"),
]
