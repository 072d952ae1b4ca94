"""Quy định 11-QĐ/UBKTTW Art. 3 — statistics accounts, one test per rule."""

from __future__ import annotations

import pytest

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module, Role
from kiemtra.accounts.models import QuotaRule, RoleGrant, User
from kiemtra.accounts.services import grants, people
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person, make_unit
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.choices import UnitKind

pytestmark = pytest.mark.django_db
DOC = "Công văn 12-CV/UBKT"


def admin_of(unit, role=Role.ADMIN) -> User:
    person = make_person(unit=unit)
    give(person, unit, role)
    return person


def system_admin(tree: Tree) -> User:
    return admin_of(tree.general_affairs, Role.SYSTEM_ADMIN)


def test_art3_1_one_account_per_person(org_tree: Tree) -> None:
    """ "Mỗi cơ quan, đơn vị, cá nhân ... được cấp tài khoản riêng": one identifier, one citizen ID, one account."""
    actor = system_admin(org_tree)
    people.create_account(
        actor, identifier_code="hn.001", full_name="A", home_unit=org_tree.province, citizen_id="001099000001"
    )
    with pytest.raises(DomainError) as same_code:
        people.create_account(actor, identifier_code="hn.001", full_name="B", home_unit=org_tree.province)
    assert same_code.value.code == "identifier_taken"
    with pytest.raises(DomainError) as same_citizen:
        people.create_account(
            actor, identifier_code="hn.002", full_name="A", home_unit=org_tree.province, citizen_id="001099000001"
        )
    assert same_citizen.value.code == "citizen_id_taken"
    assert User.objects.filter(full_name__in=["A", "B"]).count() == 1


def test_art3_1_identifier_code_is_immutable(org_tree: Tree) -> None:
    person = make_person("hn.bat-bien", unit=org_tree.province)
    person.identifier_code = "hn.doi-ten"
    with pytest.raises(DomainError) as exc:
        person.save()
    assert exc.value.code == "identifier_immutable"
    assert User.objects.filter(identifier_code="hn.bat-bien").exists()


def test_citizen_id_is_encrypted_at_rest(org_tree: Tree) -> None:
    person = make_person(unit=org_tree.province)
    person.set_citizen_id("001099000777")
    person.save()
    stored = User.objects.filter(pk=person.pk).values("citizen_id_encrypted", "citizen_id_digest").get()
    assert "001099000777" not in stored["citizen_id_encrypted"] + (stored["citizen_id_digest"] or "")
    assert User.objects.get(pk=person.pk).get_citizen_id() == "001099000777"


def test_art3_1b_admin_account_is_created_by_the_admin_of_the_level_above(org_tree: Tree) -> None:
    provincial_admin = admin_of(org_tree.province)
    commune_admin = admin_of(org_tree.commune)
    other_admin = admin_of(org_tree.other_province)
    newcomer = make_person(unit=org_tree.sibling_commune)
    with pytest.raises(PolicyDenied):
        grants.grant_role(other_admin, newcomer, org_tree.sibling_commune, Role.ADMIN, DOC)
    with pytest.raises(PolicyDenied):
        grants.grant_role(commune_admin, newcomer, org_tree.sibling_commune, Role.ADMIN, DOC)
    with pytest.raises(PolicyDenied):  # not its own admin either
        grants.grant_role(provincial_admin, newcomer, org_tree.province, Role.ADMIN, DOC)
    grant = grants.grant_role(provincial_admin, newcomer, org_tree.sibling_commune, Role.ADMIN, DOC)
    assert grant.granted_by == provincial_admin and grant.document_ref == DOC


def test_art3_1c_unit_admin_creates_its_own_approver_statistician_viewer(org_tree: Tree) -> None:
    admin = admin_of(org_tree.province)
    for role in (Role.APPROVER, Role.STATISTICIAN, Role.VIEWER):
        grants.grant_role(admin, make_person(unit=org_tree.province), org_tree.province, role, DOC)
    assert RoleGrant.objects.active().filter(unit=org_tree.province).count() == 4
    with pytest.raises(PolicyDenied):
        grants.grant_role(admin, make_person(), org_tree.other_province, Role.STATISTICIAN, DOC)


def test_art3_1d_combined_accounts_only_by_the_admin_directly_above(org_tree: Tree) -> None:
    provincial_admin = admin_of(org_tree.province)
    commune_admin = admin_of(org_tree.sibling_commune)
    for role in (Role.ADMIN_APPROVER, Role.ADMIN_STATISTICIAN):
        with pytest.raises(PolicyDenied):
            grants.grant_role(commune_admin, make_person(), org_tree.sibling_commune, role, DOC)
    with pytest.raises(PolicyDenied):  # two levels down is not "directly above"
        grants.grant_role(admin_of(org_tree.centre), make_person(), org_tree.commune, Role.ADMIN_APPROVER, DOC)
    grant = grants.grant_role(provincial_admin, make_person(), org_tree.commune, Role.ADMIN_APPROVER, DOC)
    assert grant.functions == {"admin", "approver"}


def test_art3_1d_statistician_and_approver_are_two_different_people(org_tree: Tree) -> None:
    admin = admin_of(org_tree.province)
    person = make_person(unit=org_tree.province)
    grants.grant_role(admin, person, org_tree.province, Role.APPROVER, DOC)
    with pytest.raises(DomainError) as exc:
        grants.grant_role(admin, person, org_tree.province, Role.STATISTICIAN, DOC)
    assert exc.value.code == "separation_of_duties"
    # Also through a combined account, in either order.
    provincial_admin = admin
    combined = make_person(unit=org_tree.commune)
    grants.grant_role(provincial_admin, combined, org_tree.commune, Role.ADMIN_STATISTICIAN, DOC)
    with pytest.raises(DomainError):
        grants.grant_role(provincial_admin, combined, org_tree.commune, Role.APPROVER, DOC)
    assert not RoleGrant.objects.filter(person=combined, role=Role.APPROVER).exists()


def test_art3_2a_system_admin_manages_every_account_and_sits_at_general_affairs(org_tree: Tree) -> None:
    actor = system_admin(org_tree)
    for unit, role in [
        (org_tree.province, Role.ADMIN),
        (org_tree.commune, Role.STATISTICIAN),
        (org_tree.office, Role.APPROVER),
        (org_tree.regional, Role.VIEWER),
    ]:
        grants.grant_role(actor, make_person(unit=unit), unit, role, DOC)
    with pytest.raises(PolicyDenied):  # only the operator appoints a system admin
        grants.grant_role(actor, make_person(), org_tree.general_affairs, Role.SYSTEM_ADMIN, DOC)
    operator = User.objects.create_superuser("vanhanh", "x", full_name="Vận hành")
    with pytest.raises(DomainError) as exc:
        grants.grant_role(operator, make_person(), org_tree.province, Role.SYSTEM_ADMIN, DOC)
    assert exc.value.code == "role_wrong_unit"


@pytest.mark.parametrize("unit_name", ["office", "training"])
def test_art3_3_office_and_training_get_one_approver_and_one_statistician(org_tree: Tree, unit_name: str) -> None:
    unit = getattr(org_tree, unit_name)
    actor = system_admin(org_tree)
    grants.grant_role(actor, make_person(), unit, Role.APPROVER, DOC)
    grants.grant_role(actor, make_person(), unit, Role.STATISTICIAN, DOC)
    for role in (Role.STATISTICIAN, Role.APPROVER, Role.VIEWER, Role.ADMIN):
        with pytest.raises(DomainError) as exc:
            grants.grant_role(actor, make_person(), unit, role, DOC)
        assert exc.value.code == "quota_exceeded"
        assert "3.3" in exc.value.message
    assert RoleGrant.objects.active().filter(unit=unit).count() == 2


def test_art3_4_regional_department_gets_one_viewer_that_follows_its_provinces(org_tree: Tree) -> None:
    actor = system_admin(org_tree)
    viewer = make_person()
    grants.grant_role(actor, viewer, org_tree.regional, Role.VIEWER, DOC)
    with pytest.raises(DomainError):
        grants.grant_role(actor, make_person(), org_tree.regional, Role.VIEWER, DOC)
    visible = policies.scope(viewer, Module.STATS)
    assert org_tree.province in visible and org_tree.commune in visible
    assert org_tree.other_province not in visible and org_tree.other_commune not in visible


def test_art3_5a_provincial_admin_has_no_access_to_statistics_data(org_tree: Tree) -> None:
    admin = admin_of(org_tree.province)
    assert not policies.scope(admin, Module.STATS)
    for action in ("stats.view", "stats.enter", "stats.approve", "stats.receive"):
        assert not policies.can(admin, action, org_tree.province)
        assert not policies.can(admin, action, org_tree.commune)
    # It does manage the accounts of the commune commissions below it (Art. 3.5.a).
    grants.grant_role(admin, make_person(), org_tree.commune, Role.STATISTICIAN, DOC)


def test_art3_5e_provincial_commission_has_at_most_ten_active_accounts(org_tree: Tree) -> None:
    actor = system_admin(org_tree)
    unit = org_tree.province
    grants.grant_role(actor, make_person(), unit, Role.ADMIN, DOC)
    grants.grant_role(actor, make_person(), unit, Role.APPROVER, DOC)
    for i in range(8):
        grants.grant_role(actor, make_person(), unit, Role.STATISTICIAN if i < 5 else Role.VIEWER, DOC)
    for role in (Role.STATISTICIAN, Role.VIEWER, Role.ADMIN, Role.APPROVER):
        with pytest.raises(DomainError) as exc:
            grants.grant_role(actor, make_person(), unit, role, DOC)
        assert exc.value.code == "quota_exceeded"
    assert RoleGrant.objects.active().filter(unit=unit).count() == 10


def test_art3_5e_a_combined_account_takes_the_admin_and_the_approver_place(org_tree: Tree) -> None:
    actor = system_admin(org_tree)
    grants.grant_role(actor, make_person(), org_tree.province, Role.ADMIN_APPROVER, DOC)
    for role in (Role.ADMIN, Role.APPROVER):
        with pytest.raises(DomainError):
            grants.grant_role(actor, make_person(), org_tree.province, role, DOC)


def test_art3_6d_commune_commission_has_at_most_three_one_of_each(org_tree: Tree) -> None:
    provincial_admin = admin_of(org_tree.province)
    unit = org_tree.commune
    for role in (Role.ADMIN, Role.APPROVER, Role.STATISTICIAN):
        grants.grant_role(provincial_admin, make_person(), unit, role, DOC)
    for role in (Role.ADMIN, Role.APPROVER, Role.STATISTICIAN, Role.VIEWER):
        with pytest.raises(DomainError) as exc:
            grants.grant_role(provincial_admin, make_person(), unit, role, DOC)
        assert exc.value.code == "quota_exceeded"


def test_art3_7_granting_and_revoking_need_a_document_and_keep_the_record(org_tree: Tree) -> None:
    admin = admin_of(org_tree.commune)
    person = make_person()
    with pytest.raises(DomainError) as exc:
        grants.grant_role(admin, person, org_tree.commune, Role.STATISTICIAN, "  ")
    assert exc.value.code == "document_required"
    grant = grants.grant_role(admin, person, org_tree.commune, Role.STATISTICIAN, DOC)
    with pytest.raises(DomainError):
        grants.revoke_grant(admin, grant, "")
    grants.revoke_grant(admin, grant, "QĐ thu hồi 3/2025", reason="Chuyển công tác")
    grant.refresh_from_db()
    assert (grant.active, grant.revoked_by, grant.revoke_document_ref) == (False, admin, "QĐ thu hồi 3/2025")
    assert RoleGrant.objects.filter(pk=grant.pk).exists()  # deactivated, never deleted
    actions = list(AuditEvent.objects.filter(object_id=str(grant.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["accounts.grant.created", "accounts.grant.revoked"]
    # The place is free again.
    grants.grant_role(admin, make_person(), org_tree.commune, Role.STATISTICIAN, DOC)


def test_quotas_are_configuration_data_with_their_regulation(org_tree: Tree) -> None:
    rule = QuotaRule.objects.get(module="stats", unit_category="commune", functions=["viewer"])
    assert rule.limit == 0 and "Quy định 11" in rule.regulation
    rule.limit = 1
    rule.save()
    provincial_admin = admin_of(org_tree.province)
    grants.grant_role(provincial_admin, make_person(), org_tree.commune, Role.VIEWER, DOC)


def test_grant_at_a_closed_unit_is_refused(org_tree: Tree) -> None:
    actor = system_admin(org_tree)
    closed = make_unit(UnitKind.COMMUNE, org_tree.province)
    closed.valid_to = closed.valid_from
    closed.save()
    with pytest.raises(DomainError) as exc:
        grants.grant_role(actor, make_person(), closed, Role.STATISTICIAN, DOC)
    assert exc.value.code == "unit_closed"
