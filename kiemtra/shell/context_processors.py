"""What every page's shell needs: the sidebar, drawn from what the apps registered."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from kiemtra.core import registry


def _sidebar(request: HttpRequest) -> list[dict[str, Any]]:
    if not request.user.is_authenticated:
        return []
    common = {
        "title": _("Chung"),
        "items": [
            {"label": _("Trang chủ"), "url": reverse("core:home"), "icon": "house"},
        ],
    }
    personal = {
        "title": _("Cá nhân"),
        "items": [
            {"label": _("Đổi mật khẩu"), "url": reverse("accounts:password_change"), "icon": "key"},
            {"label": _("Xác thực hai lớp"), "url": reverse("accounts:totp"), "icon": "shield-lock"},
        ],
    }
    registered = _registered_sections(request)
    # A module's entries under "Chung" (the help pages) join the shell's own section.
    for section in [s for s in registered if str(s["title"]) == str(common["title"])]:
        common["items"] += section["items"]
        registered.remove(section)
    return [common, *registered, personal]


def _registered_sections(request: HttpRequest) -> list[dict[str, Any]]:
    """The entries that apps registered (``registry.register_menu``), grouped by section, in order."""
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
