"""The discipline section of the sidebar, registered at start-up and drawn by the shell."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Function, Module
from kiemtra.core.registry import MenuItem, register_menu

SECTION = _("Kỷ luật đảng")


def _reads(request: HttpRequest) -> bool:
    return bool(policies.scope(request.user, Module.DISCIPLINE))


def _edits(request: HttpRequest) -> bool:
    return policies.has_function(request.user, Function.DISCIPLINE_EDITOR)


def _reads_both(request: HttpRequest) -> bool:
    return _reads(request) and bool(policies.scope(request.user, Module.STATS))


def register() -> None:
    register_menu(
        *(
            MenuItem(SECTION, label, url_name, icon, visible, order=order, section_order=30)
            for order, (label, url_name, icon, visible) in enumerate(
                [
                    (_("Tra cứu quyết định"), "discipline:search", "search", _reads),
                    (_("Phân tích, xu hướng"), "discipline:analytics", "bar-chart", _reads),
                    (_("Tải lên quyết định"), "discipline:ingest", "cloud-upload", _edits),
                    (_("Các lô tải lên"), "discipline:batches", "collection", _edits),
                    (_("Đối soát"), "discipline:queue", "check2-square", _edits),
                    (_("Đối chiếu với thống kê"), "discipline:stats_link", "arrow-left-right", _reads_both),
                ]
            )
        )
    )
