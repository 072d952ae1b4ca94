"""Who a decision is about: split 'đồng chí Nguyễn Văn An, sinh năm 1968, Tỉnh ủy viên, Giám đốc Sở …'.

Works on the words of the subject's text with their raw offsets, so each part (name, birth
year, each position) keeps the span it was read from. Commas separate the parts, but a
position may hold commas itself ('Sở Văn hóa, Thể thao và Du lịch'): a part starts a new
position only when it starts with a title ('Giám đốc', 'Phó Chủ tịch', 'Tỉnh ủy viên' …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kiemtra.discipline.extraction import details
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
    term: tuple[str, Span] | None = None  # an organisation's own term of office


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


_FOLDED_TITLES = sorted({fold(t) for t in P.TITLES}, key=len, reverse=True)


def starts_with_title(text: str) -> bool:
    """'Phó Giám đốc Sở …', 'nguyên Chủ tịch …', 'Tỉnh ủy viên': a part that opens a new position.

    Compared with its diacritics ('Trưởng phòng' is a title, 'Trường Tiểu học' is not); a text typed
    without any diacritics ('Pho Giam doc') is compared folded.
    """
    low = clean(text).lower()
    if P.COMMITTEE_POSITION.match(fold(low)):
        return True
    low = low.removeprefix("nguyên ").strip()
    if any(low.startswith(t + " ") or low == t for t in P.TITLES):
        return True
    if low.isascii():
        folded = fold(low).removeprefix("nguyen ")
        return any(folded.startswith(t + " ") or folded == t for t in _FOLDED_TITLES)
    return False


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


LEADS = (["cac", "dong", "chi"], ["dong", "chi"], ["dang", "vien"], ["ong"], ["ba"])
RANKS = (
    ["dai", "tuong"], ["thuong", "tuong"], ["trung", "tuong"], ["thieu", "tuong"], ["dai", "ta"], ["thuong", "ta"],
    ["trung", "ta"], ["thieu", "ta"], ["dai", "uy"], ["thuong", "uy"], ["trung", "uy"], ["thieu", "uy"],
)  # fmt: skip


def strip_lead(words: list[tuple[str, int, int]]) -> tuple[list[tuple[str, int, int]], str | None]:
    """Drop 'đồng chí', 'các đồng chí:', 'đảng viên', a military or police rank before a name; say it was a
    member when one was there."""
    kind = None
    changed = True
    while changed and words:
        changed = False
        folded = [fold(w).strip(":") for w, _, _ in words[:3]]
        for lead in (*LEADS, *RANKS):
            # a rank is capitalised ('Đại tá'); 'đồng chí' may be either
            if folded[: len(lead)] == lead and (lead in LEADS or words[0][0][:1].isupper()):
                words = words[len(lead) :]
                if words and words[0][0] == ":":
                    words = words[1:]
                kind, changed = "member", True
                break
    return words, kind


def _without(words: list[tuple[str, int, int]], span: Span | None) -> list[tuple[str, int, int]]:
    """The words outside a raw span (the birth-year phrase, read on its own)."""
    if span is None:
        return words
    out: list[tuple[str, int, int]] = []
    cut = False
    for w, s, e in words:
        if e <= span.start or s >= span.end:
            if cut and out and not out[-1][0].endswith((",", ";")):  # the phrase separated two parts
                prev = out[-1]
                out[-1] = (prev[0] + ",", prev[1], prev[2])
            cut = False
            out.append((w, s, e))
        else:
            cut = True
            if s < span.start:  # 'Việt Nam,' glued to '(sinh …': keep the part before
                out.append((w[: span.start - s], s, span.start))
    return out


def parse_subject(doc: DocText, span: Span, default_kind: str | None = None) -> ParsedSubject | None:
    """The subject named in ``span`` of the document: a member (name, details, positions) or an organisation."""
    words = _words(doc, span)
    words, lead_kind = strip_lead(words)
    if not words:
        return None
    head = fold(" ".join(w for w, _, _ in words[:6]))
    if lead_kind is None and P.ORGANIZATION_START.match(head):
        return _organization(doc, Span(words[0][1], words[-1][2]))
    kind = lead_kind or default_kind or "member"
    born = _birth(doc, Span(words[0][1], words[-1][2]))
    words = _without(words, born[1] if born else None)
    segments = _segments(_dashes(words))
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
    if born:
        parsed.birth_year = born
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


def _organization(doc: DocText, span: Span) -> ParsedSubject:
    """An organisation's name up to its term (', nhiệm kỳ 2015–2020') or the reason (', vì đã vi phạm …')."""
    fstart = _folded_at(doc, span.start)
    fend = _folded_at(doc, span.end - 1) + 1
    stop = details.ORG_END.search(doc.folded, fstart, fend)
    name_end = stop.start() if stop else fend
    name_span = doc.raw_span(fstart, name_end)
    parsed = ParsedSubject("organization", Part(clean(doc.text(name_span)), name_span), 0.95)
    if found := details.term_of(doc.folded, fstart, fend):
        parsed.term = (found[0], doc.raw_span(found[1], found[2]))
    return parsed


def _folded_at(doc: DocText, raw: int) -> int:
    """The folded offset of raw offset ``raw`` (the first folded character at or after it)."""
    import bisect

    return min(bisect.bisect_left(doc.fmap, raw), len(doc.folded))


def _birth(doc: DocText, span: Span) -> tuple[int, Span] | None:
    found = details.birth_year(doc.folded, _folded_at(doc, span.start), _folded_at(doc, span.end - 1) + 1)
    if found is None:
        return None
    return found[0], doc.raw_span(found[1], found[2])


def _dashes(words: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """'Nguyễn Văn An – Giám đốc …': a lone dash separates like a comma."""
    out: list[tuple[str, int, int]] = []
    for w, s, e in words:
        if w in ("–", "-", "—") and out:
            prev = out[-1]
            out[-1] = (prev[0] + ",", prev[1], prev[2] + 1) if not prev[0].endswith(",") else prev
            continue
        out.append((w, s, e))
    return out


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
