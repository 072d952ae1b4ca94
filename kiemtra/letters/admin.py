"""The letters catalogs, editable by the operator: time limits, fields, competence by rank, reply templates.

Letters themselves are not in the admin: they are sealed ("Tối mật") and change only through the services.
A changed time limit moves the due dates of the open letters on it (the same recompute as a calendar change).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from kiemtra.audit import services as audit

from .models import CompetenceRule, FieldCategory, ReplyTemplate, TimeLimit


class _AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit.record(request.user, f"letters.catalog.{obj._meta.model_name}_saved", obj)


@admin.register(TimeLimit)
class TimeLimitAdmin(_AuditedAdmin):
    list_display = ("code", "kind", "level", "days", "day_unit", "extension_days", "valid_from", "valid_to", "demo")
    list_filter = ("kind", "demo")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from .services.clock import recompute_open

        super().save_model(request, obj, form, change)
        transaction.on_commit(recompute_open)


@admin.register(FieldCategory)
class FieldCategoryAdmin(_AuditedAdmin):
    list_display = ("code", "name", "order", "demo")


@admin.register(CompetenceRule)
class CompetenceRuleAdmin(_AuditedAdmin):
    list_display = ("rank", "rank_label", "levels_up", "source", "demo")


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(_AuditedAdmin):
    list_display = ("code", "name", "demo")
