"""Decisions for the discipline tests, written through the same value path as ingest and reconciliation."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from kiemtra.accounts.models import User
from kiemtra.conftest import make_person
from kiemtra.core.crypto import encrypt_text
from kiemtra.orgs.models import OrgUnit

from ..choices import Confidentiality, DecisionState, IssuingLevel, PenaltyCode, SubjectType
from ..models import Decision, ExtractedField
from ..services import persons, records


def make_decision(
    unit: OrgUnit,
    *,
    by: User | None = None,
    state: str = DecisionState.PUBLISHED,
    confidentiality: str = Confidentiality.ORDINARY,
    categories: tuple[str, ...] = ("ethics",),
    **values: Any,
) -> Decision:
    """A published ordinary warning to "Nguyễn Văn An" (1968) unless told otherwise."""
    defaults: dict[str, Any] = {
        "number": f"Số {Decision.objects.count() + 101}-QĐ/UBKT",
        "issued_on": dt.date(2024, 3, 12),
        "issuing_body": f"Ủy ban Kiểm tra {unit.name}",
        "issuing_level": IssuingLevel.PROVINCIAL_COMMISSION,
        "term": "XIII",
        "subject_type": SubjectType.MEMBER,
        "subject_name": "Nguyễn Văn An",
        "birth_year": 1968,
        "gender": "male",
        "positions": ["Giám đốc Sở Tài chính"],
        "position_level": "provincial",
        "party_committee_member": False,
        "subject_unit": "Sở Tài chính",
        "penalty": PenaltyCode.WARNING,
        "violations": "Vi phạm quy định về quản lý tài chính, ngân sách",
        "legal_basis": "Quy định 69-QĐ/TW ngày 06/7/2022",
        "signer": "Trần Văn Bình",
        "effective_on": dt.date(2024, 3, 12),
    }
    defaults.update(values)
    decision = Decision(unit=unit, state=state, confidentiality=confidentiality, created_by=by or make_person())
    records.apply_values(decision, defaults)
    decision.save()
    records.set_categories(decision, list(categories))
    if state == DecisionState.PUBLISHED:
        persons.assign(decision)
    return decision


def make_pending(
    unit: OrgUnit,
    *,
    by: User | None = None,
    confidence: float = 0.9,
    page: int = 1,
    **values: Any,
) -> Decision:
    """A decision waiting for reconciliation, with an extracted value, a source span and a confidence per field."""
    decision = make_decision(unit, by=by, state=DecisionState.PENDING, **values)
    details = decision.details()
    found = records.values_of(decision, details)
    offset = 0
    rows = []
    for name in records.FIELDS:
        text = json.dumps(found.get(name), ensure_ascii=False, default=str)
        rows.append(
            ExtractedField(
                decision=decision,
                name=name,
                sealed_value=encrypt_text(text),
                page=page,
                start=offset,
                end=offset + len(text),
                confidence=confidence,
            )
        )
        offset += len(text) + 1
    ExtractedField.objects.bulk_create(rows)
    return decision
