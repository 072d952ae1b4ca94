from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kiemtra.audit"
    label = "audit"
    verbose_name = _("Nhật ký truy vết")

    def ready(self) -> None:
        # What this app owns: registered here so the kernel and the shell never name it.
        from . import menus

        menus.register()
