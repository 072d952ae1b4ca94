from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "kiemtra.discipline"
    label = "discipline"
    verbose_name = _("Cơ sở dữ liệu kỷ luật đảng")

    def ready(self) -> None:
        from kiemtra.core import registry

        from .cards import discipline_card

        registry.register_home_card("discipline.work", discipline_card, order=30)
