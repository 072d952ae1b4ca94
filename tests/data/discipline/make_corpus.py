"""Write the labelled corpus of Party disciplinary documents the extraction engine is measured on.

.venv/bin/python tests/data/discipline/make_corpus.py

Deterministic (one seeded ``random.Random``): the same PDFs, scans and ``labels.json``
come out on every run, so the tests and ``bench/extraction.py`` read committed files.

What it writes, next to this script:

- ``digital/``: born-digital PDFs rendered from HTML by WeasyPrint in the official layout
  (national motto, issuing body top-left, number, place and date, title, "Căn cứ" paragraphs,
  the finding, "QUYẾT ĐỊNH:", Điều 1-3, signature block, "Nơi nhận"): single decisions at every
  level, decisions on several members (a list or a table), decisions on Party organisations,
  decisions that change or annul an earlier one, communiqués of a meeting of the Central
  Inspection Commission listing many cases, and PDFs that concatenate several decisions.
  Some carry typos in keywords (never in names or numbers), names broken across lines.
- ``scans/``: single-page decisions rendered at 300 dpi and degraded like a scanner would
  (rotation, blur, speckles, uneven light, JPEG artefacts), saved as image-only PDFs
  (grayscale JPEG inside) and a few PNG/JPEG files.
- ``bad/``: a truncated PDF, an encrypted PDF, a blank page, a meeting invitation, a
  statistics report (mentions discipline, decides nothing), an unsupported file, and the
  same decision as a digital one under another name (a duplicate).
- ``labels.json``: for every file, the decisions it holds (the ground truth fields), or the
  outcome expected for a bad file.

Label conventions (what the document tells, nothing more): ``gender`` is set when the
document states it, or when the middle name is "Văn" (male) or "Thị" (female), else null;
``province`` is the province of the issuing body, else of the subject's unit, else null;
``legal_basis`` is the "; "-joined list of the regulations cited in the "Căn cứ" paragraphs
("Điều lệ Đảng", "Quy định 69-QĐ/TW", ...); ``term`` is the congress term in force on the
decision date; organisations have no ``unit``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import json
import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = 20250711

# ---------------------------------------------------------------- pools

SURNAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Mai", "Tạ", "Cao", "Đoàn", "Vương",
    "Hà", "Lâm", "Chu", "Quách", "Thái", "Kiều", "Lại", "Triệu",
]  # fmt: skip
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Tiến", "Mạnh", "Trọng", "Đình", "Quốc", "Hoàng"]
MIDDLE_FEMALE = ["Thị", "Thu", "Ngọc", "Thúy", "Kim", "Hồng", "Phương", "Bích", "Thanh", "Diệu"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Hiếu", "Khánh", "Long", "Nam", "Phong", "Quân",
    "Sơn", "Thắng", "Tuấn", "Việt", "Vinh", "Trung", "Kiên", "Nghĩa", "Toàn", "Đạt", "Huy",
    "Thành", "Tùng", "Hưng", "Lợi", "Phúc", "Chiến", "Thịnh",
]  # fmt: skip
GIVEN_FEMALE = [
    "Hà", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Nhung", "Oanh", "Phương",
    "Quyên", "Thảo", "Trang", "Tuyết", "Vân", "Yến", "Loan", "Huyền", "Thủy", "Dung", "Liên",
]  # fmt: skip
SECOND_GIVEN = ["Thùy", "Anh", "Minh", "Bảo", "Thanh", "Hải", "Ngọc"]

PROVINCES = [
    "Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Nghệ An", "Hà Tĩnh", "Quảng Ninh",
    "Lào Cai", "Tuyên Quang", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Ninh Bình",
    "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai",
    "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang", "Cao Bằng", "Lai Châu",
    "Điện Biên", "Lạng Sơn", "Sơn La", "Thanh Hóa",
]  # fmt: skip
CITIES = {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}
COMMUNES = [
    "Hưng Nguyên", "Tân Kỳ", "Yên Thành", "Diễn Châu", "Quỳnh Lưu", "Tiên Du", "Gia Bình",
    "Phù Cừ", "Kim Sơn", "Hải Lăng", "Mộ Đức", "Chư Sê", "Cam Lâm", "Di Linh", "Krông Pắc",
    "Định Quán", "Gò Dầu", "Trà Ôn", "Tháp Mười", "Năm Căn", "Tri Tôn", "Trùng Khánh",
]  # fmt: skip
WARDS = ["Ba Đình", "Hoàn Kiếm", "Lê Chân", "Hải Châu", "Ninh Kiều", "Vinh Phú", "Thành Sen"]
DEPARTMENTS = [
    "Tài chính", "Xây dựng", "Nông nghiệp và Môi trường", "Y tế", "Giáo dục và Đào tạo",
    "Công Thương", "Nội vụ", "Tư pháp", "Văn hóa, Thể thao và Du lịch", "Khoa học và Công nghệ",
]  # fmt: skip
MINISTRIES = ["Bộ Y tế", "Bộ Xây dựng", "Bộ Công Thương", "Bộ Tài chính", "Bộ Nông nghiệp và Môi trường"]
CORPORATIONS = [
    "Tổng công ty Đường sắt Việt Nam",
    "Tổng công ty Lương thực miền Nam",
    "Tập đoàn Công nghiệp Than – Khoáng sản Việt Nam",
    "Tổng công ty Cảng hàng không Việt Nam",
]
SCHOOLS = ["Trường Tiểu học {c}", "Trường Trung học cơ sở {c}", "Trạm Y tế xã {c}", "Hợp tác xã Nông nghiệp {c}"]

# Violation fragments and the categories they belong to (kiemtra.discipline.extraction.categories).
VIOLATIONS: list[tuple[str, list[str]]] = [
    ("vi phạm nguyên tắc tập trung dân chủ, quy chế làm việc", ["principles"]),
    ("thiếu trách nhiệm, buông lỏng lãnh đạo, chỉ đạo, thiếu kiểm tra, giám sát", ["inspection"]),
    ("vi phạm quy định trong quản lý, sử dụng đất đai, giao đất, cho thuê đất", ["land"]),
    ("vi phạm quy định về quản lý tài chính, đầu tư công, đấu thầu", ["economy"]),
    ("vi phạm quy định trong thực hiện dự án đầu tư xây dựng, gây thất thoát ngân sách nhà nước", ["economy"]),
    ("vi phạm quy định về công tác cán bộ, trong quy hoạch, bổ nhiệm, điều động cán bộ", ["personnel"]),
    ("vi phạm Quy định về những điều đảng viên không được làm", ["party_rules"]),
    ("suy thoái về tư tưởng chính trị, đạo đức, lối sống", ["ethics"]),
    ("vi phạm quy định về kê khai tài sản, thu nhập; kê khai không trung thực", ["asset_declaration"]),
    ("lợi dụng chức vụ, quyền hạn, nhận hối lộ, tham nhũng", ["corruption"]),
    ("vi phạm quy định về thực hành tiết kiệm, chống lãng phí", ["corruption"]),
    ("vi phạm chính sách, pháp luật của Nhà nước trong thực hiện chính sách an sinh xã hội", ["policy"]),
    ("vi phạm quy định về quản lý, cấp phép khai thác khoáng sản", ["economy"]),
    ("vi phạm Điều lệ Đảng, không chấp hành sự phân công của tổ chức", ["party_rules"]),
    ("vi phạm quy định của pháp luật về đất đai trong cấp giấy chứng nhận quyền sử dụng đất", ["land"]),
    ("thiếu trách nhiệm trong lãnh đạo, chỉ đạo công tác kiểm tra, giám sát", ["inspection"]),
]
CONSEQUENCES = [
    "",
    ", gây hậu quả nghiêm trọng, ảnh hưởng xấu đến uy tín của tổ chức đảng và cơ quan, đơn vị",
    ", gây dư luận xấu trong xã hội",
    ", gây hậu quả rất nghiêm trọng, gây bức xúc trong cán bộ, đảng viên và nhân dân",
]

PENALTY_VI = {
    "reprimand": "Khiển trách",
    "warning": "Cảnh cáo",
    "dismissal": "Cách chức",
    "expulsion": "Khai trừ ra khỏi Đảng",
    "dissolution": "Giải tán",
}
REGULATIONS = {
    "Điều lệ Đảng": "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
    "Quy định 30-QĐ/TW": "Căn cứ Quy định số 30-QĐ/TW, ngày 26/7/2016 của Ban Chấp hành Trung ương về thi hành "
    "Chương VII, Chương VIII Điều lệ Đảng về công tác kiểm tra, giám sát, kỷ luật của Đảng;",
    "Quy định 102-QĐ/TW": "Căn cứ Quy định số 102-QĐ/TW, ngày 15/11/2017 của Bộ Chính trị về xử lý kỷ luật "
    "đảng viên vi phạm;",
    "Quy định 22-QĐ/TW": "Căn cứ Quy định số 22-QĐ/TW, ngày 28/7/2021 của Ban Chấp hành Trung ương về công tác "
    "kiểm tra, giám sát và kỷ luật của Đảng;",
    "Quy định 69-QĐ/TW": "Căn cứ Quy định số 69-QĐ/TW, ngày 06/7/2022 của Bộ Chính trị về kỷ luật tổ chức đảng, "
    "đảng viên vi phạm;",
    "Quy định 296-QĐ/TW": "Căn cứ Quy định số 296-QĐ/TW, ngày 30/5/2025 của Ban Chấp hành Trung ương về công tác "
    "kiểm tra, giám sát và kỷ luật của Đảng;",
    "Hướng dẫn 02-HD/TW": "Căn cứ Hướng dẫn số 02-HD/TW, ngày 09/12/2021 của Ban Chấp hành Trung ương hướng dẫn "
    "thực hiện Quy định số 22-QĐ/TW;",
}


def legal_basis_for(day: dt.date, rng: random.Random) -> list[str]:
    """The regulations in force on ``day``, as a decision of that day would cite them."""
    if day < dt.date(2021, 7, 28):
        refs = ["Điều lệ Đảng", "Quy định 30-QĐ/TW", "Quy định 102-QĐ/TW"]
    elif day < dt.date(2022, 7, 6):
        refs = ["Điều lệ Đảng", "Quy định 22-QĐ/TW", "Quy định 102-QĐ/TW"]
    elif day < dt.date(2025, 5, 30):
        refs = ["Điều lệ Đảng", "Quy định 22-QĐ/TW", "Quy định 69-QĐ/TW"]
        if rng.random() < 0.3:
            refs.insert(2, "Hướng dẫn 02-HD/TW")
    else:
        refs = ["Điều lệ Đảng", "Quy định 296-QĐ/TW", "Quy định 69-QĐ/TW"]
    if rng.random() < 0.15:
        refs.remove("Điều lệ Đảng")
    return refs


def term_for(day: dt.date) -> str:
    if day < dt.date(2021, 2, 1):
        return "XII"
    if day < dt.date(2026, 1, 23):
        return "XIII"
    return "XIV"


# ---------------------------------------------------------------- model


@dataclass
class Body:
    """Who decides: the printed header lines, the deciding organ, the signature."""

    level: str
    name: str  # the label: deciding organ, fully qualified
    header: list[str]  # top-left lines, as printed (upper case)
    decider: str  # "ỦY BAN KIỂM TRA TỈNH ỦY" in "… QUYẾT ĐỊNH:"
    tm: str  # "T/M ỦY BAN KIỂM TRA"
    signer_title: str  # "CHỦ NHIỆM"
    suffix: str  # number suffix "QĐ/UBKTTU"
    place: str
    province: str | None
    mixed: str  # the name in running text (mixed case), for Điều 3


@dataclass
class Subject:
    kind: str  # member | organization
    name: str
    birth_year: int | None = None
    gender: str | None = None  # the truth
    gender_stated: bool = False
    positions: list[str] = field(default_factory=list)
    unit: str | None = None
    province: str | None = None
    probationary: bool = False
    committee_member: bool | None = None


@dataclass
class Label:
    number: str | None
    date: str
    issuing_body: str
    issuing_level: str
    subject_type: str
    subject_name: str
    birth_year: int | None
    gender: str | None
    positions: list[str]
    party_committee_member: bool | None
    unit: str | None
    province: str | None
    probationary: bool | None
    penalty: str | None
    action: str
    violations: str | None
    violation_categories: list[str]
    legal_basis: str | None
    signer: str | None
    effective_date: str | None
    term: str
    amends_number: str | None
    subject_term: str | None = None  # an organisation's own term of office, not part of its name


def label_gender(s: Subject) -> str | None:
    if s.kind != "member":
        return None
    if s.gender_stated:
        return s.gender
    middle = s.name.split()[1] if len(s.name.split()) > 2 else ""
    return {"Văn": "male", "Thị": "female"}.get(middle)


class Gen:
    """All the random choices, from one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_names: set[str] = set()
        self.numbers: dict[str, int] = {}

    def pick(self, items: list[Any]) -> Any:
        return self.rng.choice(items)

    def person(self, gender: str | None = None) -> tuple[str, str]:
        gender = gender or self.pick(["male", "male", "male", "female"])
        while True:
            if gender == "male":
                parts = [self.pick(SURNAMES), self.pick(MIDDLE_MALE), self.pick(GIVEN_MALE)]
            else:
                parts = [self.pick(SURNAMES), self.pick(MIDDLE_FEMALE), self.pick(GIVEN_FEMALE)]
            if self.rng.random() < 0.2:
                parts.insert(2, self.pick(SECOND_GIVEN))
            name = " ".join(parts)
            if name not in self.used_names:
                self.used_names.add(name)
                return name, gender

    def date(self, era: str = "XIII") -> dt.date:
        start, end = {
            "XII": (dt.date(2018, 3, 1), dt.date(2020, 11, 30)),
            "XIII": (dt.date(2021, 6, 1), dt.date(2025, 12, 20)),
            "XIII-late": (dt.date(2025, 7, 15), dt.date(2025, 12, 20)),
            "XIV": (dt.date(2026, 2, 2), dt.date(2026, 6, 30)),
        }[era]
        return start + dt.timedelta(days=self.rng.randrange((end - start).days))

    def number(self, suffix: str) -> str:
        self.numbers[suffix] = self.numbers.get(suffix, self.rng.randrange(5, 60)) + self.rng.randrange(1, 40)
        n = self.numbers[suffix]
        return f"{n:02d}-{suffix}" if n < 100 and self.rng.random() < 0.5 else f"{n}-{suffix}"

    # ------------------------------------------------------------ bodies

    def body(self, level: str, province: str | None = None, commune: str | None = None) -> Body:
        p = province or self.pick(PROVINCES)
        tu = "Thành ủy" if p in CITIES else "Tỉnh ủy"
        TU = tu.upper()
        if level == "central_commission":
            header = self.pick([["BAN CHẤP HÀNH TRUNG ƯƠNG", "ỦY BAN KIỂM TRA"], ["ỦY BAN KIỂM TRA TRUNG ƯƠNG"]])
            return Body(level, "Ủy ban Kiểm tra Trung ương", header, "ỦY BAN KIỂM TRA TRUNG ƯƠNG",
                        "T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM", "QĐ/UBKTTW", "Hà Nội", None,
                        "Ủy ban Kiểm tra Trung ương")  # fmt: skip
        if level == "politburo":
            return Body(level, "Bộ Chính trị", ["BAN CHẤP HÀNH TRUNG ƯƠNG"], "BỘ CHÍNH TRỊ", "T/M BỘ CHÍNH TRỊ",
                        "TỔNG BÍ THƯ", "QĐ/TW", "Hà Nội", None, "Bộ Chính trị")  # fmt: skip
        if level == "secretariat":
            return Body(level, "Ban Bí thư", ["BAN CHẤP HÀNH TRUNG ƯƠNG"], "BAN BÍ THƯ", "T/M BAN BÍ THƯ",
                        "THƯỜNG TRỰC BAN BÍ THƯ", "QĐ/TW", "Hà Nội", None, "Ban Bí thư")  # fmt: skip
        if level == "central_committee":
            return Body(level, "Ban Chấp hành Trung ương", ["BAN CHẤP HÀNH TRUNG ƯƠNG"], "BAN CHẤP HÀNH TRUNG ƯƠNG",
                        "T/M BAN CHẤP HÀNH TRUNG ƯƠNG", "TỔNG BÍ THƯ", "QĐ/TW", "Hà Nội", None,
                        "Ban Chấp hành Trung ương")  # fmt: skip
        if level == "provincial_committee":
            return Body(level, f"Ban Thường vụ {tu} {p}", [f"{TU} {p.upper()}"], f"BAN THƯỜNG VỤ {TU}",
                        "T/M BAN THƯỜNG VỤ", self.pick(["BÍ THƯ", "PHÓ BÍ THƯ THƯỜNG TRỰC"]),
                        "QĐ/TU", p, p, f"Ban Thường vụ {tu} {p}")  # fmt: skip
        if level == "provincial_commission":
            return Body(level, f"Ủy ban Kiểm tra {tu} {p}", [f"{TU} {p.upper()}", "ỦY BAN KIỂM TRA"],
                        f"ỦY BAN KIỂM TRA {TU}", "T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM", "QĐ/UBKTTU", p, p,
                        f"Ủy ban Kiểm tra {tu} {p}")  # fmt: skip
        c = commune or self.pick(COMMUNES)
        kind = "phường" if p in CITIES else "xã"
        if p in CITIES and commune is None:
            c = self.pick(WARDS)
        du = f"Đảng ủy {kind} {c}"
        dang_bo = f"ĐẢNG BỘ {'THÀNH PHỐ' if p in CITIES else 'TỈNH'} {p.upper()}"
        if level == "commune_committee":
            return Body(level, f"Ban Thường vụ {du}", [dang_bo, du.upper()], "BAN THƯỜNG VỤ ĐẢNG ỦY",
                        "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "QĐ/ĐU", c, p, f"Ban Thường vụ {du}")  # fmt: skip
        if level == "commune_commission":
            return Body(level, f"Ủy ban Kiểm tra {du}", [du.upper(), "ỦY BAN KIỂM TRA"], "ỦY BAN KIỂM TRA ĐẢNG ỦY",
                        "T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM", "QĐ/UBKTĐU", c, p, f"Ủy ban Kiểm tra {du}")  # fmt: skip
        if level == "cell":
            school = self.pick(SCHOOLS).format(c=c)
            cell = f"Chi bộ {school}"
            return Body(level, cell, [f"ĐẢNG BỘ {kind.upper()} {c.upper()}", cell.upper()], "CHI BỘ", "T/M CHI BỘ",
                        "BÍ THƯ", "QĐ/CB", c, p, cell)  # fmt: skip
        raise ValueError(level)

    # ------------------------------------------------------------ subjects

    def member(self, body: Body, probationary: bool = False, province: str | None = None) -> Subject:
        name, gender = self.person()
        year = self.rng.randrange(1962, 1992) if not probationary else self.rng.randrange(1990, 2001)
        p = body.province or province or self.pick(PROVINCES)
        unit_province = body.province
        former = "nguyên " if self.rng.random() < 0.2 else ""
        committee: list[str] = []
        tinh = "thành phố" if p in CITIES else "tỉnh"
        tu = "Thành ủy" if p in CITIES else "Tỉnh ủy"
        if body.level in ("central_commission", "politburo", "secretariat", "central_committee"):
            roll = self.rng.random()
            if roll < 0.4:
                unit = self.pick(MINISTRIES)
                title = self.pick(["Thứ trưởng", "Vụ trưởng Vụ Kế hoạch – Tài chính,"])
                if title.endswith(","):
                    title, unit = "Vụ trưởng", f"Vụ Kế hoạch – Tài chính, {unit}"
                unit_province = None
                if self.rng.random() < 0.3 and title == "Thứ trưởng":
                    committee = ["Ủy viên Ban Chấp hành Trung ương Đảng"]
            elif roll < 0.55:
                unit = self.pick(CORPORATIONS)
                title = self.pick(["Tổng Giám đốc", "Chủ tịch Hội đồng thành viên", "Phó Tổng Giám đốc"])
                unit_province = None
            else:
                unit_province = p
                title, unit = self.pick(
                    [
                        ("Chủ tịch", f"Ủy ban nhân dân {tinh} {p}"),
                        ("Phó Chủ tịch", f"Ủy ban nhân dân {tinh} {p}"),
                        ("Giám đốc", f"Sở {self.pick(DEPARTMENTS)} {tinh} {p}"),
                    ]
                )
                committee = self.pick([[f"{tu} viên"], [f"Ủy viên Ban Thường vụ {tu}"], [f"Phó Bí thư {tu}"]])
        elif body.level in ("provincial_committee", "provincial_commission"):
            title, unit = self.pick(
                [
                    ("Giám đốc", f"Sở {self.pick(DEPARTMENTS)} {tinh} {p}"),
                    ("Phó Giám đốc", f"Sở {self.pick(DEPARTMENTS)} {tinh} {p}"),
                    ("Phó Chủ tịch", f"Ủy ban nhân dân {tinh} {p}"),
                    ("Chánh Văn phòng", f"Đoàn đại biểu Quốc hội và Hội đồng nhân dân {tinh} {p}"),
                    ("Giám đốc", f"Bệnh viện Đa khoa {tinh} {p}"),
                    ("Trưởng Ban", f"Ban Quản lý dự án đầu tư xây dựng các công trình giao thông {tinh} {p}"),
                    ("Chủ tịch", f"Ủy ban nhân dân xã {self.pick(COMMUNES)}"),
                ]
            )
            if title.startswith("Trưởng Ban"):
                title, unit = "Giám đốc", unit.replace("Ban Quản lý", "Ban Quản lý", 1)
            if self.rng.random() < 0.5:
                committee = [self.pick([f"{tu} viên", f"Ủy viên Ban Thường vụ {tu}"])]
        elif body.level in ("commune_committee", "commune_commission"):
            c = body.mixed.split("xã ")[-1].split("phường ")[-1]
            kind = "phường" if p in CITIES else "xã"
            title, unit = self.pick(
                [
                    ("Chủ tịch", f"Ủy ban nhân dân {kind} {c}"),
                    ("Phó Chủ tịch", f"Ủy ban nhân dân {kind} {c}"),
                    ("Công chức địa chính – xây dựng", f"Ủy ban nhân dân {kind} {c}"),
                    ("Trưởng phòng", f"Phòng Kinh tế {kind} {c}"),
                    ("Kế toán", f"Ủy ban nhân dân {kind} {c}"),
                ]
            )
            if self.rng.random() < 0.5:
                committee = [self.pick(["Đảng ủy viên", "Ủy viên Ban Thường vụ Đảng ủy"])]
        else:  # cell
            school = body.mixed.replace("Chi bộ ", "")
            title, unit = self.pick([("Giáo viên", school), ("Nhân viên", school), ("Phó Hiệu trưởng", school)])
            if "Trạm Y tế" in school:
                title = self.pick(["Y sĩ", "Trưởng trạm"])
            if "Hợp tác xã" in school:
                title = self.pick(["Kế toán", "Phó Giám đốc"])
        if probationary:
            committee = []
            former = ""
        positions = [*committee, f"{former}{title} {unit}"]
        return Subject(
            "member",
            name,
            year,
            gender,
            gender_stated=self.rng.random() < 0.3,
            positions=positions,
            unit=unit,
            province=body.province or unit_province,
            probationary=probationary,
            committee_member=bool(committee),
        )

    def organization(self, body: Body, province: str | None = None) -> Subject:
        p = body.province or province or self.pick(PROVINCES)
        tu = "Thành ủy" if p in CITIES else "Tỉnh ủy"
        tinh = "thành phố" if p in CITIES else "tỉnh"
        if body.level in ("politburo", "secretariat", "central_commission"):
            name = self.pick(
                [
                    f"Ban Thường vụ {tu} {p} nhiệm kỳ 2020–2025",
                    f"Ban Thường vụ {tu} {p} nhiệm kỳ 2015–2020",
                    f"Ban cán sự đảng Ủy ban nhân dân {tinh} {p} nhiệm kỳ 2016–2021",
                    f"Ban cán sự đảng Ủy ban nhân dân {tinh} {p} nhiệm kỳ 2021–2026",
                ]
            )
            province = p
            if self.rng.random() < 0.3:
                name = f"Ban cán sự đảng {self.pick(MINISTRIES)} nhiệm kỳ 2021–2026"
                province = None
        elif body.level in ("provincial_committee", "provincial_commission"):
            c = self.pick(COMMUNES)
            name = self.pick(
                [
                    f"Ban Thường vụ Đảng ủy xã {c} nhiệm kỳ 2020–2025",
                    f"Đảng ủy Sở {self.pick(DEPARTMENTS)} {tinh} {p} nhiệm kỳ 2020–2025",
                    f"Chi bộ Phòng Tài chính – Kế hoạch huyện {c}",
                ]
            )
            province = p
        else:
            name = f"Chi bộ thôn {self.pick(['Đông', 'Tây', 'Nam', 'Bắc', 'Trung'])} {self.rng.randrange(1, 9)}"
            province = body.province
        return Subject("organization", name, positions=[], province=province, committee_member=None)


# ---------------------------------------------------------------- rendering

CSS = """
@page { size: A4; margin: 2cm 1.8cm 2cm 2.8cm; }
body { font-family: 'DejaVu Serif'; font-size: FONTpt; line-height: 1.35; }
table.head, table.sign { width: 100%; border-collapse: collapse; }
table.head td, table.sign td { vertical-align: top; border: none; padding: 0; }
.c { text-align: center; }
p { text-align: justify; margin: 0.35em 0; text-indent: 1.2em; }
p.ni { text-indent: 0; }
h1 { font-size: 1.1em; text-align: center; margin: 0.8em 0 0; }
h2 { font-size: 1em; text-align: center; font-weight: bold; margin: 0 0 0.8em; }
table.list { width: 100%; border-collapse: collapse; font-size: 0.92em; margin: 0.4em 0; }
table.list td, table.list th { border: 1px solid #000; padding: 2px 4px; vertical-align: top; }
.recv { font-size: 0.85em; }
.pb { page-break-before: always; }
"""


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def vn_date(day: dt.date, pad: bool) -> str:
    d, m = (f"{day.day:02d}", f"{day.month:02d}") if pad else (str(day.day), str(day.month))
    return f"ngày {d} tháng {m} năm {day.year}"


def short_date(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


class Typos:
    """Keyword typos a clerk (or an OCR'd source) leaves: diacritics dropped, letters swapped."""

    SWAPS = [
        ("Cảnh cáo", "Cảnh cao"),
        ("Khiển trách", "Khiển trach"),
        ("sinh năm", "sinh nam"),
        ("đồng chí", "đồng chi"),
        ("Thi hành kỷ luật", "Thi hành kỷ luât"),
        ("hình thức", "hình thưc"),
        ("Quyết định này", "Quyết đinh này"),
        ("có hiệu lực", "có hiêu lực"),
    ]

    def __init__(self, rng: random.Random, rate: float) -> None:
        self.rng, self.rate = rng, rate

    def __call__(self, text: str) -> str:
        for right, wrong in self.SWAPS:
            if right in text and self.rng.random() < self.rate:
                text = text.replace(right, wrong, 1)
        if self.rng.random() < self.rate:
            text = text.replace(", ", " ,  ", 1)
        return text


def name_html(name: str, rng: random.Random, broken: bool) -> str:
    """The name, sometimes with a forced line break inside it (as a narrow column or a retyped copy has)."""
    parts = name.split()
    if broken and len(parts) >= 3:
        cut = rng.randrange(1, len(parts))
        return esc(" ".join(parts[:cut])) + "<br>" + esc(" ".join(parts[cut:]))
    return esc(name)


def header_html(body: Body, number: str | None, day: dt.date | None, pad: bool) -> str:
    left = "<br>".join(f"<b>{esc(h)}</b>" if i == len(body.header) - 1 else esc(h) for i, h in enumerate(body.header))
    num = f"<br>*<br>Số {esc(number)}" if number else "<br>*"
    right = "<b><u>ĐẢNG CỘNG SẢN VIỆT NAM</u></b>"
    if day:
        right += f"<br><br><i>{esc(body.place)}, {vn_date(day, pad)}</i>"
    return (
        f'<table class="head"><tr><td class="c" style="width:46%">{left}{num}</td>'
        f'<td class="c">{right}</td></tr></table>'
    )


def sign_html(body: Body, signer: str, recipients: list[str]) -> str:
    recv = "<br>".join(esc(r) for r in recipients)
    return (
        f'<table class="sign"><tr><td class="recv" style="width:50%"><b><i>Nơi nhận:</i></b><br>{recv}</td>'
        f'<td class="c"><b>{esc(body.tm)}<br>{esc(body.signer_title)}</b><br><br><i>(đã ký)</i><br><br>'
        f"<b>{esc(signer)}</b></td></tr></table>"
    )


def subject_line(s: Subject, gen: Gen, *, broken: bool = False, with_details: bool = True) -> str:
    """'đồng chí Nguyễn Văn An, sinh năm 1968, Tỉnh ủy viên, Giám đốc Sở …' or an organisation's name."""
    if s.kind == "organization":
        return esc(s.name)
    bits = [f"đồng chí {name_html(s.name, gen.rng, broken)}"]
    if with_details and s.birth_year:
        bits.append(gen.pick([f"sinh năm {s.birth_year}", f"sinh năm {s.birth_year}", f"năm sinh {s.birth_year}"]))
    if with_details and s.gender_stated:
        bits.append(f"giới tính: {'Nam' if s.gender == 'male' else 'Nữ'}")
    if s.probationary:
        bits.append("đảng viên dự bị")
    bits.extend(esc(p) for p in s.positions)
    return ", ".join(bits)


def penalty_phrase(penalty: str, s: Subject, gen: Gen) -> str:
    if penalty == "dismissal" and s.kind == "member" and gen.rng.random() < 0.4:
        return "Cách chức tất cả các chức vụ trong Đảng"
    if penalty == "expulsion" and gen.rng.random() < 0.3:
        return "Khai trừ"
    return PENALTY_VI[penalty]


def pick_penalty(gen: Gen, s: Subject, body: Body) -> str:
    if s.kind == "organization":
        return gen.pick(
            ["reprimand", "warning", "warning", "dissolution"] if "Chi bộ" in s.name else ["reprimand", "warning"]
        )
    if s.probationary or body.level == "cell":
        return gen.pick(["reprimand", "warning"])
    return gen.pick(["reprimand", "reprimand", "warning", "warning", "dismissal", "expulsion"])


def violation_text(gen: Gen, n: int | None = None) -> tuple[str, list[str]]:
    n = n or gen.pick([1, 2, 2, 3])
    frags = gen.rng.sample(VIOLATIONS, n)
    text = "; ".join(f[0] for f in frags) + gen.pick(CONSEQUENCES)
    cats = sorted({c for f in frags for c in f[1]})
    return text, cats


def make_label(
    *,
    number: str | None,
    day: dt.date,
    body: Body,
    s: Subject,
    penalty: str | None,
    action: str,
    violations: str | None,
    categories: list[str],
    refs: list[str] | None,
    signer: str | None,
    effective: dt.date | None,
    amends: str | None = None,
) -> Label:
    return Label(
        number=number,
        date=day.isoformat(),
        issuing_body=body.name,
        issuing_level=body.level,
        subject_type=s.kind,
        subject_name=s.name.split(" nhiệm kỳ ")[0],
        birth_year=s.birth_year,
        gender=label_gender(s),
        positions=list(s.positions),
        party_committee_member=s.committee_member,
        unit=s.unit,
        province=s.province,
        probationary=s.probationary if s.kind == "member" else None,
        penalty=penalty,
        action=action,
        violations=violations,
        violation_categories=categories if violations else [],
        legal_basis="; ".join(refs) if refs else None,
        signer=signer,
        effective_date=effective.isoformat() if effective else None,
        term=term_for(day),
        amends_number=amends,
        subject_term=s.name.split(" nhiệm kỳ ")[1] if " nhiệm kỳ " in s.name else None,
    )


@dataclass
class Doc:
    html: str
    labels: list[Label]


def decision(
    gen: Gen,
    *,
    level: str,
    era: str = "XIII",
    n_subjects: int = 1,
    table: bool = False,
    organization: bool = False,
    probationary: bool = False,
    typos: float = 0.0,
    broken: bool = False,
    amend: str | None = None,  # "change" | "annul"
    province: str | None = None,
) -> Doc:
    """One decision document (possibly on several subjects) and its labels."""
    rng = gen.rng
    body = gen.body(level, province)
    day = gen.date(era)
    number = gen.number(body.suffix)
    pad = rng.random() < 0.6
    refs = legal_basis_for(day, rng)
    signer, _ = gen.person()
    subjects = [
        gen.organization(body) if organization else gen.member(body, probationary=probationary)
        for _ in range(n_subjects)
    ]
    if table:
        for s in subjects:
            s.gender_stated = False  # the table has no column for it
    penalties = [pick_penalty(gen, s, body) for s in subjects]
    if n_subjects > 1 and not table and rng.random() < 0.6:
        penalties = [penalties[0]] * n_subjects
    violations, categories = violation_text(gen)
    effective = day if rng.random() < 0.75 else day + dt.timedelta(days=rng.randrange(3, 20))
    typo = Typos(rng, typos)
    parts: list[str] = [header_html(body, number, day, pad)]
    amends_number: str | None = None
    old_penalty = None
    s0 = subjects[0]

    if amend:
        # The decision being changed: issued by a lower body, a year or so earlier.
        lower_level = {
            "central_commission": "provincial_commission",
            "provincial_commission": "commune_commission",
            "provincial_committee": "commune_committee",
        }[level]
        lower = gen.body(lower_level, body.province)
        old_day = day - dt.timedelta(days=rng.randrange(60, 300))
        amends_number = gen.number(lower.suffix)
        old_penalty = "dismissal" if amend == "change" else gen.pick(["reprimand", "warning"])
        penalties = [gen.pick(["reprimand", "warning"])] if amend == "change" else [None]  # type: ignore[list-item]
        title = "thay đổi hình thức kỷ luật" if amend == "change" else "xóa bỏ quyết định kỷ luật"
        parts.append(f"<h1>QUYẾT ĐỊNH</h1><h2>về việc {title} đối với đồng chí {esc(s0.name)}</h2>")
        parts.extend(f"<p>- {esc(REGULATIONS[r])}</p>" for r in refs)
        parts.append(
            f"<p>- Xét đơn khiếu nại ngày {short_date(old_day + dt.timedelta(days=20))} của đồng chí {esc(s0.name)} "
            f"đối với Quyết định số {esc(amends_number)}, ngày {short_date(old_day)} của {esc(lower.name)} về việc thi "
            f"hành kỷ luật bằng hình thức {PENALTY_VI[old_penalty].lower()} đối với đồng chí {esc(s0.name)};</p>"
        )
        if amend == "change":
            parts.append(
                f"<p>Đồng chí {esc(s0.name)} đã {esc(violations)}. Tuy nhiên, xét nội dung, tính chất, mức độ, "
                f"nguyên nhân vi phạm, việc thi hành kỷ luật bằng hình thức cách chức là chưa phù hợp.</p>"
            )
        else:
            violations, categories = None, []  # type: ignore[assignment]
            parts.append(
                f"<p>Qua xem xét, đồng chí {esc(s0.name)} có khuyết điểm nhưng chưa đến mức phải xử lý kỷ luật; "
                f"việc thi hành kỷ luật là không đúng quy định.</p>"
            )
        parts.append(f"<p class='ni c'><b>{esc(body.decider)} QUYẾT ĐỊNH:</b></p>")
        if amend == "change":
            parts.append(
                f"<p><b>Điều 1.</b> {typo('Thay đổi hình thức kỷ luật')} đối với "
                f"{subject_line(s0, gen, broken=broken)} "
                f"từ Cách chức xuống {PENALTY_VI[penalties[0]]}.</p>"
            )
        else:
            parts.append(
                f"<p><b>Điều 1.</b> Xóa bỏ Quyết định số {esc(amends_number)}, ngày {short_date(old_day)} của "
                f"{esc(lower.name)} về việc thi hành kỷ luật bằng hình thức {PENALTY_VI[old_penalty]} đối với "
                f"{subject_line(s0, gen, broken=broken)}.</p>"
            )
    else:
        who = "các đồng chí" if n_subjects > 1 and not organization else ("" if organization else "đồng chí")
        title_subject = esc(s0.name) if n_subjects == 1 else ("các tổ chức đảng" if organization else "đảng viên")
        parts.append(
            f"<h1>QUYẾT ĐỊNH</h1><h2>về việc thi hành kỷ luật đối với {who} {title_subject}</h2>".replace("  ", " ")
        )
        parts.extend(f"<p>- {esc(REGULATIONS[r])}</p>" for r in refs)
        report_no = gen.number(body.suffix.replace("QĐ", "BC"))
        parts.append(
            f"<p>- Xét Báo cáo số {esc(report_no)}, ngày {short_date(day - dt.timedelta(days=rng.randrange(5, 30)))} "
            f"của Đoàn kiểm tra về kết quả kiểm tra khi có dấu hiệu vi phạm;</p>"
        )
        names = ", ".join(s.name for s in subjects)
        if not organization:
            names = f"{'đồng chí' if n_subjects == 1 else 'các đồng chí:'} {names}"
        opening = gen.pick([f"{names[0].upper()}{names[1:]} đã", f"Qua kiểm tra cho thấy, {names} đã"])
        parts.append(f"<p>{esc(opening)} {esc(violations)}.</p>")
        if rng.random() < 0.3 and not organization:
            parts.append(
                "<p>Trước đó, năm 2019 đồng chí đã bị xử lý kỷ luật bằng hình thức khiển trách về vi phạm "
                "trong công tác chuyên môn, nhưng chưa rút kinh nghiệm, khắc phục.</p>"
            )
        parts.append(
            "<p>Xét nội dung, tính chất, mức độ, hậu quả, nguyên nhân vi phạm và các tình tiết liên quan; "
            "theo đề nghị của Đoàn kiểm tra,</p>"
        )
        parts.append(f"<p class='ni c'><b>{esc(body.decider)} QUYẾT ĐỊNH:</b></p>")
        if table:
            rows = "".join(
                f"<tr><td class='c'>{i}</td><td>{name_html(s.name, rng, broken and i == 2)}</td>"
                f"<td class='c'>{s.birth_year}</td><td>{esc(', '.join(s.positions))}</td>"
                f"<td>{esc(penalty_phrase(p, s, gen))}</td></tr>"
                for i, (s, p) in enumerate(zip(subjects, penalties, strict=True), 1)
            )
            parts.append(
                "<p><b>Điều 1.</b> Thi hành kỷ luật đối với các đồng chí có tên sau đây:</p>"
                "<table class='list'><tr><th>STT</th><th>Họ và tên</th><th>Năm sinh</th>"
                f"<th>Chức vụ, đơn vị công tác</th><th>Hình thức kỷ luật</th></tr>{rows}</table>"
            )
        elif n_subjects > 1 and len(set(penalties)) == 1:
            lines = [subject_line(s, gen, broken=broken and i == 1) for i, s in enumerate(subjects, 1)]
            items = "".join(f"<p>{i}. {line[0].upper()}{line[1:]};</p>" for i, line in enumerate(lines, 1))
            parts.append(
                f"<p><b>Điều 1.</b> {typo('Thi hành kỷ luật bằng hình thức')} "
                f"{penalty_phrase(penalties[0], s0, gen)} đối với các đồng chí sau:</p>{items}"
            )
        elif n_subjects > 1:
            items = "".join(
                f"<p>{i}. {penalty_phrase(p, s, gen)} đối với {subject_line(s, gen)}.</p>"
                for i, (s, p) in enumerate(zip(subjects, penalties, strict=True), 1)
            )
            parts.append(f"<p><b>Điều 1.</b> Thi hành kỷ luật đối với các đồng chí:</p>{items}")
        else:
            line = subject_line(s0, gen, broken=broken)
            phrase = penalty_phrase(penalties[0], s0, gen)
            if rng.random() < 0.7:
                text = f"{typo('Thi hành kỷ luật bằng hình thức')} {phrase} đối với {line}."
            else:
                text = f"{typo('Thi hành kỷ luật')} {line}, bằng hình thức {phrase}."
            parts.append(f"<p><b>Điều 1.</b> {typo(text)}</p>")
    if effective == day:
        parts.append(f"<p><b>Điều 2.</b> {typo('Quyết định này có hiệu lực')} kể từ ngày ký.</p>")
    else:
        parts.append(
            f"<p><b>Điều 2.</b> {typo('Quyết định này có hiệu lực')} thi hành từ ngày {short_date(effective)}.</p>"
        )
    where = ""
    if level == "cell" or level.startswith("commune"):
        where = f", {'thành phố' if body.province in CITIES else 'tỉnh'} {body.province}"
    parts.append(
        f"<p><b>Điều 3.</b> Văn phòng, các cơ quan tham mưu của {esc(body.mixed)}{esc(where)}, tổ chức đảng có "
        "liên quan "
        f"và {'các tổ chức, ' if organization else ''}đồng chí có tên tại Điều 1 chịu trách nhiệm thi hành "
        "Quyết định này.</p>"
    )
    parts.append(
        sign_html(body, signer, ["- Như Điều 3,", "- Cấp ủy cấp trên (để báo cáo),", "- Lưu Văn phòng, hồ sơ."])
    )
    labels = [
        make_label(
            number=number,
            day=day,
            body=body,
            s=s,
            penalty=p,
            action={None: "impose", "change": "change", "annul": "annul"}[amend],
            violations=violations,
            categories=categories,
            refs=refs,
            signer=signer,
            effective=effective,
            amends=amends_number,
        )
        for s, p in zip(subjects, penalties, strict=True)
    ]
    return Doc("".join(parts), labels)


def communique(gen: Gen, *, meeting: int, era: str = "XIII", with_header: bool, cases: int) -> Doc:
    """A 'Thông báo kết quả Kỳ họp' of the Central Inspection Commission: many cases, several penalties."""
    rng = gen.rng
    body = gen.body("central_commission")
    day = gen.date(era)
    first = day - dt.timedelta(days=1)
    number = gen.number("TB/UBKTTW") if with_header else None
    chair, _ = gen.person("male")
    parts: list[str] = []
    if with_header:
        parts.append(header_html(body, number, day, True))
    parts.append(
        f"<h1>THÔNG BÁO</h1><h2>Kết quả Kỳ họp thứ {meeting} của Ủy ban Kiểm tra Trung ương</h2>"
        f"<p>{'Trong 2 ngày' if rng.random() < 0.5 else 'Trong các ngày'} {first.day} và "
        f"{day.day}/{day.month}/{day.year}"
        f", tại Hà Nội, Ủy ban Kiểm tra Trung ương họp Kỳ họp thứ {meeting}. Đồng chí {esc(chair)}, "
        "Ủy viên Bộ Chính trị, Chủ nhiệm Ủy ban Kiểm tra Trung ương chủ trì Kỳ họp. Tại Kỳ họp, "
        "Ủy ban Kiểm tra Trung ương đã xem xét, kết luận các nội dung sau:</p>"
    )
    labels: list[Label] = []
    basis = (
        "Căn cứ nội dung, tính chất, mức độ, hậu quả, nguyên nhân vi phạm, theo Quy định của Đảng về xử lý "
        "kỷ luật đảng viên vi phạm,"
    )
    for case in range(1, cases + 1):
        roll = rng.random()
        violations, categories = violation_text(gen)
        if roll < 0.15:
            # Not a decision: a denunciation settled, a recommendation to a higher body.
            name, _ = gen.person()
            p = gen.pick(PROVINCES)
            parts.append(
                f"<p class='ni'><b>{case}. Giải quyết tố cáo đối với đồng chí {esc(name)}, Phó Chủ tịch Ủy ban "
                "nhân dân "
                f"tỉnh {esc(p)}</b></p><p>Ủy ban Kiểm tra Trung ương kết luận: Đồng chí {esc(name)} có khuyết điểm, "
                "vi phạm trong thực hiện nhiệm vụ được giao nhưng chưa đến mức phải xem xét, xử lý kỷ luật. "
                "Ủy ban Kiểm tra Trung ương đề nghị Ban Thường vụ Tỉnh ủy xem xét, thi hành kỷ luật đối với "
                "các tổ chức đảng và đảng viên có liên quan.</p>"
            )
            continue
        where = gen.pick(PROVINCES)
        members = [gen.member(gen.body("central_commission"), province=where) for _ in range(rng.randrange(1, 4))]
        with_org = rng.random() < 0.5
        org = gen.organization(gen.body("central_commission"), province=where) if with_org else None
        target = org.name if org else members[0].name
        parts.append(f"<p class='ni'><b>{case}. Xem xét, thi hành kỷ luật đối với {esc(target)}</b></p>")
        if org:
            parts.append(f"<p>{esc(org.name)} đã {esc(violations)}.</p>")
        names_positions = "; ".join(f"{esc(m.name)}, {esc(', '.join(m.positions))}" for m in members)
        parts.append(
            f"<p>Các đồng chí: {names_positions} đã {esc(violations)}.</p>"
            if len(members) > 1
            else f"<p>Đồng chí {names_positions} đã {esc(violations)}.</p>"
        )
        # Penalties: the organisation one, members grouped by penalty.
        groups: dict[str, list[Subject]] = {}
        for m in members:
            groups.setdefault(pick_penalty(gen, m, body), []).append(m)
        clauses: list[str] = []
        if org:
            op = gen.pick(["reprimand", "warning"])
            clauses.append(f"{PENALTY_VI[op]} đối với {esc(org.name)}")
            labels.append(make_label(number=number, day=day, body=body, s=org, penalty=op, action="impose",
                                     violations=violations, categories=categories, refs=None,
                                     signer=None, effective=None))  # fmt: skip
        for pen, ms in groups.items():
            if len(ms) > 1:
                who = "các đồng chí: " + "; ".join(f"{esc(m.name)}, {esc(', '.join(m.positions))}" for m in ms)
            else:
                who = f"đồng chí {esc(ms[0].name)}, {esc(', '.join(ms[0].positions))}"
            clauses.append(f"{PENALTY_VI[pen]} {gen.pick(['', 'đối với '])}{who}")
            for m in ms:
                m.birth_year = None
                m.gender_stated = False
                labels.append(make_label(number=number, day=day, body=body, s=m, penalty=pen, action="impose",
                                         violations=violations, categories=categories, refs=None,
                                         signer=None, effective=None))  # fmt: skip
        parts.append(
            f"<p>{basis} Ủy ban Kiểm tra Trung ương quyết định thi hành kỷ luật bằng hình thức "
            f"{'; '.join(clauses)}.</p>"
        )
        if rng.random() < 0.3:
            parts.append(
                "<p>Đồng thời, Ủy ban Kiểm tra Trung ương yêu cầu tổ chức đảng có thẩm quyền xem xét, xử lý kỷ luật "
                "các tổ chức đảng, đảng viên có liên quan.</p>"
            )
    if with_header:
        signer, _ = gen.person()
        parts.append(sign_html(body, signer, ["- Bộ Chính trị, Ban Bí thư (để báo cáo),", "- Lưu VP."]))
        for lab in labels:
            lab.signer = signer
    for lab in labels:
        lab.province = lab.province if lab.subject_type == "member" or lab.province else None
    return Doc("".join(parts), labels)


def non_decision_invitation(gen: Gen) -> str:
    body = gen.body("provincial_commission")
    day = gen.date()
    return (
        header_html(body, gen.number("GM/UBKTTU"), day, True)
        + "<h1>GIẤY MỜI</h1><h2>Dự Hội nghị sơ kết công tác kiểm tra, giám sát 6 tháng đầu năm</h2>"
        + f"<p>{esc(body.mixed)} trân trọng kính mời đồng chí Chủ nhiệm Ủy ban Kiểm tra các đảng ủy trực thuộc "
        "dự Hội nghị sơ kết công tác kiểm tra, giám sát và thi hành kỷ luật đảng.</p>"
        + f"<p>Thời gian: 8 giờ 00, {vn_date(day + dt.timedelta(days=7), True)}. Địa điểm: Hội trường Tỉnh ủy.</p>"
        + sign_html(body, gen.person()[0], ["- Như trên,", "- Lưu VP."])
    )


def non_decision_report(gen: Gen) -> str:
    body = gen.body("provincial_commission")
    day = gen.date()
    rows = "".join(
        f"<tr><td>{esc(k)}</td><td class='c'>{gen.rng.randrange(1, 60)}</td><td "
        f"class='c'>{gen.rng.randrange(0, 20)}</td></tr>"
        for k in ["Khiển trách", "Cảnh cáo", "Cách chức", "Khai trừ"]
    )
    return (
        header_html(body, gen.number("BC/UBKTTU"), day, True)
        + "<h1>BÁO CÁO</h1><h2>Thống kê kết quả thi hành kỷ luật đảng 6 tháng đầu năm</h2>"
        + "<p>Trong kỳ, các cấp ủy, tổ chức đảng và ủy ban kiểm tra các cấp đã thi hành kỷ luật "
        "đảng viên vi phạm; tổng hợp theo hình thức kỷ luật như sau:</p>"
        + "<table class='list'><tr><th>Hình thức kỷ luật</th><th>Đảng viên</th><th>Tổ chức "
        f"đảng</th></tr>{rows}</table>"
        + "<p>Nhìn chung, việc thi hành kỷ luật đảng bảo đảm đúng nguyên tắc, thủ tục, thẩm quyền.</p>"
        + sign_html(body, gen.person()[0], ["- Ủy ban Kiểm tra Trung ương,", "- Lưu VP."])
    )


def page_html(content: str, font: float) -> str:
    return (
        f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><style>{CSS.replace('FONT', str(font))}</style>"
        f"</head><body>{content}</body></html>"
    )


def render_pdf(content: str, font: float = 13) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=page_html(content, font)).write_pdf()  # type: ignore[no-any-return]


# ---------------------------------------------------------------- scans


def degrade(pdf: bytes, rng: random.Random, dpi: int = 300) -> list[Any]:
    """Each page as a 300-dpi grayscale image that looks scanned: tilt, blur, speckles, uneven light."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    pages = []
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    doc = pdfium.PdfDocument(pdf)
    for page in doc:
        img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        angle = rng.uniform(-1.4, 1.4)
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.1)))
        a = np.asarray(img).astype(np.float32)
        h, w = a.shape
        # Uneven light: a soft gradient across the page, darker towards one corner.
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        shade = 1.0 - rng.uniform(0.05, 0.16) * (xx / w * rng.random() + yy / h * rng.random())
        a = a * shade
        a = a * rng.uniform(0.9, 1.0) + rng.uniform(0, 10)  # paper not white, ink not black
        a += nrng.normal(0, 3.5, a.shape).astype(np.float32)
        specks = nrng.random(a.shape) < 0.0008
        a[specks] = nrng.uniform(0, 120, int(specks.sum()))
        out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
        pages.append(out)
    doc.close()
    return pages


def jpeg_roundtrip(img: Any, quality: int) -> Any:
    from PIL import Image

    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def image_pdf(pages: list[Any], quality: int) -> bytes:
    """An image-only PDF (grayscale JPEG inside, 300 dpi), like a scanner's output."""
    buf = io.BytesIO()
    fixed = time.gmtime(1751356800)  # 2025-07-01, not "now": the same bytes on every run
    pages[0].save(
        buf,
        "PDF",
        resolution=300,
        save_all=True,
        append_images=pages[1:],
        quality=quality,
        creationDate=fixed,
        modDate=fixed,
    )
    return buf.getvalue()


# ---------------------------------------------------------------- the corpus


def main() -> None:
    gen = Gen(SEED)
    rng = gen.rng
    for sub in ("digital", "scans", "bad"):
        shutil.rmtree(HERE / sub, ignore_errors=True)
        (HERE / sub).mkdir()
    labels: dict[str, Any] = {"files": {}}

    def put(rel: str, data: bytes, kind: str, decisions: list[Label] | None = None, outcome: str = "ok") -> None:
        (HERE / rel).write_bytes(data)
        labels["files"][rel] = {
            "kind": kind,
            "outcome": outcome,
            "decisions": [dataclasses.asdict(d) for d in decisions or []],
        }

    # Born-digital: a plan of (file stem, builder).
    plan: list[tuple[str, Any]] = []
    levels = [
        "central_commission", "central_commission", "politburo", "secretariat", "central_committee",
        "provincial_committee", "provincial_committee", "provincial_commission", "provincial_commission",
        "provincial_commission", "commune_committee", "commune_commission", "commune_commission", "cell", "cell",
        "provincial_commission",
    ]  # fmt: skip
    for i, level in enumerate(levels):
        era = "XIII-late" if level.startswith("commune") or level == "cell" else ("XII" if i == 3 else "XIII")
        era = "XIV" if i in (4, 9) else era
        plan.append(
            (f"qd-{level}-{i:02d}", dict(level=level, era=era, typos=0.35 if i % 4 == 1 else 0.0, broken=i % 3 == 0))
        )
    plan += [
        ("qd-dang-vien-du-bi-01", dict(level="provincial_commission", probationary=True)),
        ("qd-dang-vien-du-bi-02", dict(level="commune_commission", era="XIII-late", probationary=True, typos=0.3)),
        ("qd-nhieu-dang-vien-01", dict(level="provincial_commission", n_subjects=3)),
        ("qd-nhieu-dang-vien-02", dict(level="central_commission", n_subjects=2, broken=True)),
        ("qd-nhieu-dang-vien-03", dict(level="provincial_committee", n_subjects=4, typos=0.3)),
        ("qd-nhieu-dang-vien-04", dict(level="commune_committee", era="XIII-late", n_subjects=2)),
        ("qd-bang-danh-sach-01", dict(level="provincial_commission", n_subjects=4, table=True)),
        ("qd-bang-danh-sach-02", dict(level="central_commission", n_subjects=5, table=True, broken=True)),
        ("qd-bang-danh-sach-03", dict(level="commune_commission", era="XIII-late", n_subjects=3, table=True)),
        ("qd-to-chuc-dang-01", dict(level="politburo", organization=True)),
        ("qd-to-chuc-dang-02", dict(level="secretariat", organization=True)),
        ("qd-to-chuc-dang-03", dict(level="provincial_committee", organization=True)),
        ("qd-to-chuc-dang-04", dict(level="commune_committee", era="XIII-late", organization=True)),
        ("qd-thay-doi-hinh-thuc-01", dict(level="central_commission", amend="change")),
        ("qd-thay-doi-hinh-thuc-02", dict(level="provincial_commission", amend="change", broken=True)),
        ("qd-xoa-bo-ky-luat-01", dict(level="provincial_committee", amend="annul")),
        ("qd-xoa-bo-ky-luat-02", dict(level="provincial_commission", amend="annul")),
    ]
    for stem, kwargs in plan:
        doc = decision(gen, **kwargs)
        put(f"digital/{stem}.pdf", render_pdf(doc.html), "digital", doc.labels)
    for k, (meeting, era, header, cases) in enumerate(
        [
            (25, "XIII", True, 5),
            (31, "XIII", False, 6),
            (42, "XIII", True, 4),
            (48, "XIII", False, 5),
            (12, "XIII", True, 6),
            (3, "XIV", False, 4),
        ]
    ):
        doc = communique(gen, meeting=meeting, era=era, with_header=header, cases=cases)
        put(f"digital/thong-bao-ky-hop-{k + 1:02d}.pdf", render_pdf(doc.html), "digital", doc.labels)
    for k in range(3):
        docs = [
            decision(gen, level=gen.pick(["provincial_commission", "provincial_committee", "central_commission"]))
            for _ in range(rng.randrange(2, 4))
        ]
        content = "".join(f"<div class='{'pb' if j else ''}'>{d.html}</div>" for j, d in enumerate(docs))
        put(
            f"digital/tap-quyet-dinh-{k + 1:02d}.pdf",
            render_pdf(content),
            "digital",
            [x for d in docs for x in d.labels],
        )

    # Scans: single-page decisions, degraded; image-only PDFs and a few PNG/JPEG.
    scan_plan = [
        ("provincial_commission", "pdf"), ("central_commission", "pdf"), ("provincial_committee", "pdf"),
        ("commune_commission", "pdf"), ("cell", "pdf"), ("politburo", "pdf"), ("provincial_commission", "pdf"),
        ("commune_committee", "pdf"), ("central_commission", "pdf"), ("provincial_commission", "pdf"),
        ("provincial_commission", "png"), ("commune_commission", "png"), ("central_commission", "jpg"),
        ("provincial_committee", "jpg"), ("provincial_commission", "pdf2"),
    ]  # fmt: skip
    for k, (level, fmt) in enumerate(scan_plan):
        era = "XIII-late" if level.startswith("commune") or level == "cell" else "XIII"
        doc = decision(
            gen,
            level=level,
            era=era,
            organization=level == "politburo",
            broken=k % 4 == 2,
            n_subjects=3 if fmt == "pdf2" else 1,
        )
        pdf = render_pdf(doc.html, font=11 if fmt != "pdf2" else 13)
        pages = degrade(pdf, rng)
        quality = rng.randrange(35, 55)
        if fmt.startswith("pdf"):
            data = image_pdf(pages, quality)
            rel = f"scans/scan-{k + 1:02d}.pdf"
        else:
            buf = io.BytesIO()
            img = pages[0]
            if fmt == "png":
                # A black-and-white scan (the scanner's "text" mode): thresholded, one bit per pixel.
                img = jpeg_roundtrip(img, quality).point(lambda v: 255 if v > 150 else 0).convert("1")
                img.save(buf, "PNG", optimize=True)
            else:
                img.save(buf, "JPEG", quality=quality)
            data = buf.getvalue()
            rel = f"scans/scan-{k + 1:02d}.{fmt}"
        put(rel, data, "scan", doc.labels)
        labels["files"][rel]["pages"] = len(pages)

    # Bad files.
    good = decision(gen, level="provincial_commission")
    good_pdf = render_pdf(good.html)
    put("bad/hong-file.pdf", good_pdf[: len(good_pdf) // 3], "bad", outcome="corrupt")
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(good_pdf))
    writer.encrypt("mat-khau", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    put("bad/co-mat-khau.pdf", buf.getvalue(), "bad", outcome="encrypted")
    put("bad/trang-trang.pdf", render_pdf("<p>&nbsp;</p>"), "bad", outcome="empty")
    put("bad/giay-moi-hop.pdf", render_pdf(non_decision_invitation(gen)), "bad", outcome="not_decision")
    put("bad/bao-cao-thong-ke.pdf", render_pdf(non_decision_report(gen)), "bad", outcome="not_decision")
    put("bad/ghi-chu.docx", b"PK\x03\x04 not really a Word file", "bad", outcome="unsupported")
    original = "digital/qd-provincial_commission-07.pdf"
    put(
        "bad/ban-sao-trung.pdf",
        (HERE / original).read_bytes(),
        "bad",
        [Label(**d) for d in labels["files"][original]["decisions"]],
        outcome="duplicate",
    )
    labels["files"]["bad/ban-sao-trung.pdf"]["duplicate_of"] = original
    (HERE / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    n = sum(len(v["decisions"]) for v in labels["files"].values())
    size = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    print(f"{len(labels['files'])} files, {n} decisions, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
