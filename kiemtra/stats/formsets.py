"""Form definitions as JSON files: read, check, load idempotently, import as a new version, export.

A file holds named **catalogs** (shared lists such as "Cấp thực hiện" or the
violation contents) and **forms**. A form's rows and columns are either listed
one by one or generated from a catalog; column formulas and rules may name
columns by key (``{kiem_tra}`` → ``C1``) or a whole group (``{@noi_dung}`` →
``C6, C7, …``), and a rule with ``each_row`` is written once and expanded for
every input row. The exported form of a version is the expanded one: explicit
codes, formulas and rules, loadable by the same reader.

Everything is checked before anything is written; one error and nothing loads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError
from kiemtra.orgs.choices import DepartmentRole, UnitKind

from . import expressions
from .choices import CellType, PeriodType, Severity
from .models import Column, Form, FormVersion, Row, ValidationRule

FORMAT = "kiemtra.bieu-mau/1"
DATA_DIR = Path(__file__).parent / "data"
DEMO_FILE = DATA_DIR / "forms_demo.json"

CODE = re.compile(r"^[0-9A-Za-z]{1,16}$")
KEY = re.compile(r"^[a-z_][a-z0-9_]*$")
PLACEHOLDER = re.compile(r"\{(@?)([A-Za-z_][A-Za-z0-9_]*)\}")
IDENTIFIER = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")
KEYWORDS = frozenset({"and", "or", "not"})
MAX_DECIMAL_PLACES = 4  # Value.number keeps four decimal places
UNIT_CATEGORIES = frozenset({*UnitKind.values, *(r for r in DepartmentRole.values if r)})


# --- the expanded form -------------------------------------------------------------


@dataclass
class RowSpec:
    code: str
    label: str
    formula: str = ""


@dataclass
class ColumnSpec:
    code: str
    label: str
    cell_type: str = CellType.INTEGER
    decimal_places: int = 0
    rolls_up: bool = True
    formula: str = ""
    key: str = ""  # the name used in the source file (templates, demo data); not stored
    group: str = ""


@dataclass
class RuleSpec:
    code: str
    expression: str
    severity: str
    message: str


@dataclass
class FormSpec:
    code: str
    title: str
    number: int
    unit_categories: list[str]
    period_types: list[str]
    source: str = ""
    rows: list[RowSpec] = field(default_factory=list)
    columns: list[ColumnSpec] = field(default_factory=list)
    rules: list[RuleSpec] = field(default_factory=list)
    row_catalog: str = ""  # the catalog the rows were generated from, if any

    def column_codes(self, key_or_group: str) -> list[str]:
        """Codes of the column with this key, or of every column of this group."""
        return [c.code for c in self.columns if key_or_group in (c.key, c.group)]

    def structure(self) -> dict[str, Any]:
        """Rows, columns and rules as plain data (what an export writes, what a round trip compares)."""
        return {
            "rows": [{"code": r.code, "label": r.label, "formula": r.formula} for r in self.rows],
            "columns": [
                {
                    "code": c.code,
                    "label": c.label,
                    "type": c.cell_type,
                    "decimal_places": c.decimal_places,
                    "rolls_up": c.rolls_up,
                    "formula": c.formula,
                }
                for c in self.columns
            ],
            "rules": [
                {"code": r.code, "expression": r.expression, "severity": r.severity, "message": r.message}
                for r in self.rules
            ],
        }


@dataclass
class Catalog:
    name: str
    title: str
    items: list[str]
    levels: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class FormSet:
    forms: list[FormSpec]
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    source: str = ""

    def form(self, code: str) -> FormSpec:
        return next(f for f in self.forms if f.code == code)


class FormSetError(DomainError):
    """The file was refused; ``errors`` lists every problem found, in Vietnamese."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:30]
        more = len(errors) - len(shown)
        text = "; ".join(shown) + (_(" (và %(n)s lỗi khác)") % {"n": more} if more > 0 else "")
        super().__init__(
            _("Tệp định nghĩa biểu không hợp lệ, chưa nạp biểu nào: %(e)s") % {"e": text}, code="bad_formset"
        )
        self.errors = errors


# --- reading -------------------------------------------------------------------------


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: not JSON, though Python's reader takes them


def decode(raw: str | bytes) -> Any:
    try:
        return json.loads(raw, parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        raise FormSetError([_("Tệp không phải văn bản UTF-8.")]) from exc
    except json.JSONDecodeError as exc:
        raise FormSetError(
            [_("Tệp không phải JSON hợp lệ (dòng %(l)s, cột %(c)s).") % {"l": exc.lineno, "c": exc.colno}]
        ) from exc
    except (ValueError, RecursionError) as exc:  # an integer of 100,000 digits, NaN, nesting too deep
        raise FormSetError([_("Tệp không phải JSON hợp lệ.")]) from exc


class _Reader:
    """Turns the file into FormSpecs, collecting every error instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}" if where else message)

    def text(self, data: dict[str, Any], name: str, where: str, *, required: bool = True, default: str = "") -> str:
        value = data.get(name, default)
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(where, _("thiếu '%(f)s' (chuỗi ký tự)") % {"f": name})
            return default
        return value.strip()

    def strings(self, data: dict[str, Any], name: str, where: str, allowed: Iterable[str]) -> list[str]:
        value = data.get(name)
        allowed = set(allowed)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.error(where, _("'%(f)s' phải là danh sách không rỗng") % {"f": name})
            return []
        for v in value:
            if v not in allowed:
                self.error(
                    where,
                    _("giá trị '%(v)s' của '%(f)s' không hợp lệ (dùng: %(a)s)")
                    % {"v": v, "f": name, "a": ", ".join(sorted(allowed))},
                )
        return [v for v in value if v in allowed]

    # -- catalogs --

    def catalogs(self, raw: Any) -> dict[str, Catalog]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.error(_("Danh mục"), _("'catalogs' phải là một đối tượng tên → danh mục"))
            return {}
        result: dict[str, Catalog] = {}
        for name, spec in raw.items():
            where = _("Danh mục %(n)s") % {"n": name}
            if isinstance(spec, list):
                spec = {"title": name, "items": spec}
            if not isinstance(spec, dict):
                self.error(where, _("phải là danh sách hoặc đối tượng có 'items'"))
                continue
            items = spec.get("items")
            if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
                self.error(where, _("'items' phải là danh sách tên không rỗng"))
                continue
            levels: dict[str, tuple[int, int]] = {}
            for level, span in (spec.get("levels") or {}).items():
                if (
                    isinstance(span, list)
                    and len(span) == 2
                    and all(isinstance(n, int) for n in span)
                    and 1 <= span[0] <= span[1] <= len(items)
                ):
                    levels[level] = (span[0], span[1])
                else:
                    self.error(where, _("khoảng dòng của cấp '%(l)s' không hợp lệ") % {"l": level})
            result[name] = Catalog(name, str(spec.get("title") or name), [i.strip() for i in items], levels)
        return result

    # -- one form --

    def form(self, raw: Any, index: int, catalogs: dict[str, Catalog]) -> FormSpec | None:
        if not isinstance(raw, dict):
            self.error(_("Biểu thứ %(i)s") % {"i": index}, _("phải là một đối tượng"))
            return None
        code = raw.get("code")
        where = _("Biểu %(c)s") % {"c": code} if isinstance(code, str) else _("Biểu thứ %(i)s") % {"i": index}
        code = self.text(raw, "code", where)
        if code and not CODE.match(code):
            self.error(where, _("số hiệu biểu chỉ gồm chữ và số, tối đa 16 ký tự"))
        number = raw.get("version", 1)
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            self.error(where, _("'version' phải là số nguyên dương"))
            number = 1
        spec = FormSpec(
            code=code,
            title=self.text(raw, "title", where),
            number=number,
            unit_categories=self.strings(raw, "unit_categories", where, UNIT_CATEGORIES),
            period_types=self.strings(raw, "period_types", where, PeriodType.values),
            source=self.text(raw, "source", where, required=False),
        )
        self.rows(spec, raw.get("rows"), where, catalogs)
        self.columns(spec, raw.get("columns"), where, catalogs)
        self.rules(spec, raw.get("rules", []), where)
        return spec

    def rows(self, spec: FormSpec, raw: Any, where: str, catalogs: dict[str, Catalog]) -> None:
        if not isinstance(raw, list):
            self.error(where, _("'rows' phải là danh sách"))
            return
        totals: list[RowSpec] = []
        for item in raw:
            if not isinstance(item, dict):
                self.error(where, _("mỗi dòng phải là một đối tượng"))
                continue
            if "catalog" in item:
                catalog = catalogs.get(item["catalog"])
                if catalog is None:
                    self.error(where, _("không có danh mục '%(n)s'") % {"n": item["catalog"]})
                    continue
                spec.row_catalog = spec.row_catalog or catalog.name
                for label in catalog.items:
                    spec.rows.append(RowSpec(str(len(spec.rows) + 1), label))
                continue
            row = RowSpec(
                code=str(item.get("code", len(spec.rows) + 1)).strip(),
                label=self.text(item, "label", where),
                formula=self.text(item, "formula", where, required=False),
            )
            if item.get("total"):
                totals.append(row)
            spec.rows.append(row)
        for total in totals:
            parts = [f"R{r.code}" for r in spec.rows if r is not total and not r.formula and r not in totals]
            total.formula = " + ".join(parts) or "0"

    def columns(self, spec: FormSpec, raw: Any, where: str, catalogs: dict[str, Catalog]) -> None:
        if not isinstance(raw, list):
            self.error(where, _("'columns' phải là danh sách"))
            return
        for item in raw:
            if not isinstance(item, dict):
                self.error(where, _("mỗi cột phải là một đối tượng"))
                continue
            if "catalog" in item:
                catalog = catalogs.get(item["catalog"])
                if catalog is None:
                    self.error(where, _("không có danh mục '%(n)s'") % {"n": item["catalog"]})
                    continue
                group = str(item.get("group") or catalog.name)
                prefix = str(item.get("prefix", ""))
                for label in catalog.items:
                    column = self.column({**item, "label": prefix + label}, where, len(spec.columns) + 1)
                    column.group = group
                    spec.columns.append(column)
                continue
            spec.columns.append(self.column(item, where, len(spec.columns) + 1))
        keys = [c.key for c in spec.columns if c.key]
        for key in {k for k in keys if keys.count(k) > 1}:
            self.error(where, _("khóa cột '%(k)s' bị trùng") % {"k": key})
        for column in spec.columns:
            if column.formula:
                column.formula = self.substitute(spec, column.formula, where)

    def column(self, item: dict[str, Any], where: str, position: int) -> ColumnSpec:
        cell_type = item.get("type", CellType.INTEGER)
        if cell_type not in CellType.values:
            self.error(
                where,
                _("kiểu ô '%(t)s' không hợp lệ (dùng: integer, decimal, text)") % {"t": cell_type},
            )
            cell_type = CellType.INTEGER
        places = item.get("decimal_places", 2 if cell_type == CellType.DECIMAL else 0)
        if not isinstance(places, int) or isinstance(places, bool) or not 0 <= places <= MAX_DECIMAL_PLACES:
            self.error(where, _("số chữ số thập phân phải từ 0 đến %(n)s") % {"n": MAX_DECIMAL_PLACES})
            places = 0
        rolls_up = item.get("rolls_up", cell_type != CellType.TEXT)
        if not isinstance(rolls_up, bool):
            self.error(where, _("'rolls_up' phải là true hoặc false"))
            rolls_up = cell_type != CellType.TEXT
        key = str(item.get("key", ""))
        if key and not KEY.match(key):
            self.error(where, _("khóa cột '%(k)s' chỉ gồm chữ thường không dấu, số và '_'") % {"k": key})
        return ColumnSpec(
            code=str(item.get("code", position)).strip(),
            label=self.text(item, "label", where),
            cell_type=cell_type,
            decimal_places=places,
            rolls_up=rolls_up,
            formula=self.text(item, "formula", where, required=False),
            key=key,
        )

    def substitute(self, spec: FormSpec, text: str, where: str) -> str:
        def replace(match: re.Match[str]) -> str:
            is_group, name = match.group(1), match.group(2)
            codes = [c.code for c in spec.columns if (c.group if is_group else c.key) == name]
            if not codes:
                self.error(
                    where, _("không có %(w)s '%(n)s'") % {"w": _("nhóm cột") if is_group else _("cột"), "n": name}
                )
                return "0"
            return ", ".join(f"C{c}" for c in codes)

        return PLACEHOLDER.sub(replace, text)

    def rules(self, spec: FormSpec, raw: Any, where: str) -> None:
        if not isinstance(raw, list):
            self.error(where, _("'rules' phải là danh sách"))
            return
        for item in raw:
            if not isinstance(item, dict):
                self.error(where, _("mỗi quy tắc phải là một đối tượng"))
                continue
            code = self.text(item, "code", where)
            severity = item.get("severity", Severity.BLOCKING)
            if severity not in Severity.values:
                self.error(
                    where,
                    _("mức độ '%(s)s' của quy tắc %(c)s không hợp lệ (dùng: blocking, warning)")
                    % {"s": severity, "c": code},
                )
                severity = Severity.BLOCKING
            expression = self.substitute(spec, self.text(item, "expression", where), where)
            message = self.text(item, "message", where)
            if not item.get("each_row"):
                spec.rules.append(RuleSpec(code, expression, severity, message))
                continue
            for row in spec.rows:
                if row.formula:
                    continue
                spec.rules.append(
                    RuleSpec(
                        f"{code}-R{row.code}",
                        on_row(expression, row.code),
                        severity,
                        _("Dòng %(r)s (%(l)s): %(m)s") % {"r": row.code, "l": row.label, "m": message},
                    )
                )


def on_row(expression: str, row_code: str) -> str:
    """``C3 <= C1`` on row 2 → ``R2_C3 <= R2_C1``; names that already carry a row are kept."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(0)
        if name in expressions.FUNCTIONS or name in KEYWORDS:
            return name
        try:
            ref = expressions.parse_ref(name)
        except ValueError:
            return name  # compile_expression reports it
        if ref.row is not None or ref.col is None:
            return name
        return (f"F{ref.form}_" if ref.form else "") + f"R{row_code}_C{ref.col}"

    return IDENTIFIER.sub(replace, expression)


def parse(data: Any) -> FormSet:
    """Read and check a whole file (dict, or JSON text); raises FormSetError listing every problem."""
    if isinstance(data, str | bytes):
        data = decode(data)
    reader = _Reader()
    if not isinstance(data, dict):
        raise FormSetError([_("Tệp phải là một đối tượng JSON có danh sách 'forms'.")])
    if data.get("format", FORMAT) != FORMAT:
        reader.error("", _("định dạng '%(f)s' không được hỗ trợ (cần '%(e)s')") % {"f": data["format"], "e": FORMAT})
    catalogs = reader.catalogs(data.get("catalogs"))
    raw_forms = data.get("forms")
    if not isinstance(raw_forms, list) or not raw_forms:
        reader.error("", _("tệp không có biểu nào ('forms' phải là danh sách không rỗng)"))
        raw_forms = []
    forms = [f for i, raw in enumerate(raw_forms, 1) if (f := reader.form(raw, i, catalogs)) is not None]
    codes = [f.code for f in forms]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        reader.error("", _("số hiệu biểu %(c)s bị trùng trong tệp") % {"c": code})
    if reader.errors:
        raise FormSetError(reader.errors)
    known = stored_structures(exclude=set(codes))
    known.update({f.code: structure_of(f) for f in forms})
    errors = [e for f in forms for e in check_form(f, known)]
    if errors:
        raise FormSetError(errors)
    return FormSet(forms, catalogs, str(data.get("source", "")))


# --- checking ------------------------------------------------------------------------

Structure = tuple[set[str], set[str]]  # (row codes, column codes)


def structure_of(spec: FormSpec) -> Structure:
    return {r.code for r in spec.rows}, {c.code for c in spec.columns}


def stored_structures(exclude: set[str] | None = None) -> dict[str, Structure]:
    """Row and column codes of the latest version of every stored form (targets of F<form>_ references)."""
    latest: dict[str, int] = {}
    for version_id, code in FormVersion.objects.order_by("form__code", "-number").values_list("pk", "form__code"):
        if code not in latest and code not in (exclude or set()):
            latest[code] = version_id
    by_version = {pk: code for code, pk in latest.items()}
    result: dict[str, Structure] = {code: (set(), set()) for code in latest}
    for version_id, code in Row.objects.filter(version_id__in=by_version).values_list("version_id", "code"):
        result[by_version[version_id]][0].add(code)
    for version_id, code in Column.objects.filter(version_id__in=by_version).values_list("version_id", "code"):
        result[by_version[version_id]][1].add(code)
    return result


def _duplicates(codes: list[str]) -> list[str]:
    return sorted({c for c in codes if codes.count(c) > 1})


def check_form(spec: FormSpec, known: dict[str, Structure], *, allow_empty: bool = False) -> list[str]:
    """Every problem of one expanded form, in Vietnamese; ``known`` gives the forms other forms may cite."""
    where = _("Biểu %(c)s") % {"c": spec.code}
    errors: list[str] = []

    def err(message: str) -> None:
        errors.append(f"{where}: {message}")

    if not CODE.match(spec.code):
        err(_("số hiệu biểu chỉ gồm chữ và số, tối đa 16 ký tự"))
    if not spec.title.strip() or len(spec.title) > 255:
        err(_("tên biểu phải có và không quá 255 ký tự"))
    for category in spec.unit_categories:
        if category not in UNIT_CATEGORIES:
            err(_("loại đơn vị '%(v)s' không hợp lệ") % {"v": category})
    for period_type in spec.period_types:
        if period_type not in PeriodType.values:
            err(_("loại kỳ '%(v)s' không hợp lệ") % {"v": period_type})
    if not allow_empty and not spec.rows:
        err(_("biểu phải có ít nhất một dòng"))
    if not allow_empty and not spec.columns:
        err(_("biểu phải có ít nhất một cột"))

    rows = {r.code: i for i, r in enumerate(spec.rows)}
    columns = {c.code: i for i, c in enumerate(spec.columns)}
    for code in _duplicates([r.code for r in spec.rows]):
        err(_("mã dòng %(c)s bị trùng") % {"c": code})
    for code in _duplicates([c.code for c in spec.columns]):
        err(_("mã cột %(c)s bị trùng") % {"c": code})
    for code in _duplicates([r.code for r in spec.rules]):
        err(_("mã quy tắc %(c)s bị trùng") % {"c": code})

    for i, row in enumerate(spec.rows):
        label = _("dòng %(c)s") % {"c": row.code}
        if not CODE.match(row.code):
            err(_("mã %(w)s chỉ gồm chữ và số, tối đa 16 ký tự") % {"w": label})
        if not row.label.strip() or len(row.label) > 500:
            err(_("%(w)s phải có tên, không quá 500 ký tự") % {"w": label})
        if row.formula:
            for problem in _formula_problems(row.formula, "row", i, rows, spec.rows):
                err(f"{label}: {problem}")

    for i, column in enumerate(spec.columns):
        label = _("cột %(c)s") % {"c": column.code}
        if not CODE.match(column.code):
            err(_("mã %(w)s chỉ gồm chữ và số, tối đa 16 ký tự") % {"w": label})
        if not column.label.strip() or len(column.label) > 500:
            err(_("%(w)s phải có tên, không quá 500 ký tự") % {"w": label})
        if column.cell_type not in CellType.values:
            err(_("%(w)s: kiểu ô '%(t)s' không hợp lệ") % {"w": label, "t": column.cell_type})
        if column.cell_type != CellType.DECIMAL and column.decimal_places:
            err(_("%(w)s: chỉ cột số thập phân mới có chữ số thập phân") % {"w": label})
        if not 0 <= column.decimal_places <= MAX_DECIMAL_PLACES:
            err(_("%(w)s: số chữ số thập phân phải từ 0 đến %(n)s") % {"w": label, "n": MAX_DECIMAL_PLACES})
        if column.cell_type == CellType.TEXT and (column.rolls_up or column.formula):
            err(_("%(w)s: cột văn bản không có công thức và không cộng dồn") % {"w": label})
        if column.formula:
            for problem in _formula_problems(column.formula, "column", i, columns, spec.columns):
                err(f"{label}: {problem}")
            for ref in _refs(column.formula):
                target = columns.get(ref.col or "")
                if target is not None and spec.columns[target].cell_type == CellType.TEXT:
                    err(_("%(w)s: công thức dùng cột văn bản C%(c)s") % {"w": label, "c": ref.col})

    rule_known = {**known, spec.code: structure_of(spec)}
    for rule in spec.rules:
        label = _("quy tắc %(c)s") % {"c": rule.code}
        if not rule.code or len(rule.code) > 32:
            err(_("mã quy tắc phải có, tối đa 32 ký tự"))
        if rule.severity not in Severity.values:
            err(_("%(w)s: mức độ '%(s)s' không hợp lệ") % {"w": label, "s": rule.severity})
        if not rule.message.strip() or len(rule.message) > 500:
            err(_("%(w)s: phải có thông báo, không quá 500 ký tự") % {"w": label})
        if len(rule.expression) > 1000:
            err(_("%(w)s: biểu thức quá 1000 ký tự") % {"w": label})
        for problem in rule_problems(rule.expression, spec.code, rule_known):
            err(f"{label}: {problem}")
    return errors


def _refs(expression: str) -> list[expressions.Ref]:
    try:
        return expressions.references(expression)
    except DomainError:
        return []


def _formula_problems(formula: str, axis: str, index: int, codes: dict[str, int], items: list[Any]) -> list[str]:
    """A row formula names rows (R1 + R2), a column formula names columns (C1 + C2), never itself or later sums."""
    try:
        refs = expressions.references(formula)
    except DomainError as exc:
        return [exc.message]
    if len(formula) > 500:
        return [_("công thức quá 500 ký tự")]
    problems = []
    for ref in refs:
        name = ref.row if axis == "row" else ref.col
        other = ref.col if axis == "row" else ref.row
        if ref.form or ref.previous or other is not None or name is None:
            problems.append(
                _("công thức dòng chỉ dùng các dòng của biểu (ví dụ R1 + R2)")
                if axis == "row"
                else _("công thức cột chỉ dùng các cột cùng dòng (ví dụ C1 + C2)")
            )
            continue
        target = codes.get(name)
        if target is None:
            problems.append((_("không có dòng %(c)s") if axis == "row" else _("không có cột %(c)s")) % {"c": name})
        elif target == index:
            problems.append(_("công thức không được tham chiếu chính nó"))
        elif items[target].formula and target > index:
            problems.append(_("công thức chỉ dùng ô tính toán đứng trước nó (%(c)s)") % {"c": name})
    return problems


def rule_problems(expression: str, own_code: str, known: dict[str, Structure]) -> list[str]:
    """Compile the rule and check that every cell it names exists (this form, another form, PREV)."""
    try:
        refs = expressions.references(expression)
    except DomainError as exc:
        return [exc.message]
    problems = []
    for ref in refs:
        if ref.row is None or ref.col is None:
            problems.append(_("ô phải ghi đủ dòng và cột, dạng R<dòng>_C<cột>"))
            continue
        form = ref.form or own_code
        structure = known.get(form)
        if structure is None:
            problems.append(_("không có biểu %(f)s") % {"f": form})
            continue
        if ref.row not in structure[0]:
            problems.append(_("biểu %(f)s không có dòng %(r)s") % {"f": form, "r": ref.row})
        if ref.col not in structure[1]:
            problems.append(_("biểu %(f)s không có cột %(c)s") % {"f": form, "c": ref.col})
    return problems


# --- writing -------------------------------------------------------------------------


def spec_of(version: FormVersion) -> FormSpec:
    """The stored version as an expanded spec (the designer edits it, export writes it)."""
    return FormSpec(
        code=version.form.code,
        title=version.title,
        number=version.number,
        unit_categories=list(version.unit_categories),
        period_types=list(version.period_types),
        source=version.source,
        rows=[RowSpec(r.code, r.label, r.formula) for r in version.rows.all()],
        columns=[
            ColumnSpec(c.code, c.label, c.cell_type, c.decimal_places, c.rolls_up, c.formula)
            for c in version.columns.all()
        ],
        rules=[RuleSpec(r.code, r.expression, r.severity, r.message) for r in version.rules.all()],
    )


def write_version(form: Form, number: int, spec: FormSpec) -> FormVersion:
    version = FormVersion.objects.create(
        form=form,
        number=number,
        title=spec.title,
        unit_categories=spec.unit_categories,
        period_types=spec.period_types,
        source=spec.source[:255],
    )
    Row.objects.bulk_create(
        [
            Row(version=version, code=r.code, label=r.label, formula=r.formula, position=i)
            for i, r in enumerate(spec.rows, 1)
        ]
    )
    Column.objects.bulk_create(
        [
            Column(
                version=version,
                code=c.code,
                label=c.label,
                position=i,
                cell_type=c.cell_type,
                decimal_places=c.decimal_places,
                rolls_up=c.rolls_up,
                formula=c.formula,
            )
            for i, c in enumerate(spec.columns, 1)
        ]
    )
    ValidationRule.objects.bulk_create(
        [
            ValidationRule(
                version=version, code=r.code, expression=r.expression, severity=r.severity, message=r.message
            )
            for r in spec.rules
        ]
    )
    return version


def _summary(version: FormVersion, spec: FormSpec, how: str) -> dict[str, Any]:
    return {
        "form": spec.code,
        "version": version.number,
        "rows": len(spec.rows),
        "columns": len(spec.columns),
        "rules": len(spec.rules),
        "how": how,
    }


@dataclass
class LoadResult:
    created: list[FormVersion]
    skipped: list[str]  # "01 v1": already there, left untouched


@transaction.atomic
def load(data: Any, *, actor: Any = None) -> LoadResult:
    """Create each form's version as numbered in the file, unless that (code, number) exists: idempotent."""
    formset = parse(data)
    result = LoadResult([], [])
    for spec in formset.forms:
        form = Form.objects.filter(code=spec.code).first()
        if form is not None and form.versions.filter(number=spec.number).exists():
            result.skipped.append(f"{spec.code} v{spec.number}")
            continue
        if form is None:
            form = Form.objects.create(code=spec.code, title=spec.title)
        version = write_version(form, spec.number, spec)
        audit.record(actor, "stats.form.loaded", version, after=_summary(version, spec, "load"))
        result.created.append(version)
    return result


@transaction.atomic
def import_forms(data: Any, *, actor: Any = None) -> list[FormVersion]:
    """Each form of the file becomes a new version (the next number) of the form with that code; never an edit."""
    formset = parse(data)
    created = []
    for spec in formset.forms:
        form = Form.objects.select_for_update().filter(code=spec.code).first()
        if form is None:
            form, number = Form.objects.create(code=spec.code, title=spec.title), 1
        else:
            number = (form.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = write_version(form, number, spec)
        audit.record(actor, "stats.form.imported", version, after=_summary(version, spec, "import"))
        created.append(version)
    return created


def load_demo(actor: Any = None) -> LoadResult:
    return load(DEMO_FILE.read_bytes(), actor=actor)


def demo_formset() -> FormSet:
    """The demo file read (not loaded): keys, groups and catalog levels for the demo data."""
    return parse(DEMO_FILE.read_bytes())


# --- exporting -----------------------------------------------------------------------


def form_document(version: FormVersion) -> dict[str, Any]:
    spec = spec_of(version)
    document: dict[str, Any] = {
        "code": spec.code,
        "title": spec.title,
        "version": spec.number,
        "unit_categories": spec.unit_categories,
        "period_types": spec.period_types,
    }
    if spec.source:
        document["source"] = spec.source
    structure = spec.structure()
    for row in structure["rows"]:
        if not row["formula"]:
            del row["formula"]
    for column in structure["columns"]:
        if not column["formula"]:
            del column["formula"]
    return {**document, **structure}


def export(version: FormVersion) -> dict[str, Any]:
    """One version as a file that ``import_forms`` reads back (as a new version)."""
    return export_many([version])


def export_many(versions: Iterable[FormVersion]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "forms": [form_document(v) for v in versions],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
