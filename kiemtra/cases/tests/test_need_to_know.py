"""Issue 14 item 3: "a case file is read by its team, the commission's leadership and whoever the leadership
adds, not by every official of the unit; the upper commission sees progress and conclusions of its
subordinates' files, and their content on a recorded request. Every read of a document is audited."
"""

from __future__ import annotations

import pytest

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, signed_in
from kiemtra.core.errors import DomainError, PolicyDenied

from ..models import CaseAccess
from ..services.cases import add_reader, request_content
from .factories import case_with_team, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def commission(org_tree: Tree) -> dict:
    province = org_tree.province
    lead = person(province, Role.CASE_LEADERSHIP)
    leader = person(province, Role.CASE_TEAM_LEADER)
    member = person(province, Role.CASE_OFFICER)
    case = case_with_team(province, lead, leader, member)
    return {"tree": org_tree, "lead": lead, "leader": leader, "member": member, "case": case}


def test_the_team_and_the_leadership_read_the_file(commission: dict) -> None:
    case = commission["case"]
    for who in ("lead", "leader", "member"):
        assert policies.can(commission[who], "cases.case.read", case), who


def test_an_official_of_the_same_unit_not_on_the_team_is_denied(commission: dict) -> None:
    """Not "every official of the unit": another case's team member reads the list, not this file."""
    tree = commission["tree"]
    other_member = person(tree.province, Role.CASE_OFFICER)
    case_with_team(tree.province, commission["lead"], other_member, subject="Đồng chí Phạm D")
    assert policies.can(other_member, "cases.view", tree.province)
    assert not policies.can(other_member, "cases.case.read", commission["case"])
    assert not policies.can(other_member, "cases.case.work", commission["case"])
    response = signed_in(other_member).get(f"/kiem-tra/ho-so/{commission['case'].pk}/")
    assert response.status_code == 403


def test_another_commission_sees_neither_the_list_nor_the_file(commission: dict) -> None:
    tree = commission["tree"]
    outsider = person(tree.other_province, Role.CASE_LEADERSHIP)
    assert not policies.can(outsider, "cases.view", tree.province)
    assert not policies.can(outsider, "cases.case.read", commission["case"])
    assert not policies.can(outsider, "cases.case.request_content", commission["case"])
    assert commission["case"].decision_number not in signed_in(outsider).get("/kiem-tra/").content.decode()


def test_the_units_admin_sees_no_case_data(commission: dict) -> None:
    """The admin sets the roles up and holds none of them."""
    admin = person(commission["tree"].province, Role.ADMIN)
    assert not policies.can(admin, "cases.view", commission["tree"].province)
    assert not policies.can(admin, "cases.case.read", commission["case"])
    assert signed_in(admin).get("/kiem-tra/").status_code == 403
    assert signed_in(admin).get(f"/kiem-tra/ho-so/{commission['case'].pk}/").status_code == 403


def test_the_units_admin_grants_case_roles_and_a_commune_admin_only_its_own(commission: dict) -> None:
    tree = commission["tree"]
    admin = person(tree.province, Role.ADMIN)
    commune_admin = person(tree.commune, Role.ADMIN)
    assert policies.can(admin, "accounts.grant", policies.GrantTarget(tree.province, Role.CASE_LEADERSHIP))
    assert policies.can(admin, "accounts.grant", policies.GrantTarget(tree.commune, Role.CASE_OFFICER))
    assert policies.can(commune_admin, "accounts.grant", policies.GrantTarget(tree.commune, Role.CASE_OFFICER))
    assert not policies.can(commune_admin, "accounts.grant", policies.GrantTarget(tree.province, Role.CASE_OFFICER))
    assert not policies.can(admin, "accounts.grant", policies.GrantTarget(tree.other_province, Role.CASE_VIEWER))


def test_a_viewer_follows_progress_but_reads_content_only_when_added(commission: dict) -> None:
    tree = commission["tree"]
    viewer = person(tree.province, Role.CASE_VIEWER)
    case = commission["case"]
    assert policies.can(viewer, "cases.view", tree.province)
    assert not policies.can(viewer, "cases.case.read", case)
    with pytest.raises(DomainError):
        add_reader(commission["lead"], case, viewer, "  ")
    assert not CaseAccess.objects.exists()
    with pytest.raises(PolicyDenied):
        add_reader(commission["member"], case, viewer, "Phối hợp")
    add_reader(commission["lead"], case, viewer, "Phối hợp thẩm tra")
    assert policies.can(viewer, "cases.case.read", case)


def test_upper_commission_sees_progress_and_reads_content_only_on_a_recorded_request(org_tree: Tree) -> None:
    commune_lead = person(org_tree.commune, Role.CASE_LEADERSHIP)
    commune_officer = person(org_tree.commune, Role.CASE_OFFICER)
    case = case_with_team(org_tree.commune, commune_lead, commune_officer)
    upper = person(org_tree.province, Role.CASE_LEADERSHIP)
    upper_officer = person(org_tree.province, Role.CASE_OFFICER)
    assert policies.can(upper, "cases.view", org_tree.commune)
    assert case.decision_number in signed_in(upper).get("/kiem-tra/").content.decode()
    assert not policies.can(upper, "cases.case.read", case)
    assert not policies.can(upper_officer, "cases.case.request_content", case)
    with pytest.raises(DomainError) as refused:
        request_content(upper, case, "")
    assert refused.value.code == "reason"
    request_content(upper, case, "Phục vụ giám sát chuyên đề")
    assert policies.can(upper, "cases.case.read", case)
    assert AuditEvent.objects.filter(action="cases.access.requested", unit=org_tree.commune).count() == 1


def test_every_read_of_the_file_is_audited(commission: dict) -> None:
    client = signed_in(commission["member"])
    before = AuditEvent.objects.filter(action="cases.case.read", is_read=True).count()
    assert client.get(f"/kiem-tra/ho-so/{commission['case'].pk}/").status_code == 200
    assert client.get(f"/kiem-tra/ho-so/{commission['case'].pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="cases.case.read", is_read=True).count() == before + 2


def test_a_revoked_role_ends_the_team_members_access(commission: dict) -> None:
    from django.db.models import F

    from kiemtra.accounts.models import RoleGrant

    member = commission["member"]
    RoleGrant.objects.filter(person=member).update(active=False, revoked_at=F("granted_at"))
    policies.forget(member)
    assert not policies.can(member, "cases.case.read", commission["case"])
