"""The org-tree entry of the "Quản trị" section of the sidebar."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kiemtra.core import policy
from kiemtra.core.registry import MenuItem, register_menu


def register() -> None:
    register_menu(
        MenuItem(
            _("Quản trị"),
            _("Cây đơn vị"),
            "orgs:list",
            "diagram-3",
            lambda request: policy.can(request.user, "orgs.manage"),
            order=20,
            section_order=900,
        )
    )
