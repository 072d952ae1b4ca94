"""A form version as a grid: typed cells, computed cells and validation rules over a set of values."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cached_property

from django.utils.translation import gettext as _

from . import expressions
from .choices import CellType, Severity
from .models import Column, FormVersion, Row, ValidationRule

Cell = tuple[int, int]  # (row id, column id)
Values = dict[Cell, Decimal | str]


FROZEN_GRID_CACHE_SIZE = 256
_FROZEN_GRIDS: dict[tuple[int, object], Grid] = {}


def forget_frozen_grids() -> None:
    """Only for tests that edit a frozen version behind the designer's back."""
    _FROZEN_GRIDS.clear()


THOUSANDS = re.compile(r"^-?\d{1,3}([.,]\d{3})+$")


def _plain_number(text: str, cell_type: str) -> str:
    """Vietnamese writing: "1.234" is one thousand two hundred and thirty-four, "2,5" is two and a half."""
    if cell_type == CellType.INTEGER and THOUSANDS.match(text):
        return re.sub(r"[.,]", "", text)
    if "," in text and "." in text:
        return text.replace(".", "").replace(",", ".")
    return text.replace(",", ".")


class CellError(ValueError):
    """One bad cell; the message names the cell the way the user sees it."""


# Value.number is DECIMAL(20, 4): at most 16 digits before the point.
INTEGER_DIGITS = 16
# Longer than any number the column can hold, whatever its writing ("1.234.567,5000"): refused
# before Decimal reads it, so a 100,000-digit string costs nothing.
MAX_NUMBER_TEXT = 40
MAX_TEXT = 2000  # a text cell (a note, a name): longer is not a statistic
# NUL (PostgreSQL refuses it in text), other control characters, and the bidirectional
# overrides that make a cell display something other than what it holds.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def parse_value(raw: object, cell_type: str, decimal_places: int, where: str) -> Decimal | str | None:
    """The one reading of a cell value — typed in the grid, pushed by the API, read from a workbook.

    Refuses with a Vietnamese ``CellError`` naming ``where``; never lets ``decimal`` raise.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        raise CellError(_("%(where)s: giá trị không hợp lệ") % {"where": where})
    if isinstance(raw, str) and FORBIDDEN_CHARACTERS.search(raw):
        raise CellError(_("%(where)s: có ký tự điều khiển không được phép") % {"where": where})
    if cell_type == CellType.TEXT:
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise CellError(_("%(where)s: dài quá %(n)s ký tự") % {"where": where, "n": MAX_TEXT})
        return text
    too_big = _("%(where)s: số quá lớn (tối đa %(n)s chữ số phần nguyên)") % {"where": where, "n": INTEGER_DIGITS}
    if isinstance(raw, int) and abs(raw) >= 10**INTEGER_DIGITS:
        raise CellError(too_big)  # before str(): Python refuses to write an int of over 4,300 digits
    shown = str(raw) if len(str(raw)) <= MAX_NUMBER_TEXT else str(raw)[:MAX_NUMBER_TEXT] + "…"
    not_a_number = _("%(where)s: '%(raw)s' không phải là số") % {"where": where, "raw": shown}
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    if len(text) > MAX_NUMBER_TEXT:
        raise CellError(too_big if text.lstrip("+-").replace(".", "").replace(",", "").isdigit() else not_a_number)
    if isinstance(raw, str):
        text = _plain_number(text, cell_type)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(not_a_number) from None
    if not number.is_finite():
        raise CellError(not_a_number)
    if number and number.adjusted() >= INTEGER_DIGITS:
        raise CellError(too_big)
    with localcontext() as context:
        # Enough digits for 16 before and a few after the point: quantize never overflows below.
        context.prec = 60
        if cell_type == CellType.INTEGER:
            if number != number.to_integral_value():
                raise CellError(_("%(where)s: phải là số nguyên, không có phần lẻ") % {"where": where})
            if number < 0:
                raise CellError(_("%(where)s: không được là số âm") % {"where": where})
            return number.quantize(Decimal(1)) + 0  # "+ 0": "-0" is stored as 0
        quantum = Decimal(1).scaleb(-decimal_places)
        if number.quantize(quantum, rounding=ROUND_HALF_UP) != number:
            raise CellError(_("%(where)s: tối đa %(n)s chữ số thập phân") % {"where": where, "n": decimal_places})
        return number + 0


@dataclass
class Problem:
    rule_code: str
    severity: str
    message: str


@dataclass
class Grid:
    version: FormVersion
    rows: list[Row]
    columns: list[Column]
    rules: list[ValidationRule] = field(default_factory=list)

    @classmethod
    def of(cls, version: FormVersion) -> Grid:
        """The grid of ``version``; a frozen version never changes, so its grid is built once per process."""
        if not version.frozen:
            return cls._build(version)
        # created_at is in the key because SQLite may hand a deleted version's id to a new one.
        key = (version.pk, version.created_at)
        grid = _FROZEN_GRIDS.get(key)
        if grid is None:
            if len(_FROZEN_GRIDS) >= FROZEN_GRID_CACHE_SIZE:
                _FROZEN_GRIDS.pop(next(iter(_FROZEN_GRIDS)))
            grid = _FROZEN_GRIDS[key] = cls._build(version)
        return grid

    @classmethod
    def _build(cls, version: FormVersion) -> Grid:
        return cls(version, list(version.rows.all()), list(version.columns.all()), list(version.rules.all()))

    @cached_property
    def row_by_code(self) -> dict[str, Row]:
        return {r.code: r for r in self.rows}

    @cached_property
    def column_by_code(self) -> dict[str, Column]:
        return {c.code: c for c in self.columns}

    @cached_property
    def column_by_id(self) -> dict[int, Column]:
        return {c.pk: c for c in self.columns}

    @cached_property
    def row_by_id(self) -> dict[int, Row]:
        return {r.pk: r for r in self.rows}

    def is_computed(self, cell: Cell) -> bool:
        return bool(self.row_by_id[cell[0]].formula or self.column_by_id[cell[1]].formula)

    def cell_name(self, cell: Cell) -> str:
        row, column = self.row_by_id[cell[0]], self.column_by_id[cell[1]]
        return _("Biểu %(form)s, dòng %(row)s, cột %(col)s") % {
            "form": self.version.form.code,
            "row": row.code,
            "col": column.code,
        }

    def input_cells(self) -> list[Cell]:
        return [(r.pk, c.pk) for r in self.rows for c in self.columns if not self.is_computed((r.pk, c.pk))]

    def parse(self, cell: Cell, raw: object, where: str | None = None) -> Decimal | str | None:
        """A typed value from what the user typed or the workbook held; None for an empty cell."""
        column = self.column_by_id[cell[1]]
        return parse_value(raw, column.cell_type, column.decimal_places, where or self.cell_name(cell))

    def compute(self, values: Mapping[Cell, Decimal | str]) -> Values:
        """Input values plus every computed cell (column formulas, then row formulas over them)."""
        result: Values = {cell: v for cell, v in values.items() if not self.is_computed(cell)}

        def number(cell: Cell) -> Decimal:
            v = result.get(cell)
            return v if isinstance(v, Decimal) else Decimal(0)

        def in_row(row_id: int) -> Callable[[expressions.Ref], Decimal]:
            return lambda ref: number(self._cell(ref, row_id, None))

        def in_column(column_id: int) -> Callable[[expressions.Ref], Decimal]:
            return lambda ref: number(self._cell(ref, None, column_id))

        for row in self.rows:
            if row.formula:
                continue
            for column in self.columns:
                if column.formula:
                    result[(row.pk, column.pk)] = expressions.evaluate(column.formula, in_row(row.pk))
        for row in self.rows:
            if not row.formula:
                continue
            for column in self.columns:
                if column.cell_type == CellType.TEXT:
                    continue  # a total row adds numbers; its text cells stay empty
                result[(row.pk, column.pk)] = expressions.evaluate(row.formula, in_column(column.pk))
        return result

    def _cell(self, ref: expressions.Ref, row_id: int | None, column_id: int | None) -> Cell:
        r = self.row_by_code[ref.row].pk if ref.row else row_id
        c = self.column_by_code[ref.col].pk if ref.col else column_id
        assert r is not None and c is not None
        return (r, c)

    def check(
        self, resolve_other: Callable[[expressions.Ref], Decimal], values: Mapping[Cell, Decimal | str]
    ) -> list[Problem]:
        """Evaluate every rule; ``resolve_other`` answers references to other forms and PREV()."""

        def resolve(ref: expressions.Ref) -> Decimal:
            if (ref.form and ref.form != self.version.form.code) or ref.previous:
                return resolve_other(ref)
            v = values.get(self._cell(ref, None, None))
            return v if isinstance(v, Decimal) else Decimal(0)

        problems = []
        for rule in self.rules:
            if not expressions.evaluate(rule.expression, resolve):
                problems.append(Problem(rule.code, rule.severity, rule.message))
        return problems

    @staticmethod
    def blocking(problems: list[Problem]) -> list[Problem]:
        return [p for p in problems if p.severity == Severity.BLOCKING]
