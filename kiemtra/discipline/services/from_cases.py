"""A decision decided at the end of a case file enters the database here (issue 14 item 5).

Called by the case-files module inside its own transaction, after it checked that
its actor may act on the case. The decision enters pending: a discipline editor
reconciles it like any other, so the database's own checks still apply.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

from ..choices import SubjectType
from ..models import Decision, ViolationCategory
from .records import apply_values, set_categories


def record_from_case(actor: Any, unit: OrgUnit, values: dict[str, Any], case_ref: str) -> Decision:
    if not case_ref:
        raise DomainError(_("Thiếu hồ sơ kiểm tra gốc của quyết định."), code="case_ref")
    if not str(values.get("number") or "").strip():
        raise DomainError(_("Phải ghi số quyết định kỷ luật."), code="number")
    if Decision.objects.filter(source_case_ref=case_ref, number=str(values["number"]).strip()).exists():
        raise DomainError(_("Quyết định này đã được ghi vào cơ sở dữ liệu kỷ luật."), code="duplicate")
    values = dict(values)
    values.setdefault("subject_type", SubjectType.MEMBER)
    if not values.get("province") and unit.kind in (UnitKind.PROVINCIAL, UnitKind.COMMUNE):
        values["province"] = unit if unit.kind == UnitKind.PROVINCIAL else unit.parent
    decision = Decision(unit=unit, created_by=actor, source_case_ref=case_ref)
    apply_values(decision, values)
    decision.save()
    set_categories(decision, category_codes(decision, list(values.get("violation_categories") or [])))
    audit.record(actor, "discipline.decision.from_case", decision, unit=unit, case=case_ref)
    return decision


def category_codes(decision: Decision, given: list[str]) -> list[str]:
    """The catalog codes for what a conclusion names: codes, or the statistics forms' column labels.

    A case conclusion keeps the labels of forms 01/02 (what its own statistics link counts); the catalog
    maps each code to the label of forms 05/06, the same vocabulary. A label shared by several codes gives
    them all: the decision then counts once in that column, as the label said.
    """
    day = decision.issued_on or dt.date.today()
    matching = ViolationCategory.objects.valid_on(day).filter(subject_type=decision.subject_type)
    return sorted(set(matching.filter(Q(code__in=given) | Q(stats_item__in=given)).values_list("code", flat=True)))


def decisions_of_case(case_ref: str) -> list[Decision]:
    """The decision shows its case; the case asks here for its decisions (the other way of the link)."""
    return list(Decision.objects.filter(source_case_ref=case_ref).order_by("pk"))


def case_url(case_ref: str) -> str:
    """The page of the case file a decision came from ("cases.case:<id>"), or "" (cases may not be installed).

    By URL name only: discipline does not import the case-files module (it sits below it).
    """
    prefix, _sep, pk = case_ref.partition(":")
    if prefix != "cases.case" or not pk.isdigit():
        return ""
    try:
        return reverse("cases:case", args=[int(pk)])
    except NoReverseMatch:
        return ""
