from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "kiemtra.discipline"
    label = "discipline"
    verbose_name = _("Cơ sở dữ liệu kỷ luật đảng")

    def ready(self) -> None:
        # What this app owns: registered here so the kernel and the shell never name it.
        from kiemtra.core import labels, registry

        from . import menus, policies
        from .action_labels import ACTION_LABELS
        from .cards import discipline_card

        policies.register()
        menus.register()
        labels.register_module_label("discipline", _("Kỷ luật đảng"))
        labels.register_action_labels(ACTION_LABELS)
        registry.register_job("kiemtra.discipline.tasks.ingest_queued", 3)
        registry.register_home_card("discipline.work", discipline_card, order=30)
