"""The audit-log entry of the "Quản trị" section of the sidebar."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kiemtra.core import policy
from kiemtra.core.registry import MenuItem, register_menu


def register() -> None:
    register_menu(
        MenuItem(
            _("Quản trị"),
            _("Nhật ký truy vết"),
            "audit:list",
            "journal-text",
            lambda request: bool(policy.scope(request.user, "audit")),
            order=30,
            section_order=900,
        )
    )
