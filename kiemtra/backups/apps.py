from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    name = "kiemtra.backups"
    label = "backups"
    verbose_name = _("Sao lưu dữ liệu")

    def ready(self) -> None:
        # What this app owns: registered here so the kernel and the shell never name it.
        from kiemtra.core import registry

        # Hourly check; the backup itself runs only when BACKUP_INTERVAL_HOURS has passed.
        registry.register_job("kiemtra.backups.tasks.backup_if_due", 3600)
