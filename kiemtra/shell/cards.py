"""The shell's own home-page cards: running the system, and each admin's account quota."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kiemtra.accounts import policies, quotas
from kiemtra.accounts.choices import Function, Module, Role
from kiemtra.core.registry import HomeCard, register_home_card


def system_admin_card(request: HttpRequest) -> HomeCard | None:
    """The tree's size and the last backup (Quy định 06 Art. 9.3 asks for one a week)."""
    if not policies.is_system_admin(request.user):
        return None
    from kiemtra.backups.models import BackupRecord
    from kiemtra.orgs.loader import summary

    last_backup = BackupRecord.objects.filter(status=BackupRecord.Status.SUCCEEDED).first()
    return HomeCard(
        title=_("Vận hành hệ thống"),
        template="shell/cards/system_admin.html",
        context={"tree_summary": summary(), "last_backup": last_backup},
    )


def admin_quota_cards(request: HttpRequest) -> list[HomeCard]:
    """Each unit the user administers, with its statistics accounts used against the quota."""
    grants = policies.held_grants(request.user)
    units = {g.unit.pk: g.unit for g in grants if Function.ADMIN in g.functions and g.role != Role.SYSTEM_ADMIN}
    return [
        HomeCard(
            title=_("Tài khoản"),
            template="shell/cards/admin_quota.html",
            context={"unit": unit, "quota": quotas.usage(unit, Module.STATS)},
        )
        for unit in units.values()
    ]


def register() -> None:
    register_home_card("shell.system_admin", system_admin_card, order=10)
    register_home_card("shell.admin_quota", admin_quota_cards, order=20)
