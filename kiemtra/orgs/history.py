"""A unit's history as people read it: "Tên: A → B", not the stored ``{} → {'name': …}``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from kiemtra.core.widgets import format_date

from .models import OrgUnit, OrgUnitEvent

FIELD_LABELS = {
    "name": _("Tên"),
    "code": _("Mã"),
    "parent": _("Đơn vị cấp trên"),
    "valid_to": _("Hết hiệu lực từ"),
    "successor": _("Đơn vị kế thừa"),
}
UNIT_CODES = ("parent", "successor")  # stored as codes, shown as names


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    created: bool  # no "before": a value set when the unit was created


def _shown(key: str, value: Any, names: dict[str, str]) -> str:
    if value in (None, ""):
        return "—"
    if key in UNIT_CODES:
        return names.get(str(value), str(value))
    if key == "valid_to":
        return format_date(str(value))
    return str(value)


def changes(event: OrgUnitEvent, names: dict[str, str]) -> list[Change]:
    before, after = event.before or {}, event.after or {}
    keys = [k for k in FIELD_LABELS if k in before or k in after]
    keys += sorted(k for k in {*before, *after} if k not in FIELD_LABELS)
    return [
        Change(
            label=str(FIELD_LABELS.get(key, key)),
            before=_shown(key, before.get(key), names),
            after=_shown(key, after.get(key), names),
            created=key not in before,
        )
        for key in keys
    ]


def described(events: list[OrgUnitEvent]) -> list[tuple[OrgUnitEvent, list[Change]]]:
    """Each event with its changes; unit codes resolved to names in one query."""
    codes = {
        str(side[key])
        for e in events
        for side in (e.before or {}, e.after or {})
        for key in UNIT_CODES
        if side.get(key)
    }
    names = dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "name"))
    return [(e, changes(e, names)) for e in events]
