"""The append-only, hash-chained audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change or one read of protected data.

    ``digest`` = HMAC(key, previous digest + canonical form of this row); the
    key lives outside the database, so rewriting rows and recomputing the chain
    needs more than database access. Database triggers refuse UPDATE (and
    DELETE on PostgreSQL); ``kiemtra audit verify`` catches what gets past them.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=255, blank=True)
    unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    action = models.CharField(max_length=100, db_index=True)
    is_read = models.BooleanField(default=False)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký truy vết")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["unit", "at"]), models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"


class AuditHead(models.Model):
    """The single row that serialises appends and remembers the chain's tail."""

    last_seq = models.BigIntegerField(default=0)
    last_digest = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"#{self.last_seq}"
