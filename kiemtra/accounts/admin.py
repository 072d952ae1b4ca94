"""Django admin for the operator: quota rules are editable configuration; grants are read-only here.

Grants change only through the services (policy check, quotas, audit); the
account pages under /tai-khoan/quan-tri/ are where admins work.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from kiemtra.audit import services as audit

from .models import QuotaRule, RoleGrant


@admin.register(QuotaRule)
class QuotaRuleAdmin(admin.ModelAdmin[QuotaRule]):
    list_display = (
        "module",
        "unit_category",
        "rule_type",
        "functions",
        "limit",
        "regulation",
        "valid_from",
        "valid_to",
    )
    list_filter = ("module", "unit_category", "rule_type")

    def save_model(self, request: HttpRequest, obj: QuotaRule, form: ModelForm[QuotaRule], change: bool) -> None:
        before = {f: form.initial.get(f) for f in form.changed_data} if change else None
        super().save_model(request, obj, form, change)
        audit.record(
            request.user,
            "accounts.quota_rule.saved",
            obj,
            before=before,
            after={f: form.cleaned_data.get(f) for f in form.changed_data},
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A rule ends with its valid_to date, so that past decisions stay explainable.
        return False


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin[RoleGrant]):
    list_display = ("person", "unit", "module", "role", "active", "document_ref", "granted_at", "revoked_at")
    list_filter = ("module", "role", "active")
    search_fields = ("person__identifier_code", "person__full_name", "unit__name", "unit__code")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
