"""``kiemtra demo``: no superuser unless asked; demo accounts skip the second factor and say so (issue 8.13, 8.10)."""

from __future__ import annotations

from io import StringIO

import pytest

from kiemtra.accounts.models import RoleGrant, User
from kiemtra.orgs.loader import load_national_tree
from kiemtra.shell.demo import DEMO_ACCOUNTS, OPERATOR, load_demo_accounts
from kiemtra.shell.management.commands.demo import Command


@pytest.mark.django_db
def test_demo_creates_no_superuser_unless_asked_and_its_accounts_skip_the_second_factor() -> None:
    load_national_tree()
    load_demo_accounts()
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(identifier_code=OPERATOR).exists()
    for account in DEMO_ACCOUNTS:
        person = User.objects.get(identifier_code=account.identifier_code)
        assert person.two_factor_exempt and not person.must_change_password
        assert (
            RoleGrant.objects.active().filter(person=person, role=account.role, unit__code=account.unit_code).exists()
        )
    # Nobody granted a role to themselves, and each module's grants come from that module's admin.
    assert not [g for g in RoleGrant.objects.all() if g.granted_by_id == g.person_id]
    letters = RoleGrant.objects.filter(module="letters").exclude(role="national_admin")
    assert {g.granted_by.identifier_code for g in letters if g.granted_by} == {"vp.quantri.donthu"}
    assert all(g.granted_by_id for g in letters)
    load_demo_accounts()  # idempotent
    assert RoleGrant.objects.count() == len(DEMO_ACCOUNTS)
    load_demo_accounts(with_superuser=True)
    operator = User.objects.get(identifier_code=OPERATOR)
    assert operator.is_superuser and operator.is_staff


@pytest.mark.django_db
def test_demo_command_takes_the_superuser_flag_and_says_the_second_factor_is_off() -> None:
    parser = Command().create_parser("kiemtra", "demo")
    assert parser.parse_args([]).with_superuser is False
    assert parser.parse_args(["--with-superuser"]).with_superuser is True
    out = StringIO()
    command = Command(stdout=out)
    command.print_accounts(DEMO_ACCOUNTS, with_superuser=False)
    printed = out.getvalue()
    assert OPERATOR not in printed and "Xác thực hai lớp" in printed and "TẮT" in printed
    out = StringIO()
    Command(stdout=out).print_accounts(DEMO_ACCOUNTS, with_superuser=True)
    assert OPERATOR in out.getvalue()
