"""The steps of each kind of case, shipped as catalog data (a data migration loads them; the operator edits them).

Working days per step are a starting configuration, not a regulation's figure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .choices import CaseKind

SINCE = dt.date(2025, 1, 1)
REFERENCE = "Issue 14; 002-QĐ VI.1–3 (quy trình kiểm tra khi có dấu hiệu vi phạm)"

SIGNS_STEPS = [
    ("decision", "Quyết định và kế hoạch kiểm tra", 5),
    ("announce", "Công bố quyết định với đối tượng kiểm tra", 5),
    ("subject_report", "Đối tượng báo cáo, giải trình", 10),
    ("verify", "Thẩm tra, xác minh", 20),
    ("draft", "Dự thảo báo cáo của đoàn, đối tượng góp ý", 5),
    ("team_report", "Báo cáo kết quả kiểm tra của đoàn", 5),
    ("meeting", "Ủy ban kiểm tra họp xem xét", 5),
    ("conclusion", "Kết luận hoặc thông báo kết luận", 5),
    ("discipline", "Thi hành kỷ luật (nếu có)", 10),
    ("archive", "Lập hồ sơ, lưu trữ", 5),
]
GENERAL_STEPS = [
    ("decision", "Quyết định và kế hoạch", 5),
    ("announce", "Công bố quyết định", 5),
    ("subject_report", "Đối tượng báo cáo", 10),
    ("work", "Đoàn làm việc, thẩm tra", 15),
    ("team_report", "Báo cáo của đoàn", 5),
    ("conclusion", "Kết luận hoặc thông báo kết quả", 5),
    ("archive", "Lập hồ sơ, lưu trữ", 5),
]


def rows() -> list[dict[str, Any]]:
    out = []
    for kind in CaseKind.values:
        steps = SIGNS_STEPS if kind in (CaseKind.INSPECTION_MEMBER, CaseKind.INSPECTION_ORGANISATION) else GENERAL_STEPS
        for order, (code, title, days) in enumerate(steps, start=1):
            out.append(
                {
                    "kind": kind,
                    "order": order,
                    "code": code,
                    "title": title,
                    "working_days": days,
                    "valid_from": SINCE,
                    "document_ref": REFERENCE,
                }
            )
    return out


def load(model: Any) -> None:
    for row in rows():
        model.objects.get_or_create(kind=row["kind"], code=row["code"], valid_from=row["valid_from"], defaults=row)
