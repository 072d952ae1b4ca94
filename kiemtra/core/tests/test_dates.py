"""Dates are read and written dd/mm/yyyy in every language; a wrong one is refused naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, timezone, translation

from kiemtra.core.widgets import DateField, DateTimeField, format_date, parse_date


class PeriodForm(forms.Form):
    start = DateField(label="Số liệu từ ngày")
    deadline = DateTimeField(label="Thời hạn báo cáo", required=False)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_day_typed_dd_mm_yyyy_is_that_day_in_every_language(language: str) -> None:
    with translation.override(language):
        form = PeriodForm({"start": "07/12/2026", "deadline": "07/12/2026 17:30"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["start"] == dt.date(2026, 12, 7)
        deadline = form.cleaned_data["deadline"]
        assert deadline.tzinfo is not None and timezone.localtime(deadline).strftime("%d/%m/%Y %H:%M") == (
            "07/12/2026 17:30"
        )  # Vietnam time
        assert formats.date_format(dt.date(2026, 12, 7)) == "07/12/2026"
        assert formats.date_format(dt.date(2026, 12, 7), "SHORT_DATE_FORMAT") == "07/12/2026"


def test_the_widget_is_a_text_input_shown_dd_mm_yyyy() -> None:
    html = str(PeriodForm(initial={"start": dt.date(2026, 12, 7)})["start"])
    assert 'type="text"' in html and 'value="07/12/2026"' in html and 'data-date-input="date"' in html
    assert 'type="date"' not in html


@pytest.mark.parametrize("typed", ["12/31/2026", "31/02/2026", "7 tháng 12", "2026/12/07"])
def test_a_date_that_is_not_dd_mm_yyyy_is_refused_with_the_field_named(typed: str) -> None:
    form = PeriodForm({"start": typed})
    assert not form.is_valid()
    assert form.errors["start"] == ["Số liệu từ ngày: hãy nhập ngày theo dạng dd/mm/yyyy, ví dụ 07/12/2026."]


def test_iso_dates_from_links_and_clients_are_still_read() -> None:
    assert PeriodForm({"start": "2026-12-07"}).is_valid()
    assert parse_date("2026-12-07") == parse_date("07/12/2026") == dt.date(2026, 12, 7)
    assert parse_date("") is None and parse_date("12/31/2026") is None
    assert format_date("2026-12-07") == format_date(dt.date(2026, 12, 7)) == "07/12/2026"
    assert format_date("ngày nào đó") == "ngày nào đó"  # what the user typed stays, to be corrected


def test_the_template_tag_renders_the_same_input() -> None:
    html = Template('{% load dates %}{% date_input "from" value id="f-" id_suffix=3 size="sm" %}').render(
        Context({"value": "2026-12-07"})
    )
    assert 'id="f-3"' in html and 'value="07/12/2026"' in html and "form-control-sm" in html
    datetime_html = Template('{% load dates %}{% date_input "at" kind="datetime" %}').render(Context({}))
    assert 'data-date-input="datetime"' in datetime_html and 'placeholder="dd/mm/yyyy hh:mm"' in datetime_html


def test_no_page_or_form_uses_the_browsers_own_date_input() -> None:
    """Issue 10, item 5: the native input shows dates in the browser's language; ours is used everywhere."""
    import re
    from pathlib import Path

    import kiemtra

    root = Path(kiemtra.__file__).parent
    native = re.compile(
        r'type="(date|datetime-local)"|"type": "(date|datetime-local)"|forms\.Date(Time)?(Input|Field)\('
    )
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in [*root.rglob("*.html"), *root.rglob("*.py")]
        if "tests" not in path.parts and path.name != "widgets.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if native.search(line)
    ]
    assert offenders == []
