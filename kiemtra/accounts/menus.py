"""The accounts entry of the "Quản trị" section of the sidebar."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kiemtra.core.registry import MenuItem, register_menu

from . import policies
from .choices import Function

ADMIN_SECTION = _("Quản trị")
ADMIN_SECTION_ORDER = 900  # after every module's own section


def _administers(request: HttpRequest) -> bool:
    user = request.user
    return user.is_superuser or any(policies.has_function(user, f) for f in (Function.ADMIN, Function.NATIONAL_ADMIN))


def register() -> None:
    register_menu(
        MenuItem(
            ADMIN_SECTION,
            _("Tài khoản và phân quyền"),
            "accounts:units",
            "people",
            _administers,
            order=10,
            section_order=ADMIN_SECTION_ORDER,
        )
    )
