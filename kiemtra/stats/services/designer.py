"""The form designer (Quy định 11 Art. 2.8 "cấu hình"): the system admin sets up forms, indicators and rules.

A version used by a reporting period is frozen: its figures mean what its
structure said. Changing it means a new version (a copy) that later periods use.
Every change is checked as a whole — codes unique, formulas and rules compiled,
every cell they name present — before anything is written, and audited.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core.actors import SystemActor
from kiemtra.core.errors import DomainError

from .. import formsets
from ..choices import CellType, Severity
from ..formsets import ColumnSpec, FormSpec, RowSpec, RuleSpec
from ..models import Column, Form, FormVersion, Row, ValidationRule

CONFIGURE = "stats.configure"


def frozen_message() -> str:
    return _("Phiên bản đã được dùng trong kỳ báo cáo: tạo phiên bản mới để thay đổi")


def is_frozen(version: FormVersion) -> bool:
    return version.frozen or version.periods.exists()


def _editable(actor: Any, version: FormVersion) -> FormVersion:
    """Policy first, then the row lock, then the frozen check."""
    policies.require(actor, CONFIGURE)
    version = FormVersion.objects.select_for_update().select_related("form").get(pk=version.pk)
    if is_frozen(version):
        raise DomainError(frozen_message(), code="version_frozen")
    return version


def _check(spec: FormSpec) -> None:
    known = formsets.stored_structures(exclude={spec.code})
    errors = formsets.check_form(spec, known, allow_empty=True)
    if errors:
        raise DomainError("; ".join(errors), code="invalid_form")


def _clean_code(code: str) -> str:
    return code.strip()


# --- forms and versions ------------------------------------------------------------


@transaction.atomic
def create_form(
    actor: Any, *, code: str, title: str, unit_categories: list[str], period_types: list[str], source: str = ""
) -> FormVersion:
    """A new form with an empty version 1, to be filled in the designer."""
    policies.require(actor, CONFIGURE)
    code = _clean_code(code)
    if Form.objects.filter(code=code).exists():
        raise DomainError(_("Đã có biểu số hiệu %(c)s.") % {"c": code}, code="form_exists")
    spec = FormSpec(code, title.strip(), 1, list(unit_categories), list(period_types), source.strip())
    _check(spec)
    if not spec.unit_categories or not spec.period_types:
        raise DomainError(_("Chọn ít nhất một loại đơn vị thực hiện và một loại kỳ."), code="invalid_form")
    form = Form.objects.create(code=code, title=spec.title)
    version = formsets.write_version(form, 1, spec)
    audit.record(actor, "stats.form.created", version, after={"form": code, "title": spec.title})
    return version


@transaction.atomic
def new_version(actor: Any, version: FormVersion) -> FormVersion:
    """A copy of ``version`` as the next version number, unfrozen, ready to edit."""
    policies.require(actor, CONFIGURE)
    form = Form.objects.select_for_update().get(pk=version.form_id)
    number = (form.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    spec = formsets.spec_of(version)
    copy = formsets.write_version(form, number, spec)
    audit.record(
        actor,
        "stats.form.version_created",
        copy,
        after={"form": form.code, "version": number, "copied_from": version.number},
    )
    return copy


@transaction.atomic
def update_version(
    actor: Any,
    version: FormVersion,
    *,
    title: str,
    unit_categories: list[str],
    period_types: list[str],
    source: str = "",
) -> FormVersion:
    version = _editable(actor, version)
    spec = replace(
        formsets.spec_of(version),
        title=title.strip(),
        unit_categories=list(unit_categories),
        period_types=list(period_types),
        source=source.strip(),
    )
    _check(spec)
    if not spec.unit_categories or not spec.period_types:
        raise DomainError(_("Chọn ít nhất một loại đơn vị thực hiện và một loại kỳ."), code="invalid_form")
    before = {
        "title": version.title,
        "unit_categories": version.unit_categories,
        "period_types": version.period_types,
        "source": version.source,
    }
    version.title, version.unit_categories, version.period_types, version.source = (
        spec.title,
        spec.unit_categories,
        spec.period_types,
        spec.source[:255],
    )
    version.save(update_fields=["title", "unit_categories", "period_types", "source"])
    audit.record(
        actor,
        "stats.form.version_updated",
        version,
        before=before,
        after={
            "title": version.title,
            "unit_categories": version.unit_categories,
            "period_types": version.period_types,
            "source": version.source,
        },
    )
    return version


# --- rows ---------------------------------------------------------------------------


def _place(items: list[Any], item: Any, position: int | None) -> None:
    """Insert at 1-based ``position`` (clamped); at the end when None."""
    if position is None:
        items.append(item)
    else:
        items.insert(max(0, min(position - 1, len(items))), item)


def _renumber(model: type[Row] | type[Column], version: FormVersion, codes: list[str]) -> None:
    """Positions 1..n in the order of ``codes``."""
    positions = dict(model.objects.filter(version=version).values_list("code", "position"))
    for i, code in enumerate(codes, 1):
        if positions[code] != i:
            model.objects.filter(version=version, code=code).update(position=i)


@transaction.atomic
def add_row(
    actor: Any, version: FormVersion, *, code: str, label: str, formula: str = "", position: int | None = None
) -> Row:
    version = _editable(actor, version)
    spec = formsets.spec_of(version)
    new = RowSpec(_clean_code(code), label.strip(), formula.strip())
    _place(spec.rows, new, position)
    _check(spec)
    row = Row.objects.create(version=version, code=new.code, label=new.label, formula=new.formula, position=0)
    _renumber(Row, version, [r.code for r in spec.rows])
    audit.record(
        actor, "stats.form.row_added", version, after={"code": new.code, "label": new.label, "formula": new.formula}
    )
    row.refresh_from_db()
    return row


@transaction.atomic
def update_row(actor: Any, row: Row, *, code: str, label: str, formula: str = "", position: int | None = None) -> Row:
    version = _editable(actor, row.version)
    row = Row.objects.get(pk=row.pk)
    spec = formsets.spec_of(version)
    index = next(i for i, r in enumerate(spec.rows) if r.code == row.code)
    old = spec.rows.pop(index)
    new = RowSpec(_clean_code(code), label.strip(), formula.strip())
    _place(spec.rows, new, position if position is not None else index + 1)
    _check(spec)
    row.code, row.label, row.formula = new.code, new.label, new.formula
    row.save(update_fields=["code", "label", "formula"])
    _renumber(Row, version, [r.code for r in spec.rows])
    audit.record(
        actor,
        "stats.form.row_updated",
        version,
        before={"code": old.code, "label": old.label, "formula": old.formula},
        after={"code": new.code, "label": new.label, "formula": new.formula},
    )
    row.refresh_from_db()
    return row


@transaction.atomic
def delete_row(actor: Any, row: Row) -> None:
    version = _editable(actor, row.version)
    spec = formsets.spec_of(version)
    spec.rows = [r for r in spec.rows if r.code != row.code]
    _check(spec)
    Row.objects.filter(pk=row.pk).delete()
    _renumber(Row, version, [r.code for r in spec.rows])
    audit.record(actor, "stats.form.row_deleted", version, before={"code": row.code, "label": row.label})


# --- columns ------------------------------------------------------------------------


def _column_spec(
    code: str, label: str, cell_type: str, decimal_places: int, rolls_up: bool, formula: str
) -> ColumnSpec:
    if cell_type == CellType.TEXT:
        rolls_up = False
    if cell_type != CellType.DECIMAL:
        decimal_places = 0
    return ColumnSpec(_clean_code(code), label.strip(), cell_type, decimal_places, rolls_up, formula.strip())


def _column_data(column: ColumnSpec) -> dict[str, Any]:
    return {
        "code": column.code,
        "label": column.label,
        "cell_type": column.cell_type,
        "decimal_places": column.decimal_places,
        "rolls_up": column.rolls_up,
        "formula": column.formula,
    }


@transaction.atomic
def add_column(
    actor: Any,
    version: FormVersion,
    *,
    code: str,
    label: str,
    cell_type: str = CellType.INTEGER,
    decimal_places: int = 0,
    rolls_up: bool = True,
    formula: str = "",
    position: int | None = None,
) -> Column:
    version = _editable(actor, version)
    spec = formsets.spec_of(version)
    new = _column_spec(code, label, cell_type, decimal_places, rolls_up, formula)
    _place(spec.columns, new, position)
    _check(spec)
    column = Column.objects.create(version=version, position=0, **_column_data(new))
    _renumber(Column, version, [c.code for c in spec.columns])
    audit.record(actor, "stats.form.column_added", version, after=_column_data(new))
    column.refresh_from_db()
    return column


@transaction.atomic
def update_column(
    actor: Any,
    column: Column,
    *,
    code: str,
    label: str,
    cell_type: str = CellType.INTEGER,
    decimal_places: int = 0,
    rolls_up: bool = True,
    formula: str = "",
    position: int | None = None,
) -> Column:
    version = _editable(actor, column.version)
    column = Column.objects.get(pk=column.pk)
    spec = formsets.spec_of(version)
    index = next(i for i, c in enumerate(spec.columns) if c.code == column.code)
    old = spec.columns.pop(index)
    new = _column_spec(code, label, cell_type, decimal_places, rolls_up, formula)
    _place(spec.columns, new, position if position is not None else index + 1)
    _check(spec)
    for name, value in _column_data(new).items():
        setattr(column, name, value)
    column.save()
    _renumber(Column, version, [c.code for c in spec.columns])
    audit.record(actor, "stats.form.column_updated", version, before=_column_data(old), after=_column_data(new))
    column.refresh_from_db()
    return column


@transaction.atomic
def delete_column(actor: Any, column: Column) -> None:
    version = _editable(actor, column.version)
    spec = formsets.spec_of(version)
    spec.columns = [c for c in spec.columns if c.code != column.code]
    _check(spec)
    Column.objects.filter(pk=column.pk).delete()
    _renumber(Column, version, [c.code for c in spec.columns])
    audit.record(actor, "stats.form.column_deleted", version, before={"code": column.code, "label": column.label})


# --- rules --------------------------------------------------------------------------


def _rule_spec(code: str, expression: str, severity: str, message: str) -> RuleSpec:
    return RuleSpec(_clean_code(code), expression.strip(), severity, message.strip())


def _rule_data(rule: RuleSpec) -> dict[str, Any]:
    return {"code": rule.code, "expression": rule.expression, "severity": rule.severity, "message": rule.message}


@transaction.atomic
def add_rule(
    actor: Any, version: FormVersion, *, code: str, expression: str, message: str, severity: str = Severity.BLOCKING
) -> ValidationRule:
    version = _editable(actor, version)
    spec = formsets.spec_of(version)
    new = _rule_spec(code, expression, severity, message)
    spec.rules.append(new)
    _check(spec)
    rule = ValidationRule.objects.create(version=version, **_rule_data(new))
    audit.record(actor, "stats.form.rule_added", version, after=_rule_data(new))
    return rule


@transaction.atomic
def update_rule(
    actor: Any, rule: ValidationRule, *, code: str, expression: str, message: str, severity: str = Severity.BLOCKING
) -> ValidationRule:
    version = _editable(actor, rule.version)
    rule = ValidationRule.objects.get(pk=rule.pk)
    spec = formsets.spec_of(version)
    index = next(i for i, r in enumerate(spec.rules) if r.code == rule.code)
    old = spec.rules[index]
    new = spec.rules[index] = _rule_spec(code, expression, severity, message)
    _check(spec)
    for name, value in _rule_data(new).items():
        setattr(rule, name, value)
    rule.save()
    audit.record(actor, "stats.form.rule_updated", version, before=_rule_data(old), after=_rule_data(new))
    return rule


@transaction.atomic
def delete_rule(actor: Any, rule: ValidationRule) -> None:
    version = _editable(actor, rule.version)
    ValidationRule.objects.filter(pk=rule.pk).delete()
    audit.record(actor, "stats.form.rule_deleted", version, before={"code": rule.code, "expression": rule.expression})


# --- files --------------------------------------------------------------------------


def _configurer(actor: Any) -> None:
    """The system admin — or a command run on the server (a named ``SystemActor``, audited as such)."""
    if not isinstance(actor, SystemActor):
        policies.require(actor, CONFIGURE)


def import_file(actor: Any, raw: str | bytes | dict[str, Any]) -> list[FormVersion]:
    """Upload: each form of the file becomes a new version (a new form if its code is unknown)."""
    _configurer(actor)
    return formsets.import_forms(raw, actor=actor)


def load_file(actor: Any, raw: str | bytes | dict[str, Any]) -> formsets.LoadResult:
    """Each form's version as numbered in the file, unless it exists already (idempotent)."""
    _configurer(actor)
    return formsets.load(raw, actor=actor)


def load_demo_forms(actor: Any) -> formsets.LoadResult:
    return load_file(actor, formsets.DEMO_FILE.read_bytes())


def export_version(actor: Any, version: FormVersion) -> dict[str, Any]:
    policies.require(actor, CONFIGURE)
    document = formsets.export(version)
    audit.record(actor, "stats.form.exported", version, after={"form": version.form.code, "version": version.number})
    return document
