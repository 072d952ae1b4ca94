"""Working-day arithmetic over the calendar held as data.

Pure functions over a ``Calendar`` (a snapshot of the exception days), so that
recomputing a million due dates reads the table once. Rules:

- a weekday is a working day, a Saturday or Sunday is not, unless a
  ``CalendarDay`` row says otherwise (``off``: a holiday; ``working``: "làm bù");
- ``add_working_days(start, n)``: working day 1 is the first working day *after*
  ``start`` (the day a letter is received does not count);
- ``add_calendar_days(start, n)``: ``start + n`` days, moved to the next working
  day when it falls on a day off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Calendar:
    off: frozenset[dt.date] = field(default_factory=frozenset)
    working: frozenset[dt.date] = field(default_factory=frozenset)
    version: str = ""  # changes whenever a row changes: due dates computed on another version are stale

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.off:
            return False
        if day in self.working:
            return True
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        if days < 0:
            raise ValueError("days must not be negative")
        day, counted = start, 0
        while counted < days:
            day += ONE_DAY
            if self.is_working_day(day):
                counted += 1
        return day

    def add_calendar_days(self, start: dt.date, days: int) -> dt.date:
        if days < 0:
            raise ValueError("days must not be negative")
        return self.next_working_day(start + dt.timedelta(days=days))

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def days_off_between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The days after ``start`` up to ``end`` that are not working days: why a due date is that date."""
        out, day = [], start + ONE_DAY
        while day <= end:
            if not self.is_working_day(day):
                out.append(day)
            day += ONE_DAY
        return out

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days after ``start`` up to and including ``end``."""
        if end <= start:
            return 0
        total = (end - start).days
        return total - len(self.days_off_between(start, end))


def build(rows: Iterable[tuple[dt.date, str]], version: str = "") -> Calendar:
    off: set[dt.date] = set()
    working: set[dt.date] = set()
    for day, kind in rows:
        (working if kind == "working" else off).add(day)
    return Calendar(off=frozenset(off), working=frozenset(working), version=version)


def current() -> Calendar:
    """The calendar as stored now (one query; the version is the newest change)."""
    from django.db.models import Count, Max

    from .models import CalendarDay

    stats = CalendarDay.objects.aggregate(changed=Max("updated_at"), n=Count("id"))
    version = f"{stats['n']}:{stats['changed'].isoformat() if stats['changed'] else ''}"
    return build(CalendarDay.objects.values_list("date", "kind"), version)
