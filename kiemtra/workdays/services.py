"""Changes to the calendar: every one audited; the modules whose clocks use it hear of it after the commit."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError

from .choices import DayKind
from .models import CalendarDay
from .signals import calendar_changed


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int


def _parse_row(number: int, row: dict[str, str]) -> tuple[dt.date, str, str]:
    try:
        day = dt.date.fromisoformat((row.get("date") or "").strip())
    except ValueError:
        raise DomainError(
            _("Dòng %(n)s: cột date phải là ngày dạng YYYY-MM-DD.") % {"n": number}, code="bad_date"
        ) from None
    kind = (row.get("kind") or "").strip()
    if kind not in DayKind.values:
        raise DomainError(
            _("Dòng %(n)s: cột kind phải là off (ngày nghỉ) hoặc working (ngày làm bù).") % {"n": number},
            code="bad_kind",
        )
    name = (row.get("name") or "").strip()[:200]
    if not name:
        raise DomainError(_("Dòng %(n)s: thiếu tên ngày (cột name).") % {"n": number}, code="name_required")
    return day, name, kind


@transaction.atomic
def load_csv(actor: Any, text: str, *, source: str = "") -> LoadResult:
    """Rows ``date,name,kind``; a date already present is updated. All or nothing."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or {"date", "name", "kind"} - {f.strip() for f in reader.fieldnames}:
        raise DomainError(_("Tệp CSV phải có dòng tiêu đề date,name,kind."), code="bad_header")
    rows = list(reader)
    parsed = [_parse_row(i, row) for i, row in enumerate(rows, start=2)]
    created = updated = 0
    for (day, name, kind), row in zip(parsed, rows, strict=True):
        # An optional ``source`` column names each row's own legal basis (the shipped holiday file).
        row_source = (row.get("source") or "").strip() or source
        _obj, was_created = CalendarDay.objects.update_or_create(
            date=day, defaults={"name": name, "kind": kind, "source": row_source[:255]}
        )
        created += was_created
        updated += not was_created
    audit.record(actor, "workdays.calendar.loaded", None, created=created, updated=updated, source=source[:255])
    announce_change()
    return LoadResult(created, updated)


SHIPPED = Path(__file__).resolve().parent / "data" / "vn_holidays_2025_2027.csv"


def load_shipped(actor: Any) -> LoadResult:
    """Vietnam's public holidays 2025–2027 as decided, each row with its source (some marked "demo values")."""
    return load_csv(actor, SHIPPED.read_text(encoding="utf-8"), source=str(SHIPPED.name))


def announce_change() -> None:
    """After the commit, tell the modules whose due dates follow the calendar (``calendar_changed``)."""
    transaction.on_commit(lambda: calendar_changed.send(sender=CalendarDay))
