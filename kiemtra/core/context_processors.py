"""What every page's shell needs: the sidebar of the modules the user may use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Function, Module
from kiemtra.core import registry
from kiemtra.stats.services import board


def _sidebar(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not user.is_authenticated:
        return []
    unit = getattr(request, "current_unit", None)
    sections: list[dict[str, Any]] = [
        {
            "title": _("Chung"),
            "items": [
                {"label": _("Trang chủ"), "url": reverse("core:home"), "icon": "house"},
                {"label": _("Hướng dẫn sử dụng"), "url": reverse("core:help"), "icon": "question-circle"},
            ],
        },
    ]
    stats_items = []
    if policies.scope(user, Module.STATS):
        stats_items.append({"label": _("Báo cáo thống kê"), "url": reverse("stats:reports"), "icon": "table"})
        working = board.acting_unit(user, unit) if unit is not None else None
        follows_others = working is not None and board.follows(user, working) and working.children.exists()
        if follows_others:
            stats_items.append({"label": _("Theo dõi tiến độ"), "url": reverse("stats:board"), "icon": "list-check"})
        stats_items += [
            {"label": _("Kỳ báo cáo"), "url": reverse("stats:periods"), "icon": "calendar3"},
            {"label": _("Tra cứu số liệu"), "url": reverse("stats:lookup"), "icon": "search"},
        ]
    elif policies.can(user, "stats.configure"):
        stats_items.append({"label": _("Kỳ báo cáo"), "url": reverse("stats:periods"), "icon": "calendar3"})
    if policies.can(user, "stats.configure"):
        stats_items += [
            {"label": _("Thiết kế biểu mẫu"), "url": reverse("stats:designer"), "icon": "grid-3x3"},
            {"label": _("Ứng dụng kết nối"), "url": reverse("stats:api_clients"), "icon": "plug"},
        ]
    if stats_items:
        sections.append({"title": _("Thống kê"), "items": stats_items})
    discipline_items = []
    if policies.scope(user, Module.DISCIPLINE):
        discipline_items += [
            {"label": _("Tra cứu quyết định"), "url": reverse("discipline:search"), "icon": "search"},
            {"label": _("Phân tích, xu hướng"), "url": reverse("discipline:analytics"), "icon": "bar-chart"},
        ]
    if policies.has_function(user, Function.DISCIPLINE_EDITOR):
        discipline_items += [
            {"label": _("Tải lên quyết định"), "url": reverse("discipline:ingest"), "icon": "cloud-upload"},
            {"label": _("Các lô tải lên"), "url": reverse("discipline:batches"), "icon": "collection"},
            {"label": _("Đối soát"), "url": reverse("discipline:queue"), "icon": "check2-square"},
        ]
    if policies.scope(user, Module.DISCIPLINE) and policies.scope(user, Module.STATS):
        discipline_items.append(
            {"label": _("Đối chiếu với thống kê"), "url": reverse("discipline:stats_link"), "icon": "arrow-left-right"}
        )
    if discipline_items:
        sections.append({"title": _("Kỷ luật đảng"), "items": discipline_items})
    sections += _registered_sections(request)
    admin_items = []
    if any(policies.has_function(user, f) for f in (Function.ADMIN, Function.NATIONAL_ADMIN)) or user.is_superuser:
        admin_items.append({"label": _("Tài khoản và phân quyền"), "url": reverse("accounts:units"), "icon": "people"})
    if policies.can(user, "orgs.manage"):
        admin_items.append({"label": _("Cây đơn vị"), "url": reverse("orgs:list"), "icon": "diagram-3"})
    if policies.scope(user, "audit"):
        admin_items.append({"label": _("Nhật ký truy vết"), "url": reverse("audit:list"), "icon": "journal-text"})
    if admin_items:
        sections.append({"title": _("Quản trị"), "items": admin_items})
    sections.append(
        {
            "title": _("Cá nhân"),
            "items": [
                {"label": _("Đổi mật khẩu"), "url": reverse("accounts:password_change"), "icon": "key"},
                {"label": _("Xác thực hai lớp"), "url": reverse("accounts:totp"), "icon": "shield-lock"},
            ],
        }
    )
    return sections


def _registered_sections(request: HttpRequest) -> list[dict[str, Any]]:
    """The entries that modules registered (``registry.register_menu``), grouped by section."""
    grouped: dict[str, dict[str, Any]] = {}
    for item in registry.menu_items():
        if not item.visible(request):
            continue
        section = grouped.setdefault(str(item.section), {"title": item.section, "items": []})
        section["items"].append({"label": item.label, "url": reverse(item.url_name), "icon": item.icon})
    return list(grouped.values())


def shell(request: HttpRequest) -> dict[str, Any]:
    return {
        "sidebar": _sidebar(request),
        "current_unit": getattr(request, "current_unit", None),
        "grant_units": getattr(request, "grant_units", []),
    }
