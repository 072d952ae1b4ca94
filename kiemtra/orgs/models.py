"""The tree of units of the inspection sector, with its history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kiemtra.core.text import fold, nfc

from .choices import DepartmentRole, UnitEventKind, UnitKind


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def active_on(self, day: dt.date) -> OrgUnitQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day))

    def active(self) -> OrgUnitQuerySet:
        return self.filter(valid_to__isnull=True)

    def subtree_of(self, unit: OrgUnit) -> OrgUnitQuerySet:
        return self.filter(path__startswith=unit.path)

    def search(self, query: str) -> OrgUnitQuerySet:
        """Every word of the query, with or without diacritics, in the name or the code."""
        result = self
        for word in fold(query).split():
            result = result.filter(search_text__contains=word)
        return result


def unit_search_text(unit: OrgUnit) -> str:
    return fold(f"{unit.code} {unit.name} {unit.short_name}")


class OrgUnit(models.Model):
    """A node of the tree: the Centre, a department, a provincial or a commune commission.

    ``path`` is the materialised chain of ancestor ids ("/1/7/93/") so that a
    subtree is one indexed prefix query. It is maintained by the services only.
    """

    code = models.CharField(_("mã đơn vị"), max_length=32, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=16, choices=UnitKind.choices)
    department_role = models.CharField(
        _("chức năng vụ"), max_length=24, choices=DepartmentRole.choices, blank=True, default=""
    )
    admin_code = models.CharField(_("mã đơn vị hành chính"), max_length=10, blank=True)
    admin_type = models.CharField(_("loại đơn vị hành chính"), max_length=32, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("hợp nhất vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_units",
    )
    # Name and code without diacritics, so "ba dinh" finds "Ba Đình".
    search_text = models.CharField(max_length=400, db_index=True, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="department") | Q(department_role=""),
                name="orgunit_department_role_only_for_departments",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name, self.short_name = nfc(self.name), nfc(self.short_name)
        self.search_text = unit_search_text(self)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "short_name"}
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.valid_to is None

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent (the unit itself excluded)."""
        return [int(p) for p in self.path.strip("/").split("/")[:-1] if p]

    @property
    def quota_category(self) -> str:
        """The category quotas are configured for: a department's role, else the kind."""
        return self.department_role or self.kind

    def is_ancestor_of(self, other: OrgUnit) -> bool:
        return other.path.startswith(self.path) and other.pk != self.pk


class OrgUnitEvent(models.Model):
    """One change in the life of a unit; renames and mergers keep their history here."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=UnitEventKind.choices)
    effective_date = models.DateField(_("ngày hiệu lực"))
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    document_ref = models.CharField(_("văn bản"), max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date}"


class RegionalAssignment(models.Model):
    """A regional department follows a set of provincial-level units (Quy định 11, Art. 3.4)."""

    department = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="regional_assignments",
        limit_choices_to={"department_role": DepartmentRole.REGIONAL},
    )
    province = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="followed_by",
        limit_choices_to={"kind": UnitKind.PROVINCIAL},
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    document_ref = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["province"],
                condition=Q(valid_to__isnull=True),
                name="one_current_regional_department_per_province",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id} → {self.province_id}"
