"""Reading the case pages' posted fields into the services' inputs, each refusal naming its field in Vietnamese.

The pages post plain fields (dates typed dd/mm/yyyy, the house widget's format);
what the regulations check stays in the services. A programme's items are posted
as parallel lists, one row of the table each; a row without a subject is an
empty row of the form and is skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from kiemtra.core.errors import DomainError
from kiemtra.core.widgets import parse_date

from .services.programmes import ItemInput

ITEM_FIELDS = ("kind", "subject_kind", "subject_name", "planned_start", "planned_end", "lead", "key")


def date_field(data: QueryDict, field: str, label: str) -> dt.date:
    day = parse_date(data.get(field))
    if day is None:
        raise DomainError(_("%(field)s: nhập ngày theo dạng ngày/tháng/năm.") % {"field": label}, code=field)
    return day


def text_field(data: QueryDict, field: str, label: str) -> str:
    value = (data.get(field) or "").strip()
    if not value:
        raise DomainError(_("%(field)s: không được để trống.") % {"field": label}, code=field)
    return value


def year_field(data: QueryDict) -> int:
    text = (data.get("year") or "").strip()
    if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise DomainError(_("Năm: nhập bốn chữ số, ví dụ 2026."), code="year")
    return int(text)


@dataclass(frozen=True)
class ItemRows:
    items: list[ItemInput]
    keys: list[str]


def item_rows(data: QueryDict) -> ItemRows:
    """The table's rows as items (and, for an amendment, each row's key across versions)."""
    columns = {name: data.getlist(name) for name in ITEM_FIELDS}
    count = max((len(v) for v in columns.values()), default=0)
    items: list[ItemInput] = []
    keys: list[str] = []
    for n in range(count):
        row = {name: (values[n] if n < len(values) else "").strip() for name, values in columns.items()}
        if not row["subject_name"]:
            continue
        label = _("Nội dung dòng %(n)s") % {"n": n + 1}
        start, end = parse_date(row["planned_start"]), parse_date(row["planned_end"])
        if start is None:
            raise DomainError(
                _("%(row)s, Thời gian bắt đầu: nhập ngày theo dạng ngày/tháng/năm.") % {"row": label},
                code="planned_start",
            )
        if end is None:
            raise DomainError(
                _("%(row)s, Thời gian kết thúc: nhập ngày theo dạng ngày/tháng/năm.") % {"row": label},
                code="planned_end",
            )
        items.append(ItemInput(row["kind"], row["subject_kind"], row["subject_name"], start, end, row["lead"]))
        keys.append(row["key"])
    if not items:
        raise DomainError(_("Nội dung: ghi ít nhất một đối tượng kiểm tra, giám sát."), code="items")
    return ItemRows(items, keys)
