from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _signed_in(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated)


class HelpConfig(AppConfig):
    """The help area: a page per task, with the screenshots and the video the browser tests take."""

    name = "kiemtra.help"
    label = "help"
    verbose_name = _("Hướng dẫn sử dụng")

    def ready(self) -> None:
        from kiemtra.core.registry import MenuItem, register_menu

        register_menu(
            MenuItem(
                section=_("Chung"),
                label=_("Hướng dẫn sử dụng"),
                url_name="help:index",
                icon="question-circle",
                visible=_signed_in,
                order=90,
                section_order=0,
            )
        )
