"""Who a decision is about: split 'đồng chí Nguyễn Văn An, sinh năm 1968, Tỉnh ủy viên, Giám đốc Sở …'.

Works on the words of the subject's text with their raw offsets, so each part (name, birth
year, each position) keeps the span it was read from. Commas separate the parts, but a
position may hold commas itself ('Sở Văn hóa, Thể thao và Du lịch'): a part starts a new
position only when it starts with a title ('Giám đốc', 'Phó Chủ tịch', 'Tỉnh ủy viên' …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kiemtra.discipline.extraction import patterns as P
from kiemtra.discipline.extraction.text import DocText, Span, clean, fold

WORD = re.compile(r"\S+")


@dataclass
class Part:
    text: str
    span: Span


@dataclass
class ParsedSubject:
    kind: str  # "member" | "organization"
    name: Part
    name_confidence: float
    birth_year: tuple[int, Span] | None = None
    gender: tuple[str, Span, float] | None = None
    probationary: Span | None = None
    positions: list[Part] = field(default_factory=list)


def _words(doc: DocText, span: Span) -> list[tuple[str, int, int]]:
    text = doc.raw[span.start : span.end]
    return [(m.group(), span.start + m.start(), span.start + m.end()) for m in WORD.finditer(text)]


def _segments(words: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """Words grouped by the commas and semicolons that end them."""
    out: list[list[tuple[str, int, int]]] = [[]]
    for w, s, _e in words:
        stripped = w.rstrip(",;")
        if stripped:
            out[-1].append((stripped, s, s + len(stripped)))
        if w.endswith((",", ";")):
            out.append([])
    return [seg for seg in out if seg]


def _seg_text(seg: list[tuple[str, int, int]]) -> str:
    return " ".join(w for w, _, _ in seg)


def _seg_span(seg: list[tuple[str, int, int]]) -> Span:
    return Span(seg[0][1], seg[-1][2])


def starts_with_title(text: str) -> bool:
    """'Phó Giám đốc Sở …', 'nguyên Chủ tịch …', 'Tỉnh ủy viên': a part that opens a new position."""
    low = clean(text).lower()
    if P.COMMITTEE_POSITION.match(fold(low)):
        return True
    low = low.removeprefix("nguyên ").strip()
    return any(low.startswith(t + " ") or low == t for t in P.TITLES)


def is_committee_position(text: str) -> bool:
    return bool(P.COMMITTEE_POSITION.match(fold(text)))


def unit_of(position: str) -> str | None:
    """The organisation part of a position: 'Phó Giám đốc Sở Y tế tỉnh X' → 'Sở Y tế tỉnh X'."""
    text = clean(position)
    if text.lower().startswith("nguyên "):
        text = text[len("nguyên ") :]
    low = text.lower()
    for title in P.TITLES:
        if low.startswith(title + " "):
            rest = text[len(title) :].strip(" ,")
            # a longer title the lexicon does not know ('Công chức địa chính – xây dựng'): go to the organisation
            if rest and rest[0].isupper():
                return rest
            break
    for m in re.finditer(r"(?:(?<=\s)|^)(" + "|".join(re.escape(o) for o in P.ORG_STARTS) + r")\b", text):
        if m.start() > 0:
            return text[m.start() :].strip(" ,")
    return None


def strip_lead(words: list[tuple[str, int, int]]) -> tuple[list[tuple[str, int, int]], str | None]:
    """Drop 'đồng chí', 'các đồng chí:', 'đảng viên' before a name; say it was a member when it was there."""
    folded = [fold(w).strip(":") for w, _, _ in words]
    for lead in (["cac", "dong", "chi"], ["dong", "chi"], ["dang", "vien"], ["ong"], ["ba"]):
        if folded[: len(lead)] == lead:
            rest = words[len(lead) :]
            if rest and rest[0][0] == ":":
                rest = rest[1:]
            return rest, "member"
    return words, None


def parse_subject(doc: DocText, span: Span, default_kind: str | None = None) -> ParsedSubject | None:
    """The subject named in ``span`` of the document: a member (name, details, positions) or an organisation."""
    words = _words(doc, span)
    words, lead_kind = strip_lead(words)
    if not words:
        return None
    head = fold(" ".join(w for w, _, _ in words[:6]))
    if lead_kind is None and P.ORGANIZATION_START.match(head):
        text_span = Span(words[0][1], words[-1][2])
        name = clean(doc.text(text_span))
        return ParsedSubject("organization", Part(name, text_span), 0.95)
    kind = lead_kind or default_kind or "member"
    segments = _segments(words)
    first = segments[0]
    name_words: list[tuple[str, int, int]] = []
    for w, s, _e in first:
        bare = w.strip("().:")
        if bare and bare[0].isupper() and bare.replace("-", "").isalpha() and len(name_words) < 6:
            name_words.append((bare, s, s + len(bare)))
        else:
            break
    if len(name_words) < 2:
        return None
    name_span = Span(name_words[0][1], name_words[-1][2])
    name = clean(doc.text(name_span))
    confidence = 0.97 if P.is_person_name(name) else 0.75
    parsed = ParsedSubject(kind, Part(name, name_span), confidence)
    for seg in segments[1:]:
        text = _seg_text(seg)
        folded = fold(text)
        seg_span = _seg_span(seg)
        if m := P.BIRTH.match(folded):
            year = int(P.ocr_digits(m.group(1)))
            if 1900 < year < 2020:
                parsed.birth_year = (year, seg_span)
            continue
        if m := P.GENDER.match(folded):
            parsed.gender = ("male" if m.group(1) == "nam" else "female", seg_span, 0.97)
            continue
        if P.PROBATIONARY.search(folded):
            parsed.probationary = seg_span
            continue
        if P.SKIP_SEGMENT.match(folded):
            continue
        if parsed.positions and not starts_with_title(text):
            last = parsed.positions[-1]
            joined = Span(last.span.start, seg_span.end)
            parsed.positions[-1] = Part(clean(doc.text(joined)), joined)
        else:
            parsed.positions.append(Part(clean(doc.text(seg_span)), seg_span))
    if parsed.gender is None:
        middle = name.split()[1] if len(name.split()) > 2 else ""
        guess = {"Văn": "male", "Thị": "female"}.get(middle)
        if guess:
            parsed.gender = (guess, name_span, 0.8)
    return parsed


def parse_table_row(doc: DocText, span: Span) -> tuple[ParsedSubject, str | None, Span | None] | None:
    """One row of a table of subjects: 'STT | Họ và tên | Năm sinh | Chức vụ, đơn vị | Hình thức'.

    A row split by a page break comes out with the rest of its cells after the others
    (the name or the positions after the penalty): those words are put back where they belong.
    """
    words = _words(doc, span)
    if words and re.fullmatch(r"[0-9]{1,3}[.]?", words[0][0]):
        words = words[1:]
    i = next((k for k, w in enumerate(words) if re.fullmatch(r"(?:19|20)[0-9oOlI]{2}", w[0])), None)
    if i is None:
        return None
    name_words = words[:i]
    rest = words[i + 1 :]
    folded_rest = fold(" ".join(w for w, _, _ in rest))
    m = P.PENALTY_TAIL.search(folded_rest)
    penalty, penalty_span = None, None
    if m:
        a, b = len(folded_rest[: m.start()].split()), len(folded_rest[: m.end()].split())
        penalty = P.penalty_of(m.group())
        penalty_span = Span(rest[a][1], rest[b - 1][2])
        before, after = rest[:a], rest[b:]
    else:
        before, after = rest, []
    if len(name_words) < 2 and after:
        name_words, after = after[:6], after[6:]
    if len(name_words) < 2:
        return None
    name_span = Span(name_words[0][1], name_words[-1][2])
    name = clean(doc.text(name_span))
    parsed = ParsedSubject("member", Part(name, name_span), 0.95 if P.is_person_name(name) else 0.7)
    parsed.birth_year = (int(P.ocr_digits(words[i][0])), Span(words[i][1], words[i][2]))
    for seg in _segments(before + after):
        text = _seg_text(seg)
        seg_span = _seg_span(seg)
        if parsed.positions and not starts_with_title(text):
            last = parsed.positions[-1]
            parsed.positions[-1] = Part(clean(f"{last.text}, {text}"), Span(last.span.start, seg_span.end))
        else:
            parsed.positions.append(Part(clean(text), seg_span))
    middle = name.split()[1] if len(name.split()) > 2 else ""
    guess = {"Văn": "male", "Thị": "female"}.get(middle)
    if guess:
        parsed.gender = (guess, name_span, 0.8)
    return parsed, penalty, penalty_span
