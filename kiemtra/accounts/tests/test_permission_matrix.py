"""Every role × relation × action of the policy layer, denials as well as grants.

The expectations below are written from the regulations, not derived from the
code: Quy định 11-QĐ/UBKTTW Art. 3, 6.1, 8, 9, 10, 11 and Quy định
06-QĐ/UBKTTW Art. 2.8; for discipline decisions, issue 4: "a commission sees its
own and its subtree's decisions; the Centre all". Anything not listed for an
actor must be denied.

The actions checked are every action the apps registered (``registry.actions``):
a module that registers a new action is checked here at once — denied to every
actor below until its expectations are written in.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import ManagedAccount
from kiemtra.conftest import Tree, give, make_person
from kiemtra.core import registry
from kiemtra.orgs.models import OrgUnit

UNIT_ACTIONS = registry.actions(registry.UNIT)
GLOBAL_ACTIONS = registry.actions(registry.GLOBAL)
RELATIONS = ["own", "ancestor", "descendant", "sibling", "other_province"]

ALL = set(RELATIONS)
PROVINCE_READ = {"own", "descendant"}
CASE_OFFICER_GRANTS = {"cases.view": PROVINCE_READ, "cases.programme.draft": {"own"}, "cases.import": {"own"}}
LETTER_WORK = {
    action: {"own"}
    for action in (
        *(f"letters.letter.{verb}" for verb in ("read", "register", "edit", "assign", "export", "handle")),
        "letters.letter.refer_accept",
        "letters.proposal.draft",
        "letters.proposal.read",
        "letters.data_request.provide",
    )
}
# Quy định 06 Art. 7.2, 7.5: an upper commission follows the lower ones and may ask for their letter data.
LETTER_FOLLOW = {"letters.follow.read": {"descendant"}, "letters.data_request.create": {"descendant"}}


@dataclass(frozen=True)
class Actor:
    name: str
    level: str  # where the role is held: province, commune, general_affairs, office, regional
    roles: tuple[str, ...]
    grants: dict[str, set[str]]  # action -> relations where it is allowed
    global_grants: frozenset[str] = frozenset()


ACTORS = [
    Actor(
        "provincial admin",
        "province",
        (Role.ADMIN,),
        {"accounts.manage_unit": {"own", "descendant"}, "audit.view": {"own", "descendant"}},
    ),
    Actor(
        "provincial approver",
        "province",
        (Role.APPROVER,),
        {"stats.view": PROVINCE_READ, "stats.approve": {"own"}, "stats.return": {"own"}, "stats.send": {"own"}},
    ),
    Actor(
        "provincial statistician",
        "province",
        (Role.STATISTICIAN,),
        {
            "stats.view": PROVINCE_READ,
            "stats.enter": {"own", "descendant"},
            "stats.forward": {"own"},
            "stats.receive": {"descendant"},
            "stats.return_from_above": {"descendant"},
        },
    ),
    Actor("provincial viewer", "province", (Role.VIEWER,), {"stats.view": PROVINCE_READ}),
    Actor(
        "provincial admin+approver",
        "province",
        (Role.ADMIN_APPROVER,),
        {
            "stats.view": PROVINCE_READ,
            "stats.approve": {"own"},
            "stats.return": {"own"},
            "stats.send": {"own"},
            "accounts.manage_unit": {"own", "descendant"},
            "audit.view": {"own", "descendant"},
        },
    ),
    Actor(
        "provincial admin+statistician",
        "province",
        (Role.ADMIN_STATISTICIAN,),
        {
            "stats.view": PROVINCE_READ,
            "stats.enter": {"own", "descendant"},
            "stats.forward": {"own"},
            "stats.receive": {"descendant"},
            "stats.return_from_above": {"descendant"},
            "accounts.manage_unit": {"own", "descendant"},
            "audit.view": {"own", "descendant"},
        },
    ),
    Actor("commune admin", "commune", (Role.ADMIN,), {"accounts.manage_unit": {"own"}, "audit.view": {"own"}}),
    Actor(
        "commune approver",
        "commune",
        (Role.APPROVER,),
        {"stats.view": {"own"}, "stats.approve": {"own"}, "stats.return": {"own"}, "stats.send": {"own"}},
    ),
    Actor(
        "commune statistician",
        "commune",
        (Role.STATISTICIAN,),
        {"stats.view": {"own"}, "stats.enter": {"own"}, "stats.forward": {"own"}},
    ),
    Actor(
        "system admin",
        "general_affairs",
        (Role.SYSTEM_ADMIN,),
        {"stats.view": ALL, "accounts.manage_unit": ALL, "audit.view": ALL},
        frozenset({"stats.configure", "orgs.manage", "discipline.configure"}),
    ),
    # Art. 3.2.c and 11.1: the Centre's statisticians see everything and act for the Centre.
    Actor(
        "general affairs statistician",
        "general_affairs",
        (Role.STATISTICIAN,),
        {
            "stats.view": ALL,
            "stats.enter": ALL - {"descendant"},
            "stats.forward": {"own", "ancestor"},
            "stats.receive": {"sibling", "other_province"},
            "stats.return_from_above": {"sibling", "other_province"},
        },
    ),
    Actor(
        "office statistician",
        "office",
        (Role.STATISTICIAN,),
        {"stats.view": {"own"}, "stats.enter": {"own"}, "stats.forward": {"own"}},
    ),
    # Art. 3.4: follows its assigned provinces (the "descendant" column holds them here).
    Actor("regional department viewer", "regional", (Role.VIEWER,), {"stats.view": {"own", "descendant"}}),
    # Quy định 06: a commission works on its own register.
    Actor(
        "letters user",
        "province",
        (Role.USER,),
        {"letters.view": {"own"}, "letters.edit": {"own"}, **LETTER_WORK, **LETTER_FOLLOW},
    ),
    Actor(
        "letters user manager",
        "province",
        (Role.USER_MANAGER,),
        {
            "letters.view": {"own", "descendant"},
            "letters.edit": {"own", "descendant"},
            **{action: {"own", "descendant"} for action in LETTER_WORK},
            **LETTER_FOLLOW,  # the union: the province user it manages follows the commune below
        },
    ),
    # Quy định 06 Art. 2.8: manages accounts nationwide, never sees letters; names the identity custodians.
    Actor(
        "letters national admin",
        "office",
        (Role.NATIONAL_ADMIN,),
        {"accounts.manage_unit": ALL, "letters.custodian.designate": ALL, "letters.leader.designate": ALL},
    ),
    # Discipline decisions: each level enters its own, reads its subtree; classified details only for editors.
    Actor(
        "provincial discipline editor",
        "province",
        (Role.DISCIPLINE_EDITOR,),
        {
            "discipline.view": PROVINCE_READ,
            "discipline.read_classified": PROVINCE_READ,
            "discipline.ingest": {"own"},
            "discipline.reconcile": {"own"},
        },
        frozenset({"discipline.manage_persons"}),
    ),
    Actor("provincial discipline viewer", "province", (Role.DISCIPLINE_VIEWER,), {"discipline.view": PROVINCE_READ}),
    Actor(
        "commune discipline editor",
        "commune",
        (Role.DISCIPLINE_EDITOR,),
        {
            "discipline.view": {"own"},
            "discipline.read_classified": {"own"},
            "discipline.ingest": {"own"},
            "discipline.reconcile": {"own"},
        },
        frozenset({"discipline.manage_persons"}),
    ),
    Actor(
        "centre discipline admin",
        "centre",
        (Role.DISCIPLINE_ADMIN,),
        # It also sets up the discipline accounts of every unit.
        {"discipline.view": ALL, "discipline.read_classified": ALL, "accounts.manage_unit": ALL},
        frozenset({"discipline.manage_persons", "discipline.configure"}),
    ),
    # A department of the Centre works for the Central Commission: it sees all decisions.
    Actor("department discipline viewer", "office", (Role.DISCIPLINE_VIEWER,), {"discipline.view": ALL}),
    # Case files (issue 14): progress and conclusions of the commission and those below; drafting and the
    # backlog for officials; approving programmes and opening cases for the leadership. Content is need-to-know
    # (object rules, tested in kiemtra/cases/tests/test_need_to_know.py); the unit's admin holds none of it.
    Actor("provincial case officer", "province", (Role.CASE_OFFICER,), CASE_OFFICER_GRANTS),
    Actor("provincial case team leader", "province", (Role.CASE_TEAM_LEADER,), CASE_OFFICER_GRANTS),
    Actor(
        "provincial case leadership",
        "province",
        (Role.CASE_LEADERSHIP,),
        {"cases.view": PROVINCE_READ, "cases.programme.approve": {"own"}, "cases.open": {"own"}},
    ),
    Actor("provincial case viewer", "province", (Role.CASE_VIEWER,), {"cases.view": PROVINCE_READ}),
    Actor(
        "commune case officer",
        "commune",
        (Role.CASE_OFFICER,),
        {"cases.view": {"own"}, "cases.programme.draft": {"own"}, "cases.import": {"own"}},
    ),
    Actor(
        "central commission case leadership",
        "centre",
        (Role.CASE_LEADERSHIP,),
        {"cases.view": ALL, "cases.programme.approve": {"own"}, "cases.open": {"own"}},
    ),
]


def relations_of(tree: Tree, level: str) -> dict[str, OrgUnit]:
    """The unit in each relation to the unit where the actor's role is held."""
    return {
        "province": {
            "own": tree.province,
            "ancestor": tree.centre,
            "descendant": tree.commune,
            "sibling": tree.other_province,
            "other_province": tree.other_commune,
        },
        "commune": {
            "own": tree.commune,
            "ancestor": tree.province,
            "sibling": tree.sibling_commune,
            "other_province": tree.other_commune,
        },
        "general_affairs": {
            "own": tree.general_affairs,
            "ancestor": tree.centre,
            "sibling": tree.office,
            "other_province": tree.other_province,
        },
        "office": {
            "own": tree.office,
            "ancestor": tree.centre,
            "sibling": tree.training,
            "other_province": tree.other_province,
        },
        "centre": {
            "own": tree.centre,
            "descendant": tree.province,
            "other_province": tree.other_commune,
        },
        "regional": {
            "own": tree.regional,
            "ancestor": tree.centre,
            "descendant": tree.province,
            "sibling": tree.general_affairs,
            "other_province": tree.other_province,
        },
    }[level]


def _held_at(tree: Tree, level: str):
    return {
        "province": tree.province,
        "commune": tree.commune,
        "general_affairs": tree.general_affairs,
        "office": tree.office,
        "regional": tree.regional,
        "centre": tree.centre,
    }[level]


def _make_actor(tree: Tree, actor: Actor):
    person = make_person(unit=_held_at(tree, actor.level))
    grants = [give(person, _held_at(tree, actor.level), role) for role in actor.roles]
    if Role.USER_MANAGER in actor.roles:
        # The manager manages one user of its own unit and one of a commune below it.
        for unit in (tree.province, tree.commune):
            user_grant = give(make_person(unit=unit), unit, Role.USER)
            ManagedAccount.objects.create(manager_grant=grants[0], user_grant=user_grant)
    return person


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS, ids=[a.name for a in ACTORS])
def test_role_relation_action_matrix(org_tree: Tree, actor: Actor) -> None:
    """Each (relation, action) of the actor is checked; every wrong answer is reported."""
    person = _make_actor(org_tree, actor)
    units = relations_of(org_tree, actor.level)
    # A commune or a department has nothing below it; the Centre nothing above or beside it.
    relations = [r for r in RELATIONS if r in units]
    wrong = []
    checked = 0
    for action, relation in itertools.product(UNIT_ACTIONS, relations):
        expected = relation in actor.grants.get(action, set())
        checked += 1
        if policies.can(person, action, units[relation]) is not expected:
            wrong.append(f"{action} on {relation}: expected {'grant' if expected else 'denial'}")
    for action in GLOBAL_ACTIONS:
        checked += 1
        if policies.can(person, action) is not (action in actor.global_grants):
            wrong.append(f"{action}: expected {'grant' if action in actor.global_grants else 'denial'}")
    assert checked == len(UNIT_ACTIONS) * len(relations) + len(GLOBAL_ACTIONS)
    assert not wrong, f"{actor.name}: " + "; ".join(wrong)


def test_the_matrix_covers_the_actions_the_regulations_name() -> None:
    """The actions written from the regulations are all registered, each as a unit or a global action."""
    expected_unit = {a for actor in ACTORS for a in actor.grants}
    expected_global = {a for actor in ACTORS for a in actor.global_grants}
    assert expected_unit <= set(UNIT_ACTIONS), expected_unit - set(UNIT_ACTIONS)
    assert expected_global <= set(GLOBAL_ACTIONS), expected_global - set(GLOBAL_ACTIONS)
    for action in ("stats.return_from_above", "letters.edit", "discipline.reconcile", "audit.view"):
        assert action in UNIT_ACTIONS
    for action in ("stats.configure", "orgs.manage", "discipline.manage_persons", "discipline.configure"):
        assert action in GLOBAL_ACTIONS


@pytest.mark.django_db
def test_revoked_grant_gives_nothing(org_tree: Tree) -> None:
    person = make_person(unit=org_tree.province)
    grant = give(person, org_tree.province, Role.STATISTICIAN)
    assert policies.can(person, "stats.view", org_tree.province)
    grant.active = False
    grant.revoked_at = grant.granted_at
    grant.save()
    policies.forget(person)
    assert not policies.can(person, "stats.view", org_tree.province)


@pytest.mark.django_db
def test_anonymous_and_inactive_users_are_denied_everything(org_tree: Tree) -> None:
    from django.contrib.auth.models import AnonymousUser

    person = make_person(unit=org_tree.province)
    give(person, org_tree.province, Role.STATISTICIAN)
    person.is_active = False
    person.save()
    policies.forget(person)
    for action in UNIT_ACTIONS:
        assert not policies.can(AnonymousUser(), action, org_tree.province)
        assert not policies.can(person, action, org_tree.province)


# --- who may hold which grants (issue 8.1, 8.2) ------------------------------------------------------

# Written from the regulations: an account administrator works on no data (Quy định 11 Art. 3.5.a;
# Quy định 06 Art. 2.8); a combined account (Art. 3.1.d) is its holder's only grant; the statistician and
# the approver are two people (Art. 3.1.d), along a whole line of the tree.
ADMIN_ROLES = {Role.SYSTEM_ADMIN, Role.ADMIN, Role.NATIONAL_ADMIN, Role.DISCIPLINE_ADMIN}
COMBINED = {Role.ADMIN_APPROVER, Role.ADMIN_STATISTICIAN}
DATA_ROLES = set(Role.values) - ADMIN_ROLES - COMBINED
STATISTICIAN_ROLES = {Role.STATISTICIAN, Role.ADMIN_STATISTICIAN}
APPROVER_ROLES = {Role.APPROVER, Role.ADMIN_APPROVER}
IN_LINE = {"own", "ancestor", "descendant"}
HELD_AT: dict[str, str] = {
    Role.SYSTEM_ADMIN: "general_affairs",
    Role.NATIONAL_ADMIN: "office",
    Role.DISCIPLINE_ADMIN: "centre",
}


def _expected_conflict(held: str, wanted: str, relation: str) -> str | None:
    if held in COMBINED or wanted in COMBINED:
        return "admin_holds_data_role"
    if (held in ADMIN_ROLES and wanted in DATA_ROLES) or (held in DATA_ROLES and wanted in ADMIN_ROLES):
        return "admin_holds_data_role"
    pair = {held, wanted}
    if pair & STATISTICIAN_ROLES and pair & APPROVER_ROLES and relation in IN_LINE:
        return "separation_of_duties"
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS, ids=[a.name for a in ACTORS])
def test_nobody_grants_a_role_to_themselves_matrix(org_tree: Tree, actor: Actor) -> None:
    """Issue 8.1: every admin and data role, every role, every unit: a grant to oneself is refused."""
    from django.db import transaction

    from kiemtra.accounts.models import RoleGrant
    from kiemtra.accounts.services import grants
    from kiemtra.core.errors import DomainError

    person = _make_actor(org_tree, actor)
    units = relations_of(org_tree, actor.level)
    before = RoleGrant.objects.count()
    wrong = []
    for role, (relation, unit) in itertools.product(Role.values, units.items()):
        if policies.can(person, "accounts.grant", policies.GrantTarget(unit, role, person)):
            wrong.append(f"policy lets it grant itself {role} on {relation}")
        try:
            with transaction.atomic():
                grants.grant_role(person, person, unit, role, "Test")
        except DomainError as exc:
            if exc.code != "self_grant":
                wrong.append(f"{role} on {relation}: refused as {exc.code}, not as a self-grant")
        else:
            wrong.append(f"granted itself {role} on {relation}")
    assert RoleGrant.objects.count() == before
    assert not wrong, f"{actor.name}: " + "; ".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("held", Role.values)
def test_grants_one_person_may_hold_matrix(org_tree: Tree, held: str) -> None:
    """Issue 8.1-8.2: for every held role, every other role at every relation, each denial has its reason."""
    from django.db import transaction

    from kiemtra.accounts.models import User
    from kiemtra.accounts.services import grants
    from kiemtra.core.errors import DomainError

    level = HELD_AT.get(held, "province")
    unit = _held_at(org_tree, level)
    operator = User.objects.create_superuser("vanhanh", "x", full_name="Vận hành")
    person = make_person(unit=unit)
    give(person, unit, held)
    wrong = []
    checked = 0
    for wanted, (relation, target) in itertools.product(Role.values, relations_of(org_tree, level).items()):
        if wanted == held and relation == "own":
            continue
        expected = _expected_conflict(held, wanted, relation)
        got = None
        checked += 1
        try:
            with transaction.atomic():
                grants.grant_role(operator, person, target, wanted, "Test")
                transaction.set_rollback(True)
        except DomainError as exc:
            got = exc.code if exc.code in {"admin_holds_data_role", "separation_of_duties"} else None
        if got != expected:
            wrong.append(f"{wanted} on {relation}: expected {expected or 'no conflict'}, got {got or 'no conflict'}")
    assert checked == len(Role.values) * len(relations_of(org_tree, level)) - 1
    assert not wrong, f"holding {held}: " + "; ".join(wrong)
