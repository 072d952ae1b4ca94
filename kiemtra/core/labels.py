"""What an audit action code means, in Vietnamese: ``stats.report.values_saved`` → "Lưu số liệu báo cáo".

The codes are stable identifiers kept in the hash-chained log; the page shows a
label. A module registers the labels of the actions it records, in its
``AppConfig.ready()``: ``register_action_labels({"letters.letter.read": _("Đọc đơn thư")})``,
and its own name with ``register_module_label("letters", _("Đơn thư"))``. A code
nobody registered is still shown readably: the module's name and the code itself.
The platform's own actions (accounts, org tree, audit, backups) are registered here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

_actions: dict[str, Any] = {}
_modules: dict[str, Any] = {}


def register_action_labels(labels: Mapping[str, Any]) -> None:
    """Labels (lazy translations) of action codes; registering the same code again replaces its label."""
    _actions.update(labels)


def register_module_label(prefix: str, label: Any) -> None:
    _modules[prefix] = label


@dataclass(frozen=True)
class ActionLabel:
    code: str
    text: str
    known: bool  # False: nobody registered the code; the page shows the module and the code
    module: str


def action_label(code: str) -> ActionLabel:
    prefix = code.split(".", 1)[0]
    module = str(_modules.get(prefix, prefix))
    if code in _actions:
        return ActionLabel(code, str(_actions[code]), True, module)
    return ActionLabel(code, module, False, module)


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """For a filter: per module (sorted by label), "every action of the module" then each action."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in _actions.items():
        groups.setdefault(code.split(".", 1)[0], []).append((code, str(label)))
    result = []
    for prefix, items in groups.items():
        module = str(_modules.get(prefix, prefix))
        every = (f"{prefix}.", str(_("Mọi thao tác: %(module)s") % {"module": module}))
        result.append((module, [every, *sorted(items, key=lambda item: item[1])]))
    return sorted(result, key=lambda group: group[0])


register_module_label("accounts", _("Tài khoản"))
register_module_label("orgs", _("Cây đơn vị"))
register_module_label("audit", _("Nhật ký"))
register_module_label("backups", _("Sao lưu"))
register_action_labels(
    {
        "accounts.signed_in": _("Đăng nhập"),
        "accounts.signed_out": _("Đăng xuất"),
        "accounts.sign_in.failed": _("Đăng nhập không thành công"),
        "accounts.sign_in.locked_out": _("Tạm khóa do đăng nhập sai nhiều lần"),
        "accounts.vneid.failed": _("Đăng nhập VNeID không thành công"),
        "accounts.password.changed": _("Đổi mật khẩu"),
        "accounts.password.reset": _("Cấp lại mật khẩu"),
        "accounts.totp.enrolled": _("Đăng ký xác thực hai lớp"),
        "accounts.user.created": _("Tạo tài khoản"),
        "accounts.user.deactivated": _("Khóa tài khoản"),
        "accounts.user.handed_over": _("Bàn giao tài khoản"),
        "accounts.granted": _("Cấp quyền"),
        "accounts.grant.created": _("Cấp quyền"),
        "accounts.grant.revoked": _("Thu hồi quyền"),
        "accounts.managed_user.assigned": _("Giao quản lý người dùng"),
        "accounts.quota_rule.saved": _("Sửa định mức tài khoản"),
        "orgs.tree.loaded": _("Nạp cây đơn vị"),
        "orgs.imported": _("Nhập cây đơn vị"),
        "orgs.regional.assigned": _("Phân công địa bàn theo dõi"),
        "orgs.unit.created": _("Thành lập đơn vị"),
        "orgs.unit.renamed": _("Đổi tên đơn vị"),
        "orgs.unit.moved": _("Chuyển đơn vị cấp trên"),
        "orgs.unit.merged": _("Hợp nhất đơn vị"),
        "orgs.unit.closed": _("Giải thể đơn vị"),
        "backups.created": _("Sao lưu dữ liệu"),
        "backups.failed": _("Sao lưu không thành công"),
        "backups.pruned": _("Xóa bản sao lưu quá hạn lưu giữ"),
        "backups.restored": _("Phục hồi dữ liệu từ bản sao lưu"),
    }
)
