"""A small, safe expression language for formulas and validation rules — parsed, never ``eval``-ed.

    R3_C2 <= R1_C2                      a cell of this form (row 3, column 2)
    F05_R1_C1 == R1_C1                  a cell of another form of the same unit and period
    PREV(R1_C2) * 3 >= R1_C2            the same cell in the previous equivalent period
    C1 + C2 + C3   /   R1 + R2          column and row formulas (same row / same column)
    SUM(C2, C3, C4), MIN, MAX, ABS      functions
    A and B, A or B, not A, chained comparisons  (a == b == c)

Python's ``ast`` does the parsing; only the node types listed here are accepted
and the tree is evaluated by this module with exact decimals.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from kiemtra.core.errors import DomainError

NAME = re.compile(r"^(?:F(?P<form>[0-9A-Za-z]+)_)?(?:R(?P<row>[0-9A-Za-z]+))?_?(?:C(?P<col>[0-9A-Za-z]+))?$")
FUNCTIONS = {"SUM", "MIN", "MAX", "ABS", "PREV"}
ALLOWED = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.USub,
    ast.UAdd,
    ast.Not,
    ast.And,
    ast.Or,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.Load,
)


@dataclass(frozen=True)
class Ref:
    """A cell reference; ``row``/``col`` None mean "the same row/column as the cell being computed"."""

    form: str | None
    row: str | None
    col: str | None
    previous: bool = False


class ExpressionError(DomainError):
    def __init__(self, expression: str, problem: str) -> None:
        super().__init__(
            _("Biểu thức '%(e)s' không hợp lệ: %(p)s") % {"e": expression, "p": problem}, code="bad_expression"
        )


@lru_cache(maxsize=16384)  # a Ref is immutable; rules name the same cells for every report checked
def parse_ref(name: str, previous: bool = False) -> Ref:
    match = NAME.match(name)
    if not match or not (match["row"] or match["col"]):
        raise ValueError(name)
    return Ref(match["form"], match["row"], match["col"], previous)


@lru_cache(maxsize=4096)
def compile_expression(expression: str) -> ast.Expression:
    """Parse and check once; the same formula is evaluated for thousands of cells."""
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(expression, _("sai cú pháp")) from exc
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED):
            raise ExpressionError(expression, _("không được dùng '%(n)s'") % {"n": type(node).__name__})
        if isinstance(node, ast.Constant) and (isinstance(node.value, bool) or not isinstance(node.value, int | float)):
            raise ExpressionError(expression, _("chỉ dùng hằng số là số"))
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
                raise ExpressionError(expression, _("hàm không được hỗ trợ"))
            if node.func.id == "PREV" and (len(node.args) != 1 or not isinstance(node.args[0], ast.Name)):
                raise ExpressionError(expression, _("PREV nhận đúng một ô"))
        if isinstance(node, ast.Name) and node.id not in FUNCTIONS:
            try:
                parse_ref(node.id)
            except ValueError as exc:
                problem = _("ô '%(n)s' không đúng dạng R<dòng>_C<cột>") % {"n": node.id}
                raise ExpressionError(expression, problem) from exc
    return tree


def references(expression: str) -> list[Ref]:
    tree = compile_expression(expression)
    inside_prev = {
        id(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "PREV"
    }
    return [
        parse_ref(node.id, previous=id(node) in inside_prev)
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id not in FUNCTIONS
    ]


Resolver = Callable[[Ref], Decimal]


def evaluate(expression: str, resolve: Resolver) -> Any:
    """The value of ``expression``: a Decimal, or a bool for rules."""
    return compiled(expression)(resolve)


Compiled = Callable[[Resolver], Any]


@lru_cache(maxsize=4096)
def compiled(expression: str) -> Compiled:
    """The checked expression turned once into nested Python closures.

    A province's data check evaluates tens of thousands of rules; walking the
    syntax tree (and parsing each cell name) on every evaluation cost most of
    its time. The closures do exactly what the tree says, node for node.
    """
    return _compile(compile_expression(expression).body)


def _num(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    return Decimal(int(value)) if isinstance(value, bool) else Decimal(str(value))


def _compile(node: ast.AST) -> Compiled:  # one branch per node kind of the language
    if isinstance(node, ast.Constant):
        constant = Decimal(str(node.value))
        return lambda resolve: constant
    if isinstance(node, ast.Name):
        ref = parse_ref(node.id)
        return lambda resolve: resolve(ref)
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand)
        if isinstance(node.op, ast.Not):
            return lambda resolve: not operand(resolve)
        if isinstance(node.op, ast.USub):
            return lambda resolve: -_num(operand(resolve))
        return lambda resolve: _num(operand(resolve))
    if isinstance(node, ast.BinOp):
        left, right = _compile(node.left), _compile(node.right)
        if isinstance(node.op, ast.Add):
            return lambda resolve: _num(left(resolve)) + _num(right(resolve))
        if isinstance(node.op, ast.Sub):
            return lambda resolve: _num(left(resolve)) - _num(right(resolve))
        if isinstance(node.op, ast.Mult):
            return lambda resolve: _num(left(resolve)) * _num(right(resolve))

        def divide(resolve: Resolver) -> Decimal:
            a, b = _num(left(resolve)), _num(right(resolve))
            try:
                return a / b
            except (DivisionByZero, InvalidOperation):
                return Decimal(0)

        return divide
    if isinstance(node, ast.BoolOp):
        values = [_compile(v) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda resolve: all(v(resolve) for v in values)
        return lambda resolve: any(v(resolve) for v in values)
    if isinstance(node, ast.Compare):
        first = _compile(node.left)
        steps = [(op, _compile(c)) for op, c in zip(node.ops, node.comparators, strict=True)]

        def compare(resolve: Resolver) -> bool:
            left = _num(first(resolve))
            for op, comparator in steps:
                right = _num(comparator(resolve))
                if not _compare(op, left, right):
                    return False
                left = right
            return True

        return compare
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        if name == "PREV":
            arg = node.args[0]
            assert isinstance(arg, ast.Name)
            previous = parse_ref(arg.id, previous=True)
            return lambda resolve: resolve(previous)
        args = [_compile(a) for a in node.args]
        if name == "ABS":
            return lambda resolve: abs(_num(args[0](resolve)))
        if name == "SUM":
            return lambda resolve: sum((_num(a(resolve)) for a in args), Decimal(0))
        pick = min if name == "MIN" else max
        return lambda resolve: pick(_num(a(resolve)) for a in args) if args else Decimal(0)
    raise AssertionError(type(node))  # compile_expression let nothing else through


def _compare(op: ast.cmpop, left: Decimal, right: Decimal) -> bool:
    if isinstance(op, ast.Eq):
        return left == right
    if isinstance(op, ast.NotEq):
        return left != right
    if isinstance(op, ast.Lt):
        return left < right
    if isinstance(op, ast.LtE):
        return left <= right
    if isinstance(op, ast.Gt):
        return left > right
    return left >= right
