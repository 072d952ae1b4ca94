"""Write the *wording* corpus: decisions and published announcements in the many ways real texts phrase them.

.venv/bin/python tests/data/discipline/make_wording.py            # every split
.venv/bin/python tests/data/discipline/make_wording.py eval       # one split

``make_corpus.py`` writes documents in one template; the extractor scored 100 % there and far less on
wording it had never seen. This generator writes, from patterns noted while reading published
communiqués and discipline news (never their sentences; every person is invented, places are mixed),
three kinds of document in three splits:

- ``digital``: signed decisions (PDF with a text layer) whose "Điều 1" varies: the member named
  before the verb, the birth year in every form (full date of birth, "sinh năm", "năm sinh:", in
  parentheses after the name or after the position), ranks before the name, the penalty wrapped
  around the name, an organisation followed by ", nhiệm kỳ …, vì đã vi phạm …";
- ``scan``: some of those, degraded like a scanner would and saved as image-only PDFs;
- ``announcement``: announcements, communiqués and news of a meeting (.txt, some .pdf): the penalty
  first and a list of organisations and people, several penalties under one verb, passive voice,
  abbreviated issuing bodies, the body carried over from an earlier sentence or the header, votes,
  "hình thức tương tự", dismissal as "cách tất cả các chức vụ trong Đảng" or a chain of "cách
  chức …", and near-misses that decide nothing (proposals, "phê bình", a civil servant's
  administrative discipline) which must give no record.

Splits, each from its own seed: ``train`` and ``dev`` (rules are written and confidence is
calibrated on these) and ``eval`` (written and committed before any tuning; nothing is tuned on it).
Each split folder holds its files and a ``labels.json`` in the format of ``make_corpus.py``, plus
``subject_term`` (an organisation's "nhiệm kỳ 2015–2020") and, per decision, the ``pattern`` it
was written in (for the bench's per-pattern table).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import random
import shutil
import sys
import unicodedata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_corpus as mc  # noqa: E402

HERE = Path(__file__).resolve().parent / "wording"
SEEDS = {"train": 1101, "dev": 2202, "eval": 3303}
SIZES = {  # (digital, scans, announcements)
    "train": (30, 5, 45),
    "dev": (20, 4, 30),
    "eval": (34, 10, 48),
}

RANKS = ["Đại tá", "Thượng tá", "Trung tá", "Thiếu tá", "Thiếu tướng", "Đại úy"]
FORCE_UNITS = [
    ("Phó Giám đốc", "Công an tỉnh {p}"),
    ("Trưởng phòng", "Phòng Cảnh sát kinh tế, Công an tỉnh {p}"),
    ("Trưởng Công an", "huyện {c}, tỉnh {p}"),
    ("Chỉ huy trưởng", "Bộ Chỉ huy Quân sự tỉnh {p}"),
    ("Phó Chỉ huy trưởng", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh {p}"),
]
COMMUNES2 = ["Phú Mỹ", "Thạch Bình", "Đông Hòa", "An Lạc", "Tân Thành", "Hòa Xuân", "Nghĩa Lộ", "Vĩnh Hưng",
             "Long Điền", "Quế Sơn", "Bình Lục", "Tam Đảo", "Yên Mô", "Cẩm Khê", "Thanh Ba", "Lục Ngạn"]  # fmt: skip
MONTH_WORD = {1: "1", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6", 7: "7", 8: "8", 9: "9", 10: "10", 11: "11", 12: "12"}


@dataclasses.dataclass
class Rec:
    """One expected record, the fields the wording corpus labels."""

    number: str | None
    date: str
    issuing_body: str
    issuing_level: str
    subject_type: str
    subject_name: str
    birth_year: int | None
    positions: list[str]
    penalty: str
    action: str
    term: str
    subject_term: str | None
    pattern: str


def strip_marks(text: str) -> str:
    out = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return out.replace("đ", "d").replace("Đ", "D")


class W:
    """The random choices of one split."""

    def __init__(self, seed: int) -> None:
        self.gen = mc.Gen(seed)
        self.rng = self.gen.rng

    def pick(self, items: list[Any]) -> Any:
        return self.rng.choice(items)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def province(self) -> str:
        return self.pick(mc.PROVINCES)

    # ---- a member: name, birth year, positions (committee first), optional rank
    def member(self, p: str, *, central: bool = False, rank: bool = False) -> dict[str, Any]:
        name, _ = self.gen.person()
        year = self.rng.randrange(1958, 1990)
        tinh = "thành phố" if p in mc.CITIES else "tỉnh"
        tu = "Thành ủy" if p in mc.CITIES else "Tỉnh ủy"
        c = self.pick(COMMUNES2)
        if rank:
            title, unit = self.pick(FORCE_UNITS)
            unit = unit.format(p=p, c=c)
            positions = [f"{title} {unit}"]
            return {"name": name, "year": year, "positions": positions, "rank": self.pick(RANKS)}
        if central:
            title, unit = self.pick(
                [
                    ("Thứ trưởng", self.pick(mc.MINISTRIES)),
                    ("Chủ tịch", f"Ủy ban nhân dân {tinh} {p}"),
                    ("Bí thư", f"{tu} {p}"),
                    ("Tổng Giám đốc", self.pick(mc.CORPORATIONS)),
                    ("Phó Chủ tịch", f"Ủy ban nhân dân {tinh} {p}"),
                ]
            )
        else:
            title, unit = self.pick(
                [
                    ("Giám đốc", f"Sở {self.pick(mc.DEPARTMENTS)} {tinh} {p}"),
                    ("Phó Giám đốc", f"Sở {self.pick(mc.DEPARTMENTS)} {tinh} {p}"),
                    ("Chủ tịch", f"Ủy ban nhân dân xã {c}"),
                    ("Bí thư", f"Đảng ủy xã {c}"),
                    ("Trưởng phòng", f"Phòng Tài nguyên và Môi trường huyện {c}"),
                    ("Phó Chủ tịch", f"Ủy ban nhân dân {tinh} {p}"),
                ]
            )
        former = "nguyên " if self.chance(0.3) else ""
        positions = [f"{former}{title} {unit}"]
        if self.chance(0.35):
            positions.insert(0, self.pick([f"Ủy viên Ban Thường vụ {tu}", f"{tu} viên"]))
        if title == "Bí thư" and positions[0].startswith(("Ủy viên", "Tỉnh", "Thành")):
            positions = positions[1:]
        return {"name": name, "year": year, "positions": positions, "rank": None}

    def organization(self, p: str) -> tuple[str, str | None]:
        tu = "Thành ủy" if p in mc.CITIES else "Tỉnh ủy"
        tinh = "thành phố" if p in mc.CITIES else "tỉnh"
        c = self.pick(COMMUNES2)
        name = self.pick(
            [
                f"Ban Thường vụ {tu} {p}",
                f"Ban cán sự đảng Ủy ban nhân dân {tinh} {p}",
                f"Ban Thường vụ Đảng ủy xã {c}",
                f"Đảng ủy Sở {self.pick(mc.DEPARTMENTS)} {tinh} {p}",
                f"Ban Thường vụ Huyện ủy {c}",
                f"Chi bộ Phòng Tài chính – Kế hoạch huyện {c}",
                f"Đảng đoàn Hội đồng nhân dân {tinh} {p}",
            ]
        )
        term = None
        if not name.startswith("Chi bộ"):
            term = self.pick(["2015–2020", "2020–2025", "2016–2021", "2021–2026", "2010–2015"])
        return name, term

    # ---- wording of the pieces
    def birth(self, year: int) -> tuple[str, str]:
        """(how the birth year is written, where: 'after_name' | 'paren' | 'after_position')."""
        day, month = self.rng.randrange(1, 29), self.rng.randrange(1, 13)
        form = self.pick(
            [
                f"sinh năm {year}",
                f"năm sinh: {year}",
                f"năm sinh {year}",
                f"sinh ngày {day:02d}/{month:02d}/{year}",
                f"sinh ngày {day}/{month}/{year}",
                f"sinh ngày {day} tháng {month} năm {year}",
                f"ngày sinh: {day:02d}/{month:02d}/{year}",
                f"SN {year}",
                f"sinh năm: {year}",
            ]
        )
        where = self.pick(["after_name", "after_name", "paren", "after_position", "paren_bare"])
        return form, where

    def person_text(self, m: dict[str, Any], *, lead: str | None = None, birth: bool = True) -> str:
        """'đồng chí Nguyễn Văn An (sinh năm 1970), Giám đốc …' in one of its orders."""
        positions = ", ".join(m["positions"])
        lead = lead if lead is not None else self.pick(["đồng chí ", "đồng chí ", "ông ", "đảng viên ", ""])
        if m["rank"]:
            lead = self.pick([lead, ""]) + m["rank"] + " "
        name = m["name"]
        if not birth or m["year"] is None:
            return f"{lead}{name}, {positions}"
        form, where = self.birth(m["year"])
        if where == "paren":
            return f"{lead}{name} ({form}), {positions}"
        if where == "paren_bare":
            return f"{lead}{name} ({m['year']}), {positions}"
        if where == "after_position":
            sep = self.pick([", ", " "])
            return f"{lead}{name}, {positions}{sep}({form})" if sep == " " else f"{lead}{name}, {positions}, {form}"
        return f"{lead}{name}, {form}, {positions}"

    def penalty_words(self, code: str, kind: str) -> str:
        if code == "dismissal" and kind == "member":
            return self.pick(
                ["cách chức", "cách tất cả các chức vụ trong Đảng", "cách chức tất cả các chức vụ trong Đảng"]
            )
        if code == "expulsion":
            return self.pick(["khai trừ ra khỏi Đảng", "khai trừ khỏi Đảng", "khai trừ"])
        return {"reprimand": "khiển trách", "warning": "cảnh cáo", "dissolution": "giải tán"}[code]

    def penalty(self, kind: str) -> str:
        if kind == "organization":
            return self.pick(["reprimand", "warning", "warning"])
        return self.pick(["reprimand", "warning", "warning", "dismissal", "expulsion"])


# ------------------------------------------------------------------ signed decisions (PDF)


def decision(w: W, k: int) -> tuple[str, list[Rec]]:
    """A signed decision whose Điều 1 is in one of the varied wordings."""
    rng = w.rng
    level = w.pick(["provincial_commission", "provincial_committee", "central_commission", "commune_commission",
                    "provincial_commission", "politburo", "secretariat"])  # fmt: skip
    body = w.gen.body(level)
    era = "XIII-late" if level.startswith("commune") else w.pick(["XIII", "XIII", "XII", "XIV"])
    day = w.gen.date(era)
    number = w.gen.number(body.suffix)
    p = body.province or w.province()
    central = level in ("central_commission", "politburo", "secretariat")
    pattern = w.pick(["subject_first", "birth_forms", "wrapped", "rank", "organization_term", "dismissal_all",
                      "by_penalty", "several"])  # fmt: skip
    if level in ("politburo", "secretariat") and pattern != "organization_term":
        pattern = w.pick(["subject_first", "birth_forms", "wrapped", "organization_term"])
    recs: list[Rec] = []

    def rec(name: str, kind: str, year: int | None, positions: list[str], pen: str, term: str | None) -> None:
        recs.append(Rec(number, day.isoformat(), body.name, level, kind, name, year, positions, pen, "impose",
                        mc.term_for(day), term, pattern))  # fmt: skip

    if pattern == "organization_term":
        org, term = w.organization(p)
        pen = w.penalty("organization")
        violations, _ = mc.violation_text(w.gen)
        term_txt = f", nhiệm kỳ {term}" if term else ""
        reason = f", vì đã {violations}" if w.chance(0.6) else ""
        a1 = w.pick(
            [
                f"Thi hành kỷ luật bằng hình thức {w.penalty_words(pen, 'organization').capitalize()} đối với {org}{term_txt}{reason}.",
                f"Thi hành kỷ luật {org}{term_txt} bằng hình thức {w.penalty_words(pen, 'organization')}{reason}.",
                f"{w.penalty_words(pen, 'organization').capitalize()} {org}{term_txt}{reason}.",
            ]
        )
        rec(org, "organization", None, [], pen, term)
        title_who = org
    elif pattern == "several":
        ms = [w.member(p, central=central) for _ in range(rng.randrange(2, 4))]
        pens = [w.penalty("member") for _ in ms]
        lines = []
        for i, (m, pen) in enumerate(zip(ms, pens, strict=True), 1):
            lines.append(
                w.pick(
                    [
                        f"{i}. {w.penalty_words(pen, 'member').capitalize()} đối với {w.person_text(m)};",
                        f"{i}. {w.person_text(m, lead='Đồng chí ')}: {w.penalty_words(pen, 'member')};",
                    ]
                )
            )
            rec(m["name"], "member", m["year"], m["positions"], pen, None)
        a1 = "Thi hành kỷ luật các đồng chí có tên sau:<br>" + "<br>".join(lines)
        title_who = "các đảng viên"
    else:
        m = w.member(p, central=central, rank=pattern == "rank")
        pen = w.penalty("member")
        if pattern == "wrapped":
            pen = w.pick(["expulsion", "dismissal", "warning"])
        words = w.penalty_words(pen, "member")
        person = w.person_text(m)
        if pattern == "subject_first":
            lead = w.pick(["Đồng chí ", "Đảng viên ", ""])
            positions = ", ".join(m["positions"])
            form, _where = w.birth(m["year"])
            sep = w.pick([" – ", ", ", " - "])
            who = w.pick([f"{lead}{m['name']}{sep}{positions} ({form})", f"{lead}{m['name']} ({form}){sep}{positions}"])
            a1 = w.pick(
                [
                    f"{who} bị thi hành kỷ luật với hình thức {words}.",
                    f"{who}, bị thi hành kỷ luật bằng hình thức {words}.",
                    f"{who} bị kỷ luật {words}.",
                ]
            )
        elif pattern == "wrapped":
            if pen == "expulsion":
                a1 = w.pick(
                    [f"Thi hành kỷ luật khai trừ {person} ra khỏi Đảng.", f"Kỷ luật khai trừ {person} ra khỏi Đảng."]
                )
            elif pen == "dismissal":
                a1 = f"Cách tất cả các chức vụ trong Đảng đối với {person}."
            else:
                a1 = f"Kỷ luật {words} {person}."
        elif pattern == "dismissal_all":
            pen = "dismissal"
            a1 = w.pick(
                [
                    f"Thi hành kỷ luật {person}, bằng hình thức cách tất cả các chức vụ trong Đảng.",
                    f"Thi hành kỷ luật bằng hình thức cách chức {', '.join(m['positions'])} đối với {person}.",
                ]
            )
        else:  # by_penalty, birth_forms, rank
            a1 = w.pick(
                [
                    f"Thi hành kỷ luật bằng hình thức {words.capitalize()} đối với {person}.",
                    f"Thi hành kỷ luật {person}, bằng hình thức {words}.",
                    f"Thi hành kỷ luật {words} đối với {person}.",
                ]
            )
        rec(m["name"], "member", m["year"], m["positions"], pen, None)
        title_who = f"đồng chí {m['name']}"
    refs = mc.legal_basis_for(day, rng)
    violations, _ = mc.violation_text(w.gen)
    signer, _ = w.gen.person()
    parts = [mc.header_html(body, number, day, w.chance(0.5))]
    parts.append(f"<h1>QUYẾT ĐỊNH</h1><h2>về việc thi hành kỷ luật đối với {mc.esc(title_who)}</h2>")
    parts.extend(f"<p>- {mc.esc(mc.REGULATIONS[r])}</p>" for r in refs)
    parts.append(f"<p>Qua kiểm tra cho thấy, {mc.esc(title_who)} đã {mc.esc(violations)}.</p>")
    parts.append("<p>Xét nội dung, tính chất, mức độ, hậu quả, nguyên nhân vi phạm,</p>")
    parts.append(f"<p class='ni c'><b>{mc.esc(body.decider)} QUYẾT ĐỊNH:</b></p>")
    parts.append(f"<p><b>Điều 1.</b> {mc.esc(a1).replace('&lt;br&gt;', '<br>')}</p>")
    parts.append("<p><b>Điều 2.</b> Quyết định này có hiệu lực kể từ ngày ký.</p>")
    parts.append(
        f"<p><b>Điều 3.</b> Các tổ chức đảng có liên quan và đồng chí có tên tại Điều 1 chịu trách nhiệm thi hành "
        "Quyết định này.</p>"
    )
    parts.append(mc.sign_html(body, signer, ["- Như Điều 3,", "- Lưu Văn phòng."]))
    return "".join(parts), recs


# ------------------------------------------------------------------ announcements (running text)

CENTRAL_BODIES = {
    "central_commission": ("Ủy ban Kiểm tra Trung ương", ["Ủy ban Kiểm tra Trung ương", "UBKT Trung ương",
                                                         "UBKTTW", "UBKT T.Ư", "Ủy ban Kiểm tra T.Ư"]),
    "politburo": ("Bộ Chính trị", ["Bộ Chính trị"]),
    "secretariat": ("Ban Bí thư", ["Ban Bí thư", "Ban Bí thư Trung ương Đảng"]),
    "central_committee": ("Ban Chấp hành Trung ương", ["Ban Chấp hành Trung ương Đảng", "BCH Trung ương",
                                                       "BCH TW", "Trung ương Đảng"]),
}  # fmt: skip


def provincial_body(w: W, level: str, p: str) -> tuple[str, list[str], str]:
    """(label name, ways to write it, how a carried-over mention is written)."""
    tu = "Thành ủy" if p in mc.CITIES else "Tỉnh ủy"
    if level == "provincial_commission":
        return f"Ủy ban Kiểm tra {tu} {p}", [f"Ủy ban Kiểm tra {tu} {p}", f"UBKT {tu} {p}"], "Ủy ban Kiểm tra"
    return f"Ban Thường vụ {tu} {p}", [f"Ban Thường vụ {tu} {p}", f"BTV {tu} {p}"], f"Ban Thường vụ {tu}"


def vn_day(day: dt.date, with_year: bool = True) -> str:
    return f"{day.day}/{day.month}/{day.year}" if with_year else f"{day.day}/{day.month}"


def subject_list(w: W, subjects: list[tuple[str, Any]], *, with_birth: bool) -> str:
    """Subjects under one penalty: 'đồng chí A, …; đồng chí B, …' or 'A và B' or 'các đồng chí: A, …; B, …'."""
    texts = []
    for kind, s in subjects:
        if kind == "organization":
            name, term = s
            texts.append(
                f"{name}{', nhiệm kỳ ' + term if term and w.chance(0.7) else (' nhiệm kỳ ' + term if term else '')}"
            )
        else:
            texts.append(w.person_text(s, lead="" if len(subjects) > 1 and w.chance(0.5) else None, birth=with_birth))
    if len(texts) == 1:
        return texts[0]
    if all(k == "member" for k, _ in subjects) and w.chance(0.5):
        return "các đồng chí: " + "; ".join(t.removeprefix("đồng chí ").removeprefix("ông ") for t in texts)
    return "; ".join(texts[:-1]) + w.pick(["; ", " và ", "; và "]) + texts[-1]


def announcement(w: W, k: int) -> tuple[str, list[Rec], str]:
    """One announcement / communiqué / news text with its records; returns (text, records, pattern family)."""
    family = w.pick(["meeting", "meeting", "politburo_news", "central_committee", "provincial_news",
                     "provincial_news", "passive", "near_miss"])  # fmt: skip
    rng = w.rng
    era = w.pick(["XIII", "XIII", "XIII-late", "XIV"])
    day = w.gen.date(era)
    pub = day + dt.timedelta(days=rng.randrange(0, 3))
    p = w.province()
    recs: list[Rec] = []
    lines: list[str] = []
    number: str | None = None

    if family in ("meeting", "near_miss"):
        level = "central_commission" if family == "near_miss" or w.chance(0.6) else "provincial_commission"
    elif family == "politburo_news":
        level = w.pick(["politburo", "secretariat"])
    elif family == "central_committee":
        level = "central_committee"
    elif family == "passive":
        level = w.pick(["politburo", "secretariat", "provincial_committee"])
    else:
        level = w.pick(["provincial_committee", "provincial_commission"])
    if level in CENTRAL_BODIES:
        label_body, writings = CENTRAL_BODIES[level]
        carried = {"central_commission": "Ủy ban Kiểm tra Trung ương", "politburo": "Bộ Chính trị",
                   "secretariat": "Ban Bí thư", "central_committee": "Trung ương"}[level]  # fmt: skip
        central = True
    else:
        label_body, writings, carried = provincial_body(w, level, p)
        central = False
    first_name = w.pick(writings)
    later_name = w.pick([first_name, carried, w.pick(writings)])

    def rec(kind: str, name: str, year: int | None, positions: list[str], pen: str, term: str | None, pat: str) -> None:
        recs.append(Rec(number, day.isoformat(), label_body, level, kind, name, year, positions, pen, "impose",
                        mc.term_for(day), term, pat))  # fmt: skip

    # a header: an official announcement, an ALL CAPS or diacritic-less title, or a news headline
    style = w.pick(["official", "news", "news", "caps"])
    if style == "official" and level in ("central_commission", "provincial_commission"):
        number = w.gen.number("TB/UBKTTW" if central else "TB/UBKTTU")
        head = ["BAN CHẤP HÀNH TRUNG ƯƠNG" if central else f"TỈNH ỦY {p.upper()}", "ỦY BAN KIỂM TRA", "*",
                f"Số {number}", "ĐẢNG CỘNG SẢN VIỆT NAM", f"{'Hà Nội' if central else p}, ngày {pub.day} tháng "
                f"{pub.month} năm {pub.year}", "", "THÔNG BÁO"]  # fmt: skip
        lines.extend(head)
        lines.append(
            w.pick(["Kết quả kỳ họp", "Kết quả Kỳ họp thứ " + str(rng.randrange(5, 60))]) + f" của {first_name}"
        )
    else:
        style = "news" if style == "official" else style
        headline = w.pick(
            [
                f"{first_name} thi hành kỷ luật nhiều cán bộ, đảng viên",
                f"Kỷ luật đảng viên vi phạm tại tỉnh {p}",
                f"Thông cáo về kết quả xem xét, xử lý kỷ luật",
                f"{first_name} xem xét, thi hành kỷ luật",
            ]
        )
        if style == "caps":
            headline = headline.upper() if w.chance(0.5) else strip_marks(headline).upper()
        lines.append(headline)
        lines.append(
            f"Cập nhật: {pub.day:02d}/{pub.month:02d}/{pub.year} {rng.randrange(7, 22)}:{rng.randrange(0, 60):02d}"
        )
    lines.append("")

    # when: the meeting's day(s)
    if w.chance(0.5):
        first = day - dt.timedelta(days=1)
        when = w.pick([f"Trong 2 ngày {first.day} và {vn_day(day)}", f"Trong các ngày {first.day}-{vn_day(day)}",
                       f"Từ ngày {first.day} đến ngày {vn_day(day)}"])  # fmt: skip
    else:
        when = w.pick([f"Ngày {vn_day(day)}", f"Ngày {day.day} tháng {day.month} năm {day.year}"])
    place = "tại Hà Nội" if central else f"tại {p}"
    chair, _ = w.gen.person("male")
    verb = w.pick(["đã họp", "họp", "đã tổ chức kỳ họp"])
    meeting_no = f" Kỳ họp thứ {rng.randrange(5, 60)}" if level.endswith("commission") and w.chance(0.6) else ""
    lines.append(f"{when}, {place}, {first_name} {verb}{meeting_no}. Đồng chí {chair} chủ trì.")
    violations, _ = mc.violation_text(w.gen)
    basis = w.pick(
        [
            "Căn cứ nội dung, tính chất, mức độ, hậu quả, nguyên nhân vi phạm và theo quy định của Đảng về kỷ luật đảng viên vi phạm,",
            "Xét nội dung, tính chất, mức độ, nguyên nhân vi phạm,",
            "Căn cứ Quy định của Đảng về xử lý kỷ luật tổ chức đảng, đảng viên vi phạm,",
        ]
    )
    last_pen: str | None = None
    n_blocks = rng.randrange(1, 4) if family != "near_miss" else 1

    for b in range(n_blocks):
        pat = family
        roll = rng.random()
        org = w.organization(p)
        while org[0] == label_body:  # a body does not discipline itself
            org = w.organization(p)
        members = [w.member(p, central=central, rank=w.chance(0.25)) for _ in range(rng.randrange(1, 4))]
        with_birth = w.chance(0.4)
        name_now = first_name if b == 0 else later_name
        if family == "near_miss" or (roll < 0.12 and b > 0):
            # proposals, criticism, administrative discipline: no record
            m = members[0]
            miss = w.pick(["proposal", "criticism", "administrative", "proposal_cc"])
            if miss == "proposal":
                lines.append(
                    f"{basis} {name_now} đề nghị Ban Bí thư xem xét, thi hành kỷ luật {w.person_text(m, birth=False)}."
                )
            elif miss == "proposal_cc":
                lines.append(
                    f"{name_now} đề nghị Bộ Chính trị, Ban Chấp hành Trung ương xem xét, thi hành kỷ luật "
                    f"khai trừ ra khỏi Đảng đối với {w.person_text(m, birth=False)}."
                )
            elif miss == "criticism":
                lines.append(f"{name_now} phê bình nghiêm khắc {w.person_text(m, birth=False)} và yêu cầu kiểm điểm.")
            else:
                lines.append(
                    f"Chủ tịch Ủy ban nhân dân tỉnh {p} đã ký quyết định kỷ luật hành chính bằng hình thức cảnh cáo "
                    f"đối với ông {m['name']}, công chức Văn phòng Ủy ban nhân dân huyện {w.pick(COMMUNES2)}."
                )
            if family == "near_miss" and w.chance(0.5):
                lines.append(
                    f"{name_now} yêu cầu Ban Thường vụ Tỉnh ủy {p} chỉ đạo kiểm điểm, xem xét xử lý trách nhiệm "
                    "các tổ chức, cá nhân có liên quan."
                )
            continue
        if org[0] and w.chance(0.5) and family != "passive":
            lines.append(f"{org[0]}{', nhiệm kỳ ' + org[1] if org[1] else ''} đã {violations}.")
        else:
            lines.append(f"Các đảng viên nêu trên đã {violations}.")
        if family in ("meeting", "provincial_news", "politburo_news") or (family == "central_committee" and roll < 0.3):
            # penalty first, lists of subjects, several penalties under one verb
            groups: list[tuple[str, list[tuple[str, Any]]]] = []
            if w.chance(0.6):
                groups.append((w.penalty("organization"), [("organization", org)]))
            pool = list(members)
            while pool:
                take = pool[: rng.randrange(1, len(pool) + 1)]
                pool = pool[len(take) :]
                groups.append((w.penalty("member"), [("member", m) for m in take]))
            clauses = []
            for gi, (pen, subs) in enumerate(groups):
                words = w.penalty_words(pen, subs[0][0])
                same = last_pen == pen and gi > 0 and w.chance(0.5)
                if words == "khai trừ ra khỏi Đảng" and len(subs) == 1 and subs[0][0] == "member" and w.chance(0.5):
                    clauses.append(f"khai trừ {subject_list(w, subs, with_birth=with_birth)} ra khỏi Đảng")
                elif same:
                    clauses.append(f"{w.pick(['cùng hình thức đối với', 'hình thức tương tự đối với'])} "
                                   f"{subject_list(w, subs, with_birth=with_birth)}")  # fmt: skip
                else:
                    connector = w.pick(["", "đối với ", "đối với "])
                    clauses.append(f"{words} {connector}{subject_list(w, subs, with_birth=with_birth)}")
                for kind, s in subs:
                    if kind == "organization":
                        rec("organization", s[0], None, [], pen, s[1], "penalty_first_list")
                    else:
                        rec("member", s["name"], s["year"] if with_birth else None, s["positions"], pen, None,
                            "penalty_first_list" if len(groups) > 1 else "penalty_first")  # fmt: skip
                last_pen = pen
            verbs = {
                "politburo_news": ["quyết định thi hành kỷ luật", "đã quyết định kỷ luật", "quyết định kỷ luật"],
                "central_committee": ["đã bỏ phiếu tán thành kỷ luật", "biểu quyết thi hành kỷ luật"],
            }.get(family, ["quyết định thi hành kỷ luật", "quyết định thi hành kỷ luật:", "quyết định kỷ luật",
                           "đã thi hành kỷ luật bằng hình thức"])  # fmt: skip
            verb = w.pick(verbs)
            if verb.endswith("bằng hình thức") and any(c.startswith("khai trừ đ") or "tương tự" in c for c in clauses):
                verb = "quyết định thi hành kỷ luật"
            lines.append(f"{basis} {name_now} {verb} {'; '.join(clauses)}.")
        elif family == "central_committee":
            m = members[0]
            pen = w.pick(["expulsion", "dismissal", "warning"])
            words = w.penalty_words(pen, "member")
            verb = w.pick(["đã thảo luận, bỏ phiếu tán thành kỷ luật", "biểu quyết, quyết định thi hành kỷ luật",
                           "đã bỏ phiếu quyết định thi hành kỷ luật"])  # fmt: skip
            if pen == "dismissal" and w.chance(0.5):
                chain = "; ".join(f"cách chức {x}" for x in ["Ủy viên Ban Chấp hành Trung ương Đảng", *m["positions"]])
                lines.append(f"Ban Chấp hành Trung ương Đảng {verb} đồng chí {m['name']} bằng hình thức {chain}.")
                rec("member", m["name"], None, m["positions"], pen, None, "dismissal_chain")
            elif pen == "expulsion" and w.chance(0.5):
                lines.append(
                    f"{name_now} {verb} khai trừ {w.person_text(m, lead='đồng chí ', birth=False)} ra khỏi Đảng."
                )
                rec("member", m["name"], None, m["positions"], pen, None, "vote")
            else:
                lines.append(f"{name_now} {verb} {words} đối với {w.person_text(m, lead='đồng chí ', birth=False)}.")
                rec("member", m["name"], None, m["positions"], pen, None, "vote")
        else:  # passive
            m = members[0]
            pen = w.penalty("member")
            words = w.penalty_words(pen, "member")
            lines.append(
                f"{w.person_text(m, lead='Đồng chí ', birth=with_birth).replace('Đồng chí ', 'Đồng chí ', 1)} "
                f"bị {name_now} thi hành kỷ luật bằng hình thức {words}."
            )
            rec("member", m["name"], m["year"] if with_birth else None, m["positions"], pen, None, "passive")
            if len(members) > 1:
                m2 = members[1]
                same = w.chance(0.5)
                pen2 = pen if same else w.penalty("member")
                tail = "bằng hình thức tương tự" if same else f"bằng hình thức {w.penalty_words(pen2, 'member')}"
                lines.append(f"{w.person_text(m2, lead='Ông ', birth=False)} cũng bị {later_name} kỷ luật {tail}.")
                rec("member", m2["name"], None, m2["positions"], pen2, None, "passive_reference" if same else "passive")
        if w.chance(0.3):
            lines.append(f"{name_now} yêu cầu các tổ chức đảng có liên quan kiểm điểm, rút kinh nghiệm.")
    if w.chance(0.4):
        lines.append(f"Cũng tại kỳ họp, {later_name} đã xem xét, giải quyết một số nội dung quan trọng khác.")
    text = "\n".join(lines) + "\n"
    # a long paragraph wrapped at odd places, as copied from a web page
    if w.chance(0.3):
        text = text.replace(". ", ".\n", 1)
    return text, recs, family


# ------------------------------------------------------------------ writing a split


def write_split(split: str) -> None:
    w = W(SEEDS[split])
    n_digital, n_scans, n_ann = SIZES[split]
    out = HERE / split
    shutil.rmtree(out, ignore_errors=True)
    for sub in ("digital", "scans", "announcements"):
        (out / sub).mkdir(parents=True)
    files: dict[str, Any] = {}

    def put(rel: str, data: bytes, kind: str, recs: list[Rec], **extra: Any) -> None:
        (out / rel).write_bytes(data)
        files[rel] = {"kind": kind, "decisions": [dataclasses.asdict(r) for r in recs], **extra}

    for k in range(n_digital):
        html, recs = decision(w, k)
        put(f"digital/qd-{k + 1:02d}.pdf", mc.render_pdf(html), "digital", recs)
    for k in range(n_scans):
        html, recs = decision(w, k)
        pages = mc.degrade(mc.render_pdf(html, font=12), w.rng)
        put(f"scans/scan-{k + 1:02d}.pdf", mc.image_pdf(pages, w.rng.randrange(40, 60)), "scan", recs, pages=len(pages))
    for k in range(n_ann):
        text, recs, family = announcement(w, k)
        if k % 6 == 5:
            body = "".join(f"<p class='ni'>{mc.esc(line)}</p>" for line in text.splitlines() if line.strip())
            put(f"announcements/tb-{k + 1:02d}.pdf", mc.render_pdf(body), "announcement", recs, family=family)
        else:
            put(f"announcements/tb-{k + 1:02d}.txt", text.encode(), "announcement", recs, family=family)
    (out / "labels.json").write_text(json.dumps({"files": files}, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    n = sum(len(v["decisions"]) for v in files.values())
    print(f"{split}: {len(files)} files, {n} records")


def main() -> None:
    for split in sys.argv[1:] or list(SEEDS):
        write_split(split)


if __name__ == "__main__":
    main()
