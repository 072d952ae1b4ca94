"""Who may do what in statistical reporting (Quy định 11-QĐ/UBKTTW Art. 3, 6, 8–11), registered at start-up."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kiemtra.accounts.choices import Function, Module
from kiemtra.accounts.policies import Scope, at, at_parent, grants_in, in_scope, subtrees, system_admin
from kiemtra.core import registry
from kiemtra.orgs.choices import DepartmentRole
from kiemtra.orgs.models import OrgUnit, RegionalAssignment

F = Function
DATA_FUNCTIONS = frozenset({F.APPROVER, F.STATISTICIAN, F.VIEWER})


def stats_scope(user: Any) -> Scope:
    grants = grants_in(user, Module.STATS)
    if any(F.SYSTEM_ADMIN in g.functions for g in grants):
        return Scope(everything=True)
    data_grants = [g for g in grants if g.functions & DATA_FUNCTIONS]
    # Art. 11.1: the general affairs department may use all data of the sector.
    if any(g.unit.department_role == DepartmentRole.GENERAL_AFFAIRS for g in data_grants):
        return Scope(everything=True)
    roots: list[OrgUnit] = []
    for g in data_grants:
        roots.append(g.unit)
        if g.unit.department_role == DepartmentRole.REGIONAL:
            # Art. 3.4: a regional department follows the provinces assigned to it.
            roots.extend(
                a.province
                for a in RegionalAssignment.objects.filter(department=g.unit, valid_to__isnull=True).select_related(
                    "province"
                )
            )
    return Scope(unit_ids=subtrees(roots))


UNIT_RULES = {
    "stats.view": in_scope(Module.STATS),
    # Art. 6.1: the direct upper unit may enter the data of a lower unit that cannot connect.
    "stats.enter": lambda u, unit: at(F.STATISTICIAN)(u, unit) or at_parent(F.STATISTICIAN)(u, unit),
    "stats.forward": at(F.STATISTICIAN),
    "stats.approve": at(F.APPROVER),
    "stats.return": at(F.APPROVER),
    "stats.send": at(F.APPROVER),
    "stats.receive": at_parent(F.STATISTICIAN),
    "stats.return_from_above": at_parent(F.STATISTICIAN),
}
GLOBAL_RULES = {"stats.configure": system_admin}


def register() -> None:
    registry.register_scope(Module.STATS, stats_scope, label=_("Thống kê"))
    registry.register_rules(UNIT_RULES)
    registry.register_rules(GLOBAL_RULES, target=registry.GLOBAL)
