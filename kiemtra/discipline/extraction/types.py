"""What reading and extraction hand over: pages of text, and decisions whose every field says where it came from.

Evidence and interpretation stay apart: a ``Field`` carries the value the engine read *and*
the page and character span it read it from, so the person reconciling the record can see
the source next to the value, and its confidence so they look first where the engine doubts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kiemtra.core.ocr import Page, PageSource  # noqa: F401  (the kernel reads pages; re-exported here)

LEVELS = (
    "central_committee",
    "politburo",
    "secretariat",
    "central_commission",
    "provincial_committee",
    "provincial_commission",
    "commune_committee",
    "commune_commission",
    "cell",
    "other",
)
MEMBER_PENALTIES = ("reprimand", "warning", "dismissal", "expulsion")
ORGANIZATION_PENALTIES = ("reprimand", "warning", "dissolution")
PENALTIES = ("reprimand", "warning", "dismissal", "expulsion", "dissolution")
ACTIONS = ("impose", "change", "annul")  # a new penalty; a penalty changed after a complaint; a decision annulled


@dataclass(frozen=True)
class Field:
    """A value and where it was read: characters ``start:end`` of page ``page``'s text."""

    value: Any
    page: int
    start: int
    end: int
    confidence: float


FIELD_NAMES = (
    "number",
    "date",
    "issuing_body",
    "issuing_level",
    "subject_type",
    "subject_name",
    "birth_year",
    "gender",
    "positions",
    "party_committee_member",
    "unit",
    "province",
    "probationary",
    "penalty",
    "action",
    "violations",
    "violation_categories",
    "legal_basis",
    "signer",
    "effective_date",
    "term",
    "amends_number",
    "subject_term",
)


@dataclass
class ExtractedDecision:
    """One disciplinary decision on one subject (a member or a Party organisation)."""

    number: Field | None = None
    date: Field | None = None  # datetime.date
    issuing_body: Field | None = None
    issuing_level: Field | None = None  # one of LEVELS
    subject_type: Field | None = None  # "member" | "organization"
    subject_name: Field | None = None
    birth_year: Field | None = None  # int
    gender: Field | None = None  # "male" | "female"
    positions: Field | None = None  # list[str]
    party_committee_member: Field | None = None  # bool
    unit: Field | None = None
    province: Field | None = None
    probationary: Field | None = None  # bool: "đảng viên dự bị"
    penalty: Field | None = None  # one of PENALTIES; None when a decision is annulled
    action: Field | None = None  # one of ACTIONS
    violations: Field | None = None
    violation_categories: Field | None = None  # list of categories.CATEGORIES codes
    legal_basis: Field | None = None
    signer: Field | None = None
    effective_date: Field | None = None  # datetime.date
    term: Field | None = None  # "XIII"
    amends_number: Field | None = None
    subject_term: Field | None = None  # an organisation's own term of office: "2015–2020"
    warnings: list[str] = field(default_factory=list)
    # how the record was read ("decision", "communique", "announcement:penalty_first" …): calibration's key
    pattern: str = "decision"
    reading: str = "text"  # "ocr" when any page of the document was OCR'd

    def value(self, name: str) -> Any:
        """The plain value of field ``name`` (None when not found)."""
        f: Field | None = getattr(self, name)
        return None if f is None else f.value

    def to_json(self, file: str) -> dict[str, Any]:
        """The object ``kiemtra discipline extract --json`` prints: values, confidence and source per field."""
        out: dict[str, Any] = {"file": file}
        confidence: dict[str, float] = {}
        source: dict[str, dict[str, int]] = {}
        for name in FIELD_NAMES:
            f: Field | None = getattr(self, name)
            value = None if f is None else f.value
            if isinstance(value, dt.date):
                value = value.isoformat()
            if name in ("positions", "violation_categories") and value is None:
                value = []
            out[name] = value
            if f is not None:
                confidence[name] = round(f.confidence, 3)
                source[name] = {"page": f.page, "start": f.start, "end": f.end}
        out["confidence"] = confidence
        out["source"] = source
        out["pattern"] = self.pattern
        out["reading"] = self.reading
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out
