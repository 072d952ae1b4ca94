"""Who sets up the accounts of the discipline database: one national administrator at the Centre, named by the
system admin; each unit's admin (and a provincial admin for its communes) sets up editors and viewers."""

from __future__ import annotations

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import RoleGrant
from kiemtra.accounts.services.grants import grant_role
from kiemtra.conftest import Tree, give, make_person
from kiemtra.core.errors import PolicyDenied

pytestmark = pytest.mark.django_db


def test_only_the_system_admin_names_the_national_administrator_and_only_at_the_centre(org_tree: Tree) -> None:
    system_admin, provincial_admin = make_person(), make_person()
    give(system_admin, org_tree.general_affairs, Role.SYSTEM_ADMIN)
    give(provincial_admin, org_tree.province, Role.ADMIN)
    with pytest.raises(PolicyDenied):
        grant_role(system_admin, make_person(), org_tree.province, Role.DISCIPLINE_ADMIN, "Số 1/QĐ")
    with pytest.raises(PolicyDenied):
        grant_role(provincial_admin, make_person(), org_tree.centre, Role.DISCIPLINE_ADMIN, "Số 1/QĐ")
    grant = grant_role(system_admin, make_person(), org_tree.centre, Role.DISCIPLINE_ADMIN, "Số 1/QĐ")
    assert grant.module == "discipline"


def test_a_provincial_admin_sets_up_editors_of_its_own_unit_and_its_communes_only(org_tree: Tree) -> None:
    admin = make_person()
    give(admin, org_tree.province, Role.ADMIN)
    for unit in (org_tree.province, org_tree.commune):
        grant_role(admin, make_person(), unit, Role.DISCIPLINE_EDITOR, "Số 2/QĐ")
    for unit in (org_tree.other_province, org_tree.other_commune, org_tree.centre):
        with pytest.raises(PolicyDenied):
            grant_role(admin, make_person(), unit, Role.DISCIPLINE_VIEWER, "Số 2/QĐ")
    assert RoleGrant.objects.filter(role=Role.DISCIPLINE_EDITOR).count() == 2


def test_the_national_administrator_sets_up_editors_anywhere(org_tree: Tree) -> None:
    national = make_person()
    give(national, org_tree.centre, Role.DISCIPLINE_ADMIN)
    grant_role(national, make_person(), org_tree.other_commune, Role.DISCIPLINE_EDITOR, "Số 3/QĐ")
    with pytest.raises(PolicyDenied):  # but not statistics or letters accounts
        grant_role(national, make_person(), org_tree.other_commune, Role.STATISTICIAN, "Số 3/QĐ")
