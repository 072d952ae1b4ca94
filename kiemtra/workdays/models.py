"""The calendar's exceptions to the week: public holidays and the weekend days made working days."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import DayKind


class CalendarDay(models.Model):
    """One dated exception. Weekends are off and weekdays working unless a row says otherwise."""

    date = models.DateField(_("Ngày"), unique=True)
    name = models.CharField(_("Tên"), max_length=200)
    kind = models.CharField(_("Loại"), max_length=8, choices=DayKind.choices)
    source = models.CharField(_("Căn cứ"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("Ngày trong lịch")
        verbose_name_plural = _("Lịch ngày nghỉ, ngày làm bù")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"
