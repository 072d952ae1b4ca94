from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    """The holiday calendar as data, and working-day arithmetic every statutory clock uses."""

    name = "kiemtra.workdays"
    label = "workdays"
    verbose_name = _("Lịch ngày làm việc")

    def ready(self) -> None:
        from kiemtra.core import labels

        labels.register_module_label("workdays", _("Lịch ngày làm việc"))
        labels.register_action_labels(
            {
                "workdays.calendar.loaded": _("Nạp lịch ngày nghỉ, ngày làm bù"),
                "workdays.calendar.day_saved": _("Sửa một ngày trong lịch"),
                "workdays.calendar.day_deleted": _("Xóa một ngày khỏi lịch"),
            }
        )
