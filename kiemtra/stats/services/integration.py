"""The integration API's state changes and reads (Quy định 11 Art. 12), called by ``stats.api``.

Clients are registered by the system admin on an approval document. A push goes
through ``reports.save_values`` like a statistician's save: same validation,
same locks, same audit record; a read of approved figures is audited here.

The actor of a push is the client's own system account, holding — for that
request only — the statistician function at exactly the unit pushed to, and
only when the unit is within the client's units. The grant is never written
to ``RoleGrant``: the client takes no place in the unit's account quota
(Art. 3.7-3.8), cannot sign in, and gets none of a statistician's other
powers (receiving or returning lower units' reports, look-up).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError
from kiemtra.core.text import nfc
from kiemtra.orgs.models import OrgUnit

from ..grid import Cell, CellError, Grid
from ..lookup import OFFICIAL_STATES
from ..models import Form, Report, ReportingPeriod
from ..models_api import ApiClient, new_token, token_digest
from . import reports, rollup

# --- registering and revoking clients (the system admin) ---------------------------------


@transaction.atomic
def register_client(
    actor: User,
    *,
    name: str,
    document_ref: str,
    unit_codes: Iterable[str],
    forms: Sequence[Form],
    include_subtree: bool = True,
    can_push: bool = True,
    can_read: bool = False,
) -> tuple[ApiClient, str]:
    """Register a client on its approval document; returns it with its token, shown this once."""
    policies.require(actor, "stats.configure")
    name, document_ref = nfc(name), nfc(document_ref)
    if not name or not document_ref:
        raise DomainError(_("Phải có tên ứng dụng và văn bản phê duyệt kết nối."), code="incomplete_client")
    codes = {c.strip() for c in unit_codes if c.strip()}
    units = list(OrgUnit.objects.filter(code__in=codes, valid_to__isnull=True))
    unknown = sorted(codes - {u.code for u in units})
    if unknown:
        raise DomainError(
            _("Không có đơn vị đang hoạt động với mã: %(codes)s.") % {"codes": ", ".join(unknown)}, code="unknown_unit"
        )
    if not units:
        raise DomainError(_("Chọn ít nhất một đơn vị."), code="no_units")
    if not forms:
        raise DomainError(_("Chọn ít nhất một biểu."), code="no_forms")
    if not (can_push or can_read):
        raise DomainError(_("Ứng dụng phải được gửi số liệu vào hoặc lấy số liệu ra."), code="no_rights")
    system_account = User.objects.create_user(
        f"api-{secrets.token_hex(6)}", None, full_name=_("Ứng dụng kết nối: %(n)s") % {"n": name}
    )
    system_account.must_change_password = False
    system_account.save(update_fields=["must_change_password"])
    token = new_token()
    client = ApiClient.objects.create(
        name=name,
        document_ref=document_ref,
        token_hash=token_digest(token),
        token_hint=token[:10],
        include_subtree=include_subtree,
        can_push=can_push,
        can_read=can_read,
        actor=system_account,
        created_by=actor,
    )
    client.units.set(units)
    client.forms.set(forms)
    audit.record(
        actor,
        "stats.api_client.registered",
        client,
        after={
            "name": name,
            "document_ref": document_ref,
            "units": sorted(u.code for u in units),
            "include_subtree": include_subtree,
            "forms": sorted(f.code for f in forms),
            "can_push": can_push,
            "can_read": can_read,
        },
    )
    return client, token


@transaction.atomic
def revoke_client(actor: User, client: ApiClient, reason: str = "") -> ApiClient:
    """Revoke at once: the token stops working and the system account is switched off."""
    policies.require(actor, "stats.configure")
    client = ApiClient.objects.select_for_update(of=("self",)).select_related("actor").get(pk=client.pk)
    if not client.active:
        raise DomainError(_("Ứng dụng này đã bị thu hồi."), code="already_revoked")
    client.active, client.revoked_by, client.revoked_at = False, actor, timezone.now()
    client.save(update_fields=["active", "revoked_by", "revoked_at"])
    client.actor.is_active = False
    client.actor.save(update_fields=["is_active"])
    audit.record(actor, "stats.api_client.revoked", client, reason=reason.strip())
    return client


def acting_for(client: ApiClient, unit: OrgUnit) -> User:
    """The client's system account, as a statistician of ``unit`` for this request only.

    The grant lives only on this request's user object (``policies.act_with``).
    """
    account = client.actor
    grants = [policies.HeldGrant(unit, Role.STATISTICIAN)] if client.active and client.covers(unit) else []
    policies.act_with(account, grants)
    return account


class Refused(DomainError):
    """A refusal with its messages, one per bad item."""

    def __init__(self, message: Any, *, code: str, errors: list[str] | None = None) -> None:
        super().__init__(message, code=code)
        self.errors = errors or []


# --- resolving codes against the client's rights -------------------------------------------


@dataclass
class Target:
    client: ApiClient
    unit: OrgUnit
    form: Form
    period: ReportingPeriod
    report: Report


def _denied(client: ApiClient, code: str, message: str, unit: OrgUnit | None = None, **extra: Any) -> Refused:
    audit.record(client.actor, "stats.api.denied", client, unit=unit, reason=code, **extra)
    return Refused(message, code=code)


def resolve(client: ApiClient, unit_code: str, period_code: str, form_code: str) -> Target:
    """The report addressed by the codes, refusing what lies outside the client's units or forms."""
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise Refused(_("Không có đơn vị mã '%(c)s'.") % {"c": unit_code}, code="unknown_unit")
    if not client.covers(unit):
        raise _denied(
            client,
            "unit_not_allowed",
            _("Đơn vị '%(c)s' nằm ngoài phạm vi được phép của ứng dụng.") % {"c": unit_code},
            unit,
        )
    form = Form.objects.filter(code=form_code).first()
    if form is None:
        raise Refused(_("Không có biểu số '%(c)s'.") % {"c": form_code}, code="unknown_form")
    if not client.allows_form(form.pk):
        raise _denied(
            client, "form_not_allowed", _("Ứng dụng không được phép dùng biểu số '%(c)s'.") % {"c": form_code}, unit
        )
    period = ReportingPeriod.objects.filter(code=period_code).first()
    if period is None:
        raise Refused(_("Không có kỳ báo cáo mã '%(c)s'.") % {"c": period_code}, code="unknown_period")
    report = (
        Report.objects.select_related("unit", "period", "form_version__form")
        .filter(unit=unit, period=period, form_version__form=form)
        .first()
    )
    if report is None:
        raise Refused(
            _("Đơn vị '%(u)s' không có báo cáo biểu số '%(f)s' trong kỳ '%(p)s'.")
            % {"u": unit_code, "f": form_code, "p": period_code},
            code="no_report",
        )
    return Target(client, unit, form, period, report)


def _cells(grid: Grid, cells: list[dict[str, Any]]) -> dict[Cell, Decimal | str | None]:
    """Codes to cells and typed values; every bad cell is named, and nothing is stored if one is bad."""
    parsed: dict[Cell, Decimal | str | None] = {}
    errors = []
    form_code = grid.version.form.code
    for i, item in enumerate(cells):
        row, column = grid.row_by_code.get(item["row"]), grid.column_by_code.get(item["column"])
        if row is None or column is None:
            errors.append(
                _("cells[%(i)s]: biểu %(f)s không có ô dòng '%(r)s', cột '%(c)s'.")
                % {"i": i, "f": form_code, "r": item["row"], "c": item["column"]}
            )
            continue
        cell = (row.pk, column.pk)
        if grid.is_computed(cell):
            errors.append(_("%(where)s: là ô tính tự động, không gửi giá trị.") % {"where": grid.cell_name(cell)})
            continue
        if cell in parsed:
            errors.append(_("%(where)s: gửi hai lần.") % {"where": grid.cell_name(cell)})
            continue
        try:
            parsed[cell] = grid.parse(cell, item["value"])
        except CellError as exc:
            errors.append(str(exc))
    if errors:
        raise Refused(_("Số liệu gửi lên chưa hợp lệ; không ô nào được lưu."), code="bad_value", errors=errors)
    return parsed


def _problems(problems: Iterable[Any]) -> list[dict[str, str]]:
    return [{"rule": p.rule_code, "severity": p.severity, "message": p.message} for p in problems]


def push(client: ApiClient, payload: dict[str, Any]) -> dict[str, Any]:
    """Store the pushed cells through ``save_values``; the same payload again changes nothing."""
    if not client.can_push:
        raise _denied(client, "push_not_allowed", _("Ứng dụng không được phép gửi số liệu vào."))
    target = resolve(client, payload["unit"], payload["period"], payload["form"])
    report = target.report
    grid = Grid.of(report.form_version)
    wanted = _cells(grid, payload["cells"])
    common: dict[str, Any] = {
        "client": client.pk,
        "period": target.period.code,
        "form": target.form.code,
        "cells": len(wanted),
    }
    with transaction.atomic():
        # Compared under the row lock: two identical pushes racing each other end as "saved" and "unchanged".
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("unit", "period", "form_version__form")
            .get(pk=report.pk)
        )
        current = rollup.own_values(report)
        if all(current.get(cell) == value for cell, value in wanted.items()):
            audit.record(client.actor, "stats.api.push", report, result="unchanged", **common)
            result = {"result": "unchanged", "changed": 0, "problems": _problems(reports.validate(report))}
        else:
            saved = reports.save_values(
                acting_for(client, target.unit), report, dict(wanted), expected_revision=report.revision
            )
            report = saved.report
            audit.record(client.actor, "stats.api.push", report, result="saved", changed=saved.changed, **common)
            result = {"result": "saved", "changed": saved.changed, "problems": _problems(saved.problems)}
    return {**result, "revision": report.revision, "state": report.state}


def approved_figures(client: ApiClient, unit_code: str, period_code: str, form_code: str) -> dict[str, Any]:
    """The consolidated figures of an approved, sent or received report."""
    if not client.can_read:
        raise _denied(client, "read_not_allowed", _("Ứng dụng không được phép lấy số liệu."))
    target = resolve(client, unit_code, period_code, form_code)
    report = target.report
    if report.state not in OFFICIAL_STATES:
        raise Refused(
            _("Báo cáo chưa được phê duyệt: chưa có số liệu chính thức (trạng thái: %(s)s).")
            % {"s": report.get_state_display()},
            code="not_approved",
        )
    grid = Grid.of(report.form_version)
    placed = [
        (grid.row_by_id[row_id], grid.column_by_id[column_id], value)
        for (row_id, column_id), value in rollup.consolidated(report).items()
        if row_id in grid.row_by_id and column_id in grid.column_by_id
    ]
    placed.sort(key=lambda item: (item[0].position, item[1].position))
    cells = [{"row": row.code, "column": column.code, "value": rollup.text(value)} for row, column, value in placed]
    audit.record(
        client.actor, "stats.api.read", report, is_read=True, client=client.pk, period=period_code, form=form_code
    )
    return {
        "unit": target.unit.code,
        "unit_name": target.unit.name,
        "period": target.period.code,
        "form": target.form.code,
        "form_version": report.form_version.number,
        "state": report.state,
        "edition": report.edition,
        "revision": report.revision,
        "cells": cells,
    }
