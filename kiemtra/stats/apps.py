from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "kiemtra.stats"
    label = "stats"
    verbose_name = _("Cơ sở dữ liệu thống kê")
