from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    OFF = "off", _("Ngày nghỉ")
    # A Saturday or Sunday made a working day in exchange for a bridge day off ("làm bù").
    WORKING = "working", _("Ngày làm bù")
