"""What the letters module registers with the kernel: rules, scope, sidebar entries, home cards."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Value
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiemtra.accounts import policies as account_policies
from kiemtra.core import registry

from . import policies
from .choices import Status


def _works_on_register(request: HttpRequest) -> bool:
    return bool(account_policies.scope(request.user, policies.SCOPE))


@dataclass(frozen=True)
class Designations:
    """The commissions where the signed-in person is a letters leader or the identity custodian."""

    leader_of: frozenset[int]
    custodian_of: frozenset[int]


def _designations(request: HttpRequest) -> Designations:
    """Both designations in one query, once per request: the sidebar and the home cards ask on every page."""
    from .models import Custodian, Leader

    cached = getattr(request, "_letters_designations", None)
    if cached is not None:
        return cached
    rows: list[tuple[str, int]] = []
    if request.user.is_authenticated:
        mine = {"person_id": request.user.pk, "active": True}
        leaders = Leader.objects.filter(**mine).annotate(role=Value("leader")).values_list("role", "unit_id")
        custodians = Custodian.objects.filter(**mine).annotate(role=Value("custodian")).values_list("role", "unit_id")
        rows = list(leaders.union(custodians, all=True))
    found = Designations(
        leader_of=frozenset(unit for role, unit in rows if role == "leader"),
        custodian_of=frozenset(unit for role, unit in rows if role == "custodian"),
    )
    request._letters_designations = found  # type: ignore[attr-defined]
    return found


def _is_custodian(request: HttpRequest) -> bool:
    return bool(_designations(request).custodian_of)


def _reads_proposals(request: HttpRequest) -> bool:
    return _works_on_register(request) or bool(_designations(request).leader_of)


def _proposals_card(request: HttpRequest) -> registry.HomeCard | None:
    """The leader's proposals to inspect waiting for a decision."""
    from .choices import ProposalState
    from .models import InspectionProposal

    units = _designations(request).leader_of
    if not units:
        return None
    waiting = InspectionProposal.objects.filter(unit_id__in=units, state=ProposalState.SUBMITTED).count()
    return registry.HomeCard(
        title=_("Đề nghị kiểm tra, giám sát"),
        icon="clipboard-check",
        lines=[
            registry.CardLine(
                _("Đề nghị từ đơn thư chờ tôi duyệt"),
                f"{reverse('letters:proposals')}?state={ProposalState.SUBMITTED}",
                waiting,
                "warning" if waiting else "",
            )
        ],
    )


def _letters_card(request: HttpRequest) -> registry.HomeCard | None:
    from .models import Letter

    scope = account_policies.scope(request.user, policies.SCOPE)
    if not scope:
        return None
    mine = Letter.objects.filter(holding_unit_id__in=scope.unit_ids)
    today = mine.filter(received_at__date=timezone.localdate()).count()
    waiting = mine.filter(status=Status.RECEIVED).count()
    register = reverse("letters:register")
    return registry.HomeCard(
        title=_("Đơn thư"),
        icon="envelope-paper",
        lines=[
            registry.CardLine(_("Đơn thư nhận hôm nay"), f"{register}?received=today", today),
            registry.CardLine(
                _("Đơn thư chờ vào sổ"), f"{register}?status={Status.RECEIVED}", waiting, "warning" if waiting else ""
            ),
        ],
    )


def _reveal_card(request: HttpRequest) -> registry.HomeCard | None:
    from .services.identity import pending_for

    if not _is_custodian(request):
        return None
    count = pending_for(request.user).count()
    return registry.HomeCard(
        title=_("Bảo vệ người tố cáo"),
        icon="shield-lock",
        lines=[
            registry.CardLine(
                _("Đề nghị xem danh tính chờ tôi quyết định"),
                reverse("letters:reveals"),
                count,
                "warning" if count else "",
            )
        ],
    )


def register() -> None:
    registry.register_rules(policies.RULES)
    registry.register_rules(policies.OBJECT_RULES, target=registry.OBJECT)
    registry.register_scope(policies.SCOPE, policies.register_scope)
    section = _("Đơn thư")
    registry.register_menu(
        registry.MenuItem(section, _("Sổ đơn thư"), "letters:register", "journal-bookmark", _works_on_register, 10, 40),
        registry.MenuItem(section, _("Vào sổ đơn giấy"), "letters:paper", "envelope-plus", _works_on_register, 20, 40),
        registry.MenuItem(section, _("Đề nghị xem danh tính"), "letters:reveals", "shield-lock", _is_custodian, 30, 40),
        registry.MenuItem(section, _("Hạn giải quyết"), "letters:due", "alarm", _works_on_register, 25, 40),
        registry.MenuItem(section, _("Theo dõi cấp dưới"), "letters:follow", "diagram-3", _works_on_register, 27, 40),
        registry.MenuItem(
            section, _("Yêu cầu cung cấp dữ liệu"), "letters:requests", "send", _works_on_register, 28, 40
        ),
        registry.MenuItem(
            section, _("Đề nghị kiểm tra, giám sát"), "letters:proposals", "clipboard-check", _reads_proposals, 29, 40
        ),
        registry.MenuItem(
            section, _("Đối chiếu biểu 07, 08, 09, 12"), "letters:forms", "arrow-left-right", _works_on_register, 35, 40
        ),
    )
    registry.register_home_card("letters.register", _letters_card, order=40)
    registry.register_home_card("letters.reveals", _reveal_card, order=41)
    registry.register_home_card("letters.proposals", _proposals_card, order=42)
    registry.register_demo_loader("letters", _seed_demo, order=40)
    registry.register_job("kiemtra.letters.tasks.notify_due_letters", 86400)
    registry.register_job("kiemtra.letters.tasks.fold_intake_audit", 60)
    from kiemtra.core import labels

    from .audit_labels import ACTION_LABELS

    labels.register_action_labels(ACTION_LABELS)
    _follow_the_calendar()


def _follow_the_calendar() -> None:
    """When the holiday calendar changes, the due dates of open letters follow (set-based recompute)."""
    from kiemtra.workdays.signals import calendar_changed

    from .services.clock import on_calendar_changed

    calendar_changed.connect(on_calendar_changed, dispatch_uid="letters.clock.recompute")


def _seed_demo(stdout: object) -> None:
    from .demo import seed_demo

    seed_demo(stdout)  # type: ignore[arg-type]
