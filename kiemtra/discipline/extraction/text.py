"""A document's pages as one searchable text, folded for matching, mapped back to page offsets.

Keywords are matched on a *folded* view (lowercase, no diacritics, đ → d, whitespace runs
collapsed, end-of-line hyphenation undone), so a typo or an OCR slip in a diacritic, a name
broken across lines or a double space does not hide a keyword. Every folded character
remembers the raw character it came from, so a match gives back the exact span of the
page's text it was read from — the provenance stored with each field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from kiemtra.discipline.extraction.types import Field, Page

PAGE_BREAK = "\n\f\n"


def fold_char(ch: str) -> str:
    """'Ế' → 'e', 'đ' → 'd': the letter without its marks, lowercase ('' for a lone combining mark)."""
    if ch in "đĐðÐ":  # Tesseract sometimes reads Đ as the Icelandic eth
        return "d"
    if ch.isascii():
        return ch.lower()
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base.lower()


def fold(text: str) -> str:
    """The folded form of a short string (no offsets kept), whitespace collapsed."""
    return " ".join("".join(fold_char(c) for c in text).split())


# 'Uỷ' → 'Ủy', 'hoà' → 'hòa' at a syllable's end (not 'quý'): one spelling, the catalogues'.
TONE_FIXES = [
    re.compile(r"(?<![qQ])([uU])([ỳýỷỹỵ])(?![a-zà-ỹ])"),
    re.compile(r"([oO])([àáảãạ])(?![a-zà-ỹ])"),
]
_MOVE = {
    "ỳ": ("ù", "y"), "ý": ("ú", "y"), "ỷ": ("ủ", "y"), "ỹ": ("ũ", "y"), "ỵ": ("ụ", "y"),
    "à": ("ò", "a"), "á": ("ó", "a"), "ả": ("ỏ", "a"), "ã": ("õ", "a"), "ạ": ("ọ", "a"),
}  # fmt: skip


def _move_tone(m: re.Match[str]) -> str:
    first, second = _MOVE[m.group(2)]
    if m.group(1).isupper():
        first = first.upper()
    return first + second


def clean(text: str) -> str:
    """A value as the record keeps it: NFC, one space between words, hyphenation undone, one spelling of
    'Ủy'/'hòa' (tone mark on the first vowel, as in the catalogues), '2020–2025' with an en dash."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"(\w)-\s*\n\s*(?=[a-zà-ỹđ])", r"\1", text)
    text = " ".join(text.split())
    text = re.sub(r"(?<=\w) [-—] (?=\w)", " – ", text)
    for pattern in TONE_FIXES:
        text = pattern.sub(_move_tone, text)
    text = re.sub(r"\bU[yýỳ] ban\b", "Ủy ban", text)
    # OCR capitalises the 'ủy' of a committee's name and hooks the 'Chi' of 'Chi bộ'
    text = re.sub(r"\b(Tỉnh|Thành|Huyện|Quận|Thị|Đảng) Ủy\b", r"\1 ủy", text)
    text = re.sub(r"\bChỉ bộ\b", "Chi bộ", text)  # Tesseract drops the hook of 'Ủ'; 'Uy ban' is never right
    text = re.sub(r"(\d{4})\s*[-–—]\s*(\d{4})", r"\1–\2", text)
    text = re.sub(r"\s+([,;.:])", r"\1", text)
    return text.strip(" ,;:.-–\n\t")


@dataclass
class Span:
    """A match on the folded view, as raw offsets into the combined text."""

    start: int
    end: int


class DocText:
    """All the pages joined (``PAGE_BREAK`` between them), and its folded view with an offset map."""

    def __init__(self, pages: list[Page]) -> None:
        self.pages = pages
        self.starts: list[int] = []
        parts: list[str] = []
        offset = 0
        for i, page in enumerate(pages):
            if i:
                parts.append(PAGE_BREAK)
                offset += len(PAGE_BREAK)
            self.starts.append(offset)
            parts.append(page.text)
            offset += len(page.text)
        self.raw = "".join(parts)
        self.folded, self.fmap = self._fold(self.raw)

    @staticmethod
    def _fold(raw: str) -> tuple[str, list[int]]:
        out: list[str] = []
        fmap: list[int] = []
        i, n = 0, len(raw)
        while i < n:
            ch = raw[i]
            if ch.isspace():
                j = i
                newline = False
                while j < n and raw[j].isspace():
                    newline = newline or raw[j] in "\n\f"
                    j += 1
                # "-\n" inside a word: a hyphenated line end, joined again.
                if (
                    newline
                    and out
                    and out[-1] == "-"
                    and j < n
                    and raw[j].islower()
                    and len(out) > 1
                    and out[-2].isalpha()
                ):
                    out.pop()
                    fmap.pop()
                else:
                    out.append("\n" if newline else " ")
                    fmap.append(i)
                i = j
                continue
            for c in fold_char(ch):
                out.append(c)
                fmap.append(i)
            i += 1
        return "".join(out), fmap

    # ---- offsets

    def raw_span(self, fstart: int, fend: int) -> Span:
        """Raw offsets of the folded span ``[fstart, fend)``."""
        if fend <= fstart:
            at = self.fmap[fstart] if fstart < len(self.fmap) else len(self.raw)
            return Span(at, at)
        return Span(self.fmap[fstart], self.fmap[fend - 1] + 1)

    def page_of(self, raw_offset: int) -> int:
        """Index (0-based) of the page holding raw offset ``raw_offset``."""
        index = 0
        for i, start in enumerate(self.starts):
            if start <= raw_offset:
                index = i
        return index

    def field(self, value: object, span: Span, confidence: float) -> Field:
        """A Field for ``value`` read at ``span``: page-local offsets, confidence scaled by the page's OCR quality."""
        index = self.page_of(span.start)
        page = self.pages[index]
        start = span.start - self.starts[index]
        end = min(span.end - self.starts[index], len(page.text))
        if page.source == "ocr":
            confidence *= 0.5 + 0.45 * (page.confidence or 0.0)
        return Field(value=value, page=page.number, start=start, end=max(start, end), confidence=round(confidence, 3))

    def text(self, span: Span) -> str:
        return self.raw[span.start : span.end].replace("\f", "")

    # ---- search on the folded view

    def search(self, pattern: re.Pattern[str], start: int = 0, end: int | None = None) -> re.Match[str] | None:
        return pattern.search(self.folded, start, len(self.folded) if end is None else end)

    def finditer(self, pattern: re.Pattern[str], start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        return pattern.finditer(self.folded, start, len(self.folded) if end is None else end)

    def span(self, m: re.Match[str], group: int | str = 0) -> Span:
        return self.raw_span(m.start(group), m.end(group))

    def lines(self, fstart: int = 0, fend: int | None = None) -> Iterator[tuple[int, int]]:
        """Folded (start, end) of each line inside ``[fstart, fend)``."""
        fend = len(self.folded) if fend is None else fend
        pos = fstart
        while pos < fend:
            nl = self.folded.find("\n", pos, fend)
            stop = fend if nl < 0 else nl
            if stop > pos:
                yield pos, stop
            pos = stop + 1
