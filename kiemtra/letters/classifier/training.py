"""The labelled examples the classification assist learns from, written for the project.

Varied on purpose: formal letters with the usual salutation, short phone
messages typed without diacritics, elderly writers who tell the story at
length, and letters that both complain and denounce (handled as complaints,
Quy định 06: the sender is told to denounce separately). Each example is
generated from a (kind, field) pair, a subject and a style, with a seeded
random generator, so the set is the same on every machine; the held-out part
is chosen by a stable hash of the text and never reaches ``fit``.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from kiemtra.core.text import fold

KINDS = ("complaint", "denunciation", "feedback", "recommendation")
FIELDS = ("land", "finance", "personnel", "corruption", "ethics", "assets", "discipline", "administration", "other")

# What a letter of each field is about: (who, what they did / what happened).
SUBJECTS: dict[str, list[tuple[str, str]]] = {
    "land": [
        ("Chủ tịch UBND xã", "giao đất công cho người nhà không qua đấu giá"),
        ("cán bộ địa chính", "cấp giấy chứng nhận quyền sử dụng đất sai đối tượng"),
        ("Phó Chủ tịch huyện", "để doanh nghiệp lấn chiếm đất rừng phòng hộ khai thác cát trái phép"),
        ("Trưởng phòng Tài nguyên và Môi trường", "thu hồi đất của dân mà bồi thường không thỏa đáng"),
        ("Bí thư xã", "chuyển mục đích sử dụng đất nông nghiệp sang đất ở cho người thân"),
    ],
    "finance": [
        ("Giám đốc ban quản lý dự án", "chi sai mục đích vốn đầu tư công xây trường học"),
        ("kế toán trưởng", "lập chứng từ khống để rút ngân sách"),
        ("Chủ tịch UBND phường", "quyết toán công trình đường giao thông vượt dự toán nhiều tỷ đồng"),
        ("Thủ trưởng đơn vị", "sử dụng quỹ phúc lợi và kinh phí hỗ trợ sai quy định"),
    ],
    "personnel": [
        ("Bí thư huyện ủy", "bổ nhiệm người không đủ tiêu chuẩn vào chức trưởng phòng"),
        ("Giám đốc Sở", "quy hoạch cán bộ thiếu dân chủ, đưa con em vào diện quy hoạch"),
        ("Trưởng ban tổ chức", "tuyển dụng công chức không công khai, ưu ái người quen"),
        ("Chủ tịch xã", "luân chuyển cán bộ trái quy trình, trù dập người góp ý"),
    ],
    "corruption": [
        ("cán bộ thuế", "nhận hối lộ để bỏ qua sai phạm của doanh nghiệp"),
        ("Trưởng công an xã", "đòi tiền người dân mới giải quyết vụ việc"),
        ("Phó Giám đốc Sở Xây dựng", "móc ngoặc với nhà thầu, nhận tiền lại quả của gói thầu"),
        ("Chủ tịch UBND thị trấn", "tham ô tiền hỗ trợ người nghèo"),
    ],
    "ethics": [
        ("Bí thư chi bộ", "có quan hệ bất chính, vi phạm chế độ hôn nhân một vợ một chồng"),
        ("Phó Chủ tịch xã", "thường xuyên say rượu, đánh bạc, gây gổ với hàng xóm"),
        ("Trưởng phòng", "có lối sống xa hoa, hách dịch, xúc phạm nhân dân"),
        ("đảng viên", "tổ chức đánh bạc tại nhà và cho vay nặng lãi"),
    ],
    "assets": [
        ("Giám đốc công ty nhà nước", "kê khai tài sản không trung thực, giấu nhiều căn nhà và lô đất"),
        ("Chủ tịch huyện", "có biệt thự và ô tô đắt tiền không tương xứng thu nhập, không kê khai"),
        ("cán bộ hải quan", "đứng tên hộ nhiều tài sản cho người thân để trốn kê khai thu nhập"),
        ("Phó trưởng ban", "bản kê khai tài sản, thu nhập thiếu khoản tiền gửi ngân hàng lớn"),
    ],
    "discipline": [
        ("Ủy ban kiểm tra huyện ủy", "quyết định kỷ luật khiển trách tôi là không đúng"),
        ("chi bộ", "thi hành kỷ luật cảnh cáo đảng viên không đúng quy trình"),
        ("Đảng ủy xã", "khai trừ tôi ra khỏi Đảng mà không cho tôi trình bày"),
        ("Ban thường vụ huyện ủy", "hình thức kỷ luật quá nặng so với vi phạm của tôi"),
    ],
    "administration": [
        ("cán bộ một cửa", "gây khó khăn, chậm giải quyết hồ sơ nhiều tháng"),
        ("bộ phận tiếp nhận hồ sơ", "có thái độ thiếu tôn trọng, bắt đi lại nhiều lần"),
        ("UBND phường", "không trả lời đơn của công dân quá thời hạn"),
        ("cán bộ tư pháp xã", "đòi thêm giấy tờ không có trong thủ tục hành chính"),
    ],
    "other": [
        ("ban quản lý chợ", "để hàng rong lấn chiếm lối đi, mất vệ sinh"),
        ("tổ dân phố", "tổ chức họp không thông báo cho các hộ"),
        ("nhà văn hóa thôn", "xuống cấp lâu ngày không sửa chữa"),
        ("đơn vị cấp nước", "nước sinh hoạt bị đục, có mùi nhiều tuần"),
    ],
}

# The part of the letter that says what the sender asks for, by kind.
ASKS: dict[str, list[str]] = {
    "denunciation": [
        "Tôi tố cáo hành vi sai phạm nêu trên, đề nghị xác minh và xử lý nghiêm.",
        "Tôi làm đơn này tố cáo {who} về việc {what}, đề nghị cơ quan làm rõ.",
        "Kính đề nghị Ủy ban kiểm tra xem xét, xử lý người vi phạm theo Điều lệ Đảng.",
    ],
    "complaint": [
        "Tôi khiếu nại quyết định trên vì không đúng với sự việc, đề nghị xem xét lại.",
        "Tôi không đồng ý với quyết định này và làm đơn khiếu nại, đề nghị hủy bỏ quyết định.",
        "Đề nghị cấp trên xem xét lại quyết định đã ban hành đối với tôi, bảo đảm quyền lợi chính đáng.",
    ],
    "feedback": [
        "Tôi phản ánh để các cơ quan biết và chấn chỉnh.",
        "Xin phản ánh tình trạng này, mong được quan tâm khắc phục.",
        "Người dân chúng tôi bức xúc, phản ánh để cấp trên nắm tình hình.",
    ],
    "recommendation": [
        "Tôi kiến nghị cơ quan có thẩm quyền sửa đổi quy định, ban hành hướng dẫn cụ thể.",
        "Kính kiến nghị cấp ủy có giải pháp để việc này không tái diễn.",
        "Đề xuất, kiến nghị nên công khai quy trình và tăng cường giám sát.",
    ],
}

OPENINGS = [
    "Kính gửi: Ủy ban kiểm tra {unit}.",
    "Kính gửi Ủy ban kiểm tra {unit}, tôi tên là {name}, trú tại {place}.",
    "Kính gửi các đồng chí lãnh đạo Ủy ban kiểm tra {unit}.",
]
UNITS = [
    "tỉnh ủy Nghệ An",
    "huyện ủy Đông Anh",
    "thành ủy Hà Nội",
    "Trung ương",
    "đảng ủy xã Tân Lập",
    "tỉnh ủy Cà Mau",
]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Quốc Dũng", "Phạm Thị Hoa", "Hoàng Văn Hùng", "Vũ Thu Lan"]
PLACES = ["thôn Đông, xã Tân Lập", "tổ 5 phường Hòa Bình", "xóm 3 xã Nghi Phong", "ấp Tân Hòa, xã Tân Hưng"]
ELDERLY = [
    "Tôi năm nay đã ngoài 70 tuổi, là đảng viên 40 năm tuổi Đảng, mắt kém nên nhờ cháu viết hộ.",
    "Tôi là thương binh, tuổi già sức yếu, đi lại khó khăn, viết mấy dòng này mong các đồng chí thấu hiểu.",
    "Già rồi tôi không muốn phiền ai, nhưng chuyện này để lâu quá ai cũng bức xúc.",
]
# Phrases a letter of that kind uses even when the writer is not formal.
KIND_MARKS = {
    "denunciation": ["to cao", "tố giác", "sai phạm", "vi phạm"],
    "complaint": ["khiếu nại", "quyết định", "không đồng ý", "oan"],
    "feedback": ["phản ánh", "bức xúc", "tình trạng"],
    "recommendation": ["kiến nghị", "đề xuất", "nên sửa"],
}


@dataclass(frozen=True)
class Example:
    text: str
    kind: str
    field: str
    style: str

    @property
    def held_out(self) -> bool:
        """One in five, by a stable hash of the text: the training never sees it."""
        return hashlib.sha256(self.text.encode()).digest()[0] % 5 == 0


def _formal(r: random.Random, kind: str, who: str, what: str) -> str:
    opening = r.choice(OPENINGS).format(unit=r.choice(UNITS), name=r.choice(NAMES), place=r.choice(PLACES))
    story = f"Thời gian qua, {who} đã {what}."
    ask = r.choice(ASKS[kind]).format(who=who, what=what)
    return f"{opening} {story} {ask} Xin trân trọng cảm ơn."


def _phone(r: random.Random, kind: str, who: str, what: str) -> str:
    mark = r.choice(KIND_MARKS[kind])
    return fold(f"{mark} {who} {what} {r.choice(['mong xem xet', 'de nghi giai quyet', 'nho cac anh xem', ''])}")


def _elderly(r: random.Random, kind: str, who: str, what: str) -> str:
    return (
        f"{r.choice(ELDERLY)} Chuyện là từ mấy năm nay {who} ở chỗ chúng tôi {what}, bà con ai cũng biết. "
        f"Tôi đã nhiều lần nói mà không ai nghe. {r.choice(ASKS[kind]).format(who=who, what=what)}"
    )


def _mixed(r: random.Random, who: str, what: str) -> str:
    return (
        f"Kính gửi Ủy ban kiểm tra {r.choice(UNITS)}. Tôi khiếu nại quyết định của {who} đối với gia đình tôi, "
        f"đồng thời tố cáo {who} đã {what}. Đề nghị xem xét lại quyết định và xử lý người sai phạm."
    )


def examples(per_pair: int = 12, seed: int = 13) -> list[Example]:
    r = random.Random(seed)  # noqa: S311 — reproducible training data, not secrets
    out: list[Example] = []
    for field_code, subjects in SUBJECTS.items():
        for kind in KINDS:
            for i in range(per_pair):
                who, what = r.choice(subjects)
                style = ("formal", "phone", "elderly")[i % 3]
                writer = {"formal": _formal, "phone": _phone, "elderly": _elderly}[style]
                out.append(Example(writer(r, kind, who, what), kind, field_code, style))
        # A letter that complains and denounces is handled as a complaint.
        for _i in range(2):
            who, what = r.choice(subjects)
            out.append(Example(_mixed(r, who, what), "complaint", field_code, "mixed"))
    return out
