"""Announcements, communiqués and news of a meeting → one decision per subject, the issuing body from context.

The text is cut into sentences (``clauses.sentences``); each is read by ``clauses.read_sentence``.
Who decided is the body named in the sentence nearest before its verb ("…, Bộ Chính trị quyết
định …", "X bị Ban Bí thư kỷ luật …"), else the body of an earlier sentence ("Ủy ban Kiểm tra
Tỉnh ủy X đã họp …. Ủy ban Kiểm tra quyết định …"), else the document's header. Abbreviations
(UBKTTW, UBKT T.Ư, BCH TW, BTV Tỉnh ủy X) resolve to the catalogue's names. The date is the
meeting's day (the last day of a range) stated before the decision, else the dateline.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass

from kiemtra.discipline.extraction import clauses, parts
from kiemtra.discipline.extraction import patterns as P
from kiemtra.discipline.extraction.text import DocText, Span, fold
from kiemtra.discipline.extraction.types import ExtractedDecision, Field

S, W = P.S, P.W
_PROVINCES = "|".join(sorted((re.escape(k).replace(r"\ ", W) for k in P.PROVINCE_BY_FOLD), key=len, reverse=True))
BODY = re.compile(
    rf"(?P<central_commission>uy{W}ban{W}kiem{W}tra{W}(?:trung{W}uong|t{S}\.{S}u\b|tw\b)|ubkt{S}(?:trung{W}uong|t{S}\.{S}u\b|tw\b))"
    rf"|(?P<politburo>bo{W}chinh{W}tri)"
    rf"|(?P<secretariat>ban{W}bi{W}thu(?:{W}trung{W}uong(?:{W}dang)?)?)"
    rf"|(?P<central_committee>ban{W}chap{W}hanh{W}trung{W}uong(?:{W}dang)?|bch{S}(?:trung{W}uong|t{S}\.?{S}u\b|tw\b)(?:{W}dang)?"
    rf"|trung{W}uong{W}dang)"
    rf"|(?P<provincial_commission>(?:uy{W}ban{W}kiem{W}tra|ubkt){W}(?P<pc_kind>tinh|thanh){W}uy(?:{W}(?P<pc_prov>{_PROVINCES}))?)"
    rf"|(?P<provincial_committee>(?:ban{W}thuong{W}vu|btv){W}(?P<pk_kind>tinh|thanh){W}uy(?:{W}(?P<pk_prov>{_PROVINCES}))?)"
    rf"|(?P<commune_commission>(?:uy{W}ban{W}kiem{W}tra|ubkt){W}dang{W}uy{W}(?:xa|phuong|dac{W}khu){W}[a-z]+(?:{W}[a-z]+)?)"
    rf"|(?P<commune_committee>(?:ban{W}thuong{W}vu|btv){W}dang{W}uy{W}(?:xa|phuong|dac{W}khu){W}[a-z]+(?:{W}[a-z]+)?)"
    rf"|(?P<district>(?:uy{W}ban{W}kiem{W}tra|ubkt|ban{W}thuong{W}vu|btv){W}(?:huyen|quan|thi){W}uy{W}[a-z]+(?:{W}[a-z]+)?)"
    rf"|(?P<commission_bare>\buy{W}ban{W}kiem{W}tra\b|\bubkt\b)"
    rf"|(?P<committee_bare>\bban{W}thuong{W}vu\b|\bbtv\b)"
    rf"|(?P<centre_bare>\btrung{W}uong\b)"
)
NOT_A_BODY_BEFORE = re.compile(
    rf"(?:uy{W}vien|chu{W}nhiem|pho{W}chu{W}nhiem|bi{W}thu|thuong{W}truc|cach{W}chuc|truong{W}ban|cua|nhiem{W}ky"
    rf"|ky{W}hop|hoi{W}nghi|quy{W}dinh|khoa){W}$"
)
CENTRAL = {"central_commission", "politburo", "secretariat", "central_committee"}
NAMES = {
    "central_commission": "Ủy ban Kiểm tra Trung ương",
    "politburo": "Bộ Chính trị",
    "secretariat": "Ban Bí thư",
    "central_committee": "Ban Chấp hành Trung ương",
}
# 'Ngày 12/3', 'Sáng 12/3/2024', 'Chiều ngày 6/10', 'Hôm nay (12/3)': the day of the meeting
WHEN = rf"(?:\bngay|\bsang(?:{W}ngay)?|\bchieu(?:{W}ngay)?|\btoi(?:{W}ngay)?|\btrua(?:{W}ngay)?|\bhom{W}nay{S}\()"
DATE_SLASH = re.compile(
    rf"{WHEN}{W}?(?:(?P<d0>[0-9]{{1,2}}){S}(?:va|den(?:{W}ngay)?|-|–|,){S})?(?P<d>[0-9]{{1,2}}){S}/{S}(?P<m>[0-9]{{1,2}})"
    rf"(?:{S}/{S}(?P<y>(?:19|20)[0-9]{{2}}))?"
)
DATE_RANGE = re.compile(
    rf"{WHEN}{W}?[0-9]{{1,2}}{S}(?:va|den(?:{W}ngay)?|-|–){S}(?P<d>[0-9]{{1,2}}){S}/{S}(?P<m>[0-9]{{1,2}})"
    rf"(?:{S}/{S}(?P<y>(?:19|20)[0-9]{{2}}))?"
)
DATE_WORDS = re.compile(
    rf"\bngay{W}(?P<d>[0-9]{{1,2}}){W}thang{W}(?P<m>[0-9]{{1,2}})(?:{W}nam{W}(?P<y>(?:19|20)[0-9]{{2}}))?"
)
UPDATED = re.compile(rf"cap{W}nhat|dang{W}luc|ngay{W}dang|posted", re.I)
ANY_YEAR_DATE = re.compile(r"\b([0-9]{1,2})/([0-9]{1,2})/((?:19|20)[0-9]{2})\b")


@dataclass
class Body:
    level: str
    name: str
    span: Span
    confidence: float


class Context:
    """What earlier sentences and the header said: the body in charge, its province, dates."""

    def __init__(self, doc: DocText) -> None:
        self.doc = doc
        self.body: Body | None = None
        self.province: str | None = None
        self.city: bool | None = None
        head_end = min(len(doc.folded), 400)
        header = doc.folded[:head_end]
        if m := P.PROVINCE_IN_TEXT.search(header):
            self.province = P.province_name(m.group(1))
            self.city = "thanh" in m.group(0).split()[0]
        if "ban chap hanh trung uong" in header and re.search(r"uy ban kiem tra\s*\n", header):
            self.body = Body("central_commission", NAMES["central_commission"], Span(0, 0), 0.85)
        elif self.province and re.search(r"\n\s*uy ban kiem tra\s*\n", header):
            self.body = self._provincial("provincial_commission", None, None, Span(0, 0), 0.85)

    def _provincial(self, level: str, kind: str | None, province: str | None, span: Span, conf: float) -> Body | None:
        province = province or self.province
        if province is None:
            return None
        city = (kind == "thanh") if kind else (self.city if self.city is not None else province in P.CITY_PROVINCES)
        tu = "Thành ủy" if city else "Tỉnh ủy"
        prefix = "Ủy ban Kiểm tra" if level == "provincial_commission" else "Ban Thường vụ"
        return Body(level, f"{prefix} {tu} {province}", span, conf)

    def resolve(self, m: re.Match[str], *, carried_ok: bool = True) -> Body | None:
        """The body a mention names; bare mentions ('Ủy ban Kiểm tra') take the province from the context."""
        kind = m.lastgroup
        span = self.doc.span(m)
        if kind in CENTRAL:
            return Body(kind, NAMES[kind], span, 0.95)
        if kind in ("provincial_commission", "provincial_committee"):
            prov = m.group("pc_prov") or m.group("pk_prov")
            tk = m.group("pc_kind") or m.group("pk_kind")
            province = P.province_name(prov) if prov else None
            body = self._provincial(kind, tk, province, span, 0.95 if province else 0.85)
            if body and province:
                self.province, self.city = province, tk == "thanh"
            return body
        if kind == "district":  # a district's committee (before 2025): no level of its own in the catalogue
            words = " ".join(self.doc.text(span).split()).split()
            at = next((i for i, w in enumerate(words) if fold(w) in ("huyen", "quan", "thi")), 0)
            head = "Ủy ban Kiểm tra" if fold(words[0]) in ("uy", "ubkt") else "Ban Thường vụ"
            place = [w for w in words[at + 2 :] if w[:1].isupper()]
            return Body("other", " ".join([head, words[at].capitalize(), "ủy", *place]), span, 0.8)
        if kind in ("commune_commission", "commune_committee"):
            # the place as the text writes it: capitalised words after 'xã'/'phường'
            raw = " ".join(self.doc.text(span).split())
            words = raw.split()
            place_at = next((i for i, w in enumerate(words) if w.lower() in ("xã", "phường", "khu")), len(words))
            name_words = words[: place_at + 1] + [w for w in words[place_at + 1 :] if w[:1].isupper()]
            prefix = "Ủy ban Kiểm tra" if kind == "commune_commission" else "Ban Thường vụ"
            tail = " ".join(name_words[name_words.index(next(w for w in name_words if fold(w) == "dang")) :])
            tail = tail[0].upper() + tail[1:]
            return Body(kind, f"{prefix} {tail.replace('Đảng Ủy', 'Đảng ủy')}", span, 0.85)
        if kind == "commission_bare":
            if self.body and self.body.level in ("central_commission", "provincial_commission"):
                return Body(self.body.level, self.body.name, span, 0.85)
            return self._provincial("provincial_commission", None, None, span, 0.75)
        if kind == "committee_bare":
            if self.body and self.body.level == "provincial_committee":
                return Body(self.body.level, self.body.name, span, 0.85)
            return self._provincial("provincial_committee", None, None, span, 0.75)
        if kind == "centre_bare":
            return Body("central_committee", NAMES["central_committee"], span, 0.75)
        return None

    def mentions(self, start: int, end: int) -> list[tuple[re.Match[str], Body]]:
        """The bodies named as actors in ``[start, end)`` (not inside a position: 'Ủy viên Bộ Chính trị')."""
        out: list[tuple[re.Match[str], Body]] = []
        f = self.doc.folded
        for m in BODY.finditer(f, start, end):
            if NOT_A_BODY_BEFORE.search(f[max(0, m.start() - 25) : m.start()]):
                continue
            if m.lastgroup == "centre_bare" and not clauses.ACTIVE.match(f, m.end(), min(end, m.end() + 40)):
                continue
            body = self.resolve(m)
            if body is not None:
                out.append((m, body))
        return out


def _dates(doc: DocText) -> tuple[list[tuple[int, dt.date]], dt.date | None]:
    """Dates stated in the text (folded position, date) and the dateline / 'cập nhật' date as a fallback."""
    f = doc.folded
    fallback: dt.date | None = None
    stated: list[tuple[int, dt.date]] = []
    fallback_year: int | None = None
    for m in ANY_YEAR_DATE.finditer(f):
        fallback_year = int(m.group(3))
        break
    for pattern in (DATE_RANGE, DATE_SLASH, DATE_WORDS):
        for m in pattern.finditer(f):
            line_start = f.rfind("\n", 0, m.start()) + 1
            line = f[line_start : m.start()]
            if re.search(r"sinh\s*:?\s*$", f[max(0, m.start() - 8) : m.start()]):
                continue  # a date of birth
            if re.search(r"[0-9]\s*-\s*[a-z]{2,4}\s*/\s*[a-z]+\s*,?\s*$", f[max(0, m.start() - 30) : m.start()]):
                continue  # the date of a cited document ('Quy định số 69-QĐ/TW, ngày 06/7/2022')
            year = int(m.group("y")) if m.group("y") else fallback_year
            if year is None:
                continue
            try:
                value = dt.date(year, int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
            dateline = UPDATED.search(line) or (pattern is DATE_WORDS and "," in line and len(line) < 40)
            if dateline:
                fallback = fallback or value
                continue
            if not any(pos == m.start() for pos, _ in stated) and not any(s <= m.start() < s + 30 for s, _ in stated):
                stated.append((m.start(), value))
    if fallback is None:
        for m in ANY_YEAR_DATE.finditer(f):
            if UPDATED.search(f[f.rfind("\n", 0, m.start()) + 1 : m.start()]):
                with contextlib.suppress(ValueError):
                    fallback = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                break
    return sorted(stated), fallback


def extract(doc: DocText, start: int = 0, end: int | None = None) -> list[ExtractedDecision]:
    """Every decision stated in the running text of ``doc`` (or of ``[start, end)``)."""
    from kiemtra.discipline.extraction.extractor import Item, fill_subject

    end = len(doc.folded) if end is None else end
    ctx = Context(doc)
    stated, fallback = _dates(doc)
    number = parts.number(doc, 0, min(end, 600))
    out: list[ExtractedDecision] = []
    seen: dict[str, tuple[int, int, bool]] = {}  # name → (index in out, sentence strength, …)
    previous: str | None = None
    for s, e in clauses.sentences(doc, start, end):
        mentions = ctx.mentions(s, e)
        found = clauses.read_sentence(doc, s, e, previous)
        if not found:
            if mentions:
                ctx.body = mentions[0][1]
            continue
        previous = found[-1].penalty
        body = _actor(doc, ctx, mentions, s, e)
        day = _day(doc, stated, fallback, e)
        # a sentence that names who decided and how outranks a headline repeating a name
        strength = int(bool(mentions)) + int(bool(clauses.DECIDE.search(doc.folded, s, e)))
        for item in found:
            key = fold(item.subject.name.text)
            replace: int | None = None
            if key in seen:
                index, before, _ = seen[key]
                if strength <= before:
                    continue
                replace = index
            d = ExtractedDecision(number=number, pattern=f"announcement:{item.pattern}")
            if body:
                d.issuing_body = doc.field(body.name, body.span, body.confidence)
                d.issuing_level = doc.field(body.level, body.span, body.confidence)
            if day:
                d.date = day
                value: dt.date = day.value
                d.term = Field(P.term_for(value.year, value.month, value.day), day.page, day.start, day.end, 0.9)
            d.action = doc.field("impose", item.penalty_span, 0.9)
            fill_subject(
                doc,
                d,
                Item(item.subject, item.penalty, item.penalty_span, item.confidence),
                ctx.province if body and body.level not in CENTRAL else None,
                central=bool(body and body.level in CENTRAL),
            )
            if replace is None:
                seen[key] = (len(out), strength, True)
                out.append(d)
            else:
                seen[key] = (replace, strength, True)
                out[replace] = d
        if body:
            ctx.body = body
    return out


def _actor(doc: DocText, ctx: Context, mentions: list[tuple[re.Match[str], Body]], start: int, end: int) -> Body | None:
    """The body deciding in sentence ``[start, end)``: the mention nearest before the verb, else the context."""
    f = doc.folded
    verb = clauses.PENALTY.search(f, start, end) or clauses.TRIGGER.search(f, start, end)
    limit = verb.start() if verb else end
    before = [(m, b) for m, b in mentions if m.start() < limit]
    if before:
        return before[-1][1]
    if ctx.body is not None:
        b = ctx.body
        return Body(b.level, b.name, b.span if b.span.end > b.span.start else doc.raw_span(start, start + 1), 0.8)
    return None


def _day(doc: DocText, stated: list[tuple[int, dt.date]], fallback: dt.date | None, before: int) -> Field | None:
    """The last date stated before the end of the decision's sentence, else the dateline."""
    chosen = [(pos, value) for pos, value in stated if pos < before]
    if chosen:
        pos, value = chosen[-1]
        return doc.field(value, doc.raw_span(pos, pos + 10), 0.9)
    if fallback:
        return doc.field(fallback, doc.raw_span(0, 1), 0.7)
    return None
