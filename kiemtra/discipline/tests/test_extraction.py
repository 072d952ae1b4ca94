"""Field extraction from disciplinary documents: the labelled corpus, and tricky snippets one behaviour each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kiemtra.discipline.extraction.categories import CATEGORIES, categorize
from kiemtra.discipline.extraction.extractor import extract
from kiemtra.discipline.extraction.text import clean
from kiemtra.discipline.extraction.types import ExtractedDecision, Page
from kiemtra.discipline.tests.corpus import labels, pages, read

KEY_FIELDS = (
    "number", "date", "issuing_level", "subject_type", "birth_year", "penalty", "action", "term",
    "amends_number", "signer", "province", "unit", "legal_basis", "effective_date", "gender", "probationary",
)  # fmt: skip

DIGITAL = sorted(rel for rel, e in labels().items() if e["kind"] == "digital")


def as_json(decisions: list[ExtractedDecision]) -> dict[str, dict[str, Any]]:
    return {d.value("subject_name"): d.to_json("f") for d in decisions}


@pytest.mark.parametrize("rel", DIGITAL)
def test_born_digital_document_gives_every_labelled_decision_with_its_fields(rel: str) -> None:
    expected = {e["subject_name"]: e for e in labels()[rel]["decisions"]}
    got = as_json(extract(read(rel).pages))
    assert set(got) == set(expected)
    for name, e in expected.items():
        g = got[name]
        for field in KEY_FIELDS:
            assert g[field] == e[field], (name, field)
        assert g["issuing_body"].casefold() == e["issuing_body"].casefold()
        assert g["positions"] == e["positions"]
        assert g["violations"] == e["violations"]
        assert sorted(g["violation_categories"]) == sorted(e["violation_categories"])


def test_ocred_scan_gives_the_labelled_decision() -> None:
    """The same page test_reading OCRs (read once per session)."""
    (e,) = labels()["scans/scan-01.pdf"]["decisions"]
    (d,) = extract(read("scans/scan-01.pdf").pages)
    got = d.to_json("f")
    for field in ("number", "date", "subject_name", "birth_year", "penalty", "issuing_body", "signer", "term"):
        assert got[field] == e[field], field
    assert d.subject_name is not None and d.subject_name.confidence < 0.97  # OCR lowers confidence


def test_non_decision_documents_give_no_decision() -> None:
    assert extract(read("bad/giay-moi-hop.pdf").pages) == []
    assert extract(read("bad/bao-cao-thong-ke.pdf").pages) == []
    assert extract(pages("")) == []


def test_communique_gives_one_decision_per_subject_and_skips_recommendations() -> None:
    rel = "digital/thong-bao-ky-hop-02.pdf"
    decisions = extract(read(rel).pages)
    assert len(decisions) == len(labels()[rel]["decisions"]) >= 8
    kinds = {d.value("subject_type") for d in decisions}
    assert kinds == {"member", "organization"}
    assert len({d.value("penalty") for d in decisions}) >= 2
    assert all(d.value("issuing_body") == "Ủy ban Kiểm tra Trung ương" for d in decisions)
    # the denunciation item recommends discipline and decides none: its subject is not there
    text = read(rel).text
    accused = text.split("Giải quyết tố cáo đối với đồng chí ")[1].split(",")[0]
    assert accused in text and accused not in {d.value("subject_name") for d in decisions}


# ---- snippets

HEADER = """TỈNH ỦY NGHỆ AN
ỦY BAN KIỂM TRA
*
Số 45-QĐ/UBKTTU
ĐẢNG CỘNG SẢN VIỆT NAM
Nghệ An, ngày 12 tháng 3 năm 2024
QUYẾT ĐỊNH
về việc thi hành kỷ luật đối với đồng chí Nguyễn Văn An
- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;
- Căn cứ Quy định số 69-QĐ/TW, ngày 06/7/2022 của Bộ Chính trị về kỷ luật tổ chức đảng, đảng viên vi phạm;
Đồng chí Nguyễn Văn An đã vi phạm quy định trong quản lý, sử dụng đất đai; suy thoái về đạo đức, lối sống.
ỦY BAN KIỂM TRA TỈNH ỦY QUYẾT ĐỊNH:
"""
FOOTER = """
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Điều 3. Văn phòng Ủy ban Kiểm tra Tỉnh ủy Nghệ An và đồng chí có tên tại Điều 1 chịu trách nhiệm thi hành.
Nơi nhận:
- Như Điều 3,
T/M ỦY BAN KIỂM TRA
CHỦ NHIỆM
Trần Thị Bình
"""


def one(article1: str, header: str = HEADER) -> ExtractedDecision:
    decisions = extract(pages(header + article1 + FOOTER))
    assert len(decisions) == 1
    return decisions[0]


def test_a_single_decision_gives_every_field_with_its_source_span() -> None:
    text = (
        HEADER
        + (
            "Điều 1. Thi hành kỷ luật bằng hình thức Cảnh cáo đối với đồng chí Nguyễn Văn An, sinh năm 1968, "
            "Tỉnh ủy viên, Giám đốc Sở Tài chính tỉnh Nghệ An."
        )
        + FOOTER
    )
    (d,) = extract(pages(text))
    assert d.value("number") == "45-QĐ/UBKTTU"
    assert d.value("date") == dt.date(2024, 3, 12)
    assert d.value("issuing_body") == "Ủy ban Kiểm tra Tỉnh ủy Nghệ An"
    assert d.value("issuing_level") == "provincial_commission"
    assert d.value("subject_name") == "Nguyễn Văn An"
    assert d.value("birth_year") == 1968
    assert d.value("gender") == "male"
    assert d.value("positions") == ["Tỉnh ủy viên", "Giám đốc Sở Tài chính tỉnh Nghệ An"]
    assert d.value("party_committee_member") is True
    assert d.value("unit") == "Sở Tài chính tỉnh Nghệ An"
    assert d.value("province") == "Nghệ An"
    assert d.value("penalty") == "warning"
    assert d.value("violations") == "vi phạm quy định trong quản lý, sử dụng đất đai; suy thoái về đạo đức, lối sống"
    assert d.value("violation_categories") == ["land", "ethics"]
    assert d.value("legal_basis") == "Điều lệ Đảng; Quy định 69-QĐ/TW"
    assert d.value("signer") == "Trần Thị Bình"
    assert d.value("effective_date") == dt.date(2024, 3, 12)
    assert d.value("term") == "XIII"
    for name in ("number", "subject_name", "signer"):
        f = getattr(d, name)
        assert text[f.start : f.end] == f.value
        assert f.page == 1 and 0 < f.confidence <= 1


def test_a_name_broken_across_lines_is_read_whole() -> None:
    d = one(
        "Điều 1. Thi hành kỷ luật bằng hình thức Khiển trách đối với đồng chí Nguyễn\nVăn An, sinh năm 1968, "
        "Giám đốc Sở Y tế."
    )
    assert d.value("subject_name") == "Nguyễn Văn An"
    assert d.value("penalty") == "reprimand"


def test_ocr_like_noise_in_keywords_does_not_hide_the_fields() -> None:
    """Diacritics lost or wrong, the Icelandic eth for Đ, doubled spaces, a hyphenated line end."""
    header = HEADER.replace("Số 45-QĐ/UBKTTU", "Số  45 - QÐ/UBKTTU").replace("ngày 12 tháng", "ngay 12 thang")
    d = one(
        "Dieu 1.  Thi hanh ky luat  bằng hình thưc Canh cao đối với đồng chi Lê Thị Hoa, sinh nam 1975, "
        "Phó Giám đốc Sở Tư pháp tỉnh Nghệ An, phụ trách đầu tư công và quản lý tài chính, kế hoạch ngân sách "
        "của Sở Tài chính thành phố.",
        header,
    )
    assert d.value("number") == "45-QĐ/UBKTTU"
    assert d.value("date") == dt.date(2024, 3, 12)
    assert d.value("penalty") == "warning"
    assert d.value("subject_name") == "Lê Thị Hoa"
    assert d.value("birth_year") == 1975
    assert d.value("gender") == "female"


def test_values_are_cleaned_hyphenation_undone_one_spelling_kept() -> None:
    assert clean("Giám đốc Sở Tài chính, phụ trách quản lý đầu tư công và tài chín-\nh doanh nghiệp") == (
        "Giám đốc Sở Tài chính, phụ trách quản lý đầu tư công và tài chính doanh nghiệp"
    )
    assert (
        clean("Uỷ ban Kiểm tra Tỉnh uỷ Khánh Hoà nhiệm kỳ 2020 - 2025")
        == "Ủy ban Kiểm tra Tỉnh ủy Khánh Hòa nhiệm kỳ 2020–2025"
    )
    assert clean("Phó Chủ tịch Uy ban nhân dân tỉnh Gia Lai") == "Phó Chủ tịch Ủy ban nhân dân tỉnh Gia Lai"  # OCR
    assert clean("Giám đốc Sở Văn hóa - Thể thao") == "Giám đốc Sở Văn hóa – Thể thao"


def test_an_organisation_is_a_subject_with_its_own_penalties() -> None:
    d = one("Điều 1. Thi hành kỷ luật bằng hình thức Giải tán đối với Chi bộ thôn Đông 3.")
    assert d.value("subject_type") == "organization"
    assert d.value("subject_name") == "Chi bộ thôn Đông 3"
    assert d.value("penalty") == "dissolution"
    assert d.value("birth_year") is None and d.value("positions") is None


def test_a_probationary_member_is_flagged_and_a_heavier_penalty_is_doubted() -> None:
    ok = one(
        "Điều 1. Thi hành kỷ luật bằng hình thức Khiển trách đối với đồng chí Hà Văn Tú, sinh năm 1998, đảng "
        "viên dự bị, Nhân viên Trạm Y tế xã Tân Kỳ."
    )
    assert ok.value("probationary") is True
    assert ok.value("positions") == ["Nhân viên Trạm Y tế xã Tân Kỳ"]
    wrong = one(
        "Điều 1. Thi hành kỷ luật bằng hình thức Khai trừ đối với đồng chí Hà Văn Tú, sinh năm 1998, đảng viên dự bị."
    )
    assert wrong.value("penalty") == "expulsion"
    assert wrong.penalty is not None and wrong.penalty.confidence <= 0.5
    assert "probationary_penalty" in wrong.warnings


def test_a_changed_penalty_takes_the_new_one_and_the_amended_decision_number() -> None:
    header = HEADER.replace(
        "ỦY BAN KIỂM TRA TỈNH ỦY QUYẾT ĐỊNH:",
        "- Xét đơn khiếu nại của đồng chí đối với Quyết định số 12-QĐ/UBKTĐU, ngày 05/01/2024 của Ủy ban Kiểm tra "
        "Đảng ủy xã Tân Kỳ về việc thi hành kỷ luật bằng hình thức cách chức;\nỦY BAN KIỂM TRA TỈNH ỦY QUYẾT ĐỊNH:",
    )
    d = one(
        "Điều 1. Thay đổi hình thức kỷ luật đối với đồng chí Nguyễn Văn An, sinh năm 1968, từ Cách chức xuống "
        "Khiển trách.",
        header,
    )
    assert (d.value("action"), d.value("penalty"), d.value("amends_number")) == ("change", "reprimand", "12-QĐ/UBKTĐU")
    assert d.value("subject_name") == "Nguyễn Văn An"


def test_an_annulled_decision_has_no_penalty() -> None:
    d = one(
        "Điều 1. Xóa bỏ Quyết định số 08-QĐ/ĐU, ngày 10/10/2023 của Ban Thường vụ Đảng ủy xã Tân Kỳ về việc thi hành "
        "kỷ luật bằng hình thức Khiển trách đối với đồng chí Nguyễn Văn An, sinh năm 1968."
    )
    assert (d.value("action"), d.value("penalty"), d.value("amends_number")) == ("annul", None, "08-QĐ/ĐU")


def test_a_numbered_list_gives_one_decision_per_member() -> None:
    decisions = extract(
        pages(
            HEADER + "Điều 1. Thi hành kỷ luật bằng hình thức Cảnh cáo đối với các đồng chí sau:\n"
            "1. Đồng chí Nguyễn Văn An, sinh năm 1968, Giám đốc Sở Xây dựng tỉnh Nghệ An;\n"
            "2. Đồng chí Trần Thị\nMai, sinh năm 1971, giới tính: Nữ, Phó Giám đốc Sở Văn hóa, Thể thao và Du "
            "lịch tỉnh Nghệ An;\n" + FOOTER
        )
    )
    assert [(d.value("subject_name"), d.value("penalty")) for d in decisions] == [
        ("Nguyễn Văn An", "warning"),
        ("Trần Thị Mai", "warning"),
    ]
    assert decisions[1].value("positions") == ["Phó Giám đốc Sở Văn hóa, Thể thao và Du lịch tỉnh Nghệ An"]
    stated, guessed = decisions[1].gender, decisions[0].gender  # 'giới tính: Nữ' / the middle name 'Văn'
    assert stated is not None and guessed is not None and stated.confidence > guessed.confidence


def test_a_table_of_subjects_gives_each_row_with_its_own_penalty() -> None:
    decisions = extract(
        pages(
            HEADER + "Điều 1. Thi hành kỷ luật đối với các đồng chí có tên sau đây:\n"
            "STT Họ và tên Năm sinh Chức vụ, đơn vị công tác Hình thức kỷ luật\n"
            "1 Nguyễn Văn\nAn\n1968 Giám đốc Sở Xây dựng tỉnh Nghệ An\nKhiển\ntrách\n"
            "2 Lê Thị Hồng 1980 Kế toán Ủy ban nhân dân xã Tân Kỳ Khai trừ ra\nkhỏi Đảng\n" + FOOTER
        )
    )
    assert [(d.value("subject_name"), d.value("birth_year"), d.value("penalty")) for d in decisions] == [
        ("Nguyễn Văn An", 1968, "reprimand"),
        ("Lê Thị Hồng", 1980, "expulsion"),
    ]
    assert decisions[1].value("unit") == "Ủy ban nhân dân xã Tân Kỳ"


def test_two_decisions_in_one_pdf_are_cut_apart() -> None:
    first = HEADER + "Điều 1. Thi hành kỷ luật bằng hình thức Cảnh cáo đối với đồng chí Nguyễn Văn An." + FOOTER
    second = first.replace("Số 45-QĐ/UBKTTU", "Số 46-QĐ/UBKTTU").replace("Nguyễn Văn An", "Phạm Quốc Huy")
    decisions = extract([Page(1, first, "text", None), Page(2, second, "text", None)])
    assert [(d.value("number"), d.value("subject_name")) for d in decisions] == [
        ("45-QĐ/UBKTTU", "Nguyễn Văn An"),
        ("46-QĐ/UBKTTU", "Phạm Quốc Huy"),
    ]
    assert decisions[1].subject_name is not None and decisions[1].subject_name.page == 2


def test_communique_snippet_reads_groups_of_penalties_and_skips_requests() -> None:
    text = """THÔNG BÁO
Kết quả Kỳ họp thứ 25 của Ủy ban Kiểm tra Trung ương
Trong 2 ngày 23 và 24/7/2024, tại Hà Nội, Ủy ban Kiểm tra Trung ương họp Kỳ họp thứ 25.
1. Xem xét, thi hành kỷ luật đối với Ban Thường vụ Tỉnh ủy Gia Lai nhiệm kỳ 2020 - 2025
Ban Thường vụ Tỉnh ủy Gia Lai nhiệm kỳ 2020 - 2025 đã vi phạm nguyên tắc tập trung dân chủ, quy chế làm việc.
Ủy ban Kiểm tra Trung ương quyết định thi hành kỷ luật bằng hình thức Cảnh cáo đối với Ban Thường vụ Tỉnh ủy Gia Lai
nhiệm kỳ 2020 - 2025; Khiển trách các đồng chí: Nguyễn Văn An, Tỉnh ủy viên, Giám đốc Sở Tài chính tỉnh Gia Lai; Lê
Thị Hoa, Phó Giám đốc Sở Tài chính tỉnh Gia Lai; Khai trừ ra khỏi Đảng đồng chí Trần Văn Bình, nguyên Chủ tịch
Ủy ban nhân dân tỉnh Gia Lai.
2. Giải quyết tố cáo đối với đồng chí Phạm Văn Cường
Ủy ban Kiểm tra Trung ương đề nghị Ban Thường vụ Tỉnh ủy xem xét, thi hành kỷ luật đối với các đảng viên có liên quan.
"""
    decisions = extract(pages(text))
    assert [(d.value("subject_name"), d.value("subject_type"), d.value("penalty")) for d in decisions] == [
        ("Ban Thường vụ Tỉnh ủy Gia Lai", "organization", "warning"),
        ("Nguyễn Văn An", "member", "reprimand"),
        ("Lê Thị Hoa", "member", "reprimand"),
        ("Trần Văn Bình", "member", "expulsion"),
    ]
    assert all(d.value("date") == dt.date(2024, 7, 24) for d in decisions)
    assert decisions[0].value("subject_term") == "2020–2025"  # the organisation's term is a field of its own
    assert decisions[2].value("province") == "Gia Lai"
    assert decisions[0].value("violations") == "vi phạm nguyên tắc tập trung dân chủ, quy chế làm việc"


def test_violation_categories_come_from_the_catalogue_keywords() -> None:
    assert categorize("lợi dụng chức vụ, nhận hối lộ; vi phạm quy định về kê khai tài sản, thu nhập") == [
        "corruption",
        "asset_declaration",
    ]
    assert categorize("vi phạm trong giao đất, cho thuê đất") == ["land"]  # 'thuê' is not a tax here
    assert all(cat["name"] and cat["keywords"] for cat in CATEGORIES.values())
