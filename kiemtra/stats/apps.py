from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "kiemtra.stats"
    label = "stats"
    verbose_name = _("Cơ sở dữ liệu thống kê")

    def ready(self) -> None:
        from kiemtra.core.registry import register_home_card

        from .home_cards import stats_card

        register_home_card("stats.work", stats_card, order=10)
