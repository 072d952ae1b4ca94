from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "kiemtra.orgs"
    label = "orgs"
    verbose_name = _("Cây đơn vị")

    def ready(self) -> None:
        # What this app owns: registered here so the kernel and the shell never name it.
        from . import menus

        menus.register()
