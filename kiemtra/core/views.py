from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kiemtra.accounts import policies, quotas
from kiemtra.accounts.choices import Function, Module, Role
from kiemtra.accounts.models import RoleGrant
from kiemtra.backups.models import BackupRecord
from kiemtra.core import registry
from kiemtra.discipline.choices import DecisionState
from kiemtra.discipline.models import Decision
from kiemtra.discipline.views.reconcile import reconcile_units
from kiemtra.orgs.loader import summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    grants = RoleGrant.objects.active().filter(person=user).select_related("unit")  # type: ignore[misc]
    stats_scope = policies.scope(user, Module.STATS)
    letters_scope = policies.scope(user, Module.LETTERS)
    discipline_scope = policies.scope(user, Module.DISCIPLINE)
    admin_units = [g.unit for g in grants if Function.ADMIN in g.functions and g.role != Role.SYSTEM_ADMIN]
    sysadmin = policies.is_system_admin(user)
    return render(
        request,
        "core/home.html",
        {
            "grants": grants,
            "cards": registry.home_cards(request),
            "admin_quota": [(u, quotas.usage(u, Module.STATS)) for u in admin_units],
            "is_system_admin": sysadmin,
            "tree_summary": summary() if sysadmin else None,
            "last_backup": BackupRecord.objects.filter(status=BackupRecord.Status.SUCCEEDED).first()
            if sysadmin
            else None,
            "stats_scope_all": stats_scope.everything,
            "stats_scope_count": len(stats_scope.unit_ids),
            "letters_scope_count": len(letters_scope.unit_ids),
            "discipline_scope": discipline_scope,
            "discipline_scope_count": len(discipline_scope.unit_ids),
            "discipline_pending": Decision.objects.filter(
                state=DecisionState.PENDING, unit__in=reconcile_units(user)
            ).count(),
            "is_admin_only": policies.has_function(user, Function.ADMIN) and not stats_scope,
            "is_letters_admin": policies.has_function(user, Function.NATIONAL_ADMIN),
        },
    )


@login_required
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "core/help.html")
