"""Pages of a disciplinary document → one ExtractedDecision per subject disciplined.

Rule-based, over the official layout of Party documents (Quy định về thể thức văn bản của
Đảng): a document is cut into decisions at each 'QUYẾT ĐỊNH' title (a PDF may concatenate
several); each decision's header, 'Căn cứ' paragraphs, finding, 'Điều 1' (who, which penalty),
'Điều 2' (effective date) and signature block are read by ``parts`` and ``subjects``. A
communiqué of a Commission meeting is read by ``communique``. No decision found (an
invitation, a report) gives an empty list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiemtra.discipline.extraction import announcement, calibration, clauses, communique, parts
from kiemtra.discipline.extraction import patterns as P
from kiemtra.discipline.extraction.categories import categorize
from kiemtra.discipline.extraction.subjects import (
    ParsedSubject,
    is_committee_position,
    parse_subject,
    parse_table_row,
    unit_of,
)
from kiemtra.discipline.extraction.text import DocText, Span, fold
from kiemtra.discipline.extraction.types import ExtractedDecision, Field, Page

DISCIPLINE = re.compile(rf"thi{P.S}hanh{P.W}ky{P.W}lua[t]?|hinh{P.W}thuc{P.W}ky{P.W}luat|xoa{P.W}bo{P.W}quyet{P.W}dinh")
LIST_ITEM = re.compile(r"(?:^|\n)[ ]*([0-9]{1,2})[ ]*[.)][ ]+")
TABLE_HEAD = re.compile(rf"ho{P.W}va{P.W}ten")
ROW_START = re.compile(r"(?:^|\n)[ ]*([0-9]{1,3})[ ]+(?=[a-z]|(?:19|20)[0-9]{2}\b)")
BY_PENALTY = re.compile(rf"bang{P.W}hinh{P.W}thuc{P.S}:?")
TOWARDS = re.compile(rf"\bdoi{P.W}voi\b")
CHANGE = re.compile(rf"thay{P.W}doi{P.W}hinh{P.W}thuc{P.W}ky{P.W}luat")
ANNUL = re.compile(rf"xoa{P.W}bo{P.W}quyet{P.W}dinh")
CHANGE_FROM = re.compile(rf"[, ]+tu{P.W}(?=(?:{P.ANY_PENALTY.pattern}))")
CHANGE_TO = re.compile(rf"\b(?:xuong|thanh|sang){P.W}(?=(?:{P.ANY_PENALTY.pattern}))")
SUBJECT_THEN_PENALTY = re.compile(
    rf"thi{P.S}hanh{P.W}ky{P.W}lua[t]?{P.W}(?!bang{P.W}hinh|doi{P.W}voi{P.W}cac{P.W}dong{P.W}chi{P.W}co{P.W}ten|:)"
)


@dataclass
class Item:
    """One subject of Điều 1 with its penalty (None: annulled), before the shared fields are added."""

    subject: ParsedSubject
    penalty: str | None
    penalty_span: Span | None
    penalty_confidence: float


def extract(pages: list[Page]) -> list[ExtractedDecision]:
    """Every disciplinary decision in the document, one per subject; [] when it decides no discipline.

    Each field's confidence is then bounded by the accuracy measured for its pattern (``calibration``).
    """
    found = _extract(pages)
    reading = "ocr" if any(p.source == "ocr" for p in pages) else "text"
    for d in found:
        d.reading = reading
    calibration.apply(found)
    return found


def _extract(pages: list[Page]) -> list[ExtractedDecision]:
    doc = DocText(pages)
    if not doc.folded.strip():
        return []
    if doc.search(P.TITLE_COMMUNIQUE) and (found := communique.extract(doc)):
        return _merge_communique(found, announcement.extract(doc))
    out: list[ExtractedDecision] = []
    if doc.search(P.TITLE_DECISION):
        for start, end in blocks(doc):
            out.extend(decision_block(doc, start, end))
    if not out:
        # no signed decision: running text (an announcement, a communiqué, news of a meeting)
        out = announcement.extract(doc)
    return out


def _merge_communique(numbered: list[ExtractedDecision], running: list[ExtractedDecision]) -> list[ExtractedDecision]:
    """A communiqué read both ways: by its numbered items (findings, signer) and sentence by sentence (every
    subject, the meeting's day, the body named in the text). The items' records are kept, with the date
    and body of the sentence reading; subjects only the sentence reading found are added."""
    by_name = {fold(d.value("subject_name") or ""): d for d in running}
    out: list[ExtractedDecision] = []
    for d in numbered:
        d.pattern = "communique"
        twin = by_name.pop(fold(d.value("subject_name") or ""), None)
        if twin is not None:
            d.date, d.term = twin.date or d.date, twin.term or d.term
            d.issuing_body, d.issuing_level = twin.issuing_body or d.issuing_body, twin.issuing_level or d.issuing_level
        out.append(d)
    out.extend(by_name.values())
    return out


def blocks(doc: DocText) -> list[tuple[int, int]]:
    """Folded ranges of the decisions in the document: cut before the header of each 'QUYẾT ĐỊNH' title."""
    titles = list(doc.finditer(P.TITLE_DECISION))
    if not titles:
        return [(0, len(doc.folded))] if doc.search(DISCIPLINE) and doc.search(P.ARTICLE) else []
    cuts = [0]
    for title in titles[1:]:
        cut = title.start()
        # walk back over the header lines: upper case, '*', 'Số …', motto, place and date
        pos = title.start()
        while pos > cuts[-1]:
            prev_end = doc.folded.rfind("\n", cuts[-1], pos - 1) if pos > 0 else -1
            line_start = prev_end + 1 if prev_end >= 0 else cuts[-1]
            fline = doc.folded[line_start:pos].strip()
            raw = doc.text(doc.raw_span(line_start, pos)).strip()
            letters = [c for c in raw if c.isalpha()]
            header_like = (
                not fline
                or fline == "*"
                or P.MOTTO.search(fline)
                or P.NUMBER.search(fline)
                or P.DATE_WORDS.search(fline)
                or re.search(r"\bngay[ ]*[0-9]{1,2}[ ]*thang\b", fline)
                or not letters
                or sum(c.isupper() for c in letters) >= 0.7 * len(letters)
            )
            if not header_like:
                break
            cut = line_start
            pos = line_start
            if line_start == cuts[-1]:
                break
        cuts.append(cut)
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], len(doc.folded)], strict=True)]


def decision_block(doc: DocText, start: int, end: int) -> list[ExtractedDecision]:
    """The decisions (one per subject) of one 'QUYẾT ĐỊNH' block."""
    decides = doc.search(P.DECIDES, start, end)
    article1 = None
    for a in doc.finditer(P.ARTICLE, decides.end() if decides else start, end):
        if P.ocr_digits(a.group(1)) == "1":
            article1 = a
            break
    if article1 is None:
        return []
    article2 = next(
        (a for a in doc.finditer(P.ARTICLE, article1.end(), end) if P.ocr_digits(a.group(1)) == "2"),
        None,
    )
    a1_end = article2.start() if article2 else end
    a1_text = doc.folded[article1.end() : a1_end]
    if not DISCIPLINE.search(a1_text) and not CHANGE.search(a1_text) and not clauses.PENALTY.search(a1_text):
        return []
    action = "change" if CHANGE.search(a1_text) else ("annul" if ANNUL.search(a1_text) else "impose")
    items = article1_items(doc, article1.end(), a1_end, action)
    pattern = "decision"
    if not items and action == "impose":
        # another wording of Điều 1: read it clause by clause
        items = clause_items(doc, article1.end(), a1_end)
        pattern = "decision:clause"
    if not items:
        return []
    preamble_end = decides.start() if decides else article1.start()
    title = doc.search(P.TITLE_DECISION, start, end)
    head_end = title.start() if title else preamble_end
    first_basis = doc.search(P.CAN_CU, start, preamble_end)
    number = parts.number(doc, start, head_end) or parts.number(
        doc, start, first_basis.start() if first_basis else head_end
    )
    day = parts.date(doc, start, head_end) or parts.date(doc, start, preamble_end)
    body = parts.issuing_body(doc, start, end, decides.start() if decides else None)
    basis = parts.legal_basis(doc, start, preamble_end)
    finding = parts.violations(doc, start, preamble_end)
    effective = parts.effective_date(doc, a1_end, end, day.value if day else None) if article2 else None
    signer = parts.signer(doc, a1_end, end)
    term = parts.term(doc, day, start, preamble_end)
    amends = None
    if action != "impose":
        m = doc.search(P.DOC_NUMBER_REF, start, a1_end)
        if m:
            code = f"{m.group(1)}-QĐ/{doc.text(doc.span(m, 3)).replace(' ', '').upper()}"
            code = code.replace("/UBKTDU", "/UBKTĐU").replace("/DU", "/ĐU")
            amends = doc.field(code, doc.span(m), 0.9)
    out: list[ExtractedDecision] = []
    for item in items:
        d = ExtractedDecision(
            number=number,
            date=day,
            signer=signer,
            legal_basis=basis,
            effective_date=effective,
            term=term,
            amends_number=amends,
            action=doc.field(action, doc.raw_span(article1.end(), min(article1.end() + 40, a1_end)), 0.95),
            pattern=pattern,
        )
        if body:
            d.issuing_body, d.issuing_level = body[0], body[1]
        if finding:
            d.violations = finding
            d.violation_categories = Field(
                categorize(finding.value), finding.page, finding.start, finding.end, round(finding.confidence * 0.95, 3)
            )
        fill_subject(doc, d, item, body[2] if body else None, central=is_central(body), block=(start, end))
        out.append(d)
    return out


def is_central(body: tuple[Field, Field, str | None] | None) -> bool:
    return (
        bool(body)
        and body is not None
        and body[1].value
        in (
            "central_commission",
            "politburo",
            "secretariat",
            "central_committee",
        )
    )


def fill_subject(
    doc: DocText,
    d: ExtractedDecision,
    item: Item,
    body_province: str | None,
    *,
    central: bool,
    block: tuple[int, int] | None = None,
) -> None:
    """The subject's fields, its penalty, and the province (the body's, else the subject's own)."""
    s = item.subject
    d.subject_type = doc.field(s.kind, s.name.span, 0.95)
    name = s.name.text
    if s.kind == "member" and name.isupper():  # 'NGUYỄN VĂN AN' in a table or a headline: as search shows names
        name = " ".join(w.capitalize() for w in name.split())
    d.subject_name = doc.field(name, s.name.span, s.name_confidence)
    if item.penalty_span is not None:
        d.penalty = doc.field(item.penalty, item.penalty_span, item.penalty_confidence)
    if s.term:
        d.subject_term = doc.field(s.term[0], s.term[1], 0.95)
    if s.kind == "member":
        if s.birth_year:
            d.birth_year = doc.field(s.birth_year[0], s.birth_year[1], 0.97)
        if s.gender:
            d.gender = doc.field(s.gender[0], s.gender[1], s.gender[2])
        d.probationary = doc.field(
            s.probationary is not None, s.probationary or s.name.span, 0.95 if s.probationary else 0.85
        )
        if s.probationary and item.penalty in ("dismissal", "expulsion") and d.penalty:
            d.warnings.append("probationary_penalty")
            d.penalty = Field(d.penalty.value, d.penalty.page, d.penalty.start, d.penalty.end, 0.5)
        if s.positions:
            span = Span(s.positions[0].span.start, s.positions[-1].span.end)
            d.positions = doc.field([p.text for p in s.positions], span, 0.9)
            committee = any(is_committee_position(p.text) for p in s.positions)
            d.party_committee_member = doc.field(committee, span, 0.9)
            work = [p for p in s.positions if not is_committee_position(p.text)]
            if work and (unit := unit_of(work[-1].text)):
                d.unit = doc.field(unit, work[-1].span, 0.85)
        else:
            d.positions = doc.field([], s.name.span, 0.6)
            d.party_committee_member = doc.field(False, s.name.span, 0.5)
    province = body_province
    where = s.name.span
    if province is None:
        texts = [(p.text, p.span) for p in s.positions] + (
            [(s.name.text, s.name.span)] if s.kind == "organization" else []
        )
        for text, span in texts:
            if m := P.PROVINCE_IN_TEXT.search(fold(text)):
                province, where = P.province_name(m.group(1)), span
                break
    if province is None and not central and block is not None and (m := doc.search(P.PROVINCE_IN_TEXT, *block)):
        province, where = P.province_name(m.group(1)), doc.span(m)
    if province:
        d.province = doc.field(province, where, 0.9)


def article1_items(doc: DocText, start: int, end: int, action: str) -> list[Item]:
    """The subjects and penalties of 'Điều 1': one subject, a numbered list, a table, or a change/annulment."""
    text = doc.folded[start:end]
    if action == "change":
        towards = doc.search(TOWARDS, start, end)
        frm = doc.search(CHANGE_FROM, towards.end() if towards else start, end)
        to = doc.search(CHANGE_TO, frm.end() if frm else start, end)
        if not towards or not to:
            return []
        subject = parse_subject(doc, doc.raw_span(towards.end(), frm.start() if frm else to.start()))
        tail = doc.folded[to.end() : end]
        penalty = P.penalty_of(tail)
        pm = P.PENALTY_TAIL.search(doc.folded, to.end(), end)
        return [Item(subject, penalty, doc.span(pm) if pm else None, 0.9)] if subject else []
    if action == "annul":
        towards = None
        for match in doc.finditer(TOWARDS, start, end):
            towards = match  # the last 'đối với': the subject of the annulled decision
        if not towards:
            return []
        subject = parse_subject(doc, _trim(doc, towards.end(), end))
        return [Item(subject, None, None, 0.9)] if subject else []
    if TABLE_HEAD.search(text):
        return _table(doc, start, end)
    items = [m for m in doc.finditer(LIST_ITEM, start, end)]
    if len(items) >= 2 or (items and re.search(r"sau\s*:", doc.folded[start : items[0].start()])):
        lead = doc.folded[start : items[0].start()]
        common = P.penalty_of(lead)
        common_m = P.PENALTY_TAIL.search(doc.folded, start, items[0].start())
        out: list[Item] = []
        for k, m in enumerate(items):
            istart, iend = m.end(), items[k + 1].start() if k + 1 < len(items) else end
            towards = doc.search(TOWARDS, istart, iend)
            own = P.penalty_of(doc.folded[istart : towards.start()]) if towards else None
            if own and towards:
                pm = P.PENALTY_TAIL.search(doc.folded, istart, towards.start())
                subject = parse_subject(doc, _trim(doc, towards.end(), iend))
                if subject:
                    out.append(Item(subject, own, doc.span(pm) if pm else None, 0.95))
            elif common is None or (not towards and clauses.PENALTY.search(doc.folded, istart, iend)):
                # '1. Đồng chí X, …: cảnh cáo;', '2. Cách tất cả các chức vụ … đối với …': the item's own wording
                out.extend(clause_items(doc, istart, iend))
            else:
                subject = parse_subject(doc, _trim(doc, istart, iend), default_kind="member")
                if subject:
                    out.append(Item(subject, common, doc.span(common_m) if common_m else None, 0.93))
        return out
    return _single(doc, start, end)


def clause_items(doc: DocText, start: int, end: int) -> list[Item]:
    """Điều 1 read as running text: numbered lines and sentences, each by ``clauses.read_sentence``."""
    out: list[Item] = []
    previous: str | None = None
    for s, e in clauses.sentences(doc, start, end):
        for found in clauses.read_sentence(doc, s, e, previous, decided=True):
            out.append(Item(found.subject, found.penalty, found.penalty_span, found.confidence))
            previous = found.penalty
    return out


def _trim(doc: DocText, start: int, end: int) -> Span:
    """A folded range without surrounding spaces and the final '.' or ';'."""
    while start < end and doc.folded[start] in " \n":
        start += 1
    while end > start and doc.folded[end - 1] in " \n.;":
        end -= 1
    return doc.raw_span(start, end)


def _single(doc: DocText, start: int, end: int) -> list[Item]:
    """'Thi hành kỷ luật bằng hình thức P đối với S.' or 'Thi hành kỷ luật S, bằng hình thức P.'"""
    by = doc.search(BY_PENALTY, start, end)
    lead = doc.search(SUBJECT_THEN_PENALTY, start, end)
    if lead and by and lead.end() < by.start():
        subject_end = by.start()
        subject = parse_subject(doc, _trim_comma(doc, lead.end(), subject_end))
        pm = P.PENALTY_TAIL.search(doc.folded, by.end(), end)
        if subject and pm:
            return [Item(subject, P.penalty_of(pm.group()), doc.span(pm), 0.95)]
        return []
    towards = doc.search(TOWARDS, by.end() if by else start, end)
    if not towards:
        return []
    pm = P.PENALTY_TAIL.search(doc.folded, by.end() if by else start, towards.start())
    subject = parse_subject(doc, _trim(doc, towards.end(), end))
    if not subject or not pm:
        return []
    return [Item(subject, P.penalty_of(pm.group()), doc.span(pm), 0.95 if by else 0.8)]


def _trim_comma(doc: DocText, start: int, end: int) -> Span:
    while end > start and doc.folded[end - 1] in " \n,":
        end -= 1
    return _trim(doc, start, end)


def _table(doc: DocText, start: int, end: int) -> list[Item]:
    """Rows of a table of subjects: each starts with its number (STT) at the beginning of a line."""
    head = doc.search(TABLE_HEAD, start, end)
    assert head is not None
    # the header row ends with its last column title ('Hình thức kỷ luật')
    head_end = doc.search(re.compile(rf"hinh{P.W}thuc(?:{P.W}ky{P.W}luat)?"), head.end(), end)
    body_start = head_end.end() if head_end else head.end()
    rows: list[re.Match[str]] = []
    for m in doc.finditer(ROW_START, body_start, end):
        if int(m.group(1)) == len(rows) + 1:  # STT runs 1, 2, 3 …: another number is not a row
            rows.append(m)
    out: list[Item] = []
    for k, m in enumerate(rows):
        rend = rows[k + 1].start() if k + 1 < len(rows) else end
        parsed = parse_table_row(doc, _trim(doc, m.start(), rend))
        if parsed and parsed[1]:
            subject, penalty, span = parsed
            out.append(Item(subject, penalty, span, 0.93))
    return out
