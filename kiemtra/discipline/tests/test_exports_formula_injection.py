"""Issue 8 item 8: the discipline exports (analytics, search) write a unit named like a formula as text."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from openpyxl import load_workbook

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.conftest import Tree, signed_in

from .factories import make_decision

pytestmark = pytest.mark.django_db
NAME = '=HYPERLINK("http://attacker.example","Xem")'


def _no_formula(content: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(content))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if cell.value == NAME:
                    assert cell.data_type == "s" and cell.quotePrefix
                    found.append(cell.value)
    return found


def test_the_analytics_export_writes_a_formula_like_province_as_text(
    org_tree: Tree, person_with: Callable[..., User]
) -> None:
    province = org_tree.province
    province.name = NAME
    province.save(update_fields=["name"])
    make_decision(org_tree.commune, province=province)
    viewer = person_with(org_tree.centre, Role.DISCIPLINE_VIEWER)
    response = signed_in(viewer).get("/ky-luat/phan-tich/xuat-excel/", {"province": province.pk})
    assert response.status_code == 200
    assert _no_formula(response.content)


def test_the_search_export_writes_a_formula_like_unit_as_text(org_tree: Tree, person_with: Callable[..., User]) -> None:
    commune = org_tree.commune
    commune.name = NAME
    commune.save(update_fields=["name"])
    make_decision(commune, subject_name="=1+1 Nguyễn", violations="@SUM(A1)")
    viewer = person_with(org_tree.centre, Role.DISCIPLINE_VIEWER)
    response = signed_in(viewer).get("/ky-luat/xuat-excel/")
    assert response.status_code == 200
    assert _no_formula(response.content)
