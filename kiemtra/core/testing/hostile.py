"""Hostile input for tests of any app: values that have caused 500s, and a reader of a page's forms.

A plain module (no fixtures, no database) so that every app's tests can import it:

    from kiemtra.core.testing.hostile import VALUES, forms_on, form_data

``VALUES`` are what a probe types into any field; ``NEVER_STORED`` says what no
field may keep (a NUL byte, a bidirectional override, a 100,000-character string);
``forms_on`` lists the forms of an HTML page with their fields and default values,
so a test can post each field of each form with each value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

HUGE_DIGITS = "9" * 100_000
LONG_TEXT = "x" * 100_000
RTL_OVERRIDE = "\u202e"

# Numbers: beyond DECIMAL(20, 4), beyond Decimal's precision, exotic spellings, signed zero.
NUMBERS = [
    "1e30",
    "99999999999999999999",
    HUGE_DIGITS,
    "-1e30",
    "1e-999999",
    "NaN",
    "Infinity",
    "-Infinity",
    "1,5",
    "-0",
    "0x1F",
    "١٢٣",  # Arabic-Indic digits: Python's Decimal reads them
]
# Dates: impossible, out of the datetime range once a few days are added or taken, other writings.
DATES = ["2026-13-45", "0001-01-01", "9999-12-31", "9999-12-31T23:59", "31/02/2026", "-1"]
# Text: NUL, control and direction characters, very long, markup and formula look-alikes.
TEXTS = [
    "\x00",
    "a\x00b",
    f"{RTL_OVERRIDE}abc",
    "abc\u2066def",
    LONG_TEXT,
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "' OR 1=1 --",
]
VALUES: list[str] = [*NUMBERS, *DATES, *TEXTS]
# A shorter set for tables of many fields: one of each kind of trouble.
ESSENTIAL: list[str] = [
    "1e30",
    "99999999999999999999",
    HUGE_DIGITS,
    "NaN",
    "2026-13-45",
    "0001-01-01",
    "a\x00b",
    f"{RTL_OVERRIDE}abc",
]


def never_stored(text: str) -> bool:
    """What no stored text may be: with a NUL, with a direction override or isolate, 100,000 characters long."""
    return (
        "\x00" in text
        or any(c in text for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
        or (len(text) >= 100_000)
    )


# --- the forms of a page -------------------------------------------------------------------------

FUZZABLE_INPUTS = frozenset({"text", "number", "date", "datetime-local", "search", "email", "url", "tel", ""})


@dataclass
class PageForm:
    action: str
    method: str
    defaults: dict[str, list[str]] = field(default_factory=dict)  # what the page would submit as it is
    fields: list[str] = field(default_factory=list)  # what a person types or chooses: the ones to fuzz
    files: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = PageForm(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.defaults.setdefault(name, []).append(a.get("value", "on"))
                if name not in form.fields and kind == "radio":
                    form.fields.append(name)
            elif kind == "file":
                form.files.append(name)
            elif kind in ("submit", "button", "image", "reset"):
                return
            else:
                form.defaults.setdefault(name, []).append(a.get("value", ""))
                if kind in FUZZABLE_INPUTS and name not in form.fields:
                    form.fields.append(name)
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            form.fields.append(name)
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                form.defaults.setdefault(self._select, []).append(value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
            form.fields.append(name)

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._form is not None and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._form.defaults.setdefault(self._select, []).append(self._select_first)
            self._select = None
        elif tag == "textarea" and self._form is not None and self._textarea:
            self._form.defaults[self._textarea] = ["".join(self._text).strip("\n")]
            self._textarea = None


def forms_on(html: str) -> list[PageForm]:
    reader = _Reader()
    reader.feed(html)
    return reader.forms


def form_data(page_form: PageForm, replace: dict[str, Any] | None = None) -> dict[str, Any]:
    """The form's defaults with some fields replaced: what a client posts."""
    data: dict[str, Any] = {name: list(values) for name, values in page_form.defaults.items()}
    data.update(replace or {})
    return data
