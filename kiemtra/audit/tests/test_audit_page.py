"""The audit page is itself scoped by policy."""

from __future__ import annotations

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.audit import services as audit
from kiemtra.conftest import Tree, give, make_person, signed_in

pytestmark = pytest.mark.django_db


def test_unit_admin_sees_its_units_events_only(org_tree: Tree) -> None:
    someone = make_person(unit=org_tree.province)
    audit.record(someone, "accounts.grant.created", org_tree.commune, mark="mine")
    audit.record(someone, "accounts.grant.created", org_tree.other_commune, mark="theirs")
    admin = make_person(unit=org_tree.province)
    give(admin, org_tree.province, Role.ADMIN)
    page = signed_in(admin).get("/nhat-ky/")
    assert page.status_code == 200
    shown = page.content.decode()
    assert org_tree.commune.name in shown and org_tree.other_commune.name not in shown


def test_filters_by_action_and_date(org_tree: Tree) -> None:
    sysadmin = make_person(unit=org_tree.general_affairs)
    give(sysadmin, org_tree.general_affairs, Role.SYSTEM_ADMIN)
    audit.record(sysadmin, "orgs.unit.renamed", org_tree.commune)
    audit.record(sysadmin, "accounts.grant.created", org_tree.province)
    client = signed_in(sysadmin)
    page = client.get("/nhat-ky/", {"action": "orgs."}).content.decode()
    # Rows carry their code in data-action and show the action's Vietnamese label.
    assert 'data-action="orgs.unit.renamed">Đổi tên đơn vị' in page and 'data-action="accounts.grant' not in page
    assert "Không có sự kiện." in client.get("/nhat-ky/", {"from": "2999-01-01"}).content.decode()
    assert "Không có sự kiện." in client.get("/nhat-ky/", {"from": "01/01/2999"}).content.decode()  # as typed
    by_unit = client.get("/nhat-ky/", {"unit": "phuong ba dinh"}).content.decode()
    assert 'data-action="orgs.unit.renamed"' in by_unit and 'data-action="accounts.grant' not in by_unit


def test_statistician_without_admin_function_is_refused(org_tree: Tree) -> None:
    statistician = make_person(unit=org_tree.province)
    give(statistician, org_tree.province, Role.STATISTICIAN)
    assert signed_in(statistician).get("/nhat-ky/").status_code == 403
