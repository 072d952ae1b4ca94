"""A subject's details wherever the text puts them: the birth year in all its forms, an organisation's term.

Real decisions and announcements give the birth year as "sinh năm 1970", "năm sinh: 1970",
"SN 1970", a full date of birth ("sinh ngày 03/4/1970", "sinh ngày 3 tháng 4 năm 1970"), or
a bare year in parentheses after the name ("Nguyễn Văn An (1970)"), before or after the
positions. An organisation's name is followed by its own term ("…, nhiệm kỳ 2015–2020"),
which is a field, not part of the name. Patterns run on folded text (see ``text.fold``).
"""

from __future__ import annotations

import re

from kiemtra.discipline.extraction import patterns as P

_S, _W = P.S, P.W
_YEAR = r"((?:1[ ]?9|2[ ]?0)[ ]?[0-9oil][ ]?[0-9oil])"  # OCR may split a year: '1 958'
_DAY_MONTH = rf"(?:[0-9]{{1,2}}{_S}[/.-]{_S}[0-9]{{1,2}}{_S}[/.-]{_S}|[0-9]{{1,2}}{_W}thang{_W}[0-9]{{1,2}}{_W}nam{_W})"
BIRTH_ANY = re.compile(
    rf"\(?{_S}(?:sinh{_W}nam|nam{_W}sinh|ngay{_W}sinh|sinh{_W}ngay|sinh|s\.?{_S}n)\b{_S}:?{_S}"
    rf"(?:ngay{_S})?(?:{_DAY_MONTH})?{_YEAR}\b{_S}\)?"
)
BARE_YEAR = re.compile(rf"\({_S}{_YEAR}{_S}\)")  # "Nguyễn Văn An (1970)"
TERM = re.compile(rf"[,]?{_S}\bnhiem{_W}ky{_S}:?{_S}((?:19|20)[0-9]{{2}}){_S}[-–—]{_S}((?:19|20)[0-9]{{2}})")
# where an organisation's name ends: its term, the reason, a verb
ORG_END = re.compile(
    rf"[,]?{_S}\bnhiem{_W}ky\b|,{_S}(?:vi|do)\b|{_W}vi{_W}da\b|{_W}da{_W}(?:vi{_W}pham|de{_W}xay|thieu|buong)"
    rf"|{_W}bang{_W}hinh{_W}thuc\b|{_W}voi{_W}hinh{_W}thuc\b|{_S};|{_W}va{_W}(?=dong{_W}chi|cac{_W}dong)"
)


def birth_year(folded: str, start: int = 0, end: int | None = None) -> tuple[int, int, int] | None:
    """(year, start, end) of the first birth-year phrase in ``folded[start:end]``; None when there is none."""
    end = len(folded) if end is None else end
    for pattern in (BIRTH_ANY, BARE_YEAR):
        m = pattern.search(folded, start, end)
        if m:
            year = int(P.ocr_digits(m.group(1).replace(" ", "")))
            if 1900 < year < 2015:
                return year, m.start(), m.end()
    return None


def term_of(folded: str, start: int, end: int) -> tuple[str, int, int] | None:
    """An organisation's term in ``folded[start:end]``: ('2015–2020', start, end)."""
    m = TERM.search(folded, start, end)
    if not m:
        return None
    return f"{m.group(1)}–{m.group(2)}", m.start(), m.end()
