from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "kiemtra.discipline"
    label = "discipline"
    verbose_name = _("Cơ sở dữ liệu kỷ luật đảng")

    def ready(self) -> None:
        # What this app owns: registered here so the kernel and the shell never name it.
        from kiemtra.core import registry

        from . import menus, policies

        policies.register()
        menus.register()
        registry.register_job("kiemtra.discipline.tasks.ingest_queued", 3)
