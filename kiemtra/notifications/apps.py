from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Delivers what services announce (``kiemtra.core.events.announce``): in the app, and by e-mail if enabled."""

    name = "kiemtra.notifications"
    label = "notifications"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        from django.conf import settings

        from kiemtra.core.events import register_channel

        from . import channels

        register_channel("in_app", channels.in_app)
        if settings.NOTIFICATIONS_EMAIL:
            register_channel("email", channels.email)
