"""Django admin for the operator: the catalogs of penalties, violation categories and the link to forms 05/06.

Rules live in data (DESIGN.md): when a regulation replaces another, the operator
closes the old rows with ``valid_to`` and adds the new ones; decisions keep being
checked against the rows valid on their own date. Every save is audited; rows
are never deleted, so that past decisions stay explainable.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from kiemtra.audit import services as audit

from .models import Penalty, StatsLinkRule, ViolationCategory


class AuditedCatalogAdmin(admin.ModelAdmin[Any]):
    audit_action = ""

    def save_model(self, request: HttpRequest, obj: models.Model, form: ModelForm[Any], change: bool) -> None:
        before = {f: form.initial.get(f) for f in form.changed_data} if change else None
        super().save_model(request, obj, form, change)
        audit.record(
            request.user,
            self.audit_action,
            obj,
            before=before,
            after={f: form.cleaned_data.get(f) for f in form.changed_data},
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Penalty)
class PenaltyAdmin(AuditedCatalogAdmin):
    audit_action = "discipline.catalog.penalty_saved"
    list_display = ("name", "subject_type", "severity", "for_probationary", "regulation", "valid_from", "valid_to")
    list_filter = ("subject_type", "code")


@admin.register(ViolationCategory)
class ViolationCategoryAdmin(AuditedCatalogAdmin):
    audit_action = "discipline.catalog.category_saved"
    list_display = ("name", "code", "subject_type", "stats_item", "valid_from", "valid_to")
    list_filter = ("subject_type",)
    search_fields = ("name", "code")


@admin.register(StatsLinkRule)
class StatsLinkRuleAdmin(AuditedCatalogAdmin):
    audit_action = "discipline.catalog.stats_link_saved"
    list_display = ("kind", "key", "item", "regulation", "valid_from", "valid_to")
    list_filter = ("kind",)
