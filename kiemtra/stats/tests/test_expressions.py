"""The formula and rule language is parsed and evaluated by us — nothing reaches ``eval``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiemtra.stats import expressions
from kiemtra.stats.expressions import ExpressionError, Ref


def resolver(values: dict[tuple[str | None, str | None, str | None, bool], int]):
    def resolve(ref: Ref) -> Decimal:
        return Decimal(values.get((ref.form, ref.row, ref.col, ref.previous), 0))

    return resolve


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os').system('id')",
        "R1_C1.__class__",
        "[R1_C1]",
        "lambda: 1",
        "open('/etc/passwd')",
        "R1_C1 if R2_C1 else 0",
        "'text'",
        "True",
        "x",
        "R1_C1 ** 99999999",
        "SUM(R1_C1, start=5)",
        "PREV(1)",
    ],
)
def test_anything_outside_the_language_is_refused(expression: str) -> None:
    with pytest.raises(ExpressionError) as exc:
        expressions.compile_expression(expression)
    assert exc.value.code == "bad_expression" and "không hợp lệ" in exc.value.message


def test_rules_compare_cells_forms_and_the_previous_period() -> None:
    resolve = resolver(
        {(None, "1", "1", False): 10, (None, "2", "1", False): 4, ("05", "1", "1", False): 3, (None, "1", "1", True): 2}
    )
    assert expressions.evaluate("R2_C1 <= R1_C1", resolve) is True
    assert expressions.evaluate("F05_R1_C1 <= R2_C1 <= R1_C1", resolve) is True
    assert expressions.evaluate("R1_C1 <= PREV(R1_C1) * 3", resolve) is False
    assert expressions.evaluate("SUM(R1_C1, R2_C1) - ABS(-1) == 13 and not R1_C1 < 0", resolve) is True
    assert expressions.evaluate("R1_C1 / 0", resolve) == 0  # an empty denominator is not a crash


def test_decimals_are_exact() -> None:
    resolve = resolver({})
    assert expressions.evaluate("0.1 + 0.2 == 0.3", resolve) is True


def test_references_are_listed_with_prev_kept_apart() -> None:
    refs = expressions.references("PREV(R1_C2) * 3 >= R1_C2 + F01_R3_C1")
    assert Ref(None, "1", "2", True) in refs and Ref(None, "1", "2", False) in refs and Ref("01", "3", "1") in refs
