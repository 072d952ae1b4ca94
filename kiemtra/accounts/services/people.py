"""Creating accounts, passwords, hand-overs (Quy định 11 Art. 3; Quy định 06 Art. 2.7, 6.3)."""

from __future__ import annotations

import secrets
import unicodedata

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError
from kiemtra.orgs.models import OrgUnit

from .. import policies
from ..models import AccountEvent, User, default_letters_password


def temporary_password() -> str:
    """A one-time password the admin hands over; the holder must change it at first sign-in."""
    return secrets.token_urlsafe(9)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _clean_text(text: str, label: str, *, max_length: int = 255) -> str:
    """NFC text without control or invisible formatting characters (NUL, right-to-left override…)."""
    text = _nfc(text)
    if len(text) > max_length or any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in text):
        raise DomainError(
            _("%(field)s chứa ký tự không hợp lệ hoặc quá dài (tối đa %(n)s ký tự).")
            % {"field": label, "n": max_length},
            code="invalid_text",
        )
    return text


@transaction.atomic
def create_account(
    actor: User,
    *,
    identifier_code: str,
    full_name: str,
    home_unit: OrgUnit,
    citizen_id: str = "",
    position: str = "",
    password: str | None = None,
    document_ref: str = "",
) -> tuple[User, str]:
    """Create the one account of a person; returns it with its initial password."""
    policies.require(actor, "accounts.manage_unit", home_unit)
    identifier_code = _clean_text(identifier_code, _("Mã định danh"), max_length=64)
    full_name = _clean_text(full_name, _("Họ và tên"))
    position = _clean_text(position, _("Chức vụ"))
    if not identifier_code or not full_name:
        raise DomainError(_("Phải nhập mã định danh và họ tên."), code="required")
    if any(ch.isspace() for ch in identifier_code):
        raise DomainError(_("Mã định danh không được chứa khoảng trắng."), code="invalid_text")
    if User.objects.filter(identifier_code=identifier_code).exists():
        raise DomainError(
            _("Mã định danh %(code)s đã có tài khoản; mỗi người chỉ có một tài khoản.") % {"code": identifier_code},
            code="identifier_taken",
        )
    user = User(
        identifier_code=identifier_code, full_name=_nfc(full_name), position=_nfc(position), home_unit=home_unit
    )
    if citizen_id:
        user.set_citizen_id(citizen_id)
        if User.objects.filter(citizen_id_digest=user.citizen_id_digest).exists():
            raise DomainError(_("Số định danh cá nhân này đã gắn với một tài khoản khác."), code="citizen_id_taken")
    initial = password or temporary_password()
    user.set_password(initial)
    user.must_change_password = True
    try:
        user.save()
    except IntegrityError as exc:  # a concurrent creation of the same code
        raise DomainError(_("Mã định danh đã tồn tại."), code="identifier_taken") from exc
    AccountEvent.objects.create(person=user, kind=AccountEvent.Kind.CREATED, actor=actor, document_ref=document_ref)
    audit.record(
        actor,
        "accounts.user.created",
        user,
        unit=home_unit,
        after={"identifier_code": user.identifier_code, "full_name": user.full_name},
    )
    return user, initial


@transaction.atomic
def reset_password(actor: User, person: User, *, to_default: bool = False) -> str:
    """Reset to a temporary password, or to the common default (the letter admin's reset).

    Only the letter module's admin resets to the shared default (Quy định 06 Art. 2.8), and only for an
    account that holds letter roles alone; every other reset issues a one-time password.
    """
    policies.require(actor, "accounts.manage_person", person)
    if to_default and not policies.can_reset_to_default(actor, person):
        raise DomainError(
            _(
                "Chỉ quản trị phần mềm đơn thư được đặt lại mật khẩu về mặc định, và chỉ cho tài khoản đơn thư "
                "(Quy định 06 Điều 2.8); hãy cấp mật khẩu tạm thời."
            ),
            code="default_reset_letters_only",
        )
    new_password = default_letters_password() if to_default else temporary_password()
    person.set_password(new_password)
    person.must_change_password = True
    person.save(update_fields=["password", "must_change_password"])
    AccountEvent.objects.create(
        person=person, kind=AccountEvent.Kind.PASSWORD_RESET, actor=actor, note="default" if to_default else "temporary"
    )
    audit.record(actor, "accounts.password.reset", person, unit=person.home_unit, to_default=to_default)
    return new_password


@transaction.atomic
def hand_over_account(actor: User, person: User, *, new_holder_name: str, document_ref: str) -> str:
    """The account passes to another official; the new holder must change the password."""
    policies.require(actor, "accounts.manage_person", person)
    if not document_ref.strip():
        raise DomainError(_("Việc bàn giao tài khoản phải có văn bản (Điều 6.2)."), code="document_required")
    new_holder_name = _clean_text(new_holder_name, _("Họ tên người nhận bàn giao"))
    if not new_holder_name:
        raise DomainError(_("Phải ghi họ tên người nhận bàn giao."), code="required")
    before = {"full_name": person.full_name}
    person.full_name = new_holder_name
    new_password = temporary_password()
    person.set_password(new_password)
    person.must_change_password = True
    person.save(update_fields=["full_name", "password", "must_change_password"])
    AccountEvent.objects.create(
        person=person,
        kind=AccountEvent.Kind.HANDED_OVER,
        actor=actor,
        document_ref=document_ref,
        note=before["full_name"],
    )
    audit.record(
        actor,
        "accounts.user.handed_over",
        person,
        unit=person.home_unit,
        before=before,
        after={"full_name": person.full_name},
        document_ref=document_ref,
    )
    return new_password


@transaction.atomic
def change_own_password(user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise DomainError(_("Mật khẩu hiện tại không đúng."), code="wrong_password")
    if new_password == old_password or new_password == default_letters_password():
        raise DomainError(_("Mật khẩu mới phải khác mật khẩu cũ và mật khẩu mặc định."), code="password_reused")
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="weak_password") from exc
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit.record(user, "accounts.password.changed", user, unit=user.home_unit)


@transaction.atomic
def deactivate_account(actor: User, person: User, *, document_ref: str, reason: str = "") -> User:
    """Revoke every grant and stop sign-in; the account and its history stay."""
    from .grants import revoke_grant

    policies.require(actor, "accounts.manage_person", person)
    for grant in person.grants.filter(active=True):
        revoke_grant(actor, grant, document_ref, reason)
    person.is_active = False
    person.save(update_fields=["is_active"])
    AccountEvent.objects.create(
        person=person, kind=AccountEvent.Kind.DEACTIVATED, actor=actor, document_ref=document_ref, note=reason
    )
    audit.record(actor, "accounts.user.deactivated", person, unit=person.home_unit, reason=reason)
    return person
