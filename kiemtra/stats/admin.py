"""The Django admin of the statistics catalogs that are regulation values (Art. 7.1's opening notice)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from kiemtra.audit import services as audit

from .models import OpeningNoticeRule


@admin.register(OpeningNoticeRule)
class OpeningNoticeRuleAdmin(admin.ModelAdmin[OpeningNoticeRule]):
    list_display = ("days", "regulation", "valid_from", "valid_to")

    def save_model(
        self, request: HttpRequest, obj: OpeningNoticeRule, form: ModelForm[OpeningNoticeRule], change: bool
    ) -> None:
        before = {f: form.initial.get(f) for f in form.changed_data} if change else None
        super().save_model(request, obj, form, change)
        audit.record(
            request.user,
            "stats.opening_notice_rule.saved",
            obj,
            before=before,
            after={f: form.cleaned_data.get(f) for f in form.changed_data},
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A rule ends with its valid_to date, so that past periods stay explainable.
        return False
