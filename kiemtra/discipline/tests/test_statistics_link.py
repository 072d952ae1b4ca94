"""The link to statistics (Quy định 11 Art. 12; issue 4 item 7): forms 05/06 counted from the decisions.

The demo forms 05 and 06 are loaded as shipped; a period is opened for them;
Hà Nội's statistician (who may also read discipline decisions) compares and
prefills. The known decisions of the period, for Hà Nội's subtree:

* UBKT cấp tỉnh: a warning to a committee member (finance) and an expulsion
  (corruption + finance);
* the city Party committee: a classified reprimand (ethics);
* Ba Đình's commission (a commune filing its own report): a reprimand (ethics);
* a decision of another level ("Khác"): in no row;

and outside the count: one before the period, one amending an earlier one,
one of another province, one pending. Form 06: a dissolution by the city
Party committee (principles).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person, signed_in
from kiemtra.stats import formsets
from kiemtra.stats.choices import PeriodType, ReportState
from kiemtra.stats.models import FormVersion, Report, ReportingPeriod, Value
from kiemtra.stats.services import periods, reports, rollup

from ..choices import Confidentiality, DecisionState, IssuingLevel, PenaltyCode, SubjectType
from ..statistics_link import Comparison, compare, layout, measure_of, row_items
from .factories import make_decision

pytestmark = pytest.mark.django_db

URL = "/ky-luat/doi-chieu-thong-ke/"
PREFILL = "/ky-luat/doi-chieu-thong-ke/dien-san/"

PROVINCIAL_COMMISSION = "Ủy ban kiểm tra cấp tỉnh"
PROVINCIAL_COMMITTEE = "Tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương (và ban thường vụ)"
COMMUNE_COMMISSION = "Ủy ban kiểm tra cấp xã"
TOTAL = "Tổng cộng"


class Setup:
    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        formsets.load_demo()
        self.v05 = FormVersion.objects.select_related("form").get(form__code="05")
        self.v06 = FormVersion.objects.select_related("form").get(form__code="06")
        sysadmin = make_person(unit=tree.general_affairs)
        give(sysadmin, tree.general_affairs, Role.SYSTEM_ADMIN)
        now = timezone.now()
        self.period = periods.open_period(
            sysadmin,
            code="2026-H1",
            name="6 tháng đầu năm 2026",
            period_type=PeriodType.SIX_MONTHS,
            data_start=(now - dt.timedelta(days=150)).date(),
            data_cutoff=(now + dt.timedelta(days=20)).date(),
            opens_at=now - dt.timedelta(hours=1),
            deadline=now + dt.timedelta(days=30),
            form_versions=[self.v05, self.v06],
        )
        self.statistician = make_person(unit=tree.province)
        give(self.statistician, tree.province, Role.STATISTICIAN)
        give(self.statistician, tree.province, Role.DISCIPLINE_VIEWER)
        self.approver = make_person(unit=tree.province)
        give(self.approver, tree.province, Role.APPROVER)
        give(self.approver, tree.province, Role.DISCIPLINE_VIEWER)

        day = (now - dt.timedelta(days=10)).date()
        p, by = tree.province, make_person()
        self.by = by
        make_decision(
            p,
            by=by,
            issued_on=day,
            issuing_level=IssuingLevel.PROVINCIAL_COMMISSION,
            penalty=PenaltyCode.WARNING,
            party_committee_member=True,
            categories=("economy",),
        )
        make_decision(
            p,
            by=by,
            issued_on=day,
            issuing_level=IssuingLevel.PROVINCIAL_COMMISSION,
            penalty=PenaltyCode.EXPULSION,
            categories=("corruption", "economy"),
        )
        make_decision(
            p,
            by=by,
            issued_on=day,
            issuing_level=IssuingLevel.PROVINCIAL_COMMITTEE,
            penalty=PenaltyCode.REPRIMAND,
            confidentiality=Confidentiality.SECRET,
            categories=("ethics",),
        )
        make_decision(
            tree.commune,
            by=by,
            issued_on=None,
            effective_on=day,  # no issue date: the effective date places it in the period
            issuing_level=IssuingLevel.COMMUNE_COMMISSION,
            penalty=PenaltyCode.REPRIMAND,
            categories=("ethics",),
        )
        make_decision(p, by=by, issued_on=day, issuing_level=IssuingLevel.OTHER, penalty=PenaltyCode.WARNING)
        # Not counted:
        make_decision(p, by=by, issued_on=self.period.data_start - dt.timedelta(days=1), penalty=PenaltyCode.WARNING)
        make_decision(p, by=by, issued_on=day, penalty=PenaltyCode.REPRIMAND, amends_number="Số 7-QĐ/UBKT")
        make_decision(tree.other_province, by=by, issued_on=day, penalty=PenaltyCode.WARNING)
        make_decision(p, by=by, issued_on=day, state=DecisionState.PENDING, penalty=PenaltyCode.WARNING)
        # Form 06:
        make_decision(
            p,
            by=by,
            issued_on=day,
            subject_type=SubjectType.ORGANIZATION,
            subject_name="Đảng bộ Sở Xây dựng",
            issuing_level=IssuingLevel.PROVINCIAL_COMMITTEE,
            penalty=PenaltyCode.DISSOLUTION,
            categories=("principles",),
        )

    def report(self, version: FormVersion | None = None) -> Report:
        return Report.objects.select_related("unit", "period", "form_version__form").get(
            unit=self.tree.province, period=self.period, form_version=version or self.v05
        )

    def cell(self, row_label: str, column_label: str, version: FormVersion | None = None) -> tuple[int, int]:
        version = version or self.v05
        row = version.rows.get(label=row_label)
        column = version.columns.get(label=column_label)
        return row.pk, column.pk

    def compare(self, version: FormVersion | None = None) -> Comparison:
        return compare(self.tree.province, self.period, version or self.v05)

    def page(self, client: Client, **more: Any) -> Any:
        return client.get(URL, {"unit": self.tree.province.pk, "period": self.period.pk, "form": "05", **more})


@pytest.fixture
def setup(org_tree: Tree) -> Setup:
    return Setup(org_tree)


def figure(comparison: Comparison, cell: tuple[int, int]) -> Any:
    return next(f for _row, figures in comparison.rows for f in figures if f.cell == cell)


# --- the mapping ----------------------------------------------------------------------------


def test_every_row_item_and_column_of_forms_05_and_06_is_matched(setup: Setup) -> None:
    for version in (setup.v05, setup.v06):
        shape = layout(version)
        matched = {r.label for r in version.rows.all() if r.pk in shape.row_levels}
        assert matched == set(row_items().values())
        unmatched = {c.label for c in version.columns.all() if c.pk not in shape.measures and not c.formula}
        if version == setup.v05:
            assert unmatched == {
                "Đình chỉ sinh hoạt đảng",
                "Xử lý pháp luật: phạt tù (kể cả án treo)",
                "Xử lý pháp luật: hình thức khác",
                "Xử lý hành chính",
            }
        else:
            assert unmatched == set()
    assert measure_of("Nội dung vi phạm: Khác") is not None
    assert measure_of("Hình thức kỷ luật: Đánh đòn") is None


# --- counting -------------------------------------------------------------------------------


def test_counts_per_row_and_column_from_the_known_decisions(setup: Setup) -> None:
    c = setup.compare()
    counted = c.counted.figures

    def n(row: str, column: str) -> Decimal | None:
        value = counted.get(setup.cell(row, column))
        return None if value is None else Decimal(value)

    assert n(PROVINCIAL_COMMISSION, "Tổng số đảng viên bị kỷ luật") == 2
    assert n(PROVINCIAL_COMMISSION, "Hình thức kỷ luật: Cảnh cáo") == 1
    assert n(PROVINCIAL_COMMISSION, "Hình thức kỷ luật: Khai trừ") == 1
    assert n(PROVINCIAL_COMMISSION, "Hình thức kỷ luật: Khiển trách") == 0
    assert n(PROVINCIAL_COMMISSION, "Trong đó: cấp ủy viên") == 1
    assert n(PROVINCIAL_COMMISSION, "Nội dung vi phạm: Tài chính, ngân hàng, đầu tư công, xây dựng cơ bản") == 2
    assert n(PROVINCIAL_COMMISSION, "Nội dung vi phạm: Tham nhũng, tiêu cực, cố ý làm trái") == 1
    assert n(PROVINCIAL_COMMITTEE, "Hình thức kỷ luật: Khiển trách") == 1  # the classified one, counted
    assert n(PROVINCIAL_COMMITTEE, "Nội dung vi phạm: Phẩm chất đạo đức, lối sống") == 1
    assert n(COMMUNE_COMMISSION, "Hình thức kỷ luật: Khiển trách") == 1
    assert n(TOTAL, "Tổng số đảng viên bị kỷ luật") == 4
    assert n(TOTAL, "Nội dung vi phạm: Phẩm chất đạo đức, lối sống") == 2
    assert n("Đảng ủy cơ sở", "Tổng số đảng viên bị kỷ luật") is None  # not told apart in the database
    assert n(PROVINCIAL_COMMISSION, "Đình chỉ sinh hoạt đảng") is None
    assert c.counted.decisions == 5 and c.counted.outside_rows == 1
    # Own share: Ba Đình files its own report, so its decision is not the province's own.
    own = c.counted_own.figures
    assert own[setup.cell(COMMUNE_COMMISSION, "Hình thức kỷ luật: Khiển trách")] == 0
    assert own[setup.cell(TOTAL, "Tổng số đảng viên bị kỷ luật")] == 3
    assert [u.pk for u in c.covered] == sorted([setup.tree.commune.pk, setup.tree.sibling_commune.pk])


def test_form_06_counts_the_decisions_against_organisations(setup: Setup) -> None:
    c = setup.compare(setup.v06)
    counted = c.counted.figures
    assert counted[setup.cell(PROVINCIAL_COMMITTEE, "Hình thức kỷ luật: Giải tán", setup.v06)] == 1
    assert (
        counted[
            setup.cell(
                PROVINCIAL_COMMITTEE,
                "Nội dung vi phạm: Quy chế làm việc, nguyên tắc tập trung dân chủ, đoàn kết nội bộ",
                setup.v06,
            )
        ]
        == 1
    )
    assert counted[setup.cell(TOTAL, "Tổng số tổ chức đảng bị kỷ luật", setup.v06)] == 1
    assert c.counted.decisions == 1


def test_counting_never_decrypts_a_classified_decision(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> str:
        raise AssertionError("counting must not decrypt")

    monkeypatch.setattr("kiemtra.discipline.models.decrypt_text", refuse)
    reads = AuditEvent.objects.filter(is_read=True).count()
    assert setup.page(signed_in(setup.statistician)).status_code == 200
    assert AuditEvent.objects.filter(is_read=True).count() == reads


# --- the comparison page --------------------------------------------------------------------


def test_the_page_highlights_the_cells_that_differ_from_the_report(setup: Setup) -> None:
    report = setup.report()
    warning = setup.cell(PROVINCIAL_COMMISSION, "Hình thức kỷ luật: Cảnh cáo")
    expulsion = setup.cell(PROVINCIAL_COMMISSION, "Hình thức kỷ luật: Khai trừ")
    reports.save_values(setup.statistician, report, {warning: "1", expulsion: "3"}, expected_revision=0)
    c = setup.compare()
    assert not figure(c, warning).differs
    assert figure(c, expulsion).differs and figure(c, expulsion).difference == -2
    response = setup.page(signed_in(setup.statistician))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("data-differs") == c.differences > 0
    assert f"{c.differences} ô khác nhau." in body
    assert "1 quyết định có cấp ban hành không thuộc dòng nào" in body
    assert "5 quyết định trong kỳ." in body


def test_a_unit_outside_either_scope_is_refused(setup: Setup) -> None:
    client = signed_in(setup.statistician)
    response = client.get(URL, {"unit": setup.tree.other_province.pk, "period": setup.period.pk})
    assert response.status_code == 403
    stats_only = make_person(unit=setup.tree.province)
    give(stats_only, setup.tree.province, Role.STATISTICIAN)
    assert setup.page(signed_in(stats_only)).status_code == 403
    discipline_only = make_person(unit=setup.tree.province)
    give(discipline_only, setup.tree.province, Role.DISCIPLINE_VIEWER)
    assert setup.page(signed_in(discipline_only)).status_code == 403
    # A commune statistician reading the province above it: outside both scopes.
    commune = make_person(unit=setup.tree.commune)
    give(commune, setup.tree.commune, Role.STATISTICIAN)
    give(commune, setup.tree.commune, Role.DISCIPLINE_VIEWER)
    assert setup.page(signed_in(commune)).status_code == 403


def test_a_bad_form_or_unit_parameter_is_reported(setup: Setup) -> None:
    client = signed_in(setup.statistician)
    response = setup.page(client, form="99")
    assert response.status_code == 200
    assert "Biểu &#x27;99&#x27; không thống kê kỷ luật" in response.content.decode()
    assert response.context["form_code"] == "05"
    response = client.get(URL, {"unit": "abc"})
    assert "Mã đơn vị không hợp lệ." in response.content.decode()


def test_the_page_queries_do_not_grow_with_the_decisions(setup: Setup) -> None:
    client = signed_in(setup.statistician)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert setup.page(client).status_code == 200
        return len(captured)

    queries()  # the frozen form's grid is built once per process
    small = queries()
    day = (timezone.now() - dt.timedelta(days=3)).date()
    for i in range(15):
        make_decision(
            setup.tree.commune if i % 2 else setup.tree.province,
            by=setup.by,
            issued_on=day,
            issuing_level=[IssuingLevel.CELL, IssuingLevel.COMMUNE_COMMITTEE, IssuingLevel.PROVINCIAL_COMMISSION][
                i % 3
            ],
            penalty=[PenaltyCode.REPRIMAND, PenaltyCode.WARNING, PenaltyCode.DISMISSAL][i % 3],
            categories=(["ethics", "land", "economy"][i % 3],),
        )
    assert queries() == small <= 28, small  # the bell's unread count and the letters custodian check


# --- prefilling -----------------------------------------------------------------------------


def _confirm(client: Client, setup: Setup) -> Any:
    """The preview, then the confirmation with what the preview showed."""
    preview = setup.page(client, preview="1")
    assert 'data-testid="prefill-plan"' in preview.content.decode()
    c = preview.context["comparison"]
    return client.post(PREFILL, {"report": c.report.pk, "revision": c.report.revision, "plan": c.plan_digest})


def test_prefill_shows_the_changes_then_writes_them_through_the_statistics_service(setup: Setup) -> None:
    client = signed_in(setup.statistician)
    before = setup.compare()
    plan = {ch.cell: ch.after for ch in before.plan}
    assert plan[setup.cell(PROVINCIAL_COMMISSION, "Hình thức kỷ luật: Khai trừ")] == 1
    assert setup.cell(COMMUNE_COMMISSION, "Hình thức kỷ luật: Khiển trách") not in plan  # Ba Đình reports it
    assert all(not layout(setup.v05).grid.is_computed(cell) for cell in plan)
    response = setup.page(client)
    assert 'data-testid="prefill-preview"' in response.content.decode()

    response = _confirm(client, setup)
    assert response.status_code == 302
    report = setup.report()
    assert report.revision == 1
    own = rollup.own_values(report)
    for cell, value in plan.items():
        assert own[cell] == value
    assert own[setup.cell(TOTAL, "Tổng số đảng viên bị kỷ luật")] == 3  # the form's formulas ran
    saved = AuditEvent.objects.get(action="stats.report.values_saved", object_id=str(report.pk))
    event = AuditEvent.objects.get(action="stats.report.prefilled_from_discipline")
    assert event.actor == setup.statistician and event.object_id == str(report.pk)
    assert event.extra["cells"] == len(plan) and event.extra["changed"] == saved.extra["changed"] > len(plan)
    assert event.seq > saved.seq
    page = setup.page(client).content.decode()
    assert "Đã điền sẵn" in page and 'data-testid="prefill-nothing"' in page
    # What still differs is Ba Đình's decision, not yet received from its own report.
    after = setup.compare()
    differing = {after.shape.grid.row_by_id[f.cell[0]].label for _r, fs in after.rows for f in fs if f.differs}
    assert differing == {COMMUNE_COMMISSION, TOTAL}


def test_prefill_is_refused_without_the_right_to_enter_statistics(setup: Setup) -> None:
    client = signed_in(setup.approver)
    page = setup.page(client)
    assert 'data-testid="prefill-not-allowed"' in page.content.decode()
    c = page.context["comparison"]
    response = client.post(PREFILL, {"report": c.report.pk, "revision": 0, "plan": c.plan_digest})
    assert response.status_code == 403
    assert not Value.objects.filter(report=c.report).exists()
    assert not AuditEvent.objects.filter(action="stats.report.prefilled_from_discipline").exists()


def test_prefill_of_a_report_no_longer_in_draft_shows_the_service_message(setup: Setup) -> None:
    client = signed_in(setup.statistician)
    preview = setup.page(client, preview="1").context["comparison"]
    # Set-up, not the behaviour under test: the province's report has moved on (e.g. forwarded for approval).
    Report.objects.filter(pk=preview.report.pk).update(state=ReportState.PENDING_APPROVAL)
    response = client.post(
        PREFILL, {"report": preview.report.pk, "revision": preview.report.revision, "plan": preview.plan_digest}
    )
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "Chỉ cập nhật được báo cáo đang ở trạng thái" in body
    assert 'data-testid="prefill-not-draft"' in body
    report = setup.report()
    assert report.state == ReportState.PENDING_APPROVAL and not Value.objects.filter(report=report).exists()
    assert not AuditEvent.objects.filter(action="stats.report.prefilled_from_discipline").exists()


def test_prefill_after_the_deadline_is_refused_by_the_service(setup: Setup) -> None:
    client = signed_in(setup.statistician)
    preview = setup.page(client, preview="1").context["comparison"]
    now = timezone.now()
    ReportingPeriod.objects.filter(pk=setup.period.pk).update(
        opens_at=now - dt.timedelta(days=2), deadline=now - dt.timedelta(minutes=1)
    )
    response = client.post(
        PREFILL, {"report": preview.report.pk, "revision": preview.report.revision, "plan": preview.plan_digest}
    )
    body = client.get(response["Location"]).content.decode()
    assert "Đã quá thời hạn báo cáo" in body
    assert not Value.objects.filter(report=preview.report).exists()


def test_prefill_refuses_a_plan_that_changed_since_the_preview(setup: Setup) -> None:
    client = signed_in(setup.statistician)
    preview = setup.page(client, preview="1").context["comparison"]
    make_decision(
        setup.tree.province,
        by=setup.by,
        issued_on=(timezone.now() - dt.timedelta(days=1)).date(),
        issuing_level=IssuingLevel.PROVINCIAL_COMMISSION,
        penalty=PenaltyCode.DISMISSAL,
    )
    response = client.post(
        PREFILL, {"report": preview.report.pk, "revision": preview.report.revision, "plan": preview.plan_digest}
    )
    body = client.get(response["Location"]).content.decode()
    assert "Số liệu đã thay đổi từ lúc xem trước" in body
    assert not Value.objects.filter(report=preview.report).exists()
    response = client.post(PREFILL, {"report": preview.report.pk, "revision": "x", "plan": preview.plan_digest})
    assert "Thiếu số phiên bản" in client.get(response["Location"]).content.decode()
    assert not Value.objects.filter(report=preview.report).exists()


def test_prefill_with_a_stale_revision_is_refused(setup: Setup) -> None:
    client = signed_in(setup.statistician)
    preview = setup.page(client, preview="1").context["comparison"]
    other = setup.cell("Chi bộ", "Đình chỉ sinh hoạt đảng")  # a cell the decisions do not fill
    reports.save_values(setup.statistician, setup.report(), {other: "2"}, expected_revision=0)
    response = client.post(PREFILL, {"report": preview.report.pk, "revision": 0, "plan": preview.plan_digest})
    body = client.get(response["Location"]).content.decode()
    assert "Báo cáo vừa được người khác cập nhật" in body
    grid = layout(setup.v05).grid
    assert {cell for cell in rollup.own_values(setup.report()) if not grid.is_computed(cell)} == {other}


def test_prefill_of_another_provinces_report_is_refused(setup: Setup) -> None:
    other = Report.objects.get(unit=setup.tree.other_province, period=setup.period, form_version=setup.v05)
    response = signed_in(setup.statistician).post(PREFILL, {"report": other.pk, "revision": 0, "plan": "x"})
    assert response.status_code == 403
    assert not Value.objects.filter(report=other).exists()
    assert not AuditEvent.objects.filter(action="stats.report.prefilled_from_discipline").exists()
