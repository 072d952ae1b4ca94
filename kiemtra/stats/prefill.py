"""Prefilling a report from another module's records: the shape every link to statistics shares.

A link (discipline → forms 05/06, letters → forms 07/08/09/12) counts its records per cell, sets the
counts beside the report's figures, and plans the changes of the own input cells that differ. The
confirmation applies exactly the plan that was shown (its digest), through the statistics save
service (locks, validation, revision check, its own audit record), then records where the figures
came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError

from .grid import Cell
from .models import Report, Row
from .services import reports


@dataclass
class Figure:
    """One cell: the report's figures and the counts from the decisions (None: not computed / no report)."""

    cell: Cell
    consolidated: Decimal | None
    own: Decimal | None
    counted: Decimal | None
    counted_own: Decimal | None
    input: bool  # a cell the statistician types

    @property
    def differs(self) -> bool:
        return self.counted is not None and self.counted != (self.consolidated or Decimal(0))

    @property
    def differs_own(self) -> bool:
        return self.counted_own is not None and self.counted_own != (self.own or Decimal(0))

    @property
    def difference(self) -> Decimal | None:
        if self.counted is None:
            return None
        return self.counted - (self.consolidated or Decimal(0))


@dataclass
class Change:
    cell: Cell
    row: Row
    column_label: str
    before: Decimal | None
    after: Decimal


def digest(plan: list[Change]) -> str:
    """A fingerprint of the planned changes: the confirmation applies exactly what was shown, or nothing."""
    text = ";".join(f"{c.cell[0]}:{c.cell[1]}={c.before}>{c.after}" for c in sorted(plan, key=lambda c: c.cell))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def apply(
    actor: Any,
    report: Report,
    plan: list[Change],
    *,
    plan_digest: str,
    expected_revision: int,
    action: str,
    nothing_message: str,
    **extra: Any,
) -> tuple[reports.SaveResult, int]:
    """Write the plan through ``save_values`` and record its origin as ``action``."""
    if digest(plan) != plan_digest:
        raise DomainError(
            _("Số liệu đã thay đổi từ lúc xem trước (quyết định hoặc báo cáo vừa được cập nhật): hãy xem lại."),
            code="plan_changed",
        )
    if not plan:
        raise DomainError(nothing_message, code="nothing_to_prefill")
    changes: dict[Cell, object] = {c.cell: str(c.after) for c in plan}
    result = reports.save_values(actor, report, changes, expected_revision=expected_revision)
    audit.record(
        actor,
        action,
        result.report,
        cells=len(plan),
        changed=result.changed,
        period=report.period.code,
        form=report.form_version.form.code,
        revision=result.report.revision,
        **extra,
    )
    return result, len(plan)
