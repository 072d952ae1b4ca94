"""What the case-files module registers with the kernel: rules, scope, sidebar, home card, jobs, audit labels."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kiemtra.accounts import policies as account_policies
from kiemtra.core import labels, registry

from . import policies
from .action_labels import ACTION_LABELS


def _reads(request: HttpRequest) -> bool:
    return bool(account_policies.scope(request.user, policies.SCOPE))


def _leads(request: HttpRequest) -> bool:
    from .views_actions import _leading_units

    return bool(_leading_units(request.user))


def _reads_both(request: HttpRequest) -> bool:
    return _reads(request) and bool(account_policies.scope(request.user, "stats"))


def _officer(request: HttpRequest) -> bool:
    """A case officer somewhere: imports the backlog, reports on the requests addressed to its commission."""
    return bool(policies.officer_units(request.user))


def _card(request: HttpRequest) -> registry.HomeCard | None:
    from .models import CaseFile
    from .views_requests import waiting_count

    if not request.user.is_authenticated:
        return None
    mine = CaseFile.objects.filter(team__person=request.user, state="open").count()
    waiting = waiting_count(request.user)
    if not mine and not waiting and not _reads(request):
        return None
    lines = [registry.CardLine(_("Hồ sơ tôi đang tham gia"), reverse("cases:list") + "?mine=1", mine)]
    if waiting or _officer(request):
        lines.append(
            registry.CardLine(_("Yêu cầu sau kết luận chờ đơn vị báo cáo"), reverse("cases:requests"), waiting)
        )
    return registry.HomeCard(title=_("Hồ sơ kiểm tra, giám sát"), icon="folder2-open", lines=lines)


def register() -> None:
    policies.register()
    section = _("Kiểm tra, giám sát")
    registry.register_menu(
        registry.MenuItem(section, _("Hồ sơ và tiến độ"), "cases:list", "folder2-open", _reads, 10, 35),
        registry.MenuItem(section, _("Bảng tiến độ"), "cases:board", "kanban", _reads, 20, 35),
        registry.MenuItem(section, _("Mở hồ sơ"), "cases:open", "folder-plus", _leads, 22, 35),
        registry.MenuItem(
            section, _("Chương trình kiểm tra, giám sát"), "cases:programmes", "calendar3", _reads, 25, 35
        ),
        registry.MenuItem(
            section, _("Đề nghị kiểm tra từ đơn thư"), "cases:proposals", "envelope-open", _leads, 23, 35
        ),
        registry.MenuItem(section, _("Tìm tài liệu hồ sơ"), "cases:search", "search", _reads, 27, 35),
        registry.MenuItem(section, _("Kết luận quá hạn"), "cases:overdue", "alarm", _reads, 30, 35),
        registry.MenuItem(section, _("Nạp hồ sơ số hóa"), "cases:import", "cloud-upload", _officer, 40, 35),
        registry.MenuItem(
            section, _("Yêu cầu sau kết luận giao cho đơn vị"), "cases:requests", "list-check", _officer, 32, 35
        ),
        registry.MenuItem(
            section, _("Đối chiếu với thống kê"), "cases:stats_link", "arrow-left-right", _reads_both, 50, 35
        ),
    )
    registry.register_home_card("cases.mine", _card, order=35)
    registry.register_job("kiemtra.cases.tasks.warn_steps", 3600)
    registry.register_job("kiemtra.cases.tasks.remind_follow_ups", 3600)
    registry.register_job("kiemtra.cases.tasks.import_queued", 3)
    labels.register_module_label("cases", _("Kiểm tra, giám sát"))
    registry.register_demo_loader("cases", _seed_demo, order=50)
    labels.register_action_labels(ACTION_LABELS)


def _seed_demo(stdout: object) -> None:
    from .demo import seed

    seed(stdout)  # type: ignore[arg-type]
