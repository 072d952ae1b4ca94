"""People, their one account, and the role grants that scope it to units."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiemtra.core.crypto import decrypt_text, encrypt_text, lookup_digest
from kiemtra.core.errors import DomainError
from kiemtra.orgs.models import OrgUnit

from .choices import ROLE_FUNCTIONS, Module, QuotaRuleType, Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, identifier_code: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(identifier_code=identifier_code, **extra)
        user.set_password(password)  # None gives an unusable password (VNeID-only account)
        user.save(using=self._db)
        return user

    def create_superuser(self, identifier_code: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, must_change_password=False)
        return self.create_user(identifier_code, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One account per person (Quy định 11 Art. 3.1; Quy định 06 Art. 2.7-2.8).

    The login is the identifier code (mã định danh), created once and never
    changed. The citizen ID number that VNeID sign-in maps to is stored
    encrypted, with a keyed digest to look it up.
    """

    identifier_code = models.CharField(_("mã định danh"), max_length=64, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=255)
    position = models.CharField(_("chức vụ"), max_length=255, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    home_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị công tác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    citizen_id_digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    citizen_id_encrypted = models.TextField(blank=True, editable=False)
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    # Demo accounts only (``kiemtra demo``): signs in without the mandatory second factor.
    two_factor_exempt = models.BooleanField(_("miễn xác thực hai lớp"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "identifier_code"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.identifier_code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("identifier_code", flat=True).first()
            if stored is not None and stored != self.identifier_code:
                raise DomainError(_("Mã định danh là bất biến, không được thay đổi."), code="identifier_immutable")
        super().save(*args, **kwargs)

    # The citizen ID (số định danh cá nhân) is protected data.
    def set_citizen_id(self, citizen_id: str) -> None:
        citizen_id = citizen_id.strip()
        self.citizen_id_digest = lookup_digest(citizen_id) if citizen_id else None
        self.citizen_id_encrypted = encrypt_text(citizen_id) if citizen_id else ""

    def get_citizen_id(self) -> str:
        return decrypt_text(self.citizen_id_encrypted) if self.citizen_id_encrypted else ""


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def active(self) -> RoleGrantQuerySet:
        return self.filter(active=True)


class RoleGrant(models.Model):
    """(person, unit, module, role), with the approval document, who granted it and when.

    Revoking deactivates the grant and records who, when and on which document;
    a grant is never deleted (Quy định 11 Art. 3.7: keep the record).
    """

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="grants")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="grants")
    module = models.CharField(max_length=16, choices=Module.choices)
    role = models.CharField(max_length=24, choices=Role.choices)
    document_ref = models.CharField(_("văn bản phê duyệt"), max_length=255)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_document_ref = models.CharField(max_length=255, blank=True)
    revoke_reason = models.CharField(max_length=500, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        ordering = ["unit__path", "role", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit", "module", "role"],
                condition=Q(active=True),
                name="one_active_grant_per_person_unit_role",
            ),
            models.CheckConstraint(
                condition=Q(active=True) | Q(revoked_at__isnull=False), name="revoked_grant_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} — {self.unit}"

    @property
    def functions(self) -> frozenset[str]:
        return ROLE_FUNCTIONS[self.role]


class ManagedAccount(models.Model):
    """A letter-module user manager manages these user grants (Quy định 06 Art. 2.8)."""

    manager_grant = models.ForeignKey(RoleGrant, on_delete=models.PROTECT, related_name="managed_links")
    user_grant = models.ForeignKey(RoleGrant, on_delete=models.PROTECT, related_name="manager_links")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["manager_grant", "user_grant"], condition=Q(active=True), name="one_active_managed_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.manager_grant_id} → {self.user_grant_id}"


class QuotaRule(models.Model):
    """How many accounts of which roles a unit category may hold, and the regulation behind it.

    Configuration data, not code: when the regulation changes, a new rule with
    its own validity replaces the old one.
    """

    module = models.CharField(max_length=16, choices=Module.choices)
    unit_category = models.CharField(_("loại đơn vị"), max_length=24)
    rule_type = models.CharField(max_length=24, choices=QuotaRuleType.choices, default=QuotaRuleType.MAX_ACTIVE)
    functions = models.JSONField(
        _("chức năng áp dụng"), blank=True, help_text=_("Danh sách chức năng; rỗng = mọi tài khoản")
    )
    limit = models.PositiveIntegerField(_("giới hạn"))
    counted_functions = models.JSONField(default=list, blank=True)
    regulation = models.CharField(_("căn cứ"), max_length=255)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("định mức tài khoản")
        verbose_name_plural = _("định mức tài khoản")
        ordering = ["module", "unit_category", "rule_type", "id"]

    def __str__(self) -> str:
        return f"{self.unit_category}: {self.functions or '*'} ≤ {self.limit} ({self.regulation})"


class AccountEvent(models.Model):
    """Password resets and hand-overs: the paper trail the regulation asks to keep."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Tạo tài khoản")
        PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
        HANDED_OVER = "handed_over", _("Bàn giao tài khoản")
        DEACTIVATED = "deactivated", _("Ngừng hoạt động")

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="account_events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    document_ref = models.CharField(max_length=255, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person_id}"


def default_letters_password() -> str:
    return str(settings.LETTERS_DEFAULT_PASSWORD)
