"""Audit action codes are shown as Vietnamese labels; a code nobody registered still reads sensibly."""

from __future__ import annotations

import pytest

from kiemtra.core import labels


def test_registered_actions_have_their_label() -> None:
    assert labels.action_label("orgs.unit.renamed").text == "Đổi tên đơn vị"
    assert labels.action_label("stats.report.values_saved").text == "Lưu số liệu báo cáo"
    assert labels.action_label("backups.created").known


def test_an_unregistered_code_shows_its_module_and_the_code() -> None:
    unknown = labels.action_label("stats.something_new")
    assert not unknown.known and unknown.text == "Thống kê" and unknown.code == "stats.something_new"
    assert labels.action_label("zzz.thing").module == "zzz"


def test_every_recorded_action_of_the_code_base_has_a_label() -> None:
    """The audit page shows no code: each ``audit.record(..., "x.y", ...)`` literal in the sources is registered."""
    import re
    from pathlib import Path

    import kiemtra

    root = Path(kiemtra.__file__).parent
    recorded: set[str] = set()
    pattern = re.compile(r"audit\.record(?:_read)?\(\s*[^,()]+,\s*\"([a-z_]+\.[a-z_.]+)\"", re.S)
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "letters" in path.parts:
            continue
        recorded |= set(pattern.findall(path.read_text()))
    missing = sorted(code for code in recorded if not labels.action_label(code).known)
    assert missing == []


@pytest.mark.django_db
def test_the_action_filter_offers_every_module_then_its_actions() -> None:
    groups = dict(labels.action_choices())
    assert ("orgs.", "Mọi thao tác: Cây đơn vị") in groups["Cây đơn vị"]
    assert ("stats.period.opened", "Mở kỳ báo cáo") in groups["Thống kê"]
