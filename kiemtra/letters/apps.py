from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "kiemtra.letters"
    label = "letters"
    verbose_name = _("Quản lý đơn thư")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kiemtra.orgs.models import OrgUnit

        from . import registration
        from .services import records

        registration.register()
        # The units intake keeps a minute per process are forgotten as soon as one changes here.
        post_save.connect(records.forget_units, sender=OrgUnit, dispatch_uid="letters.forget_units.save")
        post_delete.connect(records.forget_units, sender=OrgUnit, dispatch_uid="letters.forget_units.delete")
