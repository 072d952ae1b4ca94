from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kiemtra.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def ready(self) -> None:
        # What this app owns: registered here so the kernel and the shell never name it.
        from . import menus, policies

        policies.register()
        menus.register()
