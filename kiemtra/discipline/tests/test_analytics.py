"""Analytics of discipline decisions (issue 4 item 6): counts within the scope, drill-down, export, query count.

A small known set: three published decisions of Hà Nội (one of them classified,
one against an organisation), one of another province, one waiting for
reconciliation. The Centre sees every published one; Hà Nội only its subtree's.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person, signed_in
from kiemtra.orgs.models import OrgUnit

from ..analytics import Filters, overview, search_url
from ..choices import Confidentiality, DecisionState, IssuingLevel, PenaltyCode, SubjectType
from ..models import Decision
from .factories import make_decision

pytestmark = pytest.mark.django_db

URL = "/ky-luat/phan-tich/"
EXPORT = "/ky-luat/phan-tich/xuat-excel/"


class Data:
    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        OrgUnit.objects.filter(pk=tree.province.pk).update(latitude=Decimal("21.0285"), longitude=Decimal("105.8542"))
        OrgUnit.objects.filter(pk=tree.commune.pk).update(latitude=Decimal("21.0340"), longitude=Decimal("105.8140"))
        OrgUnit.objects.filter(pk=tree.other_province.pk).update(
            latitude=Decimal("10.7769"), longitude=Decimal("106.7009")
        )
        self.entered_by = make_person()
        by = self.entered_by
        self.warning_2023 = make_decision(
            tree.province,
            issued_on=dt.date(2023, 5, 2),
            penalty=PenaltyCode.WARNING,
            province=tree.province,
            position_level="provincial",
            categories=("ethics",),
            by=by,
        )
        self.reprimand_2024 = make_decision(
            tree.commune,
            issued_on=dt.date(2024, 2, 1),
            penalty=PenaltyCode.REPRIMAND,
            issuing_level=IssuingLevel.COMMUNE_COMMISSION,
            province=tree.province,
            position_level="commune",
            categories=("ethics", "corruption"),
            by=by,
        )
        self.classified = make_decision(
            tree.commune,
            issued_on=dt.date(2024, 8, 9),
            penalty=PenaltyCode.EXPULSION,
            confidentiality=Confidentiality.SECRET,
            subject_name="Lê Thị Mật",
            province=tree.province,
            position_level="provincial",
            categories=("corruption",),
            by=by,
        )
        self.organisation = make_decision(
            tree.province,
            issued_on=dt.date(2024, 11, 20),
            subject_type=SubjectType.ORGANIZATION,
            subject_name="Đảng ủy Sở Xây dựng",
            penalty=PenaltyCode.DISSOLUTION,
            birth_year=None,
            gender="",
            position_level="",
            province=tree.province,
            categories=("principles",),
            by=by,
        )
        self.elsewhere = make_decision(
            tree.other_province,
            issued_on=dt.date(2024, 3, 3),
            penalty=PenaltyCode.WARNING,
            province=tree.other_province,
            categories=("land",),
            by=by,
        )
        self.pending = make_decision(
            tree.province, state=DecisionState.PENDING, penalty=PenaltyCode.WARNING, province=tree.province, by=by
        )
        self.centre = make_person(unit=tree.general_affairs)
        give(self.centre, tree.general_affairs, Role.DISCIPLINE_ADMIN)
        self.hanoi = make_person(unit=tree.province)
        give(self.hanoi, tree.province, Role.DISCIPLINE_VIEWER)


@pytest.fixture
def data(org_tree: Tree) -> Data:
    return Data(org_tree)


def _counts(table: Any) -> dict[str, int]:
    return {c.label: c.count for c in table.cells}


def _scope(person: Any) -> Any:
    from kiemtra.accounts import policies
    from kiemtra.accounts.choices import Module

    return policies.scope(person, Module.DISCIPLINE)


# --- the figures ----------------------------------------------------------------------------


def test_the_centre_counts_every_published_decision_by_each_dimension(data: Data) -> None:
    result = overview(_scope(data.centre), Filters())
    assert result.total == 5  # the pending one is not counted
    assert _counts(result.tables["year"]) == {"2023": 1, "2024": 4}
    assert _counts(result.tables["penalty"]) == {"Khiển trách": 1, "Cảnh cáo": 2, "Khai trừ": 1, "Giải tán": 1}
    assert _counts(result.tables["province"]) == {data.tree.province.name: 4, data.tree.other_province.name: 1}
    assert _counts(result.tables["subject_type"]) == {"Đảng viên": 4, "Tổ chức đảng": 1}
    assert _counts(result.tables["position_level"]) == {
        "Diện cấp tỉnh quản lý": 3,
        "Diện cấp xã, cơ sở quản lý": 1,
        "Chưa xác định": 1,
    }
    assert _counts(result.tables["issuing_level"]) == {"Ủy ban kiểm tra cấp xã": 1, "Ủy ban kiểm tra cấp tỉnh": 4}
    assert _counts(result.tables["term"]) == {"XIII": 5}
    categories = _counts(result.tables["category"])
    assert categories["Phẩm chất đạo đức, lối sống (đảng viên)"] == 2
    assert categories["Tham nhũng, tiêu cực, cố ý làm trái (đảng viên)"] == 2
    assert categories["Quy chế làm việc, nguyên tắc tập trung dân chủ, đoàn kết nội bộ (tổ chức đảng)"] == 1
    assert categories["Đất đai, tài nguyên, khoáng sản (đảng viên)"] == 1
    assert [c.label for c in result.tables["penalty"].cells] == ["Khiển trách", "Cảnh cáo", "Khai trừ", "Giải tán"]


def test_filters_narrow_every_table(data: Data) -> None:
    scope = _scope(data.centre)
    result = overview(scope, Filters(year_from=2024, year_to=2024, category="corruption"))
    assert result.total == 2
    assert _counts(result.tables["penalty"]) == {"Khiển trách": 1, "Khai trừ": 1}
    result = overview(scope, Filters(subject_type=SubjectType.MEMBER, province=data.tree.province.pk))
    assert result.total == 3
    assert overview(scope, Filters(term="XII")).total == 0
    assert overview(scope, Filters(position_level="commune", penalty=PenaltyCode.REPRIMAND)).total == 1


def test_the_trend_by_quarter_split_by_penalty_fills_empty_quarters_with_zero(data: Data) -> None:
    result = overview(_scope(data.centre), Filters(), step="quarter", split="penalty")
    trend = result.trend
    assert trend.period_labels[0] == "Q1/2023" and trend.period_labels[-1] == "Q4/2024" and len(trend.periods) == 8
    warning = next(s for s in trend.series if s.name == "Cảnh cáo")
    assert [c.count for c in warning.cells] == [0, 1, 0, 0, 1, 0, 0, 0]
    assert [s.name for s in trend.series] == ["Khiển trách", "Cảnh cáo", "Khai trừ", "Giải tán"]


def test_a_province_sees_only_its_subtree(data: Data) -> None:
    result = overview(_scope(data.hanoi), Filters())
    assert result.total == 4
    assert data.tree.other_province.name not in _counts(result.tables["province"])
    body = signed_in(data.hanoi).get(URL).content.decode()
    assert data.tree.other_province.name not in body


def test_classified_decisions_are_counted_and_never_decrypted(data: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> str:
        raise AssertionError("analytics must not decrypt")

    monkeypatch.setattr("kiemtra.discipline.models.decrypt_text", refuse)
    reads = AuditEvent.objects.filter(is_read=True).count()
    response = signed_in(data.hanoi).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lê Thị Mật" not in body
    result = response.context["result"]
    assert _counts(result.tables["penalty"])["Khai trừ"] == 1
    assert AuditEvent.objects.filter(is_read=True).count() == reads


def test_someone_without_a_discipline_role_is_refused(data: Data) -> None:
    stranger = make_person(unit=data.tree.province)
    give(stranger, data.tree.province, Role.STATISTICIAN)
    assert signed_in(stranger).get(URL).status_code == 403
    assert signed_in(stranger).get(EXPORT).status_code == 403


# --- the page -------------------------------------------------------------------------------


def _links(body: str) -> list[dict[str, list[str]]]:
    import re

    base = urlsplit(search_url({})).path
    found = []
    for href in re.findall(r'href="([^"]+)"', body):
        href = href.replace("&amp;", "&")
        parts = urlsplit(href)
        if parts.path == base and parts.query:
            found.append(parse_qs(parts.query))
    return found


def test_every_number_links_to_the_search_with_the_cell_and_page_filters(data: Data) -> None:
    province = data.tree.province.pk
    response = signed_in(data.centre).get(URL, {"province": province, "year_from": 2024})
    assert response.status_code == 200
    result = response.context["result"]
    penalty = {c.label: c for c in result.tables["penalty"].cells}
    assert parse_qs(urlsplit(penalty["Khai trừ"].url).query) == {
        "province": [str(province)],
        "year_from": ["2024"],
        "penalty": ["expulsion"],
    }
    corruption = next(c for c in result.tables["category"].cells if c.key == ("corruption", "member"))
    assert parse_qs(urlsplit(corruption.url).query) == {
        "province": [str(province)],
        "year_from": ["2024"],
        "category": ["corruption"],
        "subject_type": ["member"],
    }
    year = result.tables["year"].cells[0]
    assert parse_qs(urlsplit(year.url).query)["year_to"] == ["2024"]
    links = _links(response.content.decode())
    assert {"province": [str(province)], "year_from": ["2024"], "penalty": ["expulsion"]} in links
    assert {"province": [str(province)], "year_from": ["2024"], "position_level": ["commune"]} in links
    assert {"province": [str(province)], "year_from": ["2024"], "issuing_level": ["commune_commission"]} in links


def test_choosing_a_province_shows_its_units_on_their_own_map(data: Data) -> None:
    response = signed_in(data.centre).get(URL, {"province": data.tree.province.pk})
    result = response.context["result"]
    assert {c.label: c.count for c in result.unit_cells} == {data.tree.commune.name: 2, data.tree.province.name: 2}
    assert {d.name for d in result.unit_dots} == {data.tree.commune.name, data.tree.province.name}
    charts = response.context["charts"]
    assert len(charts["units"]["points"]) == 2 and len(charts["provinces"]["points"]) == 1
    commune = next(c for c in result.unit_cells if c.label == data.tree.commune.name)
    assert parse_qs(urlsplit(commune.url).query)["unit"] == [str(data.tree.commune.pk)]
    assert 'data-testid="table-units"' in response.content.decode()


def test_a_bad_filter_is_reported_and_left_out_and_nothing_changes(data: Data) -> None:
    events, decisions = AuditEvent.objects.count(), Decision.objects.count()
    response = signed_in(data.centre).get(URL, {"year_from": "abc", "penalty": "flogging", "term": "XIII"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="filter-errors"' in body
    assert [label for label, _message in response.context["problems"]] == ["Từ năm", "Hình thức kỷ luật"]
    assert "giá trị &#x27;flogging&#x27; không có trong danh sách." in body
    result = response.context["result"]
    assert result.filters == Filters(term="XIII") and result.total == 5
    response = signed_in(data.centre).get(URL, {"year_from": 2025, "year_to": 2023})
    assert "Từ năm 2025 lớn hơn đến năm 2023." in response.content.decode()
    assert response.context["result"].filters == Filters()
    assert (AuditEvent.objects.count(), Decision.objects.count()) == (events, decisions)


def test_a_province_not_offered_cannot_be_smuggled_in(data: Data) -> None:
    response = signed_in(data.hanoi).get(URL, {"province": data.tree.other_province.pk})
    assert response.status_code == 200
    assert response.context["result"].filters.province is None
    assert response.context["result"].total == 4


def test_the_page_draws_from_json_and_a_script_file_only(data: Data) -> None:
    body = signed_in(data.centre).get(URL).content.decode()
    assert 'id="analytics-data" type="application/json"' in body
    assert "discipline/analytics.js" in body and "<script>" not in body


# --- export ---------------------------------------------------------------------------------


def test_the_export_holds_every_table_with_links_and_is_recorded(data: Data) -> None:
    response = signed_in(data.hanoi).get(EXPORT, {"year_from": 2024})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Xu hướng" and "Hình thức kỷ luật" in book.sheetnames
    sheet = book["Hình thức kỷ luật"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0] and len(r) > 1 and r[1] is not None}
    assert rows["Khiển trách"] == 1 and rows["Khai trừ"] == 1 and rows["Giải tán"] == 1 and rows["Tổng cộng"] == 3
    linked = [c for row in sheet.iter_rows() for c in row if c.hyperlink is not None]
    assert linked and all("year_from=2024" in c.hyperlink.target for c in linked)
    assert any("Từ năm: 2024" in str(r[0]) for r in sheet.iter_rows(values_only=True) if r and r[0])
    event = AuditEvent.objects.get(action="discipline.analytics.exported")
    assert event.actor == data.hanoi and event.extra["decisions"] == 3


# --- performance ----------------------------------------------------------------------------


def _queries(client: Client, params: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(captured)


def test_the_page_queries_do_not_grow_with_the_decisions(data: Data) -> None:
    client = signed_in(data.centre)
    params = {"province": data.tree.province.pk, "split": "category"}
    small = _queries(client, params)
    for i in range(20):
        make_decision(
            data.tree.commune if i % 2 else data.tree.province,
            by=data.entered_by,
            issued_on=dt.date(2015 + i % 10, 1 + i % 12, 1),
            penalty=[PenaltyCode.REPRIMAND, PenaltyCode.WARNING, PenaltyCode.DISMISSAL][i % 3],
            province=data.tree.province,
            position_level=["central", "provincial", "commune", "none"][i % 4],
            term=["XII", "XIII", "XIV"][i % 3],
            categories=(["ethics", "land", "economy", "personnel"][i % 4],),
        )
    large = _queries(client, params)
    assert large == small <= 25, (small, large)
