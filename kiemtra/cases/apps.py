from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "kiemtra.cases"
    label = "cases"
    verbose_name = _("Hồ sơ kiểm tra, giám sát")

    def ready(self) -> None:
        # What this app owns, registered here so the kernel and the shell never name it.
        from . import registration

        registration.register()
