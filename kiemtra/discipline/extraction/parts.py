"""The parts every decision shares: number, date, issuing body, legal basis, finding, effective date, signer.

Each reader takes the document and a folded range (one decision's block) and returns a
``Field`` or None; none of them guesses silently — a value found by a fallback carries a
lower confidence.
"""

from __future__ import annotations

import datetime as dt
import re

from kiemtra.discipline.extraction import patterns as P
from kiemtra.discipline.extraction.text import DocText, Span, clean, fold
from kiemtra.discipline.extraction.types import Field

KNOWN_SUFFIXES = {"UBKTDU": "UBKTĐU", "DU": "ĐU", "DUK": "ĐUK", "QDI": "QĐi"}


def number(doc: DocText, start: int, end: int) -> Field | None:
    """'Số 123-QĐ/UBKTTW' in the header: digits as printed, 'QĐ' and 'Đ' restored where OCR lost them."""
    m = doc.search(P.NUMBER, start, end)
    if not m:
        return None
    digits = m.group(1)
    kind = re.sub(r"\s", "", m.group(2)).upper()
    kind = re.sub(r"^QD+", "QD", kind)
    kind = {"QD": "QĐ", "QDI": "QĐi"}.get(kind, kind)
    raw_suffix = re.sub(r"\s", "", doc.text(doc.span(m, 3))).upper()
    suffix = KNOWN_SUFFIXES.get(fold(raw_suffix).upper(), raw_suffix)
    exact = doc.text(doc.span(m)).replace(" ", "").lower().startswith(("số", "so"))
    return doc.field(f"{digits}-{kind}/{suffix}", doc.raw_span(m.start(1), m.end(3)), 0.97 if exact else 0.85)


def to_date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(P.ocr_digits(year)), int(P.ocr_digits(month)), int(P.ocr_digits(day)))
    except ValueError:
        return None


def date(doc: DocText, start: int, end: int) -> Field | None:
    """'Hà Nội, ngày 12 tháng 3 năm 2024': the first such date in the header."""
    for m in doc.finditer(P.DATE_WORDS, start, end):
        value = to_date(m.group(1), m.group(2), m.group(3))
        if value:
            clean_digits = all(g.isdigit() for g in m.groups())
            return doc.field(value, doc.span(m), 0.97 if clean_digits else 0.8)
    for m in doc.finditer(P.DATE_WORDS_LOOSE, start, end):
        value = to_date(m.group(1), m.group(2), m.group(3))
        if value:
            return doc.field(value, doc.span(m), 0.75)
    return None


def header_lines(doc: DocText, start: int, end: int) -> list[tuple[str, Span]]:
    """The upper-case lines of the top-left header (issuing body), motto, number and date removed."""
    out: list[tuple[str, Span]] = []
    for ls, le in doc.lines(start, end):
        line = doc.folded[ls:le]
        if P.DATE_WORDS.search(line) or P.NUMBER.search(line):
            m = P.NUMBER.search(line) or P.DATE_WORDS.search(line)
            assert m is not None
            le = ls + m.start()
            line = doc.folded[ls:le]
        motto = P.MOTTO.search(line)
        if motto:
            le = ls + motto.start()
        span = doc.raw_span(ls, le)
        # keep the leading capitals: OCR may put the place ('Hưng Nguyên, ngày …') on the same line
        kept: list[str] = []
        for word in doc.text(span).replace("*", " ").split():
            if any(c.islower() for c in word):
                break
            kept.append(word)
        raw = " ".join(kept)
        if sum(c.isalpha() for c in raw) < 2:
            continue
        out.append((raw, Span(span.start, span.start + len(doc.text(span)))))
    return out


def _casing(doc: DocText, start: int, end: int, name: str) -> str:
    """The name as the running text spells it (mixed case), else each word capitalised."""
    pattern = re.compile(r"\b" + re.escape(fold(name)).replace(r"\ ", P.W) + r"\b")
    m = doc.search(pattern, start, end)
    if m:
        found = clean(doc.text(doc.span(m)))
        if any(c.islower() for c in found):
            return found
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())


def _raw_slice(raw_header: str, header: str, a: int, b: int) -> str:
    """The raw words of the header behind folded characters ``a:b`` (folding keeps the word count)."""
    words = raw_header.split()
    return " ".join(words[len(header[:a].split()) : len(header[:b].split())])


def issuing_body(doc: DocText, start: int, end: int, decider_at: int | None) -> tuple[Field, Field, str | None] | None:
    """Who issued the decision (name, level) and the province it belongs to, from the header and the
    'X QUYẾT ĐỊNH:' and 'T/M X' lines."""
    title = doc.search(P.TITLE_DECISION, start, end) or doc.search(P.TITLE_COMMUNIQUE, start, end)
    head_end = title.start() if title else min(end, start + 400)
    lines = header_lines(doc, start, head_end)
    if not lines:
        return None
    raw_header = " ".join(text for text, _ in lines)
    header = fold(raw_header)
    span = Span(lines[0][1].start, lines[-1][1].end)
    decider = ""
    if decider_at is not None:
        line_start = doc.folded.rfind("\n", start, decider_at) + 1
        decider = doc.folded[line_start:decider_at]
    sign = doc.search(P.SIGN_FOR, decider_at or start, end)
    tm = doc.folded[sign.start() : doc.folded.find("\n", sign.start()) if sign else 0] if sign else ""
    context = f"{decider} {tm}"
    conf = 0.95
    province: str | None = None
    level, name = "other", ""
    if "uy ban kiem tra trung uong" in header or ("trung uong" in header and "uy ban kiem tra" in header):
        level, name = "central_commission", "Ủy ban Kiểm tra Trung ương"
    elif "trung uong" in header:
        if "bo chinh tri" in context:
            level, name = "politburo", "Bộ Chính trị"
        elif "ban bi thu" in context:
            level, name = "secretariat", "Ban Bí thư"
        elif "uy ban kiem tra" in context:
            level, name = "central_commission", "Ủy ban Kiểm tra Trung ương"
        else:
            level, name, conf = "central_committee", "Ban Chấp hành Trung ương", 0.85
    elif m := re.search(r"\bdang uy (?:xa|phuong|dac khu) .+?(?= uy ban kiem tra|$)", header):
        place = _casing(doc, start, end, _raw_slice(raw_header, header, m.start(), m.end()))
        if "uy ban kiem tra" in header or "uy ban kiem tra" in decider:
            level, name = "commune_commission", f"Ủy ban Kiểm tra {place}"
        elif "ban thuong vu" in context:
            level, name = "commune_committee", f"Ban Thường vụ {place}"
        else:
            level, name = "commune_committee", place
    elif "chi bo" in header:
        i = header.rfind("chi bo")
        level, name = "cell", _casing(doc, start, end, _raw_slice(raw_header, header, i, len(header)))
    elif m := re.search(r"\b(tinh|thanh) uy ([a-z -]+?)(?= uy ban kiem tra|$)", header):
        province = P.province_name(m.group(2))
        if province is None:
            conf = 0.7
        tu = "Tỉnh ủy" if m.group(1) == "tinh" else "Thành ủy"
        place = f"{tu} {province or m.group(2).title()}"
        if "uy ban kiem tra" in header or "uy ban kiem tra" in decider:
            level, name = "provincial_commission", f"Ủy ban Kiểm tra {place}"
        elif "ban thuong vu" in context:
            level, name = "provincial_committee", f"Ban Thường vụ {place}"
        else:
            level, name = "provincial_committee", place
    else:
        name, conf = _casing(doc, start, end, lines[-1][0]), 0.6
    if province is None and level not in ("central_commission", "politburo", "secretariat", "central_committee"):
        pm = P.PROVINCE_IN_TEXT.search(header)
        if pm:
            province = P.province_name(pm.group(1))
    return doc.field(clean(name), span, conf), doc.field(level, span, conf), province


def legal_basis(doc: DocText, start: int, end: int) -> Field | None:
    """The regulations cited in the 'Căn cứ' paragraphs: 'Điều lệ Đảng; Quy định 69-QĐ/TW; …'."""
    refs: list[str] = []
    first: int | None = None
    last = start
    kinds = {"quy dinh": "Quy định", "huong dan": "Hướng dẫn", "quy che": "Quy chế"}
    for cm in doc.finditer(P.CAN_CU, start, end):
        stop_m = re.compile(r";|\n[ ]*[-–+•]|\n[ ]*xet\b|quyet dinh:").search(doc.folded, cm.end(), end)
        stop = stop_m.start() if stop_m else end
        clause = doc.folded[cm.end() : stop]
        found: list[tuple[int, str]] = []
        if m := P.CHARTER.search(clause):
            found.append((m.start(), "Điều lệ Đảng"))
        for m in P.REGULATION.finditer(clause):
            kind = " ".join(m.group(1).split())
            if kind == "quyet dinh":
                continue
            code = re.sub(r"D+", "D", re.sub(r"\s", "", m.group(3)).upper()).replace("QD", "QĐ").replace("QĐI", "QĐi")
            found.append((m.start(), f"{kinds[kind]} {m.group(2)}-{code}/{m.group(4).upper()}"))
        for _, ref in sorted(found):
            if ref not in refs:
                refs.append(ref)
        if found:
            first = cm.start() if first is None else first
            last = stop
    if not refs or first is None:
        return None
    return doc.field("; ".join(refs), doc.raw_span(first, last), 0.95)


def violations(doc: DocText, start: int, end: int) -> Field | None:
    """The finding: from the verb after 'đã' ('vi phạm …', 'thiếu trách nhiệm …') to the end of that sentence."""
    m = doc.search(P.VIOLATION_START, start, end)
    if not m:
        return None
    stop = doc.search(P.SENTENCE_END, m.start(1), end)
    fend = stop.start() if stop else end
    span = doc.raw_span(m.start(1), fend)
    text = clean(doc.text(span))
    if len(text) < 10:
        return None
    return doc.field(text, span, 0.9)


def effective_date(doc: DocText, start: int, end: int, signed: dt.date | None) -> Field | None:
    """'có hiệu lực kể từ ngày ký' (the decision's date) or 'từ ngày 15/3/2024'."""
    if m := doc.search(P.EFFECTIVE_SIGNING, start, end):
        return doc.field(signed, doc.span(m), 0.95) if signed else None
    if m := doc.search(P.EFFECTIVE_FROM, start, end):
        d = P.DATE_SLASH.match(doc.folded, m.end())
        words = P.DATE_WORDS.match(doc.folded, m.end() - len("ngay "))
        if d and (value := to_date(d.group(1), d.group(2), d.group(3))):
            return doc.field(value, doc.raw_span(m.start(), d.end()), 0.95)
        if words and (value := to_date(words.group(1), words.group(2), words.group(3))):
            return doc.field(value, doc.raw_span(m.start(), words.end()), 0.95)
    return None


def signer(doc: DocText, start: int, end: int) -> Field | None:
    """The person who signed: the first line after 'T/M …' / 'K/T …' that is a person's name."""
    sign = None
    for match in doc.finditer(P.SIGN_FOR, start, end):
        sign = match  # the last 'T/M …': the signature block
    if sign is None:
        return None
    for ls, le in doc.lines(sign.end(), end):
        span = doc.raw_span(ls, le)
        line = clean(doc.text(span))
        for candidate in (line, *_tails(line)):
            if P.is_person_name(candidate):
                offset = doc.raw[span.start : span.end].find(candidate.split()[0])
                cspan = Span(span.start + max(offset, 0), span.end)
                return doc.field(candidate, cspan, 0.95 if candidate == line else 0.8)
    return None


def _tails(line: str) -> list[str]:
    """The last 2..5 words of a line (OCR may put the signer next to a 'Nơi nhận' line)."""
    words = line.split()
    return [" ".join(words[-k:]) for k in range(5, 1, -1) if len(words) > k]


def term(doc: DocText, day: Field | None, start: int, end: int) -> Field | None:
    """The congress term: stated ('khóa XIII') next to the issuing body, else the one in force on the date."""
    if m := doc.search(P.EXPLICIT_TERM, start, min(end, start + 600)):
        return doc.field(m.group(1).upper(), doc.span(m), 0.95)
    if day is None:
        return None
    d: dt.date = day.value
    return Field(P.term_for(d.year, d.month, d.day), day.page, day.start, day.end, round(day.confidence * 0.92, 3))
