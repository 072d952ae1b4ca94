"""Confidence that means something: each field's confidence is bounded by how often that field, read by
that pattern from that kind of page, was right on the training and development splits.

``calibration.json`` (written by ``bench/extraction.py --calibrate``, never from the evaluation split)
maps ``"<pattern>|<reading>|<field>"`` to the lower bound of a one-sided 95 % Wilson interval of
the accuracy measured there, so a group seen right 60 times out of 60 may say 0.96 and one right
19 times out of 20 stays below 0.9. A field's confidence is the smaller of the engine's own
(which already falls with OCR quality or a doubtful name) and its group's; a group never measured
stays below 0.9. The reconciliation queue sorts by these numbers, least confident first.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from kiemtra.discipline.extraction.types import FIELD_NAMES, ExtractedDecision, Field

TABLE = Path(__file__).with_name("calibration.json")
UNMEASURED_CAP = 0.89


def wilson_lower(right: int, total: int, z: float = 1.645) -> float:
    """The lower bound of the Wilson score interval of ``right/total``."""
    if total == 0:
        return 0.0
    p = right / total
    denominator = 1 + z * z / total
    centre = p + z * z / (2 * total)
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    return max(0.0, (centre - margin) / denominator)


@functools.cache
def table() -> dict[str, float]:
    if not TABLE.exists():
        return {}
    data: dict[str, float] = json.loads(TABLE.read_text())["groups"]
    return data


def key(decision: ExtractedDecision, name: str) -> str:
    return f"{decision.pattern}|{decision.reading}|{name}"


def apply(decisions: list[ExtractedDecision]) -> None:
    """Bound every field's confidence by its group's measured accuracy."""
    groups = table()
    for d in decisions:
        for name in FIELD_NAMES:
            f: Field | None = getattr(d, name)
            if f is None:
                continue
            bound = groups.get(key(d, name), UNMEASURED_CAP)
            if f.confidence > bound:
                setattr(d, name, Field(f.value, f.page, f.start, f.end, round(bound, 3)))
