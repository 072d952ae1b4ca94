from django.db import models
from django.utils.translation import gettext_lazy as _


class Module(models.TextChoices):
    STATS = "stats", _("Cơ sở dữ liệu thống kê")
    LETTERS = "letters", _("Quản lý đơn thư")
    DISCIPLINE = "discipline", _("Cơ sở dữ liệu kỷ luật đảng")
    CASES = "cases", _("Hồ sơ kiểm tra, giám sát")


class Role(models.TextChoices):
    # Statistics (Quy định 11, Art. 3)
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    ADMIN = "admin", _("Quản trị")
    APPROVER = "approver", _("Phê duyệt")
    STATISTICIAN = "statistician", _("Thống kê")
    VIEWER = "viewer", _("Tra cứu")
    ADMIN_APPROVER = "admin_approver", _("Quản trị, phê duyệt")
    ADMIN_STATISTICIAN = "admin_statistician", _("Quản trị, thống kê")
    # Letters (Quy định 06, Art. 2.8)
    NATIONAL_ADMIN = "national_admin", _("Quản trị (đơn thư)")
    USER_MANAGER = "user_manager", _("Quản lý người dùng")
    USER = "user", _("Người dùng")
    # Discipline decisions database (Kế hoạch, item 2: every level enters its own decisions)
    DISCIPLINE_ADMIN = "discipline_admin", _("Quản trị cơ sở dữ liệu kỷ luật")
    DISCIPLINE_EDITOR = "discipline_editor", _("Cập nhật, đối soát quyết định kỷ luật")
    DISCIPLINE_VIEWER = "discipline_viewer", _("Tra cứu quyết định kỷ luật")
    # Case files (issue 14): set up by the unit's admin; what each may read is need-to-know
    CASE_OFFICER = "case_officer", _("Cán bộ kiểm tra")
    CASE_TEAM_LEADER = "case_team_leader", _("Trưởng đoàn kiểm tra")
    CASE_LEADERSHIP = "case_leadership", _("Lãnh đạo ủy ban kiểm tra")
    CASE_VIEWER = "case_viewer", _("Theo dõi hồ sơ kiểm tra")


class Function(models.TextChoices):
    """What a role lets its holder do; a combined role carries two functions."""

    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    ADMIN = "admin", _("Quản trị")
    APPROVER = "approver", _("Phê duyệt")
    STATISTICIAN = "statistician", _("Thống kê")
    VIEWER = "viewer", _("Tra cứu")
    NATIONAL_ADMIN = "national_admin", _("Quản trị đơn thư")
    USER_MANAGER = "user_manager", _("Quản lý người dùng")
    USER = "user", _("Người dùng")
    DISCIPLINE_ADMIN = "discipline_admin", _("Quản trị cơ sở dữ liệu kỷ luật")
    DISCIPLINE_EDITOR = "discipline_editor", _("Cập nhật, đối soát quyết định kỷ luật")
    DISCIPLINE_VIEWER = "discipline_viewer", _("Tra cứu quyết định kỷ luật")
    CASE_OFFICER = "case_officer", _("Cán bộ kiểm tra")
    CASE_TEAM_LEADER = "case_team_leader", _("Trưởng đoàn kiểm tra")
    CASE_LEADERSHIP = "case_leadership", _("Lãnh đạo ủy ban kiểm tra")
    CASE_VIEWER = "case_viewer", _("Theo dõi hồ sơ kiểm tra")


ROLE_MODULE: dict[str, str] = {
    Role.SYSTEM_ADMIN: Module.STATS,
    Role.ADMIN: Module.STATS,
    Role.APPROVER: Module.STATS,
    Role.STATISTICIAN: Module.STATS,
    Role.VIEWER: Module.STATS,
    Role.ADMIN_APPROVER: Module.STATS,
    Role.ADMIN_STATISTICIAN: Module.STATS,
    Role.NATIONAL_ADMIN: Module.LETTERS,
    Role.USER_MANAGER: Module.LETTERS,
    Role.USER: Module.LETTERS,
    Role.DISCIPLINE_ADMIN: Module.DISCIPLINE,
    Role.DISCIPLINE_EDITOR: Module.DISCIPLINE,
    Role.DISCIPLINE_VIEWER: Module.DISCIPLINE,
    Role.CASE_OFFICER: Module.CASES,
    Role.CASE_TEAM_LEADER: Module.CASES,
    Role.CASE_LEADERSHIP: Module.CASES,
    Role.CASE_VIEWER: Module.CASES,
}

ROLE_FUNCTIONS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset({Function.SYSTEM_ADMIN, Function.ADMIN}),
    Role.ADMIN: frozenset({Function.ADMIN}),
    Role.APPROVER: frozenset({Function.APPROVER}),
    Role.STATISTICIAN: frozenset({Function.STATISTICIAN}),
    Role.VIEWER: frozenset({Function.VIEWER}),
    # Art. 3.1.d: "thay thế 01 tài khoản quản trị và 01 tài khoản phê duyệt/thống kê"
    Role.ADMIN_APPROVER: frozenset({Function.ADMIN, Function.APPROVER}),
    Role.ADMIN_STATISTICIAN: frozenset({Function.ADMIN, Function.STATISTICIAN}),
    Role.NATIONAL_ADMIN: frozenset({Function.NATIONAL_ADMIN}),
    Role.USER_MANAGER: frozenset({Function.USER_MANAGER}),
    Role.USER: frozenset({Function.USER}),
    Role.DISCIPLINE_ADMIN: frozenset({Function.DISCIPLINE_ADMIN}),
    Role.DISCIPLINE_EDITOR: frozenset({Function.DISCIPLINE_EDITOR}),
    Role.DISCIPLINE_VIEWER: frozenset({Function.DISCIPLINE_VIEWER}),
    Role.CASE_OFFICER: frozenset({Function.CASE_OFFICER}),
    # A team leader is also an officer: leads some teams, is a member of others.
    Role.CASE_TEAM_LEADER: frozenset({Function.CASE_TEAM_LEADER, Function.CASE_OFFICER}),
    Role.CASE_LEADERSHIP: frozenset({Function.CASE_LEADERSHIP}),
    Role.CASE_VIEWER: frozenset({Function.CASE_VIEWER}),
}

COMBINED_ROLES = frozenset({Role.ADMIN_APPROVER, Role.ADMIN_STATISTICIAN})


class QuotaRuleType(models.TextChoices):
    MAX_ACTIVE = "max_active", _("Tối đa số tài khoản đang hoạt động")
    REQUIRES_AT_LEAST = "requires_at_least", _("Chỉ cấp khi đơn vị có tối thiểu")
