"""The board as a table and the batched data check, on the demo's forms and figures.

Quy định 11 Art. 8.2: the upper unit follows and receives its direct subordinates'
reports; the board must let a province with 127 communes find one of them, and the
data check "including subordinates" must answer as one page.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kiemtra.accounts.models import User
from kiemtra.conftest import signed_in
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats.choices import PeriodState, ReportState
from kiemtra.stats.demo import BA_DINH, load_demo_statistics
from kiemtra.stats.grid import Grid
from kiemtra.stats.models import Report, ReportingPeriod, ValidationRule, Value
from kiemtra.stats.services import board, reports
from kiemtra.stats.tests.test_demo_data import small_national_tree

S = ReportState
pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> ReportingPeriod:
    small_national_tree()
    load_demo_statistics(timezone.now(), communes_per_province=4)
    return ReportingPeriod.objects.get()


def _previous_period(period: ReportingPeriod, kiem_tra: Decimal) -> None:
    """An earlier period of the same type where every Hà Nội commune reported ``kiem_tra`` members inspected in form 01,
    so that the demo's PREV() rule ("at most three times the previous period") has something to compare with."""
    earlier = ReportingPeriod.objects.create(
        code="TRUOC",
        name="Kỳ trước",
        period_type=period.period_type,
        data_start=period.data_start - dt.timedelta(days=200),
        data_cutoff=period.data_start - dt.timedelta(days=1),
        opens_at=period.opens_at - dt.timedelta(days=200),
        deadline=period.opens_at - dt.timedelta(days=150),
        state=PeriodState.LOCKED,
    )
    for report in Report.objects.filter(period=period, unit__parent__code="T01", form_version__form__code="01"):
        old = Report.objects.create(
            unit=report.unit, period=earlier, form_version=report.form_version, state=S.RECEIVED
        )
        grid = Grid.of(report.form_version)
        total = grid.row_by_code["T"]
        Value.objects.bulk_create(Value(report=old, row=total, column=c, number=kiem_tra) for c in grid.columns[:1])


def test_the_batched_check_finds_exactly_what_validate_finds_report_by_report(demo: ReportingPeriod) -> None:
    """Same problems, other forms (F05_…) and previous periods (PREV) included; queries do not grow with reports."""
    _previous_period(demo, Decimal(1))
    batch = list(
        Report.objects.filter(period=demo)
        .select_related("unit", "period", "form_version__form")
        .order_by("unit__code", "form_version__form__code")
    )
    expected = {r.pk: reports.validate(r) for r in batch}
    prev_rules = set(ValidationRule.objects.filter(expression__contains="PREV(").values_list("code", flat=True))
    assert any(p.rule_code in prev_rules for problems in expected.values() for p in problems)
    with CaptureQueriesContext(connection) as everything:
        got = board.validate_many(batch)
    assert got == expected
    with CaptureQueriesContext(connection) as one_unit:
        board.validate_many([r for r in batch if r.unit.code == BA_DINH])
    assert len(everything) == len(one_unit) <= 8, (len(everything), len(one_unit))


def test_the_data_check_page_with_subordinates_checks_every_report_in_a_few_queries(demo: ReportingPeriod) -> None:
    hanoi = OrgUnit.objects.get(code="T01")
    client = signed_in(User.objects.get(identifier_code="hn.thongke"))
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/thong-ke/kiem-tra-so-lieu/?don_vi={hanoi.pk}&cap_duoi=1")
    html = page.content.decode()
    assert page.status_code == 200
    n = Report.objects.filter(period=demo, unit__in=[hanoi, *hanoi.children.all()]).count()
    # Every report is accounted for: listed (the province's own, and subordinates' with problems) or
    # counted as a valid subordinate report.
    listed = html.count('<a href="/thong-ke/bao-cao/')
    valid = re.search(r"(\d+) báo cáo của đơn vị cấp dưới hợp lệ", html)
    assert listed + (int(valid.group(1)) if valid else 0) == n, (listed, valid)
    assert listed >= Report.objects.filter(period=demo, unit=hanoi).count()
    assert len(captured) <= 25, len(captured)


def _rows(unit: OrgUnit, **query: object) -> list[Report]:
    return [row.report for row in board.board_page(unit, board.BoardQuery(**query)).rows]  # type: ignore[arg-type]


def test_the_board_filters_by_unit_name_without_diacritics_by_state_and_form(demo: ReportingPeriod) -> None:
    hanoi = OrgUnit.objects.get(code="T01")
    ba_dinh = OrgUnit.objects.get(code=BA_DINH)
    found = _rows(hanoi, name="ba dinh")
    assert found and {r.unit_id for r in found} == {ba_dinh.pk}
    assert _rows(hanoi, name="Ba Đình") == found  # typed with diacritics: the same
    assert _rows(hanoi, name="khong co don vi nay") == []
    submitted = _rows(hanoi, state=S.SUBMITTED)
    assert submitted and all(r.state == S.SUBMITTED for r in submitted)
    not_sent = _rows(hanoi, state=board.NOT_SENT_FILTER)
    assert not_sent and all(r.state in board.NOT_SENT for r in not_sent)
    returned = _rows(hanoi, state=board.RETURNED_FILTER)
    assert returned and all(r.state == S.DRAFT and r.return_reason for r in returned)
    form_01 = Report.objects.filter(period=demo, unit=ba_dinh, form_version__form__code="01").get()
    only_01 = _rows(hanoi, version_id=form_01.form_version_id)
    assert {r.form_version_id for r in only_01} == {form_01.form_version_id}
    assert len(only_01) == hanoi.children.filter(reports__form_version=form_01.form_version).count()
    # An unknown state filter is ignored rather than emptying the board.
    assert len(_rows(hanoi, state="khong-hop-le")) == len(_rows(hanoi))


def test_the_board_sorts_and_pages(demo: ReportingPeriod) -> None:
    hanoi = OrgUnit.objects.get(code="T01")
    total = Report.objects.filter(period=demo, unit__parent=hanoi).count()
    by_state = _rows(hanoi, sort="trang-thai")
    ranks = [board.STATE_ORDER.index(S(r.state)) for r in by_state]
    assert ranks == sorted(ranks)
    backwards = [board.STATE_ORDER.index(S(r.state)) for r in _rows(hanoi, sort="-trang-thai")]
    assert backwards == sorted(backwards, reverse=True)
    names = [r.unit.name for r in _rows(hanoi, sort="-don-vi")]
    assert names == sorted(names, reverse=True)
    first = board.board_page(hanoi, board.BoardQuery())
    assert first.total == total and len(first.rows) == min(total, board.BOARD_PAGE_SIZE)
    if total > board.BOARD_PAGE_SIZE:
        second = board.board_page(hanoi, board.BoardQuery(page=2))
        assert not {r.report.pk for r in first.rows} & {r.report.pk for r in second.rows}
    # A page past the end shows the last page, not an empty table.
    assert board.board_page(hanoi, board.BoardQuery(page=999)).page == first.pages
