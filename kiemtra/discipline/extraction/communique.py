"""A communiqué of a Commission meeting ('Thông báo kết quả Kỳ họp thứ N …') → one decision per subject disciplined.

The communiqué is cut into its numbered items; in each, the sentences '… quyết định thi hành
kỷ luật bằng hình thức P1 đối với S1; P2 các đồng chí: S2, …; S3, …' are the decisions. An item
that only recommends ('đề nghị … xem xét, thi hành kỷ luật') or requests decides nothing and
gives no decision. The item's finding ('… đã vi phạm …') is the violation of every subject in it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kiemtra.discipline.extraction import parts
from kiemtra.discipline.extraction import patterns as P
from kiemtra.discipline.extraction.categories import categorize
from kiemtra.discipline.extraction.subjects import parse_subject
from kiemtra.discipline.extraction.text import DocText, Span
from kiemtra.discipline.extraction.types import ExtractedDecision, Field

if TYPE_CHECKING:
    from kiemtra.discipline.extraction.extractor import Item

ITEM = re.compile(r"(?:^|\n)[ ]*([0-9]{1,2})[ ]*\.[ ]+")
DECIDED = re.compile(rf"quyet{P.W}dinh{P.W}thi{P.S}hanh{P.W}ky{P.W}lua[t]?{P.S}:?")
BODY_OF_MEETING = re.compile(
    rf"ky{P.W}hop{P.W}thu{P.W}[0-9]+{P.W}cua{P.W}(uy{P.W}ban{P.W}kiem{P.W}tra{P.W}trung{P.W}uong)"
)
LEAD = re.compile(rf"(?:{P.S}bang{P.W}hinh{P.W}thuc{P.S}:?)?{P.S}")
SEGMENT_LEAD = re.compile(rf"{P.S}(?:doi{P.W}voi{P.W})?")


def extract(doc: DocText) -> list[ExtractedDecision]:
    """Every decision announced in the communiqué."""
    from kiemtra.discipline.extraction.extractor import fill_subject

    end = len(doc.folded)
    title = doc.search(P.TITLE_COMMUNIQUE)
    assert title is not None
    number = parts.number(doc, 0, title.start())
    day = parts.date(doc, 0, title.start())
    if day is None and (m := doc.search(P.MEETING_DAYS)):
        value = parts.to_date(m.group(2), m.group(3), m.group(4))
        if value:
            day = doc.field(value, doc.span(m), 0.9)
    body_m = doc.search(BODY_OF_MEETING)
    body = parts.issuing_body(doc, 0, end, None) if title.start() > 0 else None
    if body_m:
        span = doc.span(body_m, 1)
        body_name, level = (
            doc.field("Ủy ban Kiểm tra Trung ương", span, 0.95),
            doc.field("central_commission", span, 0.95),
        )
    elif body:
        body_name, level = body[0], body[1]
    else:
        return []
    term = parts.term(doc, day, title.start(), min(end, title.end() + 200))
    signer = parts.signer(doc, title.end(), end)
    out: list[ExtractedDecision] = []
    for istart, iend in _items(doc, title.end(), end):
        finding = None
        for decided in doc.finditer(DECIDED, istart, iend):
            finding = finding or parts.violations(doc, istart, decided.start())
            stop = doc.search(P.SENTENCE_END, decided.end(), iend)
            for item in _clause(doc, decided.end(), stop.start() if stop else iend):
                d = ExtractedDecision(
                    number=number,
                    date=day,
                    issuing_body=body_name,
                    issuing_level=level,
                    term=term,
                    signer=signer,
                    action=doc.field("impose", doc.span(decided), 0.95),
                )
                if finding:
                    d.violations = finding
                    d.violation_categories = Field(
                        categorize(finding.value),
                        finding.page,
                        finding.start,
                        finding.end,
                        round(finding.confidence * 0.95, 3),
                    )
                fill_subject(doc, d, item, None, central=True)
                out.append(d)
    return out


def _items(doc: DocText, start: int, end: int) -> list[tuple[int, int]]:
    """The numbered items 1., 2., … (in sequence: a stray number inside a sentence is not an item)."""
    found: list[int] = []
    expected = 1
    for m in doc.finditer(ITEM, start, end):
        if int(m.group(1)) == expected:
            found.append(m.start())
            expected += 1
    if not found:
        return [(start, end)]
    return list(zip(found, [*found[1:], end], strict=True))


def _clause(doc: DocText, start: int, end: int) -> list[Item]:
    """'bằng hình thức Khiển trách đối với A; Cảnh cáo các đồng chí: B, …; C, …' → (subject, penalty) items."""
    from kiemtra.discipline.extraction.extractor import Item

    lead = LEAD.match(doc.folded, start, end)
    pos = lead.end() if lead else start
    text = doc.folded[pos:end]
    # 'thi hành kỷ luật đồng chí X, …, bằng hình thức P' — the subject first
    by = re.search(rf"[, ]+bang{P.W}hinh{P.W}thuc{P.S}:?{P.S}", text)
    if by and not P.ANY_PENALTY.match(text):
        pm = P.PENALTY_TAIL.search(doc.folded, pos + by.end(), end)
        subject = parse_subject(doc, doc.raw_span(pos, pos + by.start()))
        if subject and pm:
            return [Item(subject, P.penalty_of(pm.group()), doc.span(pm), 0.93)]
        return []
    items: list[Item] = []
    penalty: str | None = None
    penalty_span: Span | None = None
    kind: str | None = None
    seg_start = pos
    for seg_end in [*(m.start() for m in re.finditer(";", doc.folded[pos:end]) if True), None]:
        stop = pos + seg_end if seg_end is not None else end
        s, e = seg_start, stop
        seg_start = stop + 1
        while s < e and doc.folded[s] in " \n":
            s += 1
        pm = P.PENALTY_TAIL.match(doc.folded, s, e)
        if pm:
            penalty, penalty_span = P.penalty_of(pm.group()), doc.span(pm)
            s = pm.end()
            lead_m = SEGMENT_LEAD.match(doc.folded, s, e)
            s = lead_m.end() if lead_m else s
            head = doc.folded[s : s + 20]
            kind = "member" if head.startswith(("cac dong chi", "dong chi")) else None
        if penalty is None or s >= e:
            continue
        while e > s and doc.folded[e - 1] in " \n.,":
            e -= 1
        subject = parse_subject(doc, doc.raw_span(s, e), default_kind=kind)
        if subject:
            items.append(Item(subject, penalty, penalty_span, 0.93))
    return items
