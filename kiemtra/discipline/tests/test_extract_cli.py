"""``kiemtra discipline extract``: one JSON line per decision, an error line per unreadable file, a summary."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kiemtra.discipline.tests.corpus import CORPUS, labels

REQUIRED = {
    "file", "number", "date", "issuing_body", "subject_type", "subject_name", "birth_year", "positions", "penalty",
    "violations", "term", "confidence", "issuing_level", "gender", "unit", "province", "signer", "legal_basis",
    "effective_date", "violation_categories", "amends_number", "source",
}  # fmt: skip


def run(*args: str) -> tuple[list[str], CommandError | None]:
    out = io.StringIO()
    error = None
    try:
        call_command("discipline", "extract", *args, stdout=out)
    except CommandError as exc:
        error = exc
    return out.getvalue().splitlines(), error


def test_json_prints_one_object_per_decision_with_every_key() -> None:
    rel = "digital/qd-nhieu-dang-vien-01.pdf"
    lines, error = run(str(CORPUS / rel), "--json")
    assert error is None
    objects = [json.loads(line) for line in lines]
    assert len(objects) == len(labels()[rel]["decisions"]) == 3
    for obj in objects:
        assert set(obj) >= REQUIRED
        assert obj["file"] == str(CORPUS / rel)
        assert obj["date"] == labels()[rel]["decisions"][0]["date"]  # ISO 8601
        assert obj["penalty"] in {"reprimand", "warning", "dismissal", "expulsion", "dissolution"}
        assert all(0 <= c <= 1 for c in obj["confidence"].values())
        assert set(obj["source"]["subject_name"]) == {"page", "start", "end"}


def test_an_unreadable_file_prints_an_error_line_goes_on_and_fails_at_the_end() -> None:
    lines, error = run(str(CORPUS / "bad/hong-file.pdf"), str(CORPUS / "digital/qd-cell-13.pdf"), "--json")
    first = json.loads(lines[0])
    assert first["error"] == "corrupt"
    assert "hỏng" in first["message"]
    assert json.loads(lines[1])["subject_name"] == "Trần Minh Thành"  # the next file was still read
    assert error is not None and "1 tệp" in str(error)


def test_a_missing_file_is_an_error_line_too() -> None:
    lines, error = run(str(CORPUS / "khong-co.pdf"), "--json")
    assert json.loads(lines[0])["error"] == "not_found"
    assert error is not None


def test_without_json_a_vietnamese_summary_is_printed() -> None:
    lines, error = run(str(CORPUS / "digital/qd-xoa-bo-ky-luat-01.pdf"), str(CORPUS / "bad/giay-moi-hop.pdf"))
    text = "\n".join(lines)
    assert error is not None  # the invitation holds no decision: the run fails (issue 8.12)
    assert "1 quyết định kỷ luật" in text
    assert "Đối tượng: Vũ Tiến Thành" in text
    assert "Xóa bỏ Quyết định kỷ luật" in text
    assert "Không tìm thấy quyết định kỷ luật nào" in text


def test_the_action_is_required() -> None:
    with pytest.raises(CommandError):
        call_command("discipline")
