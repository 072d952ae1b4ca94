"""Who may read and change disciplinary decisions, registered at start-up.

A commission sees its own and its subtree's decisions, the Centre all of them;
classified details only for those who enter and reconcile decisions.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kiemtra.accounts.choices import Function, Module
from kiemtra.accounts.policies import Scope, at, grants_in, has_function, in_scope, subtrees, system_admin
from kiemtra.core import registry
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

F = Function
DISCIPLINE_READERS = frozenset({F.DISCIPLINE_EDITOR, F.DISCIPLINE_VIEWER})
CLASSIFIED = "discipline.classified"


def _roots(user: Any, functions: frozenset[str]) -> Scope:
    grants = grants_in(user, Module.DISCIPLINE)
    if any(F.DISCIPLINE_ADMIN in g.functions for g in grants):
        return Scope(everything=True)
    roots: list[OrgUnit] = []
    for g in grants:
        if g.functions & functions:
            # The departments of the Centre work for the Central Commission: they see what it sees.
            roots.append(g.unit.parent if g.unit.kind == UnitKind.DEPARTMENT and g.unit.parent else g.unit)
    if any(u.parent_id is None for u in roots):
        return Scope(everything=True)
    return Scope(unit_ids=subtrees(roots))


def discipline_scope(user: Any) -> Scope:
    return _roots(user, DISCIPLINE_READERS)


def classified_scope(user: Any) -> Scope:
    """Classified decisions: read only by those who enter and reconcile decisions, in their subtree."""
    return _roots(user, frozenset({F.DISCIPLINE_EDITOR}))


UNIT_RULES = {
    "discipline.view": in_scope(Module.DISCIPLINE),
    "discipline.read_classified": in_scope(CLASSIFIED),
    "discipline.ingest": at(F.DISCIPLINE_EDITOR),
    "discipline.reconcile": at(F.DISCIPLINE_EDITOR),
}
GLOBAL_RULES = {
    "discipline.manage_persons": lambda u, _obj: (
        has_function(u, F.DISCIPLINE_EDITOR) or has_function(u, F.DISCIPLINE_ADMIN)
    ),
    "discipline.configure": lambda u, _obj: has_function(u, F.DISCIPLINE_ADMIN) or system_admin(u, _obj),
}


def register() -> None:
    registry.register_scope(Module.DISCIPLINE, discipline_scope, label=_("Kỷ luật đảng"))
    registry.register_scope(CLASSIFIED, classified_scope)
    registry.register_rules(UNIT_RULES)
    registry.register_rules(GLOBAL_RULES, target=registry.GLOBAL)
