from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "kiemtra.stats"
    label = "stats"
    verbose_name = _("Cơ sở dữ liệu thống kê")

    def ready(self) -> None:
        # What this app owns: registered here so the kernel and the shell never name it.
        from kiemtra.core import labels, registry

        from . import menus, policies
        from .action_labels import ACTION_LABELS

        policies.register()
        menus.register()
        labels.register_module_label("stats", _("Thống kê"))
        labels.register_action_labels(ACTION_LABELS)
        registry.register_job("kiemtra.stats.tasks.lock_periods_at_deadline", 60)
        registry.register_job("kiemtra.stats.tasks.purge_trial_data_when_due", 60)
        from .home_cards import stats_card

        registry.register_home_card("stats.work", stats_card, order=10)
