"""Granting and revoking roles (Quy định 11 Art. 3; Quy định 06 Art. 2.8, 6)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError
from kiemtra.orgs.choices import DepartmentRole
from kiemtra.orgs.models import OrgUnit

from .. import policies, quotas
from ..choices import ROLE_MODULE, Function, Role
from ..models import ManagedAccount, RoleGrant, User

# Roles tied to one unit of the Centre (Quy định 11 Art. 3.2.a; Quy định 06 Art. 6.1).
ROLE_HOME: dict[str, str] = {
    Role.SYSTEM_ADMIN: DepartmentRole.GENERAL_AFFAIRS,
    Role.NATIONAL_ADMIN: DepartmentRole.OFFICE,
}
CONFLICT_MESSAGES: dict[str, Callable[[], str]] = {
    "admin_holds_data_role": lambda: _(
        "Tài khoản quản trị (thống kê, đơn thư, kỷ luật) không được đồng thời giữ vai trò sử dụng dữ liệu, "
        "và người đang giữ vai trò sử dụng dữ liệu không được cấp quyền quản trị; chỉ tài khoản hai chức "
        "năng do quản trị cấp trên trực tiếp tạo là ngoại lệ (Quy định 11 Điều 3.1.d, 3.5.a; "
        "Quy định 06 Điều 2.8)."
    ),
    "separation_of_duties": lambda: _(
        "Tài khoản thống kê và tài khoản phê duyệt phải là hai người khác nhau, kể cả ở đơn vị cấp trên "
        "hoặc cấp dưới trên cùng một nhánh (Điều 3.1.d)."
    ),
}


def _grant_snapshot(grant: RoleGrant) -> dict[str, object]:
    return {
        "person": grant.person.identifier_code,
        "unit": grant.unit.code,
        "module": grant.module,
        "role": grant.role,
        "document_ref": grant.document_ref,
        "active": grant.active,
    }


# The two administrators nobody in the software may appoint: the operator names them at the command line.
BOOTSTRAP_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.NATIONAL_ADMIN})


@transaction.atomic
def grant_role(actor: User, person: User, unit: OrgUnit, role: str, document_ref: str) -> RoleGrant:
    """Give ``person`` a role at ``unit`` on the strength of an approval document."""
    target = policies.GrantTarget(unit, role, person)
    if policies.is_self(actor, target):
        raise DomainError(
            _("Không ai được tự cấp quyền cho chính mình; việc cấp quyền do quản trị viên khác thực hiện."),
            code="self_grant",
        )
    policies.require(actor, "accounts.grant", target)
    return _grant(actor, person, unit, role, document_ref)


@transaction.atomic
def bootstrap_grant(person: User, unit: OrgUnit, role: str, document_ref: str) -> RoleGrant:
    """The operator, at the command line, appoints a system admin or the letter admin.

    Every rule of a grant applies except who grants it: there is no account above these two. Logged
    with the system as actor, so no superuser account is needed to set up an installation.
    """
    if role not in BOOTSTRAP_ROLES:
        raise DomainError(_("Chỉ bổ nhiệm quản trị hệ thống và quản trị đơn thư từ dòng lệnh."), code="not_bootstrap")
    return _grant(None, person, unit, role, document_ref)


def _grant(actor: User | None, person: User, unit: OrgUnit, role: str, document_ref: str) -> RoleGrant:
    if not document_ref.strip():
        raise DomainError(_("Phải ghi số văn bản phê duyệt việc cấp tài khoản (Điều 3.7)."), code="document_required")
    # Lock the unit so two admins granting at once cannot both pass the quota check.
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    person = User.objects.select_for_update().get(pk=person.pk)
    if not unit.is_active:
        raise DomainError(_("Đơn vị %(unit)s đã ngừng hoạt động.") % {"unit": unit.name}, code="unit_closed")
    if not person.is_active:
        raise DomainError(_("Tài khoản %(p)s đã ngừng hoạt động.") % {"p": person}, code="person_inactive")
    held = [
        policies.HeldGrant(g.unit, g.role)
        for g in RoleGrant.objects.active().filter(person=person).select_related("unit")
    ]
    if any(g.unit.pk == unit.pk and g.role == role for g in held):
        raise DomainError(_("Người này đã có vai trò này tại đơn vị."), code="already_granted")
    conflict = policies.grant_conflict(held, policies.HeldGrant(unit, role))
    if conflict:
        raise DomainError(CONFLICT_MESSAGES[conflict](), code=conflict)
    home = ROLE_HOME.get(role)
    if home and unit.department_role != home:
        raise DomainError(
            _("Vai trò %(role)s chỉ cấp tại %(home)s.")
            % {"role": Role(role).label, "home": DepartmentRole(home).label},
            code="role_wrong_unit",
        )
    problem = quotas.violation(unit, role, person.pk)
    if problem:
        raise DomainError(problem, code="quota_exceeded")
    grant = RoleGrant.objects.create(
        person=person,
        unit=unit,
        module=ROLE_MODULE[role],
        role=role,
        document_ref=document_ref.strip(),
        granted_by=actor,
        granted_at=timezone.now(),
    )
    audit.record(actor, "accounts.grant.created", grant, after=_grant_snapshot(grant))
    policies.forget(person)
    return grant


@transaction.atomic
def revoke_grant(actor: User, grant: RoleGrant, document_ref: str, reason: str = "") -> RoleGrant:
    """Deactivate a grant; it stays on record with who, when and on which document."""
    policies.require(actor, "accounts.revoke", grant)
    if not document_ref.strip():
        raise DomainError(_("Phải ghi số văn bản phê duyệt việc thu hồi (Điều 3.7)."), code="document_required")
    grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
    if not grant.active:
        raise DomainError(_("Phân quyền này đã được thu hồi trước đó."), code="already_revoked")
    before = _grant_snapshot(grant)
    grant.active = False
    grant.revoked_by = actor
    grant.revoked_at = timezone.now()
    grant.revoke_document_ref = document_ref.strip()
    grant.revoke_reason = reason.strip()
    grant.save(update_fields=["active", "revoked_by", "revoked_at", "revoke_document_ref", "revoke_reason"])
    ManagedAccount.objects.filter(active=True, manager_grant=grant).update(active=False, ended_at=grant.revoked_at)
    ManagedAccount.objects.filter(active=True, user_grant=grant).update(active=False, ended_at=grant.revoked_at)
    audit.record(actor, "accounts.grant.revoked", grant, before=before, after=_grant_snapshot(grant), reason=reason)
    policies.forget(grant.person)
    return grant


@transaction.atomic
def assign_managed_user(actor: User, manager_grant: RoleGrant, user_grant: RoleGrant) -> ManagedAccount:
    """Put a letter user account under a user manager (Quy định 06 Art. 2.8)."""
    if not policies.has_function(actor, Function.NATIONAL_ADMIN) and not actor.is_superuser:
        raise policies.PolicyDenied("accounts.assign_managed_user")
    if manager_grant.role != Role.USER_MANAGER or user_grant.role != Role.USER:
        raise DomainError(_("Chỉ giao tài khoản người dùng cho tài khoản quản lý người dùng."), code="wrong_roles")
    if not (manager_grant.active and user_grant.active):
        raise DomainError(_("Phân quyền đã bị thu hồi."), code="grant_inactive")
    if not manager_grant.unit.path or not user_grant.unit.path.startswith(manager_grant.unit.path):
        raise DomainError(_("Tài khoản người dùng phải thuộc đơn vị của người quản lý."), code="outside_unit")
    link, created = ManagedAccount.objects.get_or_create(
        manager_grant=manager_grant, user_grant=user_grant, active=True
    )
    if created:
        audit.record(actor, "accounts.managed_user.assigned", manager_grant, user_grant=user_grant.pk)
    policies.forget(manager_grant.person)
    return link
