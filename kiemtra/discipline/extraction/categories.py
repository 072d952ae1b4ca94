"""The catalogue of violation categories, and how the extractor spots them in a violation statement.

A plain constant so the lead can mirror it into the database catalogue (with validity
dates); the keywords are folded (no diacritics, lowercase) and matched on the folded text of
the violation, so typos in diacritics and OCR slips do not hide them.
"""

from __future__ import annotations

from typing import TypedDict

from kiemtra.discipline.extraction.text import fold


class Category(TypedDict):
    name: str  # Vietnamese, as users read it
    keywords: list[str]  # folded


CATEGORIES: dict[str, Category] = {
    "principles": {
        "name": "Vi phạm nguyên tắc tập trung dân chủ, quy chế làm việc",
        "keywords": ["tap trung dan chu", "quy che lam viec", "nguyen tac to chuc"],
    },
    "economy": {
        "name": "Vi phạm trong quản lý kinh tế, tài chính, đầu tư, tài nguyên",
        "keywords": [
            "tai chinh",
            "dau tu",
            "dau thau",
            "ngan sach",
            "that thoat",
            "khoang san",
            "tai san nha nuoc",
            "mua sam",
            "von nha nuoc",
            "doanh nghiep nha nuoc",
            "tron thue",
        ],
    },
    "land": {
        "name": "Vi phạm trong quản lý, sử dụng đất đai",
        "keywords": ["dat dai", "giao dat", "cho thue dat", "quyen su dung dat", "thu hoi dat"],
    },
    "corruption": {
        "name": "Tham nhũng, lãng phí, tiêu cực",
        "keywords": ["tham nhung", "lang phi", "tieu cuc", "hoi lo", "loi dung chuc vu", "vu loi", "tham o"],
    },
    "ethics": {
        "name": "Vi phạm đạo đức, lối sống",
        "keywords": ["dao duc", "loi song", "suy thoai"],
    },
    "party_rules": {
        "name": "Vi phạm Điều lệ Đảng, những điều đảng viên không được làm",
        "keywords": ["dieu le dang", "nhung dieu dang vien khong duoc lam", "khong chap hanh su phan cong"],
    },
    "personnel": {
        "name": "Vi phạm trong công tác cán bộ",
        "keywords": ["cong tac can bo", "bo nhiem", "quy hoach can bo", "dieu dong can bo", "tuyen dung", "de bat"],
    },
    "inspection": {
        "name": "Thiếu trách nhiệm trong lãnh đạo, chỉ đạo, kiểm tra, giám sát",
        "keywords": ["buong long", "thieu kiem tra", "thieu trach nhiem trong lanh dao", "kiem tra, giam sat"],
    },
    "policy": {
        "name": "Vi phạm chính sách, pháp luật của Nhà nước",
        "keywords": ["chinh sach", "an sinh xa hoi"],
    },
    "asset_declaration": {
        "name": "Vi phạm quy định về kê khai tài sản, thu nhập",
        "keywords": ["ke khai tai san", "ke khai khong trung thuc", "minh bach tai san"],
    },
}


def categorize(violations: str) -> list[str]:
    """The category codes whose keywords occur in a violation statement, in catalogue order."""
    text = fold(violations)
    return [code for code, cat in CATEGORIES.items() if any(k in text for k in cat["keywords"])]
