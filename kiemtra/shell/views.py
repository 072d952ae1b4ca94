"""The home page: it draws what the apps registered (cards, scopes)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Function, Module
from kiemtra.accounts.models import RoleGrant
from kiemtra.core import registry


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    grants = RoleGrant.objects.active().filter(person=user).select_related("unit")  # type: ignore[misc]
    scopes = [(label, policies.scope(user, name)) for name, label in registry.labelled_scopes()]
    return render(
        request,
        "core/home.html",
        {
            "grants": grants,
            "cards": registry.home_cards(request),
            "scopes": [(label, visible) for label, visible in scopes if visible],
            "is_admin_only": policies.has_function(user, Function.ADMIN) and not policies.scope(user, Module.STATS),
            "is_letters_admin": policies.has_function(user, Function.NATIONAL_ADMIN),
        },
    )
