"""The statutory clock (Letters II item 3): limits as catalog rows, the holiday calendar, suspensions, extensions.

A due date is a function of (clock start, limit row, extension, suspensions,
calendar); ``explain`` returns every part so the page can say why it is that
date. Suspensions stop the clock: each moves the due date by the working days
(or, for a calendar-day limit, the days) it lasted; an open one counts up to
today. When the calendar changes, ``recompute_open`` recomputes the due dates
of every open letter set by set: letters with the same start, limit and
extension and no suspension share one due date, computed once and written by
one UPDATE.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.core import events
from kiemtra.core.errors import DomainError
from kiemtra.workdays import calendar as workdays
from kiemtra.workdays.calendar import Calendar

from ..choices import OPEN_STATUSES, DayUnit, Status
from ..models import HandlerAssignment, Leader, Letter, Suspension, TimeLimit
from .steps import NOT_OPEN, handle, require_state, required_text, step

ONE_DAY = dt.timedelta(days=1)
DUE_SOON_WORKING_DAYS = 5


def limit_for(letter: Letter, on: dt.date) -> TimeLimit | None:
    """The row for the letter's kind at its commission's level (or every level), valid on ``on``."""
    rows = TimeLimit.objects.filter(kind=letter.kind, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    rows = rows.filter(Q(level=letter.holding_unit.kind) | Q(level=""))
    return rows.order_by("-level", "-valid_from").first()  # a level's own row before the general one


@dataclass
class SuspensionPart:
    started_on: dt.date
    ended_on: dt.date | None
    reason: str
    days: int  # how far it moved the due date (working or calendar days, as the limit counts)


@dataclass
class DueDate:
    start: dt.date
    limit: TimeLimit
    extension: int
    suspensions: list[SuspensionPart] = field(default_factory=list)
    days_skipped: list[dt.date] = field(default_factory=list)
    due: dt.date | None = None

    def lines(self) -> list[str]:
        """The explanation a page shows, one sentence per part."""
        unit = self.limit.get_day_unit_display().lower()
        out = [
            _("Bắt đầu tính: %(d)s (ngày thứ 1 là ngày làm việc tiếp theo)") % {"d": self.start.strftime("%d/%m/%Y")},
            _("Thời hạn: %(n)d %(u)s — %(src)s") % {"n": self.limit.days, "u": unit, "src": self.limit.source},
        ]
        if self.extension:
            out.append(_("Gia hạn: %(n)d %(u)s") % {"n": self.extension, "u": unit})
        for s in self.suspensions:
            end = s.ended_on.strftime("%d/%m/%Y") if s.ended_on else _("nay")
            out.append(
                _("Tạm dừng %(a)s – %(b)s (%(r)s): cộng %(n)d %(u)s")
                % {"a": s.started_on.strftime("%d/%m/%Y"), "b": end, "r": s.reason, "n": s.days, "u": unit}
            )
        if self.days_skipped:
            out.append(_("Bỏ qua %(n)d ngày nghỉ (cuối tuần, lễ, Tết)") % {"n": len(self.days_skipped)})
        if self.due:
            out.append(_("Hạn giải quyết: %(d)s") % {"d": self.due.strftime("%d/%m/%Y")})
        return out


def _suspension_days(cal: Calendar, limit: TimeLimit, s: Suspension, today: dt.date) -> int:
    end = s.ended_on or today + ONE_DAY  # an open suspension counts through today
    if end <= s.started_on:
        return 0
    if limit.day_unit == DayUnit.WORKING:
        return cal.working_days_between(s.started_on - ONE_DAY, end - ONE_DAY)
    return (end - s.started_on).days


def due_from(cal: Calendar, start: dt.date, limit: TimeLimit, extra: int) -> dt.date:
    days = limit.days + extra
    if limit.day_unit == DayUnit.WORKING:
        return cal.add_working_days(start, days)
    return cal.add_calendar_days(start, days)


def explain(letter: Letter, cal: Calendar | None = None, today: dt.date | None = None) -> DueDate | None:
    if letter.clock_start is None or letter.time_limit is None:
        return None
    cal = cal or workdays.current()
    today = today or timezone.localdate()
    limit = letter.time_limit
    parts = [
        SuspensionPart(s.started_on, s.ended_on, s.reason, _suspension_days(cal, limit, s, today))
        for s in letter.suspensions.order_by("started_on")
    ]
    extra = letter.extended_days + sum(p.days for p in parts)
    due = due_from(cal, letter.clock_start, limit, extra)
    return DueDate(
        letter.clock_start, limit, letter.extended_days, parts, cal.days_off_between(letter.clock_start, due), due
    )


def refresh(letter: Letter, cal: Calendar | None = None) -> None:
    """Recompute ``letter.due_on`` (the caller saves)."""
    explained = explain(letter, cal)
    letter.due_on = explained.due if explained else None


def start(letter: Letter, on: dt.date) -> None:
    """The clock starts (the competent commission has the letter); the caller saves."""
    limit = limit_for(letter, on)
    if limit is None:
        raise DomainError(_("Chưa có thời hạn giải quyết cho loại đơn này trong danh mục."), code="time_limit")
    letter.clock_start, letter.time_limit, letter.extended_days = on, limit, 0
    refresh(letter)


@transaction.atomic
def suspend(actor: Any, letter: Letter, reason: str, on: dt.date | None = None) -> Letter:
    letter = handle(actor, letter)
    require_state(letter, (Status.HANDLING,), NOT_OPEN)
    reason = required_text(reason, "reason", _("Cần ghi lý do tạm dừng (chờ tài liệu, chờ cơ quan khác…)."))
    Suspension.objects.create(letter=letter, started_on=on or timezone.localdate(), reason=reason, actor=actor)
    letter.status = Status.SUSPENDED
    refresh(letter)
    letter.save()
    step(actor, letter, "suspended", reason)
    return letter


@transaction.atomic
def resume(actor: Any, letter: Letter, on: dt.date | None = None) -> Letter:
    letter = handle(actor, letter)
    require_state(letter, (Status.SUSPENDED,), NOT_OPEN)
    open_one = letter.suspensions.get(ended_on__isnull=True)
    end = on or timezone.localdate()
    if end < open_one.started_on:
        raise DomainError(_("Ngày tiếp tục không được trước ngày tạm dừng."), code="on")
    open_one.ended_on = end
    open_one.save()
    letter.status = Status.HANDLING
    refresh(letter)
    letter.save()
    step(actor, letter, "resumed", due=letter.due_on.isoformat() if letter.due_on else "")
    return letter


@transaction.atomic
def extend(actor: Any, letter: Letter, reason: str) -> Letter:
    """Once, by the limit's extension; the reason is shown to the sender."""
    letter = handle(actor, letter)
    require_state(letter, OPEN_STATUSES, NOT_OPEN)
    reason = required_text(reason, "reason", _("Cần ghi lý do gia hạn."))
    if letter.time_limit is None or not letter.time_limit.extension_days:
        raise DomainError(_("Loại đơn này không được gia hạn."), code="extension")
    if letter.extended_days:
        raise DomainError(_("Đơn này đã được gia hạn một lần."), code="extension")
    letter.extended_days = letter.time_limit.extension_days
    letter.extension_reason = reason
    refresh(letter)
    letter.save()
    step(actor, letter, "extended", reason, days=letter.extended_days)
    return letter


def open_letters(unit_ids: Any = None) -> QuerySet[Letter]:
    qs = Letter.objects.filter(status__in=OPEN_STATUSES, due_on__isnull=False)
    return qs if unit_ids is None else qs.filter(holding_unit_id__in=unit_ids)


def overdue(unit_ids: Any = None, today: dt.date | None = None) -> QuerySet[Letter]:
    return open_letters(unit_ids).filter(due_on__lt=today or timezone.localdate()).order_by("due_on")


def due_soon(unit_ids: Any = None, today: dt.date | None = None, cal: Calendar | None = None) -> QuerySet[Letter]:
    today = today or timezone.localdate()
    horizon = (cal or workdays.current()).add_working_days(today, DUE_SOON_WORKING_DAYS)
    return open_letters(unit_ids).filter(due_on__gte=today, due_on__lte=horizon).order_by("due_on")


def notify_due(today: dt.date | None = None) -> int:
    """Tell each handler and the commission's leader of their letters due soon or overdue (a daily job)."""
    today = today or timezone.localdate()
    told = 0
    for letter in list(overdue(today=today)) + list(due_soon(today=today)):
        late = letter.due_on < today  # type: ignore[operator]
        people = list(HandlerAssignment.objects.filter(letter=letter, active=True).values_list("person_id", flat=True))
        people += list(Leader.objects.filter(unit=letter.holding_unit, active=True).values_list("person_id", flat=True))
        title = (_("Đơn %(code)s quá hạn từ %(d)s") if late else _("Đơn %(code)s sắp đến hạn %(d)s")) % {
            "code": letter.tracking_code,
            "d": letter.due_on.strftime("%d/%m/%Y"),  # type: ignore[union-attr]
        }
        kind = "letters.letter.overdue" if late else "letters.letter.due_soon"
        events.announce(kind, people, title, url=f"/don-thu/{letter.uid}/", unit=letter.holding_unit)
        told += 1
    return told


def recompute_open(cal: Calendar | None = None, batch: int = 5000) -> int:
    """Every open letter's due date after a calendar change, set-based; returns how many changed."""
    cal = cal or workdays.current()
    limits = {t.pk: t for t in TimeLimit.objects.all()}
    base = Letter.objects.filter(status__in=OPEN_STATUSES, clock_start__isnull=False, time_limit__isnull=False)
    groups: list[tuple[dt.date, int, int]] = [
        (g["clock_start"], g["time_limit_id"], g["extended_days"])
        for g in base.order_by().values("clock_start", "time_limit_id", "extended_days").distinct()
        if g["clock_start"] is not None and g["time_limit_id"] is not None
    ]
    dues = [(start, limit, ext, due_from(cal, start, limits[limit], ext)) for start, limit, ext in groups]
    done = _update_groups(dues)
    suspended_ids = list(base.filter(suspensions__isnull=False).values_list("pk", flat=True).distinct())
    for i in range(0, len(suspended_ids), batch):
        chunk = Letter.objects.filter(pk__in=suspended_ids[i : i + batch]).select_related("time_limit")
        changed = []
        for letter in chunk.prefetch_related("suspensions"):
            before = letter.due_on
            refresh(letter, cal)
            if letter.due_on != before:
                changed.append(letter)
        Letter.objects.bulk_update(changed, ["due_on"])
        done += len(changed)
    return done


def _update_groups(dues: list[tuple[dt.date, int, int, dt.date]]) -> int:
    """The letters without a suspension, one due date per (start, limit, extension) group.

    On PostgreSQL one UPDATE joins a VALUES list of the groups (a million letters: a few hundred groups,
    one statement); elsewhere one UPDATE per group.
    """
    if not dues:
        return 0
    no_suspension = ~Exists(Suspension.objects.filter(letter_id=OuterRef("pk")))
    if connection.vendor != "postgresql":
        done = 0
        for start, limit, ext, due in dues:
            done += (
                Letter.objects.filter(
                    no_suspension,
                    status__in=OPEN_STATUSES,
                    clock_start=start,
                    time_limit_id=limit,
                    extended_days=ext,
                )
                .exclude(due_on=due)
                .update(due_on=due)
            )
        return done
    done = 0
    for i in range(0, len(dues), 1000):
        part = dues[i : i + 1000]
        values = ", ".join(["(%s::date, %s::int, %s::int, %s::date)"] * len(part))
        params: list[Any] = [x for row in part for x in row]
        statuses = ", ".join(["%s"] * len(OPEN_STATUSES))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE letters_letter AS l SET due_on = v.due FROM (VALUES {values}) AS v(start, lim, ext, due) "  # noqa: S608 — placeholders only
                "WHERE l.clock_start = v.start AND l.time_limit_id = v.lim AND l.extended_days = v.ext "
                f"AND l.status IN ({statuses}) AND l.due_on IS DISTINCT FROM v.due "
                "AND NOT EXISTS (SELECT 1 FROM letters_suspension s WHERE s.letter_id = l.id)",
                [*params, *[str(s) for s in OPEN_STATUSES]],
            )
            done += cursor.rowcount
    return done


def on_calendar_changed(sender: Any, **kwargs: Any) -> None:
    recompute_open()
