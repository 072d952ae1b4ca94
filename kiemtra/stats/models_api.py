"""Integration clients (Quy định 11 Art. 12): other software that pushes or reads statistics.

A client is registered by the system admin on the strength of an approval
document. It authenticates with a bearer token that is shown once at creation;
only its SHA-256 digest is stored (the token is 256 random bits, so a fast
digest is enough and lets the token be looked up by an index).

Scope: ``units`` with ``include_subtree`` (the default) means those units and
every unit below them; without it, exactly the listed units. ``forms`` lists
the forms the client may touch; an empty list allows none.

Each client acts through its own system account (``actor``): a ``User`` with
no password and no role grant, so it cannot sign in, takes no place in any
unit's account quota, and names the client in the audit trail.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiemtra.orgs.models import OrgUnit

__all__ = ["ApiClient", "ApiClientQuerySet"]

TOKEN_PREFIX = "kts_"  # noqa: S105 (marks our tokens, not a secret)


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiClientQuerySet(models.QuerySet["ApiClient"]):
    def for_token(self, token: str) -> ApiClient | None:
        """The client holding ``token`` (active or not), or None."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
            return None
        return self.select_related("actor").filter(token_hash=token_digest(token)).first()


class ApiClient(models.Model):
    name = models.CharField(_("tên ứng dụng"), max_length=200)
    document_ref = models.CharField(_("văn bản phê duyệt kết nối"), max_length=255)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("đầu mã truy cập"), max_length=12, editable=False)
    units = models.ManyToManyField(OrgUnit, related_name="api_clients", verbose_name=_("đơn vị được phép"))
    include_subtree = models.BooleanField(_("gồm cả các đơn vị cấp dưới"), default=True)
    forms = models.ManyToManyField("stats.Form", related_name="api_clients", verbose_name=_("biểu được phép"))
    can_push = models.BooleanField(_("được gửi số liệu vào"), default=True)
    can_read = models.BooleanField(_("được lấy số liệu đã phê duyệt"), default=False)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    actor = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client", editable=False
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("ứng dụng kết nối")
        verbose_name_plural = _("ứng dụng kết nối")
        ordering = ["-active", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active=True) | Q(revoked_at__isnull=False), name="revoked_api_client_has_time"
            )
        ]

    def __str__(self) -> str:
        return str(self.name)

    def covers(self, unit: OrgUnit) -> bool:
        """Whether ``unit`` is within the client's units (their subtrees unless ``include_subtree`` is off)."""
        for allowed in self.units.all():
            if allowed.pk == unit.pk or (self.include_subtree and unit.path.startswith(allowed.path)):
                return True
        return False

    def allows_form(self, form_id: int) -> bool:
        return any(f.pk == form_id for f in self.forms.all())
