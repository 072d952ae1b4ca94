"""Who may do what with letters (Quy định 06 Art. 2.8), registered with the kernel at start-up.

- A *user* account works on the register of the commission it belongs to; at the
  Centre the user accounts sit in the departments, which work for the Central
  Commission, so they work on its register.
- A *user manager* holds the union of the rights of the users it manages
  (``accounts.ManagedAccount``), and no right of its own.
- The *national admin* manages accounts and sees no letter: it has no rule here
  but designating the custodians (assigning a right, which is its job).
- Inside the register, a protected sender's identity is for the letter's
  handlers only, or for a person whose reveal request the commission's
  custodian approved (personal, until it expires).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Function, Role
from kiemtra.accounts.models import ManagedAccount, RoleGrant, User
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

SCOPE = "letters.register"


def commission_of(unit: OrgUnit) -> OrgUnit:
    """The commission whose register a unit works on: a department of the Centre works for the Centre."""
    if unit.kind == UnitKind.DEPARTMENT and unit.parent is not None:
        return unit.parent
    return unit


def register_scope(user: Any) -> policies.Scope:
    """The commissions whose registers ``user`` works on."""
    units = [g.unit for g in policies.held_grants(user) if g.role == Role.USER]
    if any(g.role == Role.USER_MANAGER for g in policies.held_grants(user)):
        # Art. 2.8: a user manager's rights are the union of the rights of the users it manages.
        managed = ManagedAccount.objects.filter(
            active=True,
            manager_grant__person=user,
            manager_grant__active=True,
            user_grant__active=True,
            user_grant__unit__valid_to__isnull=True,
        ).select_related("user_grant__unit__parent")
        units += [link.user_grant.unit for link in managed]
    return policies.Scope(unit_ids=frozenset(commission_of(u).pk for u in units))


def register_people(unit: OrgUnit) -> Any:
    """The active people who work on ``unit``'s register (``register_scope`` read the other way round):
    its user accounts (the Centre's sit in its departments) and the user managers of those accounts."""
    at_unit = Q(unit=unit) | Q(unit__parent=unit, unit__kind=UnitKind.DEPARTMENT)
    grants = RoleGrant.objects.filter(at_unit, active=True, role=Role.USER, unit__valid_to__isnull=True)
    managers = ManagedAccount.objects.filter(active=True, manager_grant__active=True, user_grant__in=grants).values(
        "manager_grant__person_id"
    )
    return User.objects.filter(Q(pk__in=grants.values("person_id")) | Q(pk__in=managers), is_active=True).order_by(
        "full_name", "pk"
    )


def _unit_of(obj: Any) -> Any:
    return getattr(obj, "holding_unit", obj)


def in_register(user: Any, obj: Any) -> bool:
    """``obj`` is a letter (its holding commission) or a commission."""
    unit = _unit_of(obj)
    return unit is not None and unit in policies.scope(user, SCOPE)


def is_handler(user: Any, letter: Any) -> bool:
    from .models import HandlerAssignment

    return (
        in_register(user, letter)
        and HandlerAssignment.objects.filter(letter=letter, person_id=user.pk, active=True).exists()
    )


def has_reveal(user: Any, letter: Any) -> bool:
    from .choices import RevealState
    from .models import RevealRequest

    return (
        in_register(user, letter)
        and RevealRequest.objects.filter(
            letter=letter, requester_id=user.pk, state=RevealState.APPROVED, expires_at__gt=timezone.now()
        ).exists()
    )


def read_identity(user: Any, letter: Any) -> bool:
    """The senders of a protected letter: its handlers, or an approved personal reveal that has not expired."""
    if not in_register(user, letter):
        return False
    if not letter.identity_protected:
        return True
    return is_handler(user, letter) or has_reveal(user, letter)


def is_custodian(user: Any, unit: Any) -> bool:
    from .models import Custodian

    return Custodian.objects.filter(unit=unit, person_id=user.pk, active=True).exists()


def ask_reveal(user: Any, letter: Any) -> bool:
    return in_register(user, letter) and letter.identity_protected and not read_identity(user, letter)


def decide_reveal(user: Any, request: Any) -> bool:
    """The commission's custodian decides; never on a request of their own."""
    return request.requester_id != user.pk and is_custodian(user, request.letter.holding_unit)


def designate_custodian(user: Any, unit: Any) -> bool:
    """Naming a custodian assigns a right: the national admin's job (Art. 2.8), like creating accounts."""
    return policies.has_function(user, Function.NATIONAL_ADMIN)


def is_leader(user: Any, obj: Any) -> bool:
    """The commission's designated leader for letters (approves replies and proposals)."""
    from .models import Leader

    unit = _unit_of(obj)
    unit = getattr(obj, "unit", unit) if not hasattr(obj, "holding_unit") else unit
    return unit is not None and Leader.objects.filter(unit=unit, person_id=user.pk, active=True).exists()


def follows(user: Any, unit: Any) -> bool:
    """An upper commission follows the lower ones (Art. 7.2): ``unit`` is strictly below one of its registers."""
    if unit is None:
        return False
    mine = policies.scope(user, SCOPE)
    unit = _unit_of(unit)
    ancestors = set(unit.ancestor_ids)
    return any(uid in ancestors for uid in mine.unit_ids)


def lead_or_register(user: Any, obj: Any) -> bool:
    return in_register(user, obj) or is_leader(user, obj)


# Asked about a commission (or a letter, read as its holding commission).
RULES = {
    "letters.letter.read": in_register,
    "letters.letter.register": in_register,
    "letters.letter.edit": in_register,
    "letters.letter.assign": in_register,
    "letters.letter.export": in_register,
    "letters.custodian.designate": designate_custodian,
    "letters.leader.designate": designate_custodian,
    # Letters II — handling inside the register (and the leader's decisions).
    "letters.letter.handle": in_register,
    "letters.letter.refer_accept": in_register,
    "letters.reply.approve": is_leader,
    "letters.proposal.draft": in_register,
    "letters.proposal.decide": is_leader,
    "letters.proposal.read": lead_or_register,
    "letters.follow.read": follows,
    "letters.data_request.create": follows,
    "letters.data_request.provide": in_register,
}
# Asked about one letter or one reveal request: the handlers and custodians of that letter.
OBJECT_RULES = {
    "letters.identity.read": read_identity,
    "letters.identity.reveal_request": ask_reveal,
    "letters.identity.reveal_decide": decide_reveal,
}
