"""Who may see and change case files (issue 14 item 3): need-to-know, not the whole unit.

- Progress and conclusions (the list, the board): anyone holding a case role at
  the commission, and the commissions above it (their subtree).
- Content (documents, the team's work): the team, the commission's leadership,
  whoever the leadership added, and an upper commission only on a recorded request.
- A unit's admin sets case roles up and sees no case data (it holds no case role).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kiemtra.accounts.choices import Function, Module
from kiemtra.accounts.policies import Scope, at, grants_in, has_function, in_scope, subtrees
from kiemtra.core import registry
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

from .models import RequestReport

F = Function
SCOPE = Module.CASES
CASE_FUNCTIONS = frozenset({F.CASE_OFFICER, F.CASE_TEAM_LEADER, F.CASE_LEADERSHIP, F.CASE_VIEWER})


def cases_scope(user: Any) -> Scope:
    """The units whose case progress and conclusions this user may see: own commission and below."""
    roots: list[OrgUnit] = []
    for g in grants_in(user, Module.CASES):
        if g.functions & CASE_FUNCTIONS:
            # A department of the Centre works for the Central Commission (as in discipline).
            roots.append(g.unit.parent if g.unit.kind == UnitKind.DEPARTMENT and g.unit.parent else g.unit)
    if any(u.parent_id is None for u in roots):
        return Scope(everything=True)
    return Scope(unit_ids=subtrees(roots))


def is_leadership(user: Any, unit: OrgUnit) -> bool:
    return has_function(user, F.CASE_LEADERSHIP, unit)


def on_team(user: Any, case: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return case.team.filter(person_id=user.pk).exists()


def _granted_access(user: Any, case: Any) -> bool:
    return case.accesses.filter(person_id=user.pk).exists()


def can_read_content(user: Any, case: Any) -> bool:
    """Need-to-know: the team, the leadership of the case's commission, those it added, recorded upper requests."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not grants_in(user, Module.CASES):
        return False  # a revoked role ends every access, even one added earlier
    return is_leadership(user, case.unit) or on_team(user, case) or _granted_access(user, case)


def can_work(user: Any, case: Any) -> bool:
    """Record steps, add documents: the team while the file is open."""
    return case.state == "open" and on_team(user, case) and bool(grants_in(user, Module.CASES))


def can_manage(user: Any, case: Any) -> bool:
    """Assign the team, add readers, approve the conclusion, close: the commission's leadership."""
    return is_leadership(user, case.unit)


def can_request_content(user: Any, case: Any) -> bool:
    """An upper commission's leadership asks to read a subordinate's file; the request is recorded."""
    if case.unit in cases_scope(user) and not is_leadership(user, case.unit):
        return any(
            F.CASE_LEADERSHIP in g.functions and g.unit.pk != case.unit.pk and case.unit.path.startswith(g.unit.path)
            for g in grants_in(user, Module.CASES)
        )
    return False


def can_verify(user: Any, request: Any) -> bool:
    case = request.conclusion.case
    return is_leadership(user, case.unit) or case.team.filter(person_id=user.pk, role="leader").exists()


def officer_units(user: Any) -> list[OrgUnit]:
    """The commissions where the user is a case officer (imports the backlog, reports on requests addressed there)."""
    return [g.unit for g in grants_in(user, Module.CASES) if F.CASE_OFFICER in g.functions]


def can_report(user: Any, request: Any) -> bool:
    """The subject's report is entered by the team or, on its behalf, by the lower commission's officers."""
    case = request.conclusion.case
    unit = request.responsible_unit
    return on_team(user, case) or (unit is not None and has_function(user, F.CASE_OFFICER, unit))


def can_read_document(user: Any, document: Any) -> bool:
    """A reader of the file; or, for a piece of evidence, whoever may report on the request it was sent for:
    the lower commission's officers reopen what they sent without reading the rest of the file."""
    if can_read_content(user, document.case):
        return True
    reports = RequestReport.objects.filter(evidence=document).select_related(
        "request__conclusion__case", "request__responsible_unit"
    )
    return any(can_report(user, report.request) for report in reports)


UNIT_RULES = {
    "cases.view": in_scope(SCOPE),
    "cases.programme.draft": at(F.CASE_OFFICER),
    "cases.programme.approve": at(F.CASE_LEADERSHIP),
    "cases.open": at(F.CASE_LEADERSHIP),
    "cases.import": at(F.CASE_OFFICER),
}
OBJECT_RULES = {
    "cases.case.read": can_read_content,
    "cases.document.read": can_read_document,
    "cases.case.work": can_work,
    "cases.case.manage": can_manage,
    "cases.case.request_content": can_request_content,
    "cases.request.report": can_report,
    "cases.request.verify": can_verify,
}


def register() -> None:
    registry.register_scope(SCOPE, cases_scope, label=_("Hồ sơ kiểm tra"))
    registry.register_rules(UNIT_RULES)
    registry.register_rules(OBJECT_RULES, target=registry.OBJECT)
