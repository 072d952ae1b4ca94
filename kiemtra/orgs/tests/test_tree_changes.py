"""Add, rename, move, merge and close units: history kept, paths right, only the system admin."""

from __future__ import annotations

import datetime as dt

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person, make_unit
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs import services
from kiemtra.orgs.choices import UnitEventKind, UnitKind
from kiemtra.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 1, 1)
DOC = "Nghị quyết 1/2026"


@pytest.fixture
def sysadmin(org_tree: Tree):
    person = make_person(unit=org_tree.general_affairs)
    give(person, org_tree.general_affairs, Role.SYSTEM_ADMIN)
    return person


def test_only_the_system_admin_changes_the_tree(org_tree: Tree) -> None:
    provincial_admin = make_person(unit=org_tree.province)
    give(provincial_admin, org_tree.province, Role.ADMIN)
    with pytest.raises(PolicyDenied):
        services.rename_unit(provincial_admin, org_tree.commune, name="X", effective=DAY, document_ref=DOC)
    org_tree.commune.refresh_from_db()
    assert org_tree.commune.name != "X"


def test_rename_keeps_the_old_name_in_history(org_tree: Tree, sysadmin) -> None:
    old = org_tree.commune.name
    services.rename_unit(sysadmin, org_tree.commune, name="UBKT Đảng ủy phường Mới", effective=DAY, document_ref=DOC)
    event = org_tree.commune.events.get(kind=UnitEventKind.RENAMED)
    assert event.before == {"name": old} and event.after == {"name": "UBKT Đảng ủy phường Mới"}
    assert AuditEvent.objects.filter(action="orgs.unit.renamed", object_id=str(org_tree.commune.pk)).exists()


def test_move_carries_the_subtree_paths(org_tree: Tree, sysadmin) -> None:
    services.move_unit(sysadmin, org_tree.commune, new_parent=org_tree.other_province, effective=DAY, document_ref=DOC)
    moved = OrgUnit.objects.get(pk=org_tree.commune.pk)
    assert moved.path == f"{org_tree.other_province.path}{moved.pk}/"
    assert moved in OrgUnit.objects.subtree_of(org_tree.other_province)
    assert moved not in OrgUnit.objects.subtree_of(org_tree.province)


def test_a_unit_cannot_move_under_itself_or_the_wrong_kind(org_tree: Tree, sysadmin) -> None:
    with pytest.raises(DomainError) as exc:
        services.move_unit(sysadmin, org_tree.province, new_parent=org_tree.commune, effective=DAY, document_ref=DOC)
    assert exc.value.code == "cycle"
    with pytest.raises(DomainError) as exc:
        services.move_unit(sysadmin, org_tree.commune, new_parent=org_tree.office, effective=DAY, document_ref=DOC)
    assert exc.value.code == "wrong_parent"


def test_merge_moves_children_and_closes_the_source(org_tree: Tree, sysadmin) -> None:
    services.merge_units(sysadmin, [org_tree.other_province], into=org_tree.province, effective=DAY, document_ref=DOC)
    source = OrgUnit.objects.get(pk=org_tree.other_province.pk)
    assert source.valid_to == DAY and source.successor_id == org_tree.province.pk
    assert OrgUnit.objects.get(pk=org_tree.other_commune.pk).parent_id == org_tree.province.pk
    assert source.events.filter(kind=UnitEventKind.MERGED).exists()
    assert org_tree.other_province.pk not in OrgUnit.objects.active().values_list("pk", flat=True)
    assert OrgUnit.objects.active_on(dt.date(2025, 12, 31)).filter(pk=source.pk).exists()  # history readable


def test_close_refuses_a_unit_with_active_children_or_accounts(org_tree: Tree, sysadmin) -> None:
    with pytest.raises(DomainError) as exc:
        services.close_unit(sysadmin, org_tree.province, effective=DAY, document_ref=DOC)
    assert exc.value.code == "has_children"
    give(make_person(), org_tree.sibling_commune, Role.STATISTICIAN)
    with pytest.raises(DomainError) as exc:
        services.close_unit(sysadmin, org_tree.sibling_commune, effective=DAY, document_ref=DOC)
    assert exc.value.code == "has_accounts"
    empty = make_unit(UnitKind.COMMUNE, org_tree.province)
    services.close_unit(sysadmin, empty, effective=DAY, document_ref=DOC)
    assert OrgUnit.objects.get(pk=empty.pk).valid_to == DAY


def test_create_unit_checks_code_and_parent(org_tree: Tree, sysadmin) -> None:
    unit = services.create_unit(
        sysadmin,
        code="X99999",
        name="UBKT Đảng ủy xã Mới",
        kind=UnitKind.COMMUNE,
        parent=org_tree.province,
        valid_from=DAY,
    )
    assert unit.path == f"{org_tree.province.path}{unit.pk}/"
    with pytest.raises(DomainError):
        services.create_unit(
            sysadmin, code="X99999", name="Trùng", kind=UnitKind.COMMUNE, parent=org_tree.province, valid_from=DAY
        )
    with pytest.raises(DomainError):
        services.create_unit(
            sysadmin, code="X99998", name="Sai cấp", kind=UnitKind.COMMUNE, parent=org_tree.centre, valid_from=DAY
        )


def test_regional_assignment_is_editable(org_tree: Tree, sysadmin) -> None:
    from kiemtra.accounts import policies
    from kiemtra.accounts.choices import Module

    viewer = make_person()
    give(viewer, org_tree.regional, Role.VIEWER)
    assert org_tree.province in policies.scope(viewer, Module.STATS)
    services.assign_provinces(sysadmin, org_tree.regional, [org_tree.other_province], effective=DAY)
    policies.forget(viewer)
    visible = policies.scope(viewer, Module.STATS)
    assert org_tree.other_commune in visible and org_tree.province not in visible
