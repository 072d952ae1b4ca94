"""Issue 9 item 8: the penalty severities and the link to forms 05/06 are catalog rows, not code.

Each row carries its source and validity dates; a period is counted with the rows in
force on its cut-off day, and a change is an edit in the admin (audited), never a deploy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib import admin

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.conftest import Tree
from kiemtra.discipline import search
from kiemtra.discipline.choices import IssuingLevel, PenaltyCode, StatsLinkKind
from kiemtra.discipline.models import Penalty, StatsLinkRule
from kiemtra.discipline.search import DecisionQuery
from kiemtra.discipline.statistics_link import layout, link_rules

from .factories import make_decision
from .test_statistics_link import Setup

pytestmark = pytest.mark.django_db


def test_the_shipped_link_rows_name_their_source_and_start_with_the_forms() -> None:
    rows = StatsLinkRule.objects.all()
    assert rows.filter(kind=StatsLinkKind.ROW).count() == 9 and rows.filter(kind=StatsLinkKind.PENALTY).count() == 5
    assert {r.regulation for r in rows} == {
        "Quyết định 2011-QĐ/UBKTTW ngày 08/8/2025 ban hành mẫu báo cáo thống kê (biểu 05, 06)"
    }
    assert {r.valid_from for r in rows} == {dt.date(2025, 8, 8)} and not rows.filter(valid_to__isnull=False)
    assert link_rules(dt.date(2025, 1, 1)) == {StatsLinkKind.ROW: {}, StatsLinkKind.PENALTY: {}}


def test_a_row_closed_and_replaced_in_the_catalog_changes_where_decisions_count(org_tree: Tree) -> None:
    setup = Setup(org_tree)
    row = setup.cell("Ủy ban kiểm tra cấp tỉnh", "Hình thức kỷ luật: Cảnh cáo")
    assert setup.compare().counted.figures[row] == 1
    # A new rule (say, provincial commissions' decisions now count with their Party committees).
    cutoff = setup.period.data_cutoff
    StatsLinkRule.objects.filter(kind=StatsLinkKind.ROW, key=IssuingLevel.PROVINCIAL_COMMISSION).update(valid_to=cutoff)
    StatsLinkRule.objects.create(
        kind=StatsLinkKind.ROW,
        key=IssuingLevel.PROVINCIAL_COMMISSION,
        item="Tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương (và ban thường vụ)",
        regulation="Văn bản thử",
        valid_from=cutoff,
    )
    counted = setup.compare().counted.figures
    committee = setup.cell(
        "Tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương (và ban thường vụ)", "Hình thức kỷ luật: Cảnh cáo"
    )
    assert row not in counted and counted[committee] == 1  # the row no level counts in is not computed
    # A period that ended before the change is still counted by the old rule.
    assert layout(setup.v05, cutoff - dt.timedelta(days=1)).row_items[IssuingLevel.PROVINCIAL_COMMISSION] == (
        "Ủy ban kiểm tra cấp tỉnh"
    )


def test_the_penalty_sort_follows_the_catalog_severities(org_tree: Tree, person_with: Callable[..., User]) -> None:
    reader = person_with(org_tree.centre, Role.DISCIPLINE_VIEWER)
    make_decision(org_tree.commune, number="Số 1", penalty=PenaltyCode.REPRIMAND)
    make_decision(org_tree.commune, number="Số 2", penalty=PenaltyCode.EXPULSION)
    assert [d.number for d in search.search(reader, DecisionQuery(sort="penalty"))] == ["Số 2", "Số 1"]
    Penalty.objects.filter(code=PenaltyCode.REPRIMAND).update(severity=9)
    assert [d.number for d in search.search(reader, DecisionQuery(sort="penalty"))] == ["Số 1", "Số 2"]


def test_the_link_catalog_is_editable_in_the_admin_and_never_deleted() -> None:
    model_admin = admin.site._registry[StatsLinkRule]
    assert model_admin.audit_action == "discipline.catalog.stats_link_saved"  # type: ignore[attr-defined]
    assert not model_admin.has_delete_permission(None)  # type: ignore[arg-type]
