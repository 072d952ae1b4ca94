"""Roles and grants: who holds which function at which unit, and who may manage whose account.

``can(user, action, obj)``, ``require`` and ``scope(user, module)`` are the
kernel's (``kiemtra.core.policy``), re-exported here under the names every
module uses; they answer from the rules each app registers in its
``AppConfig.ready()`` (``stats/policies.py``, ``discipline/policies.py``, …).
This module gives those rules their vocabulary (``has_function``, ``at``,
``at_parent``, ``in_scope``, ``subtrees``, ``Scope``) and registers only what is
about accounts' own roles: account management (Quy định 11 Art. 3, Quy định 06
Art. 2.8), who manages the tree and who reads the audit log (the system admin,
the unit admins — ``orgs`` and ``audit`` sit below ``accounts`` and cannot name
roles), and, until ``kiemtra/letters`` registers its own, the letter rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kiemtra.core import registry
from kiemtra.core.errors import PolicyDenied
from kiemtra.core.policy import can, require, scope
from kiemtra.orgs.choices import DepartmentRole, UnitKind
from kiemtra.orgs.models import OrgUnit

from .choices import COMBINED_ROLES, ROLE_FUNCTIONS, ROLE_MODULE, Function, Module, Role

__all__ = ["PolicyDenied", "Scope", "can", "has_function", "held_grants", "require", "scope"]

F = Function


@dataclass(frozen=True)
class GrantTarget:
    """The object of ``accounts.grant``: a role to be given at a unit (to ``person``, when known)."""

    unit: OrgUnit
    role: str
    person: Any = None

    @property
    def module(self) -> str:
        return ROLE_MODULE[self.role]


@dataclass(frozen=True)
class Scope:
    """The units whose data a user may see in one module."""

    everything: bool = False
    unit_ids: frozenset[int] = field(default_factory=frozenset)

    def __contains__(self, unit: object) -> bool:
        unit_id = unit.pk if isinstance(unit, OrgUnit) else unit
        return self.everything or unit_id in self.unit_ids

    def __bool__(self) -> bool:
        return self.everything or bool(self.unit_ids)

    def filter(self, queryset: QuerySet[Any], unit_field: str = "unit") -> QuerySet[Any]:
        if self.everything:
            return queryset
        return queryset.filter(**{f"{unit_field}__in": self.unit_ids})


@dataclass(frozen=True)
class HeldGrant:
    unit: OrgUnit
    role: str

    @property
    def functions(self) -> frozenset[str]:
        return ROLE_FUNCTIONS[self.role]


def held_grants(user: Any) -> list[HeldGrant]:
    """The user's active grants, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_held_grants", None)
    if cached is None:
        from .models import RoleGrant

        grants = RoleGrant.objects.active().filter(person=user, unit__valid_to__isnull=True).select_related("unit")
        cached = [HeldGrant(g.unit, g.role) for g in grants]
        user._held_grants = cached
    return list(cached)


def act_with(user: Any, grants: list[HeldGrant]) -> None:
    """Give ``user`` exactly these grants for the rest of this request, without storing them.

    For system accounts that act on behalf of an approved connection (the
    integration API): their rights come from the connection, not from a
    RoleGrant that would count against a unit's quota.
    """
    forget(user)
    user._held_grants = list(grants)


def forget(user: Any) -> None:
    """Drop the per-request caches after the user's grants changed."""
    for attr in ("_held_grants", "_scopes"):
        if hasattr(user, attr):
            delattr(user, attr)


def _units_with(user: Any, function: str, module: str | None = None) -> list[OrgUnit]:
    return [
        g.unit
        for g in held_grants(user)
        if function in g.functions and (module is None or ROLE_MODULE[g.role] == module)
    ]


# Art. 3.2.b-c: the general affairs department's approver and statisticians act for the
# Central Commission itself (they approve its report and receive the provincial ones).
ACTS_FOR_CENTRE = frozenset({F.APPROVER, F.STATISTICIAN})


def _acts_at(grant_unit: OrgUnit, function: str, unit: OrgUnit) -> bool:
    if grant_unit.pk == unit.pk:
        return True
    return (
        function in ACTS_FOR_CENTRE
        and grant_unit.department_role == DepartmentRole.GENERAL_AFFAIRS
        and grant_unit.parent_id == unit.pk
    )


def has_function(user: Any, function: str, unit: OrgUnit | None = None) -> bool:
    units = _units_with(user, function)
    if unit is None:
        return bool(units)
    return any(_acts_at(u, function, unit) for u in units)


def is_system_admin(user: Any) -> bool:
    return has_function(user, F.SYSTEM_ADMIN)


# --- scope -----------------------------------------------------------------


def subtrees(roots: Iterable[OrgUnit]) -> frozenset[int]:
    """The ids of these units and of every unit below them."""
    paths = {u.path for u in roots}
    if not paths:
        return frozenset()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return frozenset(OrgUnit.objects.filter(condition).values_list("pk", flat=True))


def grants_in(user: Any, module: str) -> list[HeldGrant]:
    """The user's active grants of one module."""
    return [g for g in held_grants(user) if ROLE_MODULE[g.role] == module]


def _letters_scope(user: Any) -> Scope:
    from .models import ManagedAccount

    unit_ids = {g.unit.pk for g in held_grants(user) if g.role == Role.USER}
    if any(g.role == Role.USER_MANAGER for g in held_grants(user)):
        # Art. 2.8: a user manager's rights are the union of the users it manages.
        unit_ids |= set(
            ManagedAccount.objects.filter(
                active=True, manager_grant__person=user, manager_grant__active=True, user_grant__active=True
            ).values_list("user_grant__unit_id", flat=True)
        )
    return Scope(unit_ids=frozenset(unit_ids))


def _audit_scope(user: Any) -> Scope:
    if is_system_admin(user) or getattr(user, "is_superuser", False):
        return Scope(everything=True)
    units: set[int] = set()
    for unit in _units_with(user, F.ADMIN):
        units.add(unit.pk)
        units.update(unit.children.values_list("pk", flat=True))
    return Scope(unit_ids=frozenset(units))


# --- account management ----------------------------------------------------

UNIT_ADMIN_GRANTS_OWN = frozenset({Role.APPROVER, Role.STATISTICIAN, Role.VIEWER})
UNIT_ADMIN_GRANTS_BELOW = frozenset({Role.ADMIN, Role.ADMIN_APPROVER, Role.ADMIN_STATISTICIAN})


DISCIPLINE_UNIT_ROLES = frozenset({Role.DISCIPLINE_EDITOR, Role.DISCIPLINE_VIEWER})


def _can_grant_discipline(user: Any, target: GrantTarget) -> bool:
    if target.role == Role.DISCIPLINE_ADMIN:
        # One national administrator of the database, at the Centre, named by the system admin.
        return target.unit.parent_id is None and is_system_admin(user)
    if is_system_admin(user) or bool(_units_with(user, F.DISCIPLINE_ADMIN)):
        return True
    return _unit_admin_sets_up(user, target.unit)


def _unit_admin_sets_up(user: Any, unit: OrgUnit) -> bool:
    """A unit's admin sets up its own people, and a provincial admin those of its communes (as Art. 3.5.a)."""
    return any(
        unit.pk == admin_unit.pk
        or (
            unit.parent_id == admin_unit.pk and admin_unit.kind == UnitKind.PROVINCIAL and unit.kind == UnitKind.COMMUNE
        )
        for admin_unit in _units_with(user, F.ADMIN, Module.STATS)
    )


def is_self(user: Any, target: GrantTarget) -> bool:
    """Issue 8.1: nobody, whatever their rights, grants or revokes a role of their own."""
    return target.person is not None and getattr(target.person, "pk", None) == getattr(user, "pk", object())


def can_grant(user: Any, target: GrantTarget) -> bool:
    if is_self(user, target):
        return False
    if getattr(user, "is_superuser", False):
        return True
    if target.module == Module.DISCIPLINE:
        return _can_grant_discipline(user, target)
    if target.module == Module.CASES:
        # Issue 14: set up by the unit's admin like discipline's unit roles (no national role).
        return is_system_admin(user) or _unit_admin_sets_up(user, target.unit)
    if target.module == Module.LETTERS:
        # Quy định 06 Art. 2.8: only the admin creates and assigns letter accounts.
        return target.role != Role.NATIONAL_ADMIN and bool(_units_with(user, F.NATIONAL_ADMIN))
    if target.role == Role.SYSTEM_ADMIN:
        return False
    unit = target.unit
    if is_system_admin(user):
        # Art. 3.2.a: manages every account of the system; but a combined account comes only from the
        # admin of the level directly above (Art. 3.1.d), which the Centre is for the units under it.
        return target.role not in COMBINED_ROLES or (unit.parent is not None and unit.parent.parent_id is None)
    for admin_unit in _units_with(user, F.ADMIN, Module.STATS):
        # Art. 3.1.c: a unit's admin creates its approver, statistician and viewer accounts.
        if unit.pk == admin_unit.pk and target.role in UNIT_ADMIN_GRANTS_OWN:
            return True
        if unit.parent_id == admin_unit.pk:
            # Art. 3.1.b and 3.1.d: admin (and combined) accounts come from the level directly above.
            if target.role in UNIT_ADMIN_GRANTS_BELOW:
                return True
            # Art. 3.5.a: a provincial admin also sets up the commune commissions' user accounts.
            if (
                admin_unit.kind == UnitKind.PROVINCIAL
                and unit.kind == UnitKind.COMMUNE
                and target.role in UNIT_ADMIN_GRANTS_OWN
            ):
                return True
    return False


# Functions that administer accounts, and those that work on data.
ADMIN_FUNCTIONS = frozenset({F.SYSTEM_ADMIN, F.ADMIN, F.NATIONAL_ADMIN, F.DISCIPLINE_ADMIN})
SEPARATED = frozenset({F.APPROVER, F.STATISTICIAN})


def _acting_unit(unit: OrgUnit, function: str) -> OrgUnit:
    """Where a grant's function takes effect: the general affairs department acts for the Centre."""
    if function in ACTS_FOR_CENTRE and unit.department_role == DepartmentRole.GENERAL_AFFAIRS and unit.parent:
        return unit.parent
    return unit


def in_one_line(a: OrgUnit, b: OrgUnit) -> bool:
    """The same unit, or one an ancestor of the other."""
    return a.path.startswith(b.path) or b.path.startswith(a.path)


def grant_conflict(held: Iterable[HeldGrant], new: HeldGrant) -> str | None:
    """Why ``new`` may not join the person's ``held`` grants, as a code; None when it may.

    - ``admin_holds_data_role``: an account administrator (statistics, letters, discipline) holds no data
      role in any module, and a data role holder no admin grant (Quy định 11 Art. 3.5.a; Quy định 06
      Art. 2.8) — except one combined account of Art. 3.1.d, which is then the person's only grant.
    - ``separation_of_duties``: the statistician and the approver are two people (Art. 3.1.d), not only
      in one unit but along a line of the tree, where one would approve what the other entered or received.
    """
    grants = [*held, new]
    admin = [g for g in grants if g.functions & ADMIN_FUNCTIONS]
    data = [g for g in grants if g.functions - ADMIN_FUNCTIONS]
    if admin and data:
        combined_alone = len(grants) == 1 and grants[0].role in COMBINED_ROLES
        if not combined_alone:
            return "admin_holds_data_role"
    for function in SEPARATED:
        other = next(iter(SEPARATED - {function}))
        for g in grants:
            if function not in g.functions:
                continue
            here = _acting_unit(g.unit, function)
            for h in grants:
                if other in h.functions and in_one_line(here, _acting_unit(h.unit, other)):
                    return "separation_of_duties"
    return None


def can_manage_unit_accounts(user: Any, unit: OrgUnit) -> bool:
    return any(can_grant(user, GrantTarget(unit, role)) for role in Role.values)


def can_manage_person(user: Any, person: Any) -> bool:
    """Reset a password, hand an account over: only for someone whose grants you could give."""
    from .models import RoleGrant

    if getattr(user, "pk", None) == getattr(person, "pk", object()):
        return False  # one's own password is changed on the password page, never reset
    if getattr(user, "is_superuser", False) or (is_system_admin(user) and not person.is_superuser):
        return True
    grants = RoleGrant.objects.active().filter(person=person).select_related("unit")
    return any(can_grant(user, GrantTarget(g.unit, g.role, person)) for g in grants)


def can_manage_person_in(user: Any, person: Any, module: str) -> bool:
    """Whether ``user`` could give one of ``person``'s grants in ``module``."""
    from .models import RoleGrant

    if getattr(user, "pk", None) == getattr(person, "pk", object()):
        return False
    grants = RoleGrant.objects.filter(person=person, module=module).select_related("unit")
    return any(can_grant(user, GrantTarget(g.unit, g.role, person)) for g in grants)


def managed_modules(user: Any, unit: OrgUnit) -> frozenset[str]:
    """The modules whose grants ``user`` administers at ``unit``: the only grants and quotas it sees there."""
    return frozenset(ROLE_MODULE[r] for r in Role.values if can_grant(user, GrantTarget(unit, r)))


def administered_modules(user: Any) -> list[str]:
    """The modules whose accounts ``user`` administers anywhere, in menu order."""
    if getattr(user, "is_superuser", False):
        return list(Module.values)
    found: set[str] = set()
    if _units_with(user, F.ADMIN, Module.STATS):
        found |= {Module.STATS, Module.DISCIPLINE}  # a unit's admin also sets up its discipline accounts
    if _units_with(user, F.NATIONAL_ADMIN):
        found.add(Module.LETTERS)
    if _units_with(user, F.DISCIPLINE_ADMIN):
        found.add(Module.DISCIPLINE)
    return [m for m in Module.values if m in found]


def can_reset_to_default(user: Any, person: Any) -> bool:
    """Quy định 06 Art. 2.8: the letter admin's reset to the shared default, for letter-only accounts."""
    from .models import RoleGrant

    if not has_function(user, F.NATIONAL_ADMIN) or not can_manage_person(user, person):
        return False
    modules = set(RoleGrant.objects.active().filter(person=person).values_list("module", flat=True))
    return modules == {Module.LETTERS}


# --- the vocabulary of rules ----------------------------------------------------


def at(function: str) -> Callable[[Any, Any], bool]:
    """The function held at the unit itself."""
    return lambda user, unit: has_function(user, function, unit)


def at_parent(function: str) -> Callable[[Any, Any], bool]:
    """The function held at the unit directly above; never on one's own unit's report."""
    return lambda user, unit: (
        unit.parent is not None and has_function(user, function, unit.parent) and not has_function(user, function, unit)
    )


def in_scope(module: str) -> Callable[[Any, Any], bool]:
    return lambda user, unit: unit in scope(user, module)


def system_admin(user: Any, _obj: Any = None) -> bool:
    return is_system_admin(user) or bool(getattr(user, "is_superuser", False))


def no_active_grant_at(unit: OrgUnit) -> None:
    """A unit closing without a successor must have no active account left (orgs asks before closing)."""
    from kiemtra.core.errors import DomainError

    from .models import RoleGrant

    if RoleGrant.objects.active().filter(unit=unit).exists():
        raise DomainError(_("Đơn vị còn tài khoản đang hoạt động: thu hồi trước khi giải thể."), code="has_accounts")


def register() -> None:
    """Called by ``AccountsConfig.ready()``: the rules about accounts' own roles."""
    from kiemtra.orgs import services as orgs_services

    orgs_services.register_closing_check(no_active_grant_at)
    registry.register_rules(
        {
            "accounts.grant": can_grant,
            "accounts.revoke": lambda u, grant: can_grant(u, GrantTarget(grant.unit, grant.role, grant.person)),
            "accounts.manage_person": can_manage_person,
        },
        target=registry.OBJECT,
    )
    registry.register_rules({"accounts.manage_unit": can_manage_unit_accounts})
    # The tree and the audit log belong to apps below accounts; who may act on them is a matter of roles.
    registry.register_rules({"orgs.manage": system_admin}, target=registry.GLOBAL)
    registry.register_scope("audit", _audit_scope)
    registry.register_rules({"audit.view": in_scope("audit")})
    # Quy định 06 Art. 2.8. Held here until kiemtra/letters registers its own (which then replaces these).
    registry.register_scope(Module.LETTERS, _letters_scope, label=_("Đơn thư"), fallback=True)
    registry.register_rules(
        {"letters.view": in_scope(Module.LETTERS), "letters.edit": in_scope(Module.LETTERS)}, fallback=True
    )
