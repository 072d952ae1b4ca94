from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "kiemtra.discipline"
    label = "discipline"
    verbose_name = _("Cơ sở dữ liệu kỷ luật đảng")
