"""Decisions in running text: sentences → (subject, penalty) pairs, whatever the order of the words.

Announcements, communiqués and news of a meeting, and "Điều 1" of decisions written in another
wording than the template, state a decision in one sentence in many orders:

- the penalty first, then a list: "quyết định thi hành kỷ luật: cảnh cáo Ban Thường vụ …; khiển
  trách các đồng chí: A, …; B, …";
- several penalties under one verb: "kỷ luật cảnh cáo đối với A và B; khiển trách C";
- the subject first: "thi hành kỷ luật đồng chí X, …, bằng hình thức P"; "Đồng chí X – … bị thi
  hành kỷ luật với hình thức P"; passive "X cũng bị Bộ Chính trị kỷ luật bằng hình thức P";
- the penalty wrapped around the name: "kỷ luật khai trừ đồng chí X ra khỏi Đảng";
- a penalty by reference: "hình thức tương tự", "cùng hình thức" (the previous penalty).

A sentence is read left to right as a sequence of penalties and subjects: a penalty followed by
subjects gives them that penalty; subjects that wait for a penalty ("… bằng hình thức P",
"… bị kỷ luật P") take the next one. A sentence that only proposes ("đề nghị … xem xét, thi hành
kỷ luật"), criticises ("phê bình") or reports a civil servant's administrative discipline gives
nothing. Subjects are parsed by ``subjects.parse_subject`` on the span found here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiemtra.discipline.extraction import patterns as P
from kiemtra.discipline.extraction.subjects import ParsedSubject, parse_subject, starts_with_title
from kiemtra.discipline.extraction.text import DocText, Span

S, W = P.S, P.W

PENALTY = re.compile(
    rf"(?P<dismissal_all>cach{W}(?:chuc{W})?tat{W}ca{W}(?:cac{W})?chuc{W}vu(?:{W}trong{W}dang)?)"
    rf"|(?P<expulsion>khai{S}tr[uư](?:{W}ra)?(?:{W}khoi{W}dang)?)"
    rf"|(?P<dismissal>c[ao]ch{S}ch[uư]c)"
    rf"|(?P<warning>c[ao]nh{S}c[ao]o)"
    rf"|(?P<reprimand>khi[eé]n{S}tr[ao]ch)"
    rf"|(?P<dissolution>giai{W}tan)"
    rf"|(?P<same>hinh{W}thuc{W}tuong{W}tu|cung{W}hinh{W}thuc(?:{W}(?:ky{W}luat|nhu{W}tren))?|hinh{W}thuc{W}nhu{W}tren)"
)
TRIGGER = re.compile(rf"\bky{W}lua[t]?\b")
DECIDE = re.compile(rf"\bquyet{W}dinh\b|\bbieu{W}quyet\b|\bbo{W}phieu\b|\bthi{W}hanh{W}ky{W}luat\b|\bbi\b(?!{W}thu)")
PROPOSAL = re.compile(rf"\b(?:de{W}nghi|kien{W}nghi|de{W}xuat|to{W}trinh|trinh)\b(?!{W}cua)")
ADMINISTRATIVE = re.compile(
    rf"ky{W}luat{W}(?:ve{W})?(?:mat{W})?(?:hanh{W}chinh|chinh{W}quyen)|buoc{W}thoi{W}viec|ha{W}bac{W}luong"
    rf"|(?:^|\n|\.{S})(?:chu{W}tich{W}(?:ubnd|uy{W}ban{W}nhan{W}dan)|ubnd|uy{W}ban{W}nhan{W}dan|giam{W}doc{W}so"
    rf"|bo{W}truong)\b[^.;]*?\bky{W}luat"
)
BY = re.compile(rf"(?:bang|voi){W}hinh{W}thuc{S}:?{S}$|hinh{W}thuc{S}:{S}$")
LEAD = re.compile(
    rf"(?:(?:cac{W}dong{W}chi|dong{W}chi|dang{W}vien|ong|ba)\b{S}:?{S})?(?:(?:dai|thuong|trung|thieu){W}(?:ta|uy|tuong)\b{S})?"
)
ORG_AT = re.compile(P.ORGANIZATION_START.pattern.lstrip("^"))
RANK_WORDS = {"đại", "thượng", "trung", "thiếu"}
# what ends a member's text: a list separator, a penalty, the verb, the reason, the end of the sentence
STOP = re.compile(
    rf";|\.(?=[ \n]|$)|{S}:{S}(?=(?:dong{W}chi{W})?(?:khien|canh|cach|khai|giai))"
    rf"|\bbang{W}hinh{W}thuc\b|\bvoi{W}hinh{W}thuc\b|,?{W}(?:cung{W})?bi\b(?!{W}thu)"
    rf"|\bra{W}khoi{W}dang\b|\bkhoi{W}dang\b|,?{W}(?:vi|do){W}(?:da|co)\b|,{S}vi\b|{W}da{W}(?:vi{W}pham|thieu)"
    rf"|,?{S}\b(?:{PENALTY.pattern})"
    rf"|{W}(?:(?:da|cung|vua){W})*(?:quyet{W}dinh|bieu{W}quyet|bo{W}phieu|thi{W}hanh|ky{W}luat|xem{W}xet|hop)\b"
)
ACTIVE = re.compile(
    rf"{S},?{S}(?:(?:da|cung|vua|sau{W}khi|trong{W}do){W})*(?:quyet{W}dinh|bieu{W}quyet|bo{W}phieu|thi{W}hanh"
    rf"|ky{W}luat|hop\b|xem{W}xet|thao{W}luan|to{W}chuc|ket{W}luan|nhan{W}thay|yeu{W}cau|de{W}nghi)"
)
SKIP_LEAD = re.compile(rf"{S}(?:[,;:]{S})*(?:va{W}|doi{W}voi{W}|gom{W}|la{W})*")
SENTENCE = re.compile(r"\.(?=[ \n]|$)|\n(?=[^\n]{0,3}(?:[0-9]{1,2}[.)] |[-–•+] ))|\n")


@dataclass
class Found:
    """One subject of a sentence and the penalty it was given."""

    subject: ParsedSubject
    penalty: str
    penalty_span: Span
    confidence: float
    pattern: str  # penalty_first | subject_first | reference | …


def sentences(doc: DocText, start: int, end: int) -> list[tuple[int, int]]:
    """Folded ranges of the sentences: cut at a full stop before a capital, before a numbered line, and after
    a short line without a full stop (a headline, a dateline) — not inside a paragraph wrapped across lines."""
    out: list[tuple[int, int]] = []
    pos = start
    f = doc.folded
    lengths = sorted(len(line) for line in f[start:end].split("\n") if line.strip())
    # a line is 'short' against the text's own lines: a PDF wraps at ~70 characters, a .txt line is a paragraph
    short_line = 0.6 * lengths[len(lengths) // 2] if lengths else 60
    for m in SENTENCE.finditer(f, start, end):
        nxt = m.end()
        while nxt < end and f[nxt] in " \n":
            nxt += 1
        if nxt >= end:
            break
        raw_next = doc.raw[doc.fmap[nxt]]
        if m.group() == "\n":
            line_start = f.rfind("\n", start, m.start()) + 1
            numbered = re.match(r"[^\n]{0,3}(?:[0-9]{1,2}[.)] |[-–•+] )", f[nxt : nxt + 6])
            short = m.start() - line_start < short_line and f[m.start() - 1 : m.start()] not in (",", ";", ":")
            if not (numbered or (short and (raw_next.isupper() or raw_next.isdigit()))):
                continue
        elif not (raw_next.isupper() or raw_next.isdigit()):
            continue
        out.append((pos, m.end()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


def not_a_decision(folded: str) -> bool:
    """A proposal, a criticism or a civil servant's administrative discipline: no record."""
    trigger = TRIGGER.search(folded) or PENALTY.search(folded)
    if trigger is None:
        return True
    if ADMINISTRATIVE.search(folded):
        return True
    proposal = PROPOSAL.search(folded, 0, trigger.start())
    return bool(proposal and not re.search(rf"\bquyet{W}dinh\b", folded[proposal.end() : trigger.start()]))


def _penalty_code(m: re.Match[str]) -> str:
    kind = m.lastgroup or ""
    return "dismissal" if kind == "dismissal_all" else kind


def _subject_starts(doc: DocText, pos: int, end: int) -> bool:
    """Whether a subject (a lead word, a rank, an organisation or a person's name) starts at ``pos``."""
    f = doc.folded
    lead = LEAD.match(f, pos, end)
    if (lead and lead.end() > pos) or ORG_AT.match(f, pos, end):
        return True
    return _name_at(doc, pos, end) is not None


def _raw_words(doc: DocText, pos: int, end: int, n: int) -> list[tuple[str, int, int]]:
    """Up to ``n`` raw words from folded ``pos`` (word, folded start, folded end)."""
    out: list[tuple[str, int, int]] = []
    for m in re.finditer(r"[^ \n]+", doc.folded[pos:end]):
        s, e = pos + m.start(), pos + m.end()
        span = doc.raw_span(s, e)
        out.append((doc.raw[span.start : span.end], s, e))
        if len(out) >= n:
            break
    return out


PLACE_WORDS = {"tinh", "tai", "huyen", "xa", "phuong", "quan", "pho", "thi", "tran", "o", "ve", "den"}


def _name_at(doc: DocText, pos: int, end: int, *, after_lead: bool = False) -> tuple[int, int] | None:
    """Folded (start, end) of a person's name at ``pos``: 2–6 capitalised words, the first a surname (any
    capitalised words after 'đồng chí') — not a place ('tại Đồng Tháp') nor a title ('Phó Chủ tịch')."""
    words = _raw_words(doc, pos, end, 7)
    if not words or (not after_lead and P.fold(words[0][0].strip("(),;:")) not in P.SURNAMES):
        return None
    if starts_with_title(doc.text(doc.raw_span(pos, min(end, pos + 40)))):
        return None
    before = doc.folded[max(0, pos - 12) : pos].split()
    if before and before[-1] in PLACE_WORDS:
        return None
    taken = 0
    for w, _s, _e in words:
        bare = w.rstrip(",;:.)")
        if not bare or not bare[0].isupper() or not bare.replace("-", "").isalpha() or bare[1:] != bare[1:].lower():
            break
        taken += 1
        if bare != w:
            break
    if taken < 2:
        return None
    stop = words[taken - 1][1] + len(words[taken - 1][0].rstrip(",;:.)"))
    if P.province_name(doc.folded[words[0][1] : stop]) is not None:
        return None
    return words[0][1], stop


def _subject_end(doc: DocText, pos: int, end: int) -> int:
    """Where the subject starting at ``pos`` ends (a stop, or 'và' before another subject)."""
    f = doc.folded
    stop = STOP.search(f, pos, end)
    limit = stop.start() if stop else end
    for m in re.finditer(rf"(?:,{S}|{W})va{W}", f[pos:limit]):
        after = pos + m.end()
        if _subject_starts(doc, after, end):
            return pos + m.start()
    # ', đồng chí B', ', Trần Văn B' inside a list separated by commas only: a new person after a comma
    for m in re.finditer(rf",{S}", f[pos:limit]):
        after = pos + m.end()
        if re.match(rf"(?:dong{W}chi|ong|ba|dang{W}vien)\b", f[after:limit]) or _name_at(doc, after, end):
            return pos + m.start()
    return limit


def _parse(doc: DocText, pos: int, end: int) -> tuple[ParsedSubject, int] | None:
    """The subject at ``pos`` and where it ends; positions before the name ('Giám đốc Sở …, Đại tá X') allowed."""
    stop = _subject_end(doc, pos, end)
    if stop <= pos:
        return None
    lead = LEAD.match(doc.folded, pos, stop)
    if lead is not None and lead.end() == pos:
        lead = None
    body = lead.end() if lead else pos
    if not ORG_AT.match(doc.folded, body, stop) and _name_at(doc, body, stop, after_lead=lead is not None) is None:
        # a position or a rank before the name: find the name further on
        words = _raw_words(doc, body, stop, 30)
        raw_first = words[0][0] if words else ""
        if not (starts_with_title(doc.text(doc.raw_span(body, stop))) or raw_first.lower() in RANK_WORDS):
            return None
        for _w, s, _e in words[1:]:
            if _name_at(doc, s, stop) is not None:
                before = doc.raw_span(body, s)
                subject = parse_subject(doc, doc.raw_span(s, stop), default_kind="member")
                if subject is None:
                    return None
                head = doc.text(before).strip(" ,–-")
                head_words = head.split()
                # drop a rank glued before the name ('…, Đại tá'); what is left is a position
                if len(head_words) >= 2 and head_words[-2].lower() in RANK_WORDS:
                    head = " ".join(head_words[:-2]).strip(" ,")
                if head and starts_with_title(head):
                    from kiemtra.discipline.extraction.subjects import Part
                    from kiemtra.discipline.extraction.text import clean

                    subject.positions.insert(0, Part(clean(head), Span(before.start, before.start + len(head))))
                subject.kind = "member"
                return subject, stop
        return None
    subject = parse_subject(doc, doc.raw_span(pos, stop))
    if subject is None:
        return None
    if subject.kind == "organization":
        # an organisation runs to its own end (term, reason), which may be before the stop
        pass
    return subject, stop


def read_sentence(
    doc: DocText, start: int, end: int, previous: str | None = None, *, decided: bool = False
) -> list[Found]:
    """The (subject, penalty) pairs decided in one sentence; [] when it decides nothing.

    ``decided``: the sentence is a decision's Điều 1 (the verb may be left out: 'Cảnh cáo Ban …').
    """
    f = doc.folded
    text = f[start:end]
    if not_a_decision(text):
        return []
    found: list[Found] = []
    pending: list[ParsedSubject] = []
    current: tuple[str, Span, str] | None = None
    last_penalty = previous
    seen_verb = decided
    pos = start
    while pos < end:
        skip = SKIP_LEAD.match(f, pos, end)
        if skip and skip.end() > pos:
            pos = skip.end()
            continue
        pm = PENALTY.match(f, pos, end)
        if pm:
            code = _penalty_code(pm)
            pattern = "penalty_first"
            if code == "same":
                if last_penalty is None:
                    pos = pm.end()
                    continue
                code, pattern = last_penalty, "reference"
            pend = pm.end()
            if pm.lastgroup == "dismissal":
                pend = _dismissal_tail(doc, pend, end)
            span = doc.raw_span(pm.start(), pend)
            by = BY.search(f[max(start, pm.start() - 20) : pm.start()]) is not None
            if pending:
                for s in pending:
                    found.append(
                        Found(
                            s,
                            code,
                            span,
                            0.93 if by else 0.85,
                            "reference" if pattern == "reference" else "subject_first",
                        )
                    )
                pending = []
                current = None
            else:
                current = (code, span, pattern)
            last_penalty = code
            seen_verb = True
            pos = pend
            continue
        tm = TRIGGER.match(f, pos, end) or DECIDE.match(f, pos, end)
        if tm:
            seen_verb = True
            pos = tm.end()
            continue
        if _subject_starts(doc, pos, end):
            parsed = _parse(doc, pos, end)
            if parsed is not None:
                subject, stop = parsed
                follow = f[stop : min(end, stop + 60)]
                waits = bool(
                    re.match(rf"{S}[,:]?{S}(?:cung{W})?bi\b(?!{W}thu)|{S}:|{S},?{S}(?:bang|voi){W}hinh{W}thuc", follow)
                )
                actor = not waits and ACTIVE.match(follow) is not None
                if actor:
                    pass  # the one who decides ('Ban Thường vụ Tỉnh ủy X quyết định …'), not a subject
                elif current and not waits:
                    found.append(Found(subject, current[0], current[1], 0.9, current[2]))
                elif waits or seen_verb:
                    pending.append(subject)
                pos = max(stop, pos + 1)
                continue
        # any other word: skip it
        nxt = re.compile(r"[ \n]").search(f, pos, end)
        pos = nxt.end() if nxt else end
    return found


def _dismissal_tail(doc: DocText, pos: int, end: int) -> int:
    """'cách chức Phó Bí thư Thành ủy …' — the positions removed are part of the penalty, not subjects."""
    f = doc.folded
    rest = doc.text(doc.raw_span(pos, end)).strip()
    if not rest or not starts_with_title(rest):
        return pos
    stop = re.compile(rf";|\.(?=[ \n]|$)|{W}doi{W}voi\b|,{S}(?=(?:dong{W}chi|ong|ba)\b)").search(f, pos, end)
    return stop.start() if stop else end


def last_penalty_of(found: list[Found], previous: str | None) -> str | None:
    return found[-1].penalty if found else previous


__all__ = ["PENALTY", "TRIGGER", "Found", "last_penalty_of", "not_a_decision", "read_sentence", "sentences"]
