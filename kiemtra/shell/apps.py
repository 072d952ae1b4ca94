from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShellConfig(AppConfig):
    """The top of the app graph: home, sidebar, help and the demo. It draws what the other apps register."""

    name = "kiemtra.shell"
    label = "shell"
    verbose_name = _("Giao diện chung")

    def ready(self) -> None:
        from . import cards

        cards.register()
