"""Decisions worded in ways the first template did not know: one behaviour per test, near-misses included.

Each snippet is written here (fictional people) in a pattern found in published announcements and
decisions; the issue (#11) lists the kinds.
"""

from __future__ import annotations

import datetime as dt

from kiemtra.core.text import fold as search_fold
from kiemtra.core.text import nfc
from kiemtra.discipline.extraction.extractor import extract
from kiemtra.discipline.extraction.types import ExtractedDecision
from kiemtra.discipline.tests.corpus import pages

HEADER = """TỈNH ỦY NGHỆ AN
ỦY BAN KIỂM TRA
*
Số 45-QĐ/UBKTTU
ĐẢNG CỘNG SẢN VIỆT NAM
Nghệ An, ngày 12 tháng 3 năm 2024
QUYẾT ĐỊNH
về việc thi hành kỷ luật đảng viên
ỦY BAN KIỂM TRA TỈNH ỦY QUYẾT ĐỊNH:
Điều 1. """
FOOTER = """
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
T/M ỦY BAN KIỂM TRA
CHỦ NHIỆM
Lê Văn Tám
"""


def decide(article1: str) -> list[ExtractedDecision]:
    return extract(pages(HEADER + article1 + FOOTER))


def announce(text: str) -> list[ExtractedDecision]:
    return extract(pages(text))


def summary(decisions: list[ExtractedDecision]) -> list[tuple[str, str, str | None]]:
    return [(d.value("subject_name"), d.value("penalty"), d.value("issuing_body")) for d in decisions]


# ---- birth year in all its forms


def test_birth_year_is_read_from_a_full_date_of_birth() -> None:
    (d,) = decide("Thi hành kỷ luật bằng hình thức Cảnh cáo đối với đồng chí Trần Văn Hải, sinh ngày 03/4/1971, "
                  "Phó Giám đốc Sở Tài chính tỉnh Nghệ An.")  # fmt: skip
    assert d.value("birth_year") == 1971
    assert d.value("positions") == ["Phó Giám đốc Sở Tài chính tỉnh Nghệ An"]


def test_birth_year_is_read_in_parentheses_after_the_name_and_after_the_position() -> None:
    (a,) = decide(
        "Thi hành kỷ luật Khiển trách đối với ông Lê Văn Bình (năm sinh: 1969), Chủ tịch Ủy ban nhân dân xã Yên Mô."
    )
    (b,) = decide("Thi hành kỷ luật đồng chí Phạm Thị Hoa, Kế toán Ủy ban nhân dân xã Yên Mô (sinh năm 1980), "
                  "bằng hình thức khiển trách.")  # fmt: skip
    (c,) = decide("Thi hành kỷ luật bằng hình thức Cảnh cáo đối với đồng chí Võ Minh Tâm (1975), Giám đốc Sở Y tế.")
    assert (a.value("birth_year"), b.value("birth_year"), c.value("birth_year")) == (1969, 1980, 1975)
    assert b.value("positions") == ["Kế toán Ủy ban nhân dân xã Yên Mô"]


def test_birth_year_written_in_words_of_a_date() -> None:
    (d,) = decide(
        "Thi hành kỷ luật bằng hình thức Cảnh cáo đối với đồng chí Đỗ Văn Khải, sinh ngày 5 tháng 9 năm 1966, "
        "Trưởng phòng Phòng Kinh tế xã Tam Đảo."
    )
    assert d.value("birth_year") == 1966


# ---- the member named before the verb; the penalty wrapped around the name; dismissal of every post


def test_the_member_named_before_the_verb_is_a_decision() -> None:
    (d,) = decide("Đồng chí Hoàng Văn Lực – Phó Chủ tịch Ủy ban nhân dân tỉnh Nghệ An (năm sinh: 1970) bị thi hành "
                  "kỷ luật với hình thức cảnh cáo.")  # fmt: skip
    assert (d.value("subject_name"), d.value("penalty"), d.value("birth_year")) == ("Hoàng Văn Lực", "warning", 1970)
    assert d.value("positions") == ["Phó Chủ tịch Ủy ban nhân dân tỉnh Nghệ An"]


def test_the_penalty_wrapped_around_the_name() -> None:
    (d,) = decide("Thi hành kỷ luật khai trừ đồng chí Nguyễn Hữu Phước, nguyên Giám đốc Sở Xây dựng ra khỏi Đảng.")
    assert (d.value("subject_name"), d.value("penalty")) == ("Nguyễn Hữu Phước", "expulsion")
    assert d.value("positions") == ["nguyên Giám đốc Sở Xây dựng"]


def test_dismissal_from_every_post_in_the_party_is_a_dismissal() -> None:
    (d,) = decide("Cách tất cả các chức vụ trong Đảng đối với đồng chí Bùi Quang Vinh, Bí thư Đảng ủy xã Phú Mỹ.")
    assert (d.value("subject_name"), d.value("penalty")) == ("Bùi Quang Vinh", "dismissal")
    assert d.value("positions") == ["Bí thư Đảng ủy xã Phú Mỹ"]  # 'Bí thư' is not the passive 'bị'


def test_a_rank_before_the_name_is_not_part_of_it() -> None:
    (d,) = decide("Thi hành kỷ luật bằng hình thức Khiển trách đối với Thượng tá Lương Văn Đức, sinh năm 1974, "
                  "Phó Giám đốc Công an tỉnh Nghệ An.")  # fmt: skip
    assert d.value("subject_name") == "Lương Văn Đức"
    assert d.value("positions") == ["Phó Giám đốc Công an tỉnh Nghệ An"]


def test_an_organisation_name_stops_before_its_term_and_the_reason() -> None:
    (d,) = decide("Thi hành kỷ luật Ban Thường vụ Đảng ủy xã Hòa Xuân, nhiệm kỳ 2015 - 2020 bằng hình thức cảnh cáo, "
                  "vì đã vi phạm nguyên tắc tập trung dân chủ.")  # fmt: skip
    assert d.value("subject_name") == "Ban Thường vụ Đảng ủy xã Hòa Xuân"
    assert (d.value("subject_type"), d.value("subject_term"), d.value("penalty")) == (
        "organization",
        "2015–2020",
        "warning",
    )


# ---- announcements and communiqués


NEWS = """Kỷ luật nhiều cán bộ vi phạm
Cập nhật: 20/05/2024 18:30

Trong 2 ngày 16 và 17/5/2024, tại Hà Nội, UBKT T.Ư đã họp Kỳ họp thứ 40.
"""


def test_penalty_first_then_a_list_of_organisations_and_people() -> None:
    text = NEWS + (
        "Căn cứ nội dung, tính chất, mức độ vi phạm, Ủy ban Kiểm tra Trung ương quyết định thi hành kỷ luật: "
        "cảnh cáo Đảng ủy Sở Công Thương tỉnh Lạng Sơn, nhiệm kỳ 2020–2025; khiển trách các đồng chí: "
        "Trịnh Văn Sáu, Giám đốc Sở Công Thương tỉnh Lạng Sơn; Mai Thị Nhàn, Phó Giám đốc Sở Công Thương "
        "tỉnh Lạng Sơn.\n"
    )
    assert summary(announce(text)) == [
        ("Đảng ủy Sở Công Thương tỉnh Lạng Sơn", "warning", "Ủy ban Kiểm tra Trung ương"),
        ("Trịnh Văn Sáu", "reprimand", "Ủy ban Kiểm tra Trung ương"),
        ("Mai Thị Nhàn", "reprimand", "Ủy ban Kiểm tra Trung ương"),
    ]
    assert all(d.value("date") == dt.date(2024, 5, 17) and d.value("term") == "XIII" for d in announce(text))


def test_several_penalties_under_one_verb() -> None:
    text = NEWS + (
        "Bộ Chính trị quyết định kỷ luật cảnh cáo đối với đồng chí Lò Văn Tiến, nguyên Bí thư Tỉnh ủy Sơn La "
        "và đồng chí Cầm Thị Ngọc, Phó Chủ tịch Ủy ban nhân dân tỉnh Sơn La; khiển trách đồng chí Quàng Văn Pha, "
        "Giám đốc Sở Tài chính tỉnh Sơn La.\n"
    )
    assert summary(announce(text)) == [
        ("Lò Văn Tiến", "warning", "Bộ Chính trị"),
        ("Cầm Thị Ngọc", "warning", "Bộ Chính trị"),
        ("Quàng Văn Pha", "reprimand", "Bộ Chính trị"),
    ]


def test_passive_voice_and_a_penalty_given_by_reference() -> None:
    text = NEWS + (
        "Đồng chí Phan Văn Khởi, Chủ tịch Ủy ban nhân dân tỉnh Hà Tĩnh bị Ban Bí thư thi hành kỷ luật bằng "
        "hình thức cảnh cáo. Ông Hà Minh Tuệ, Phó Chủ tịch Ủy ban nhân dân tỉnh Hà Tĩnh cũng bị Ban Bí thư "
        "kỷ luật bằng hình thức tương tự.\n"
    )
    assert summary(announce(text)) == [
        ("Phan Văn Khởi", "warning", "Ban Bí thư"),
        ("Hà Minh Tuệ", "warning", "Ban Bí thư"),
    ]


def test_an_abbreviated_body_carried_over_from_the_previous_sentence() -> None:
    text = (
        "Ngày 4/6/2025, BTV Tỉnh ủy Quảng Trị họp xem xét, thi hành kỷ luật đảng viên vi phạm.\n"
        "Ban Thường vụ Tỉnh ủy quyết định thi hành kỷ luật khai trừ ra khỏi Đảng đối với đảng viên "
        "Lê Công Thạch, nguyên Chủ tịch Ủy ban nhân dân xã Hải Lăng.\n"
    )
    (d,) = announce(text)
    assert (d.value("issuing_body"), d.value("issuing_level")) == (
        "Ban Thường vụ Tỉnh ủy Quảng Trị",
        "provincial_committee",
    )
    assert d.value("penalty") == "expulsion" and d.value("date") == dt.date(2025, 6, 4)


def test_a_vote_of_the_central_committee_is_a_decision() -> None:
    text = (
        "Chiều 6/10/2022, Ban Chấp hành Trung ương Đảng đã thảo luận, bỏ phiếu tán thành kỷ luật khai trừ "
        "ra khỏi Đảng đối với đồng chí Tôn Thất Lộc, nguyên Bộ trưởng Bộ Xây dựng.\n"
    )
    (d,) = announce(text)
    assert (d.value("subject_name"), d.value("penalty"), d.value("issuing_level")) == (
        "Tôn Thất Lộc",
        "expulsion",
        "central_committee",
    )


def test_a_chain_of_dismissals_is_one_dismissal_and_its_posts_are_not_subjects() -> None:
    text = (
        "Ngày 26/12/2018, Ban Chấp hành Trung ương đã quyết định thi hành kỷ luật đồng chí Thạch Văn Long bằng "
        "hình thức cách chức Ủy viên Ban Chấp hành Trung ương Đảng khóa XII; cách chức Phó Bí thư Thành ủy "
        "nhiệm kỳ 2015 - 2020; cách chức Ủy viên Ban Thường vụ Thành ủy nhiệm kỳ 2015 - 2020.\n"
    )
    assert summary(announce(text)) == [("Thạch Văn Long", "dismissal", "Ban Chấp hành Trung ương")]


# ---- near-misses: no record


def test_a_proposal_to_discipline_is_not_a_decision() -> None:
    assert announce(NEWS + "Ủy ban Kiểm tra Trung ương đề nghị Ban Bí thư xem xét, thi hành kỷ luật đồng chí "
                    "Ngô Văn Tài, Bí thư Tỉnh ủy Cà Mau.\n") == []  # fmt: skip
    assert announce(NEWS + "UBKTTW đề nghị Bộ Chính trị xem xét, thi hành kỷ luật khai trừ ra khỏi Đảng đối với "
                    "đồng chí Ngô Văn Tài, nguyên Bí thư Tỉnh ủy Cà Mau.\n") == []  # fmt: skip


def test_criticism_is_not_a_penalty() -> None:
    assert announce(NEWS + "Ủy ban Kiểm tra Trung ương phê bình nghiêm khắc đồng chí Đinh Văn Quý, Giám đốc Sở "
                    "Y tế tỉnh Cà Mau và yêu cầu kiểm điểm.\n") == []  # fmt: skip


def test_administrative_discipline_of_a_civil_servant_is_not_a_party_decision() -> None:
    text = (
        "Chủ tịch Ủy ban nhân dân tỉnh Cà Mau đã ký quyết định kỷ luật hành chính bằng hình thức cảnh cáo đối "
        "với ông Tạ Văn Nhất, công chức Văn phòng Ủy ban nhân dân huyện Năm Căn.\n"
    )
    assert announce(text) == []


# ---- names as search folds them


def test_extracted_names_are_normalised_the_way_search_folds_them() -> None:
    (d,) = decide("Thi hành kỷ luật bằng hình thức Cảnh cáo đối với đồng chí Nguyễn   Văn\nHùng, Giám đốc Sở Y tế.")
    name = d.value("subject_name")
    assert name == nfc(name) == "Nguyễn Văn Hùng"
    assert search_fold(name) == "nguyen van hung"


def test_every_field_keeps_its_page_span_and_a_confidence() -> None:
    text = NEWS + "Bộ Chính trị quyết định kỷ luật cảnh cáo đồng chí Lò Văn Tiến, nguyên Bí thư Tỉnh ủy Sơn La.\n"
    (d,) = announce(text)
    assert d.subject_name is not None and d.penalty is not None
    assert text[d.subject_name.start : d.subject_name.end] == "Lò Văn Tiến"
    assert "cảnh cáo" in text[d.penalty.start : d.penalty.end]
    assert all(0 < f.confidence <= 1 for f in (d.subject_name, d.penalty, d.issuing_body) if f is not None)


def test_names_listed_with_commas_only_are_each_a_subject() -> None:
    text = NEWS + "Bộ Chính trị quyết định kỷ luật khiển trách các đồng chí Lê Văn Thành, Trần Thị Hằng, Vũ Đức Minh.\n"
    assert [d.value("subject_name") for d in announce(text)] == ["Lê Văn Thành", "Trần Thị Hằng", "Vũ Đức Minh"]


def test_a_commune_commission_and_a_day_given_as_afternoon() -> None:
    text = (
        "Chiều 14/8/2025, Ủy ban Kiểm tra Đảng ủy xã Phú Mỹ họp kỳ thứ 3 và quyết định thi hành kỷ luật "
        "cảnh cáo đảng viên Võ Văn Lành, Phó Chủ tịch Ủy ban nhân dân xã.\n"
    )
    (d,) = announce(text)
    assert d.value("issuing_body") == "Ủy ban Kiểm tra Đảng ủy xã Phú Mỹ"
    assert d.value("issuing_level") == "commune_commission"
    assert d.value("date") == dt.date(2025, 8, 14)


def test_a_headline_repeating_a_name_does_not_take_the_place_of_the_decision() -> None:
    text = (
        "Cảnh cáo ông Phùng Văn Khang\n"
        "Ngày 3/9/2024, Ban Bí thư đã họp và quyết định thi hành kỷ luật cảnh cáo đồng chí Phùng Văn Khang, "
        "nguyên Bí thư Tỉnh ủy Lào Cai.\n"
    )
    (d,) = announce(text)
    assert (d.value("issuing_body"), d.value("date")) == ("Ban Bí thư", dt.date(2024, 9, 3))


def test_a_name_printed_in_capitals_is_stored_in_name_case() -> None:
    (d,) = decide("Thi hành kỷ luật bằng hình thức Khiển trách đối với đồng chí NGUYỄN VĂN ĐỨC, Giám đốc Sở Y tế.")
    assert d.value("subject_name") == "Nguyễn Văn Đức"


def test_a_text_typed_without_diacritics_is_read_too() -> None:
    text = (
        "Ngay 5/4/2024, Uy ban Kiem tra Trung uong quyet dinh thi hanh ky luat canh cao dong chi Nguyen Van Binh, "
        "Giam doc So Tai chinh; khien trach dong chi Tran Thi Lan, Pho Giam doc So Tai chinh.\n"
    )
    assert summary(announce(text)) == [
        ("Nguyen Van Binh", "warning", "Ủy ban Kiểm tra Trung ương"),
        ("Tran Thi Lan", "reprimand", "Ủy ban Kiểm tra Trung ương"),
    ]
