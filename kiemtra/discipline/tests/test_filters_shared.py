"""Issue 9 item 7: one filter definition for the decision search and analytics.

They disagreed on the earliest year: a drill-down to 1985 from analytics listed
every year in search. Every count analytics shows now opens the search page on
exactly the decisions it counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.conftest import Tree, signed_in
from kiemtra.discipline import filters, search
from kiemtra.discipline.choices import Confidentiality, IssuingLevel, SubjectType

from .factories import make_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(org_tree: Tree) -> None:
    make_decision(org_tree.commune, issued_on=dt.date(1985, 6, 1), term="VI", penalty="expulsion")
    make_decision(org_tree.province, issued_on=dt.date(1999, 2, 1), province=org_tree.province, term="VIII")
    make_decision(org_tree.commune, issued_on=dt.date(2023, 3, 1), categories=("corruption", "economy"))
    make_decision(org_tree.other_province, issued_on=dt.date(2024, 7, 1), province=org_tree.other_province)
    make_decision(
        org_tree.commune,
        issued_on=dt.date(2024, 9, 1),
        subject_type=SubjectType.ORGANIZATION,
        penalty="dissolution",
        issuing_level=IssuingLevel.PROVINCIAL_COMMITTEE,
        categories=(),
    )
    make_decision(org_tree.commune, issued_on=dt.date(2025, 1, 1), confidentiality=Confidentiality.SECRET)


def search_count(client: object, url: str) -> int:
    response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert not response.context["errors"], response.context["errors"]
    return int(response.context["count"])


def test_a_drill_down_to_1985_lists_1985_only(spread: None, org_tree: Tree, person_with: Callable[..., User]) -> None:
    client = signed_in(person_with(org_tree.centre, Role.DISCIPLINE_VIEWER))
    result = client.get("/ky-luat/phan-tich/", {"year_from": 1985, "year_to": 1985}).context["result"]
    assert result.total == 1
    year = next(c for c in result.tables["year"].cells if c.key == (1985,))
    assert parse_qs(urlsplit(year.url).query) == {"year_from": ["1985"], "year_to": ["1985"]}
    assert search_count(client, year.url) == 1


def test_every_count_of_analytics_opens_the_search_on_the_same_decisions(
    spread: None, org_tree: Tree, person_with: Callable[..., User]
) -> None:
    for reader in (
        person_with(org_tree.centre, Role.DISCIPLINE_VIEWER),
        person_with(org_tree.province, Role.DISCIPLINE_EDITOR),
    ):
        client = signed_in(reader)
        for params in ({}, {"year_from": 1980, "year_to": 2024}, {"province": org_tree.province.pk}):
            result = client.get("/ky-luat/phan-tich/", params).context["result"]
            cells = [c for t in result.tables.values() for c in t.cells if c.url]
            cells += [c for s in result.trend.series for c in s.cells if c.url and c.count]
            cells += [c for c in result.unit_cells if c.url]
            assert cells
            for cell in cells:
                assert search_count(client, cell.url) == cell.count, (params, cell.label, cell.url)
            assert search_count(client, result.total_url) == result.total


def test_both_pages_refuse_the_same_values_with_the_same_words() -> None:
    bad = QueryDict("year_from=1800&penalty=treo&term=13&province=abc&unit=1e30")
    query, errors = search.parse_query(bad)
    shared = filters.DecisionFilter(bad)
    shared.is_valid()
    assert errors == [f"{label}: {message}" for label, message in shared.problems()]
    assert {label for label, _m in shared.problems()} == {
        "Từ năm",
        "Hình thức kỷ luật",
        "Nhiệm kỳ",
        "Tỉnh, thành",
        "Đơn vị quản lý",
    }
    assert query.filter_values() == {}
