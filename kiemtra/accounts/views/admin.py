"""Account administration pages: units with their quota use, grants, passwords, hand-overs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.models import OrgUnit, OrgUnitQuerySet

from .. import policies, quotas
from ..choices import Function, Module, Role
from ..forms import GrantExistingForm, HandOverForm, NewAccountForm, RevokeForm, UnitSearchForm
from ..models import RoleGrant, User
from ..services import grants as grant_services
from ..services import people
from .common import acting_user


def manageable_units(user: User) -> OrgUnitQuerySet:
    """Units whose accounts ``user`` may manage (the policy decides; this only narrows the search)."""
    units = OrgUnit.objects.active()
    if (
        user.is_superuser
        or policies.is_system_admin(user)
        or policies.has_function(user, Function.NATIONAL_ADMIN)
        or policies.has_function(user, Function.DISCIPLINE_ADMIN)  # sets up every unit's discipline accounts
    ):
        return units
    admin_units = [g.unit for g in policies.held_grants(user) if Function.ADMIN in g.functions]
    if not admin_units:
        return units.none()
    ids = {u.pk for u in admin_units}
    return units.filter(Q(pk__in=ids) | Q(parent_id__in=ids))


def _roles_for(user: User, unit: OrgUnit) -> list[tuple[str, str]]:
    return [(r.value, str(r.label)) for r in Role if policies.can_grant(user, policies.GrantTarget(unit, r.value))]


@login_required
def units(request: HttpRequest) -> HttpResponse:
    qs = manageable_units(acting_user(request))
    if not qs.exists():
        raise PolicyDenied("accounts.manage_unit")
    form = UnitSearchForm(request.GET or None)
    if form.is_valid():
        if q := form.cleaned_data.get("q"):
            qs = qs.search(q)
        if kind := form.cleaned_data.get("kind"):
            qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("path"), 50).get_page(request.GET.get("page"))
    # Each admin sees the quota of the module it administers (issue 10.7): statistics, else letters.
    modules = policies.administered_modules(acting_user(request))
    quota_module = next((m for m in (Module.STATS, Module.LETTERS) if m in modules), None)
    use = quotas.usage_for_units(list(page.object_list), quota_module) if quota_module else {}
    rows = [{"unit": u, "quota": use.get(u.pk, [])} for u in page.object_list]
    return render(
        request,
        "accounts/units.html",
        {"page": page, "rows": rows, "form": form, "quota_module": quota_module},
    )


def _unit_or_deny(request: HttpRequest, pk: int) -> OrgUnit:
    unit = get_object_or_404(OrgUnit, pk=pk)
    if not policies.can(request.user, "accounts.manage_unit", unit):
        raise PolicyDenied("accounts.manage_unit")
    return unit


def _grant_row(user: User, grant: RoleGrant) -> dict[str, object]:
    """A grant with what ``user`` may do from it: open the person's page, revoke it."""
    return {
        "grant": grant,
        "person_link": policies.can(user, "accounts.manage_person", grant.person),
        "is_self": grant.person_id == user.pk,
        "can_revoke": grant.active and policies.can(user, "accounts.revoke", grant),
    }


def _unit_page(request: HttpRequest, unit: OrgUnit, *, issued: dict[str, str] | None = None) -> HttpResponse:
    user: User = acting_user(request)
    roles = _roles_for(user, unit)
    # Each admin sees and acts only on its own module's grants and quotas (issue 10.7).
    modules = policies.managed_modules(user, unit)
    grants = RoleGrant.objects.filter(unit=unit, module__in=modules).select_related(
        "person", "granted_by", "revoked_by"
    )
    managers = []
    if Module.LETTERS in modules and (policies.has_function(user, Function.NATIONAL_ADMIN) or user.is_superuser):
        for grant in grants:
            if grant.active and grant.role == Role.USER_MANAGER:
                managed = RoleGrant.objects.filter(
                    manager_links__manager_grant=grant, manager_links__active=True
                ).select_related("person", "unit")
                candidates = RoleGrant.objects.active().filter(role=Role.USER, unit__path__startswith=unit.path)
                managers.append(
                    {
                        "grant": grant,
                        "managed": managed,
                        "candidates": candidates.exclude(pk__in=[g.pk for g in managed]).select_related(
                            "person", "unit"
                        ),
                    }
                )
    response = render(
        request,
        "accounts/unit_detail.html",
        {
            "unit": unit,
            "active_grants": [_grant_row(user, g) for g in grants if g.active],
            "revoked_grants": [g for g in grants if not g.active],
            "stats_quota": quotas.usage(unit, Module.STATS) if Module.STATS in modules else None,
            "letters_quota": quotas.usage(unit, Module.LETTERS) if Module.LETTERS in modules else None,
            "new_form": NewAccountForm(roles=roles, auto_id="new_%s"),
            "grant_form": GrantExistingForm(roles=roles, auto_id="grant_%s"),
            "revoke_form": RevokeForm(),
            "managers": managers,
            "issued": issued,
            "issued_password": (issued or {}).get("password"),
            "breadcrumbs": [(_("Tài khoản và phân quyền"), "accounts:units"), (unit.name, None)],
        },
    )
    if issued:
        add_never_cache_headers(response)
    return response


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_page(request, _unit_or_deny(request, pk))


@login_required
@require_POST
def create_account(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_deny(request, pk)
    actor: User = acting_user(request)
    form = NewAccountForm(request.POST, roles=_roles_for(actor, unit))
    if not form.is_valid():
        messages.error(request, _("Thông tin chưa hợp lệ: %(e)s") % {"e": form.errors.as_text()})
        return redirect("accounts:unit", pk=unit.pk)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            person, password = people.create_account(
                actor,
                identifier_code=data["identifier_code"],
                full_name=data["full_name"],
                home_unit=unit,
                citizen_id=data["citizen_id"],
                position=data["position"],
                document_ref=data["document_ref"],
            )
            grant_services.grant_role(actor, person, unit, data["role"], data["document_ref"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:unit", pk=unit.pk)
    # Shown once in this response, never in the messages cookie (signed, not encrypted): issue 8.3.
    issued = {
        "text": _("Đã tạo tài khoản %(code)s.") % {"code": person.identifier_code},
        "password": password,
    }
    return _unit_page(request, unit, issued=issued)


@login_required
@require_POST
def grant_existing(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_deny(request, pk)
    actor: User = acting_user(request)
    form = GrantExistingForm(request.POST, roles=_roles_for(actor, unit))
    if form.is_valid():
        person = User.objects.filter(identifier_code=form.cleaned_data["identifier_code"].strip()).first()
        if person is None:
            messages.error(request, _("Không có tài khoản với mã định danh này."))
        else:
            try:
                grant_services.grant_role(
                    actor, person, unit, form.cleaned_data["role"], form.cleaned_data["document_ref"]
                )
                messages.success(request, _("Đã cấp quyền cho %(p)s.") % {"p": person})
            except DomainError as exc:
                messages.error(request, exc.message)
    else:
        messages.error(request, _("Thông tin chưa hợp lệ: %(e)s") % {"e": form.errors.as_text()})
    return redirect("accounts:unit", pk=unit.pk)


@login_required
@require_POST
def revoke(request: HttpRequest, grant_pk: int) -> HttpResponse:
    grant = get_object_or_404(RoleGrant.objects.select_related("unit", "person"), pk=grant_pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải ghi văn bản phê duyệt thu hồi."))
    else:
        try:
            grant_services.revoke_grant(
                acting_user(request),
                grant,
                form.cleaned_data["document_ref"],  # type: ignore[arg-type]
                form.cleaned_data["reason"],
            )
            messages.success(request, _("Đã thu hồi quyền của %(p)s.") % {"p": grant.person})
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("accounts:unit", pk=grant.unit_id)


@login_required
@require_POST
def assign_managed_user(request: HttpRequest, grant_pk: int) -> HttpResponse:
    """Put a letter user account under a user manager (Quy định 06 Art. 2.8)."""
    manager_grant = get_object_or_404(RoleGrant.objects.select_related("unit"), pk=grant_pk)
    wanted = request.POST.get("user_grant", "")
    # Only a plain, bounded number is looked up: anything else is "not chosen", never a 500.
    user_grant = (
        RoleGrant.objects.filter(pk=int(wanted)).select_related("unit").first()
        if wanted.isascii() and wanted.isdigit() and len(wanted) <= 18
        else None
    )
    if user_grant is None:
        messages.error(request, _("Chọn tài khoản người dùng cần giao."))
    else:
        try:
            grant_services.assign_managed_user(acting_user(request), manager_grant, user_grant)
            messages.success(request, _("Đã giao tài khoản người dùng cho người quản lý."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("accounts:unit", pk=manager_grant.unit_id)


def _person_or_deny(request: HttpRequest, pk: int) -> User:
    person = get_object_or_404(User, pk=pk)
    if not policies.can(request.user, "accounts.manage_person", person):
        raise Http404  # do not confirm that an account exists to someone who may not manage it
    return person


def _person_page(request: HttpRequest, person: User, *, issued: dict[str, str] | None = None) -> HttpResponse:
    user = acting_user(request)
    # Only the grants of the modules the viewer administers (issue 10.7).
    modules = {m for m in Module.values if policies.can_manage_person_in(user, person, m)}
    response = render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "grants": person.grants.filter(module__in=modules)
            .select_related("unit")
            .order_by("-active", "-granted_at"),
            "events": person.account_events.select_related("actor")[:50],
            "handover_form": HandOverForm(),
            "can_reset_default": policies.can_reset_to_default(user, person),
            "issued": issued,
            "issued_password": (issued or {}).get("password"),
        },
    )
    if issued:
        add_never_cache_headers(response)
    return response


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(request, _person_or_deny(request, pk))


@login_required
@require_POST
def reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_deny(request, pk)
    to_default = request.POST.get("to_default") == "1"
    try:
        new_password = people.reset_password(acting_user(request), person, to_default=to_default)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:person", pk=person.pk)
    if to_default:
        text = _("Đã đặt lại mật khẩu của %(p)s về mật khẩu mặc định; phải đổi ở lần đăng nhập tới.") % {"p": person}
        messages.success(request, text)  # the shared default is no secret of this page
        return redirect("accounts:person", pk=person.pk)
    issued = {
        "text": _("Đã cấp mật khẩu tạm thời cho %(p)s; phải đổi ở lần đăng nhập tới.") % {"p": person},
        "password": new_password,
    }
    return _person_page(request, person, issued=issued)


@login_required
@require_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_deny(request, pk)
    form = HandOverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải ghi họ tên người nhận và văn bản bàn giao."))
        return redirect("accounts:person", pk=person.pk)
    try:
        pw = people.hand_over_account(acting_user(request), person, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:person", pk=person.pk)
    person.refresh_from_db()
    return _person_page(request, person, issued={"text": _("Đã bàn giao tài khoản."), "password": pw})
