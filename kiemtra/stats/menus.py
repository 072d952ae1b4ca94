"""The statistics section of the sidebar, registered at start-up and drawn by the shell."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module
from kiemtra.core.registry import MenuItem, register_menu

SECTION = _("Thống kê")


def _reads(request: HttpRequest) -> bool:
    return bool(policies.scope(request.user, Module.STATS))


def _configures(request: HttpRequest) -> bool:
    return policies.can(request.user, "stats.configure")


def _follows_others(request: HttpRequest) -> bool:
    """The progress board: for those whose working unit has subordinates to follow."""
    from .services import board

    unit = getattr(request, "current_unit", None)
    if unit is None or not _reads(request):
        return False
    working = board.acting_unit(request.user, unit)
    return board.follows(request.user, working) and working.children.exists()


def register() -> None:
    register_menu(
        *(
            MenuItem(SECTION, label, url_name, icon, visible, order=order, section_order=20)
            for order, (label, url_name, icon, visible) in enumerate(
                [
                    (_("Báo cáo thống kê"), "stats:reports", "table", _reads),
                    (_("Theo dõi tiến độ"), "stats:board", "list-check", _follows_others),
                    (_("Kỳ báo cáo"), "stats:periods", "calendar3", lambda r: _reads(r) or _configures(r)),
                    (_("Tra cứu số liệu"), "stats:lookup", "search", _reads),
                    (_("Thiết kế biểu mẫu"), "stats:designer", "grid-3x3", _configures),
                    (_("Ứng dụng kết nối"), "stats:api_clients", "plug", _configures),
                ]
            )
        )
    )
