"""The vocabulary of Party disciplinary documents, as patterns over folded text and small lexicons.

Patterns run on the folded view (``text.DocText.folded``: lowercase, no diacritics, one space
or one newline between words), so they are written without diacritics. Where Tesseract
commonly confuses characters (``1``/``l``/``I``, ``0``/``o``) the digit classes allow it.
"""

from __future__ import annotations

import re

from kiemtra.discipline.extraction.text import fold

S = r"[ \n]*"  # optional whitespace (OCR drops and adds spaces)
W = r"[ \n]+"

# ---- penalties

PENALTY_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("reprimand", re.compile(rf"khi[eé]n{S}tr[ao]ch")),
    ("warning", re.compile(rf"c[ao]nh{S}c[ao]o")),
    ("dismissal", re.compile(rf"c[ao]ch{S}ch[uư]c")),
    ("expulsion", re.compile(rf"khai{S}tr[uư]")),
    ("dissolution", re.compile(rf"gi[ai]i{S}t[ao]n")),
]
ANY_PENALTY = re.compile("|".join(f"(?:{p.pattern})" for _, p in PENALTY_PATTERNS))
PENALTY_TAIL = re.compile(  # the whole phrase: 'Khai trừ ra khỏi Đảng', 'Cách chức Phó Bí thư Đảng ủy xã'
    rf"{PENALTY_PATTERNS[3][1].pattern}(?:{W}ra{W}kh[oô]i{W}dang)?"
    rf"|{PENALTY_PATTERNS[2][1].pattern}(?:{W}tat{W}ca{W}cac{W}chuc{W}vu{W}trong{W}dang"
    rf"|{W}(?:pho{W})?bi{W}thu[^,;.\n]*?(?=,|;|\.|{W}doi{W}voi))?"
    rf"|{ANY_PENALTY.pattern}"
)


def penalty_of(folded: str) -> str | None:
    """The penalty code a folded phrase names first ('canh cao' → 'warning')."""
    best: tuple[int, str] | None = None
    for code, pattern in PENALTY_PATTERNS:
        m = pattern.search(folded)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), code)
    return best[1] if best else None


# ---- document parts

NUMBER = re.compile(rf"\bs[o0e6]{S}[:.]?{S}([0-9]{{1,5}}){S}[-–—]?{S}(q{S}d+{S}i?|tb){S}[/|]{S}([a-z0-9]{{1,10}})")
DOC_NUMBER_REF = re.compile(
    rf"quyet{S}dinh{W}(?:so{S}[:.]?{S})?([0-9]{{1,5}}){S}[-–—]{S}(q{S}d){S}[/|]{S}([a-z0-9]{{1,10}})"
)
DATE_WORDS = re.compile(rf"ngay{S}([0-9olis]{{1,2}}){S}thang{S}([0-9olis]{{1,2}}){S}nam{S}([0-9ol]{{4}})")
DATE_WORDS_LOOSE = re.compile(  # the year pushed away by OCR ('ngày 25 tháng 7 năm\nSố 338-QĐ/UBKTTU 2025')
    rf"ngay{S}([0-9olis]{{1,2}}){S}thang{S}([0-9olis]{{1,2}}){S}nam[^\n]{{0,5}}\n[^\n]{{0,40}}?\b((?:19|20)[0-9]{{2}})\b"
)
DATE_SLASH = re.compile(r"\b([0-9]{1,2})\s?/\s?([0-9]{1,2})\s?/\s?((?:19|20)[0-9]{2})\b")
MEETING_DAYS = re.compile(
    rf"(?:trong|tu){W}(?:\w+{W})?(?:ngay|cac{W}ngay){W}([0-9]{{1,2}})(?:{W}(?:va|den(?:{W}ngay)?){W}|{S},{S}|{S}[-–]{S})"
    rf"([0-9]{{1,2}}){S}/{S}([0-9]{{1,2}}){S}/{S}([0-9]{{4}})"
)
MOTTO = re.compile(rf"dang{W}cong{W}san{W}viet{W}nam")
TITLE_DECISION = re.compile(rf"(?:^|\n)[ ]*quyet{S}dinh[ ]*(?=\n|$)")
TITLE_COMMUNIQUE = re.compile(rf"thong{W}bao[\s\S]{{0,40}}?ket{W}qua{W}ky{W}hop{W}thu{W}([0-9]+)")
DECIDES = re.compile(rf"quyet{S}dinh{S}:")
ARTICLE = re.compile(rf"(?:^|\n|[.;:]{S})[ ]*dieu{S}([0-9il]){S}[.:]")
CAN_CU = re.compile(rf"(?:^|\n)[ ]*[-–+•]?{S}can{W}cu\b")
REGULATION = re.compile(
    rf"(quy{W}dinh|huong{W}dan|quy{W}che|quyet{W}dinh){W}(?:so{S}[:.]?{S})?([0-9]{{1,5}}){S}[-–—]{S}"
    rf"(q{S}d+{S}i?|hd|qc){S}/{S}([a-z]{{1,10}})"
)
CHARTER = re.compile(rf"dieu{W}le{W}dang")
EFFECTIVE_SIGNING = re.compile(rf"hieu{W}luc(?:{W}thi{W}hanh)?(?:{W}ke)?{W}tu{W}ngay{W}ky")
EFFECTIVE_FROM = re.compile(rf"hieu{W}luc(?:{W}thi{W}hanh)?(?:{W}ke)?{W}tu{W}ngay{W}")
SIGN_FOR = re.compile(r"\b(?:t\s?/\s?m|k\s?/\s?t|tm\.|kt\.)\s")
EXPLICIT_TERM = re.compile(rf"\bkhoa{W}(xii|xiii|xiv|xi|x)\b")

# Where a violation statement starts, after "đã": the verbs inspection findings use.
VIOLATION_START = re.compile(
    rf"\bda{W}((?:co{W})?(?:vi{W}pham|thieu{W}trach{W}nhiem|buong{W}long|suy{W}thoai|loi{W}dung|su{W}dung"
    rf"|ke{W}khai|nhan{W}hoi{W}lo|tham{W}nhung|de{W}xay{W}ra))"
)
SENTENCE_END = re.compile(r"\.(?=[ \n]|$)")

# ---- subjects

ORGANIZATION_START = re.compile(
    rf"^(?:ban{W}thuong{W}vu|ban{W}can{W}su|dang{W}doan|dang{W}uy|chi{W}bo|ban{W}chap{W}hanh|ban{W}thuong{W}truc"
    rf"|uy{W}ban{W}kiem{W}tra|to{W}chuc{W}co{W}so{W}dang|dang{W}bo)\b"
)
BIRTH = re.compile(
    rf"^(?:sinh{W}nam|nam{W}sinh|sinh{W}ngay{W}[0-9]{{1,2}}{S}/{S}[0-9]{{1,2}}{S}/){S}:?{S}([0-9oil]{{4}})"
)
GENDER = re.compile(rf"^(?:gioi{W}tinh){S}:?{S}(nam|nu)\b")
PROBATIONARY = re.compile(rf"dang{W}vien{W}du{W}bi")
SKIP_SEGMENT = re.compile(rf"^(?:que{W}quan|dan{W}toc|tru{W}tai|noi{W}o|ton{W}giao|trinh{W}do)\b")
COMMITTEE_POSITION = re.compile(
    rf"^(?:nguyen{W})?(?:(?:pho{W})?bi{W}thu{W}(?:tinh|thanh|huyen|quan|thi|dang){W}uy"
    rf"|(?:tinh|thanh|huyen|quan|thi|dang){W}uy{W}vien|uy{W}vien{W}(?:ban{W}chap{W}hanh|ban{W}thuong{W}vu"
    rf"|bo{W}chinh{W}tri|ban{W}bi{W}thu|dang{W}uy|ban{W}can{W}su)|bi{W}thu{W}trung{W}uong|cap{W}uy{W}vien"
    rf"|(?:pho{W})?bi{W}thu{W}dang{W}uy)"
)

# Titles a position starts with (raw, lower case: "trưởng" and "trường" differ here).
TITLES = sorted(
    [
        "chủ tịch hội đồng thành viên", "chủ tịch hội đồng quản trị", "phó chủ tịch", "chủ tịch",
        "phó tổng giám đốc", "tổng giám đốc", "phó giám đốc", "giám đốc", "phó chánh văn phòng", "chánh văn phòng",
        "phó chánh thanh tra", "chánh thanh tra", "thứ trưởng", "bộ trưởng", "phó vụ trưởng", "vụ trưởng",
        "phó cục trưởng", "cục trưởng", "phó tổng cục trưởng", "tổng cục trưởng", "phó trưởng phòng",
        "trưởng phòng", "phó trưởng ban", "trưởng ban", "phó trưởng trạm", "trưởng trạm", "phó chủ nhiệm",
        "chủ nhiệm", "kế toán trưởng", "kế toán", "phó hiệu trưởng", "hiệu trưởng", "giáo viên", "nhân viên",
        "chuyên viên chính", "chuyên viên", "cán bộ", "công chức", "viên chức", "y sĩ", "bác sĩ", "điều dưỡng",
        "phó bí thư", "bí thư", "ủy viên", "thư ký", "phó trưởng", "trưởng", "phó chỉ huy trưởng",
        "chỉ huy trưởng", "đại biểu", "thành viên", "kiểm soát viên", "thủ quỹ", "tổ trưởng", "đội trưởng",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
TITLE_WORDS = {
    "phó", "chủ", "tổng", "giám", "chánh", "thứ", "bộ", "vụ", "cục", "trưởng", "kế", "hiệu", "giáo", "nhân",
    "chuyên", "cán", "công", "viên", "y", "bác", "điều", "bí", "ủy", "thư", "chỉ", "đại", "thành", "kiểm",
    "thủ", "tổ", "đội", "nguyên",
}  # fmt: skip
ORG_STARTS = (
    "Ủy ban", "Uỷ ban", "Sở", "Bộ", "Ban", "Phòng", "Trường", "Bệnh viện", "Tổng công ty", "Công ty", "Tập đoàn",
    "Đoàn", "Trạm", "Hợp tác xã", "Vụ", "Cục", "Tổng cục", "Văn phòng", "Chi cục", "Hội đồng", "Đảng ủy",
    "Tỉnh ủy", "Thành ủy", "Huyện ủy", "Chi bộ", "Ngân hàng", "Viện", "Trung tâm", "Kho bạc", "Công an",
    "Báo", "Đài", "Thanh tra", "Tòa án", "Viện kiểm sát", "Hội", "Quỹ", "Khu", "Cảng",
)  # fmt: skip

_SURNAME_TEXT = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Lương Mai Tạ Cao Đoàn "
    "Vương Hà Lâm Chu Quách Thái Kiều Lại Triệu Tôn Tống La Văn Tiêu Thạch Kim Lưu Giang Hứa Khúc Ông Âu "
    "Bạch Châu Chung Diệp Đàm Đào Đậu Điêu Giáp Hàn Hầu Khổng Khuất Lăng Lục Lữ Lò Lùng Ma Mạc Nông Phí "
    "Phùng Quan Quàng Sầm Sơn Tăng Thân Thiều Thịnh Trương Ứng Vi Viên Y Cù Doãn Đồng Kha Khương "
    "Lạc Lầu Mẫn Nghiêm Ninh Phó Quản Tô Từ Ung Vòng Xa Bế Hoa Lành Lộc Mông Nhữ Bành Cấn Chế Công Diêm Đới "
    "Giàng Hạ Hồng Khiếu Linh Mầu Ngọ Nhâm Thào Tòng Vàng Vừ"
)
SURNAMES = {fold(s) for s in _SURNAME_TEXT.split()}


def is_person_name(text: str) -> bool:
    """'Nguyễn Văn An': 2 to 6 capitalised words, the first a Vietnamese surname."""
    words = text.split()
    if not 2 <= len(words) <= 6:
        return False
    if fold(words[0]) not in SURNAMES:
        return False
    return all(w[0].isupper() and (len(w) == 1 or w[1:].islower()) and w.isalpha() for w in words)


# ---- provinces (the 34 since 2025 and the 63 before, for older decisions)

PROVINCES = [
    "Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Hồ Chí Minh", "Thừa Thiên Huế", "Nghệ An", "Hà Tĩnh",
    "Quảng Ninh", "Lào Cai", "Tuyên Quang", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Ninh Bình",
    "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai", "Tây Ninh",
    "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang", "Cao Bằng", "Lai Châu", "Điện Biên", "Lạng Sơn", "Sơn La",
    "Thanh Hóa", "Hà Giang", "Yên Bái", "Bắc Kạn", "Hòa Bình", "Vĩnh Phúc", "Bắc Giang", "Hải Dương",
    "Thái Bình", "Hà Nam", "Nam Định", "Quảng Bình", "Quảng Nam", "Kon Tum", "Bình Định", "Phú Yên",
    "Ninh Thuận", "Bình Thuận", "Đắk Nông", "Bình Phước", "Bình Dương", "Bà Rịa – Vũng Tàu", "Long An",
    "Tiền Giang", "Bến Tre", "Trà Vinh", "Sóc Trăng", "Hậu Giang", "Kiên Giang", "Bạc Liêu",
]  # fmt: skip
PROVINCE_BY_FOLD = {fold(p).replace("–", "-"): p for p in PROVINCES}
_PROVINCE_ALTERNATIVES = "|".join(
    sorted((re.escape(k).replace(r"\ ", W) for k in PROVINCE_BY_FOLD), key=len, reverse=True)
)
PROVINCE_IN_TEXT = re.compile(
    rf"\b(?:tinh|thanh{W}pho|tinh{W}uy|thanh{W}uy|dang{W}bo{W}tinh|dang{W}bo{W}thanh{W}pho){W}"
    rf"({_PROVINCE_ALTERNATIVES})\b"
)
CITY_PROVINCES = {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Hồ Chí Minh"}


def province_name(folded: str) -> str | None:
    """The province's name as catalogued, from its folded form."""
    return PROVINCE_BY_FOLD.get(" ".join(folded.split()).replace("–", "-"))


def term_for(day_year: int, day_month: int, day: int) -> str:
    """The congress term in force on a date: XII until Jan 2021, XIII until the 14th Congress (Jan 2026)."""
    key = (day_year, day_month, day)
    if key < (2021, 2, 1):
        return "XII" if key >= (2016, 1, 28) else "XI"
    if key < (2026, 1, 23):
        return "XIII"
    return "XIV"


def ocr_digits(text: str) -> str:
    """'2O2l' → '2021': letters Tesseract puts for digits inside a number."""
    return text.translate(str.maketrans("oOlIisS", "0011155"))
