from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "kiemtra.letters"
    label = "letters"
    verbose_name = _("Quản lý đơn thư")

    def ready(self) -> None:
        from . import registration

        registration.register()
