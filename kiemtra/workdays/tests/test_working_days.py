"""Working-day arithmetic over the calendar held as data (weekends, holidays, "làm bù" Saturdays)."""

from __future__ import annotations

import datetime as dt

import pytest

from kiemtra.conftest import make_person
from kiemtra.core.errors import DomainError
from kiemtra.workdays import calendar
from kiemtra.workdays.models import CalendarDay
from kiemtra.workdays.services import load_csv
from kiemtra.workdays.signals import calendar_changed

D = dt.date
GOOD_ROW = "date,name,kind\n2027-05-01,Quốc tế lao động,off\n"  # a good row first: the load is all or nothing


def test_working_day_one_is_the_first_working_day_after_the_start() -> None:
    plain = calendar.build([])
    assert plain.add_working_days(D(2026, 12, 7), 1) == D(2026, 12, 8)  # Monday → Tuesday
    assert plain.add_working_days(D(2026, 12, 11), 1) == D(2026, 12, 14)  # Friday → Monday
    assert plain.add_working_days(D(2026, 12, 7), 0) == D(2026, 12, 7)


def test_holidays_are_skipped_and_a_made_up_saturday_counts() -> None:
    tet = calendar.build([(D(2027, 2, 8), "off"), (D(2027, 2, 9), "off"), (D(2027, 2, 13), "working")])
    # From Friday 5/2/2027: Mon 8 and Tue 9 off, Wed 10 = 1, Thu 11 = 2, Fri 12 = 3, Sat 13 (làm bù) = 4.
    assert tet.add_working_days(D(2027, 2, 5), 4) == D(2027, 2, 13)
    assert tet.working_days_between(D(2027, 2, 5), D(2027, 2, 13)) == 4
    assert tet.days_off_between(D(2027, 2, 5), D(2027, 2, 13)) == [
        D(2027, 2, 6),
        D(2027, 2, 7),
        D(2027, 2, 8),
        D(2027, 2, 9),
    ]


def test_a_calendar_day_limit_ending_on_a_day_off_moves_to_the_next_working_day() -> None:
    cal = calendar.build([(D(2026, 9, 2), "off")])
    assert cal.add_calendar_days(D(2026, 8, 30), 3) == D(2026, 9, 3)  # Wed 2/9 is National Day
    assert cal.add_calendar_days(D(2026, 12, 2), 3) == D(2026, 12, 7)  # Saturday → Monday


@pytest.mark.django_db
def test_loading_a_csv_adds_and_updates_days_and_tells_the_clocks_after_the_commit(
    django_capture_on_commit_callbacks: object,
) -> None:
    heard: list[object] = []

    def listener(sender: object, **kwargs: object) -> None:
        heard.append(sender)

    calendar_changed.connect(listener)
    try:
        actor = make_person()
        CalendarDay.objects.create(date=D(2027, 1, 1), name="Cũ", kind="off")
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            result = load_csv(actor, "date,name,kind\n2027-01-01,Tết Dương lịch,off\n2027-02-13,Làm bù,working\n")
        assert (result.created, result.updated) == (1, 1)
        assert CalendarDay.objects.get(date=D(2027, 1, 1)).name == "Tết Dương lịch"
        assert calendar.current().is_working_day(D(2027, 2, 13))
        assert heard == [CalendarDay]
    finally:
        calendar_changed.disconnect(listener)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text, code",
    [
        ("day,name\n2027-01-01,x\n", "bad_header"),
        (GOOD_ROW + "2027-13-45,x,off\n", "bad_date"),
        (GOOD_ROW + "2027-01-01,x,holiday\n", "bad_kind"),
        (GOOD_ROW + "2027-01-01,,off\n", "name_required"),
    ],
)
def test_a_bad_csv_is_refused_whole_with_the_line_named(text: str, code: str) -> None:
    actor = make_person()
    with pytest.raises(DomainError) as refused:
        load_csv(
            actor,
            "date,name,kind\n2027-05-01,Quốc tế lao động,off\n" + text.split("\n", 1)[1]
            if code != "bad_header"
            else text,
        )
    assert refused.value.code == code
    assert not CalendarDay.objects.exists()
