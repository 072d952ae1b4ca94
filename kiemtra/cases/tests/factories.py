"""Test set-up for case files: people with case roles and an opened case (set-up, not the behaviour under test)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiemtra.accounts.choices import Role
from kiemtra.conftest import give, make_person
from kiemtra.orgs.models import OrgUnit

from ..choices import CaseKind, SubjectKind
from ..models import CaseFile
from ..services.cases import Opening, open_case, set_team

_n = iter(range(1, 10_000))


def person(unit: OrgUnit, *roles: str) -> Any:
    p = make_person(unit=unit)
    for role in roles:
        give(p, unit, role)
    return p


def opening(subject: str = "Đồng chí Trần Văn B", **kw: Any) -> Opening:
    values: dict[str, Any] = {
        "kind": CaseKind.INSPECTION_MEMBER,
        "subject_kind": SubjectKind.MEMBER,
        "subject_name": subject,
        "decision_number": f"{next(_n)}-QĐ/UBKT",
        "decision_date": dt.date(2025, 8, 28),
        "signer": "Phó Chủ nhiệm Lê Văn C",
    }
    values.update(kw)
    return Opening(**values)


def case_with_team(unit: OrgUnit, leadership: Any, leader: Any, *members: Any, **kw: Any) -> CaseFile:
    case = open_case(leadership, unit, opening(**kw))
    return set_team(leadership, case, leader, list(members))


__all__ = ["Role", "case_with_team", "opening", "person"]
