"""Look-up (Quy định 11 Art. 11): who sees which units, consolidated and provisional figures, one query, exports."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kiemtra.accounts.choices import Role
from kiemtra.accounts.policies import Scope
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import give, make_person, signed_in
from kiemtra.stats import lookup
from kiemtra.stats.choices import ReportState
from kiemtra.stats.models import Form, ReportingPeriod
from kiemtra.stats.services import reports
from kiemtra.stats.tests.factories import Chain, make_chain

pytestmark = pytest.mark.django_db
URL = "/thong-ke/tra-cuu/"
EVERYTHING = Scope(everything=True)


def enter(chain: Chain, unit, **values: int) -> None:
    report = chain.report(unit)
    reports.save_values(chain.statistician[unit.pk], report, chain.cells(**values), expected_revision=report.revision)


def send(chain: Chain, unit) -> None:
    report = chain.report(unit)
    reports.forward_report(chain.statistician[unit.pk], report)
    reports.approve_report(chain.approver[unit.pk], report)
    reports.send_report(chain.approver[unit.pk], report)


@pytest.fixture
def filed() -> Chain:
    """Ba Đình sent and received by Hà Nội (10 in R1 C1); Ngọc Hà still a draft (5); Hà Nội's own 2, draft."""
    chain = make_chain()
    chain.open()
    tree = chain.tree
    ba_dinh, ngoc_ha = chain.communes
    enter(chain, ba_dinh, R1_C1=10, R2_C1=4, R1_C2=3)
    send(chain, ba_dinh)
    reports.receive_report(chain.statistician[tree.province.pk], chain.report(ba_dinh))
    enter(chain, ngoc_ha, R1_C1=5)
    enter(chain, tree.province, R1_C1=2)
    enter(chain, tree.other_commune, R1_C1=7)
    return chain


def selection(chain: Chain, units, *, layout=lookup.Layout.UNITS_PERIODS, rows=("1",), column="1", **kw):
    version = lookup.latest_version(chain.version.form)
    assert version is not None and chain.period is not None
    return lookup.Selection(
        form=chain.version.form,
        version=version,
        row_codes=list(rows),
        column_code=column,
        units=list(units),
        periods=[chain.period],
        layout=layout,
        **kw,
    )


def cells_by_unit(table: lookup.Pivot) -> dict[str, lookup.Figure]:
    return {row.code: row.cells[0] for row in table.rows}


# --- the figures ---------------------------------------------------------------------------


def test_figures_are_consolidated_and_drafts_are_marked_provisional(filed: Chain) -> None:
    """Own + received subordinates; an approved/sent/received report is official, a draft provisional."""
    tree, (ba_dinh, ngoc_ha) = filed.tree, filed.communes
    table = lookup.pivot(EVERYTHING, selection(filed, [tree.province, ba_dinh, ngoc_ha, tree.centre]))
    got = cells_by_unit(table)
    assert got[tree.province.code] == lookup.Figure(Decimal(12), ReportState.DRAFT)  # own 2 + Ba Đình 10
    assert got[tree.province.code].provisional
    assert got[ba_dinh.code] == lookup.Figure(Decimal(10), ReportState.RECEIVED)
    assert not got[ba_dinh.code].provisional
    assert got[ngoc_ha.code].value == 5 and got[ngoc_ha.code].provisional  # not received: not in Hà Nội's 12
    assert got[tree.centre.code] == lookup.Figure(Decimal(0), ReportState.DRAFT)  # nothing received yet


def test_only_official_figures_leave_the_drafts_out(filed: Chain) -> None:
    tree, (ba_dinh, ngoc_ha) = filed.tree, filed.communes
    table = lookup.pivot(EVERYTHING, selection(filed, [tree.province, ba_dinh, ngoc_ha], official_only=True))
    got = cells_by_unit(table)
    assert got[ba_dinh.code].value == 10
    assert got[tree.province.code] == lookup.Figure() and got[ngoc_ha.code] == lookup.Figure()


def test_indicators_by_units_includes_computed_rows(filed: Chain) -> None:
    tree, (ba_dinh, _ngoc_ha) = filed.tree, filed.communes
    table = lookup.pivot(
        EVERYTHING,
        selection(
            filed, [tree.province, ba_dinh], layout=lookup.Layout.INDICATORS_UNITS, rows=("1", "2", "3"), column="3"
        ),
    )
    assert table.column_codes == [tree.province.code, ba_dinh.code]
    values = {row.code: [c.value for c in row.cells] for row in table.rows}
    # Ba Đình: R1 = 10 + 3, R2 = 4 + 0, R3 = 17; Hà Nội adds its own 2 to R1.
    assert values == {"1": [Decimal(15), Decimal(13)], "2": [Decimal(4), Decimal(4)], "3": [Decimal(19), Decimal(17)]}


def test_a_unit_without_a_report_is_shown_as_missing_not_zero(filed: Chain) -> None:
    tree = filed.tree
    table = lookup.pivot(EVERYTHING, selection(filed, [tree.regional]))
    assert table.rows[0].cells[0] == lookup.Figure() and table.rows[0].cells[0].state is None


def test_one_query_per_pivot_whatever_its_size(filed: Chain) -> None:
    tree = filed.tree
    small = selection(filed, [tree.province])
    chain_units = [tree.centre, tree.province, tree.other_province, *filed.communes, tree.other_commune]
    big = selection(filed, chain_units, layout=lookup.Layout.INDICATORS_UNITS, rows=("1", "2", "3"))
    for chosen in (small, big):
        chosen.version.rows.all()  # labels: fetched with the form version, not per cell
        with CaptureQueriesContext(connection) as queries:
            lookup.figures(
                EVERYTHING,
                form=chosen.form,
                row_codes=chosen.row_codes,
                column_code=chosen.column_code,
                unit_ids=[u.pk for u in chosen.units],
                period_ids=[p.pk for p in chosen.periods],
            )
        assert len(queries) == 1


def test_the_page_does_not_query_per_cell(filed: Chain) -> None:
    client = signed_in(filed.centre_statistician)
    base = f"{URL}?form=01&column=1&layout=indicators_units&row=1"
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(base).status_code == 200
    with CaptureQueriesContext(connection) as three_rows:
        assert client.get(base + "&row=2&row=3&tree_mode=subtree").status_code == 200
    assert len(three_rows) == len(one_row)


def test_rows_and_columns_line_up_across_form_versions_by_code(filed: Chain) -> None:
    """A new version of the form in a later period: the same codes are the same indicator."""
    from kiemtra.stats.models import Column, FormVersion, Row

    old = filed.version
    new = FormVersion.objects.create(
        form=old.form, number=2, title=old.title, unit_categories=old.unit_categories, period_types=old.period_types
    )
    for r in old.rows.all():
        Row.objects.create(version=new, code=r.code, label=r.label, position=r.position, formula=r.formula)
    for c in old.columns.all():
        Column.objects.create(version=new, code=c.code, label=c.label, position=c.position, formula=c.formula)
    first = filed.period
    filed.version = new
    second = filed.open(code="2026-H2")
    ba_dinh = filed.communes[0]
    enter(filed, ba_dinh, R1_C1=8)
    chosen = selection(filed, [ba_dinh])
    assert first is not None
    chosen = lookup.Selection(**{**chosen.__dict__, "periods": [first, second]})
    table = lookup.pivot(EVERYTHING, chosen)
    assert [c.value for c in table.rows[0].cells] == [Decimal(10), Decimal(8)]


# --- who sees what (Art. 11) -----------------------------------------------------------------


def test_a_regional_department_viewer_sees_only_its_provinces(filed: Chain) -> None:
    """Art. 3.4 + 11: the regional department follows the provinces assigned to it, and nothing else."""
    tree = filed.tree
    viewer = make_person(unit=tree.regional)
    give(viewer, tree.regional, Role.VIEWER)
    client = signed_in(viewer)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert tree.province.name in html
    assert tree.other_province.code not in html and tree.centre.code not in html
    whole = client.get(f"{URL}?tree={tree.province.pk}&tree_mode=subtree").content.decode()
    assert filed.communes[0].name in whole and tree.other_commune.code not in whole
    assert client.get(f"{URL}?unit={tree.other_province.pk}").status_code == 403
    assert client.get(f"{URL}?tree={tree.centre.pk}").status_code == 403
    assert client.get(f"/thong-ke/tra-cuu/xuat/?export=csv&unit={tree.other_commune.pk}").status_code == 403


def test_a_provincial_viewer_sees_its_subtree_only(filed: Chain) -> None:
    tree = filed.tree
    viewer = make_person(unit=tree.province)
    give(viewer, tree.province, Role.VIEWER)
    client = signed_in(viewer)
    html = client.get(URL).content.decode()
    assert tree.province.name in html and filed.communes[0].name in html and filed.communes[1].name in html
    assert tree.other_province.code not in html
    assert client.get(f"{URL}?unit={tree.other_commune.pk}").status_code == 403
    assert client.get(f"{URL}?unit={tree.centre.pk}").status_code == 403
    found = client.get("/thong-ke/tra-cuu/don-vi/?q=ba dinh").content.decode()  # no diacritics
    assert filed.communes[0].name in found
    assert (
        tree.other_commune.code
        not in client.get(f"/thong-ke/tra-cuu/don-vi/?q={tree.other_commune.code}").content.decode()
    )


def test_a_unit_head_sees_the_units_subtree(filed: Chain) -> None:
    """Art. 11: the approver (unit head) of a province sees its data and its communes'."""
    tree = filed.tree
    client = signed_in(filed.approver[tree.province.pk])
    assert client.get(f"{URL}?unit={filed.communes[1].pk}").status_code == 200
    assert client.get(f"{URL}?unit={tree.other_commune.pk}").status_code == 403


@pytest.mark.parametrize("path", [URL, "/thong-ke/tra-cuu/don-vi/?q=ha", "/thong-ke/tra-cuu/xuat/?export=csv"])
def test_a_provincial_admin_sees_no_statistics(filed: Chain, path: str) -> None:
    """Art. 3.7: the provincial admin has no statistics function and no access to statistics data."""
    admin = make_person(unit=filed.tree.province)
    give(admin, filed.tree.province, Role.ADMIN)
    assert signed_in(admin).get(path).status_code == 403


def test_the_page_says_what_is_shown_and_marks_provisional_figures(filed: Chain) -> None:
    tree = filed.tree
    client = signed_in(filed.statistician[tree.province.pk])
    html = client.get(f"{URL}?form=01&row=1&column=1").content.decode()
    assert "số liệu tổng hợp" in html and "số liệu tạm thời" in html
    assert "data-provisional>12*</td>" in html  # Hà Nội, draft: own 2 + Ba Đình 10
    assert '<td class="text-end" title="Cấp trên đã tiếp nhận">10</td>' in html  # Ba Đình, received
    assert 'id="lookup-chart-data"' in html and 'src="/static/vendor/echarts/echarts.min.js"' in html
    official = client.get(f"{URL}?form=01&row=1&column=1&official_only=1").content.decode()
    assert "12*" not in official and "Chỉ gồm số liệu chính thức" in official


def test_the_dot_map_holds_the_units_with_coordinates(filed: Chain) -> None:
    ba_dinh, ngoc_ha = filed.communes
    ba_dinh.latitude, ba_dinh.longitude = Decimal("21.0340"), Decimal("105.8140")
    ba_dinh.save()
    chosen = selection(filed, [ba_dinh, ngoc_ha])
    dots = lookup.map_data(chosen, lookup.pivot(EVERYTHING, chosen))
    assert dots["points"] == [{"name": ba_dinh.name, "value": [105.814, 21.034, 10.0], "provisional": False}]


# --- exports ------------------------------------------------------------------------------------


def test_csv_export_is_utf8_with_a_bom_and_lists_provisional_figures(filed: Chain) -> None:
    tree = filed.tree
    client = signed_in(filed.statistician[tree.province.pk])
    response = client.get("/thong-ke/tra-cuu/xuat/?export=csv&form=01&row=1&column=1")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "Đơn vị" and rows[0][1] == filed.period.name  # type: ignore[union-attr]
    by_unit = {r[0]: r[1] for r in rows[1:4]}
    assert by_unit == {tree.province.name: "12", filed.communes[0].name: "10", filed.communes[1].name: "5"}
    assert ["Số liệu tạm thời (báo cáo chưa được phê duyệt):"] in rows
    assert AuditEvent.objects.filter(action="stats.lookup.exported", is_read=True).count() == 1


def test_xlsx_export_keeps_numbers_and_marks_provisional_cells(filed: Chain) -> None:
    tree = filed.tree
    client = signed_in(filed.statistician[tree.province.pk])
    response = client.get("/thong-ke/tra-cuu/xuat/?export=xlsx&form=01&row=1&column=1")
    assert response.status_code == 200
    assert 'filename="tra-cuu-bieu-01-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = {r[0].value: r[1] for r in sheet.iter_rows() if r[0].value in (tree.province.name, filed.communes[0].name)}
    assert rows[tree.province.name].value == 12 and rows[tree.province.name].font.i
    assert rows[filed.communes[0].name].value == 10 and not rows[filed.communes[0].name].font.i
    assert any("Số liệu tổng hợp" in str(r[0].value) for r in sheet.iter_rows())


def test_periods_are_offered_for_the_chosen_form_only(filed: Chain) -> None:
    other = Form.objects.create(code="02", title="Biểu khác")
    assert lookup.periods_of(other) == []
    assert lookup.periods_of(filed.version.form) == list(ReportingPeriod.objects.all())
