"""Dates as Vietnamese write them — dd/mm/yyyy — whatever language the browser speaks.

The browser's own ``<input type="date">`` shows and reads dates in the browser's
locale: in an English browser 7 December appears as 12/07/2026 and an official
reads 12 July. Every date of the product is therefore a text input of our own
(``core/date-input.js`` adds a small calendar under the CSP), and these fields
parse and render dd/mm/yyyy (times as ``dd/mm/yyyy hh:mm``, in Vietnam time).
ISO dates (2026-12-07) are still accepted: links and API clients use them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
DATE_INPUT_FORMATS = [DATE_FORMAT, "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    DATETIME_FORMAT,
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
]
DATE_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}"
DATETIME_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2})?"


def parse_date(text: str | None) -> dt.date | None:
    """A day typed as dd/mm/yyyy (or ISO); None for empty or unreadable text."""
    text = (text or "").strip()
    for fmt in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def format_date(value: dt.date | str | None) -> str:
    """dd/mm/yyyy for a date or an ISO string; other text unchanged (what the user typed stays)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        day = parse_date(value)
        return day.strftime(DATE_FORMAT) if day else value
    return value.strftime(DATE_FORMAT)


class DateInput(forms.DateInput):
    """A text input that reads and shows dd/mm/yyyy; the calendar button is added by date-input.js."""

    input_type = "text"
    pattern = DATE_PATTERN
    kind = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        merged = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": "dd/mm/yyyy",
            "pattern": self.pattern,
            "data-date-input": self.kind,
            "class": "form-control date-input",
            **(attrs or {}),
        }
        super().__init__(attrs=merged, format=format or (DATE_FORMAT if self.kind == "date" else DATETIME_FORMAT))


class DateTimeInput(DateInput, forms.DateTimeInput):
    """dd/mm/yyyy hh:mm, in Vietnam time (Django converts aware values to the current time zone)."""

    pattern = DATETIME_PATTERN
    kind = "datetime"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs={"placeholder": "dd/mm/yyyy hh:mm", **(attrs or {})}, format=format)


def _named_error(message: Any, label: Any) -> ValidationError:
    return ValidationError(message, code="invalid", params={"field": label or _("Ngày")})


class DateField(forms.DateField):
    """A day entered as dd/mm/yyyy; a wrong one is refused with a message naming the field."""

    widget = DateInput
    input_formats = DATE_INPUT_FORMATS

    def to_python(self, value: Any) -> dt.date | None:
        try:
            return super().to_python(value)
        except ValidationError as exc:
            message = _("%(field)s: hãy nhập ngày theo dạng dd/mm/yyyy, ví dụ 07/12/2026.")
            raise _named_error(message, self.label) from exc


class DateTimeField(forms.DateTimeField):
    """A moment entered as dd/mm/yyyy hh:mm in Vietnam time."""

    widget = DateTimeInput
    input_formats = DATETIME_INPUT_FORMATS

    def to_python(self, value: Any) -> dt.datetime | None:
        try:
            return super().to_python(value)
        except ValidationError as exc:
            raise _named_error(
                _("%(field)s: hãy nhập thời điểm theo dạng dd/mm/yyyy hh:mm, ví dụ 07/12/2026 17:00."), self.label
            ) from exc


def local_now_minute() -> dt.datetime:
    """Now in Vietnam time, to the minute: the initial value of a moment field."""
    return timezone.localtime().replace(second=0, microsecond=0)
