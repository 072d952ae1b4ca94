"""Every letter role × commission × action, grants and denials (Quy định 06-QĐ/UBKTTW Art. 2.8, 6).

Written from the regulation: the admin "không có khả năng xem, khai thác, cập nhật cơ sở dữ liệu";
a user works on its own commission's letters ("mỗi ủy ban kiểm tra cập nhật đơn thư của mình");
a user manager holds the union of the rights of the users it manages and none of its own; roles
of the other modules give nothing here. The upper commission's following of the lower ones is
Letters II: here, no commission reads another's register. A protected sender is for the letter's
handlers only (nobody below is a handler), so everyone in scope may ask for a reveal.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import ManagedAccount
from kiemtra.conftest import Tree, give, make_person
from kiemtra.letters.choices import Channel
from kiemtra.letters.services import records
from kiemtra.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db

LETTER_ACTIONS = [
    "letters.letter.read",
    "letters.letter.register",
    "letters.letter.edit",
    "letters.letter.assign",
    "letters.letter.export",
    "letters.identity.reveal_request",
    # Letters II: handling inside the register.
    "letters.letter.handle",
    "letters.letter.refer_accept",
    "letters.proposal.draft",
    "letters.proposal.read",
    "letters.data_request.provide",
]
# Asked of the commission's designated leader only: nobody below is one.
LEADER_ACTIONS = ["letters.reply.approve", "letters.proposal.decide"]
# Art. 7.2: an upper commission follows the registers strictly below its own.
FOLLOWS = {
    "Centre officer (department user)": {"province", "commune", "sibling_commune", "other_province"},
    "provincial user": {"commune", "sibling_commune"},
}
WHERE = ["centre", "province", "commune", "sibling_commune", "other_province"]
IN_SCOPE_ACTIONS = set(LETTER_ACTIONS)

# actor -> (unit attribute, roles, the commissions whose letters it may work on)
ACTORS: dict[str, tuple[str, tuple[str, ...], set[str]]] = {
    "national admin (Office)": ("office", (Role.NATIONAL_ADMIN,), set()),
    "Centre officer (department user)": ("office", (Role.USER,), {"centre"}),
    "provincial user": ("province", (Role.USER,), {"province"}),
    "commune user": ("commune", (Role.USER,), {"commune"}),
    "user manager with no managed user": ("province", (Role.USER_MANAGER,), set()),
    "provincial statistician": ("province", (Role.STATISTICIAN, Role.APPROVER, Role.ADMIN), set()),
    "provincial discipline editor": ("province", (Role.DISCIPLINE_EDITOR,), set()),
    "system admin": ("general_affairs", (Role.SYSTEM_ADMIN,), set()),
}


def protected_letter(unit: OrgUnit) -> object:
    return records.create(
        None,
        records.NewLetter(
            channel=Channel.POST,
            kind="denunciation",
            holding_unit=unit,
            received_on=timezone.localdate(),  # type: ignore[arg-type]
            title="t",
            content="c",
            senders=[records.Sender(full_name="Người Tố Cáo")],
        ),
    )


@pytest.fixture
def letters(org_tree: Tree) -> dict[str, object]:
    return {where: protected_letter(getattr(org_tree, where)) for where in WHERE}


@pytest.mark.parametrize("actor", list(ACTORS))
def test_letter_actions_for_every_role_and_commission(org_tree: Tree, letters: dict[str, object], actor: str) -> None:
    unit_name, roles, allowed = ACTORS[actor]
    person = make_person(unit=getattr(org_tree, unit_name))
    for role in roles:
        give(person, getattr(org_tree, unit_name), role)
    for where, letter in letters.items():
        for action in LETTER_ACTIONS:
            expected = where in allowed and action in IN_SCOPE_ACTIONS
            assert policies.can(person, action, letter) is expected, (actor, action, where)
        # Nobody here handles the letter: the protected sender stays sealed for all of them.
        assert not policies.can(person, "letters.identity.read", letter), (actor, where)
        for action in LEADER_ACTIONS:
            assert not policies.can(person, action, letter), (actor, action, where)
        for action in ("letters.follow.read", "letters.data_request.create"):
            assert policies.can(person, action, letter) is (where in FOLLOWS.get(actor, set())), (actor, action, where)
    expected_designate = Role.NATIONAL_ADMIN in roles
    assert policies.can(person, "letters.custodian.designate", org_tree.province) is expected_designate


def test_a_user_manager_holds_exactly_the_union_of_its_users(org_tree: Tree, letters: dict[str, object]) -> None:
    manager = make_person(unit=org_tree.province)
    manager_grant = give(manager, org_tree.province, Role.USER_MANAGER)
    for unit in (org_tree.province, org_tree.commune):
        user = make_person(unit=unit)
        ManagedAccount.objects.create(manager_grant=manager_grant, user_grant=give(user, unit, Role.USER))
    policies.forget(manager)
    for where, letter in letters.items():
        for action in LETTER_ACTIONS:
            assert policies.can(manager, action, letter) is (where in {"province", "commune"}), (action, where)
        assert not policies.can(manager, "letters.identity.read", letter)
    assert not policies.can(manager, "letters.custodian.designate", org_tree.province)
    # Following from above is the union too: the managed provincial user follows the communes below.
    assert policies.can(manager, "letters.follow.read", letters["sibling_commune"])
    assert not policies.can(manager, "letters.follow.read", letters["other_province"])


def test_an_inactive_or_anonymous_user_can_do_nothing(org_tree: Tree, letters: dict[str, object]) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = make_person(unit=org_tree.province)
    give(user, org_tree.province, Role.USER)
    user.is_active = False
    user.save()
    for letter in letters.values():
        for action in LETTER_ACTIONS:
            assert not policies.can(user, action, letter)
            assert not policies.can(AnonymousUser(), action, letter)
