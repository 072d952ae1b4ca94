from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kiemtra.audit import services as audit

from .models import CalendarDay
from .services import announce_change


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ("date", "name", "kind", "source")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit.record(request.user, "workdays.calendar.day_saved", obj, after={"kind": obj.kind, "name": obj.name})
        announce_change()

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        audit.record(request.user, "workdays.calendar.day_deleted", obj, before={"kind": obj.kind, "name": obj.name})
        super().delete_model(request, obj)
        announce_change()
