"""Issue 14 item 8: "for a unit and a period, forms 01, 02, 03, 04 and 10 computed from the case files beside the
report's figures, differences highlighted, prefill through the statistics save service"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.core.text import fold
from kiemtra.stats import formsets
from kiemtra.stats.choices import PeriodType
from kiemtra.stats.models import FormVersion, Report
from kiemtra.stats.services import periods, rollup

from ..choices import CaseKind, SubjectKind
from ..services import cases, followup
from ..statistics_link import compare, prefill
from .factories import case_with_team, opening, person

pytestmark = pytest.mark.django_db
CODES = ("01", "02", "03", "04", "10")


class Setup:
    def __init__(self, tree: Tree) -> None:
        formsets.load_demo()
        self.versions = {c: FormVersion.objects.select_related("form").get(form__code=c) for c in CODES}
        sysadmin = make_person(unit=tree.general_affairs)
        give(sysadmin, tree.general_affairs, Role.SYSTEM_ADMIN)
        now = timezone.now()
        self.period = periods.open_period(
            sysadmin,
            code="2026-H2",
            name="6 tháng cuối năm 2026",
            period_type=PeriodType.SIX_MONTHS,
            data_start=(now - dt.timedelta(days=150)).date(),
            data_cutoff=(now + dt.timedelta(days=20)).date(),
            opens_at=now - dt.timedelta(hours=1),
            deadline=now + dt.timedelta(days=30),
            form_versions=list(self.versions.values()),
        )
        self.statistician = person(tree.province, Role.STATISTICIAN, Role.CASE_VIEWER)
        lead = person(tree.province, Role.CASE_LEADERSHIP)
        member = person(tree.province, Role.CASE_OFFICER)
        day = (now - dt.timedelta(days=10)).date()
        start = (now - dt.timedelta(days=40)).date()

        def concluded(kind: str, subject_kind: str, **conclusion: Any) -> Any:
            case = case_with_team(
                tree.province, lead, member, kind=kind, subject_kind=subject_kind, decision_date=start
            )
            return followup.conclude(lead, case, content="Kết luận", concluded_on=day, **conclusion)

        # Form 01: three members inspected, two with violations, one of them disciplined.
        c1 = concluded(
            CaseKind.INSPECTION_MEMBER,
            SubjectKind.MEMBER,
            violations_found=True,
            discipline_required=True,
            categories=["Đất đai, tài nguyên, khoáng sản"],
        )
        followup.record_discipline(lead, c1, number="5-QĐ/UBKT", issued_on=day, penalty="warning")
        concluded(
            CaseKind.INSPECTION_MEMBER,
            SubjectKind.MEMBER,
            violations_found=True,
            categories=["Phẩm chất đạo đức, lối sống"],
        )
        concluded(CaseKind.INSPECTION_MEMBER, SubjectKind.MEMBER, violations_found=False)
        # Form 03: one good, one with shortcomings. Form 04: a supervision referred to an inspection.
        concluded(CaseKind.INSPECTION_OF_INSPECTION, SubjectKind.ORGANISATION, violations_found=False)
        concluded(
            CaseKind.INSPECTION_OF_INSPECTION, SubjectKind.ORGANISATION, violations_found=False, shortcomings=True
        )
        sup = concluded(CaseKind.THEMATIC_SUPERVISION, SubjectKind.ORGANISATION, violations_found=True)
        cases.open_case(
            lead,
            tree.province,
            opening(kind=CaseKind.INSPECTION_ORGANISATION, subject_kind=SubjectKind.ORGANISATION),
            follows_up=sup,
        )
        # Not counted: another province's file, a file concluded before the period.
        other_lead = person(tree.other_province, Role.CASE_LEADERSHIP)
        other = case_with_team(tree.other_province, other_lead, person(tree.other_province, Role.CASE_OFFICER))
        followup.conclude(other_lead, other, violations_found=True, content="x", concluded_on=day)
        old = case_with_team(tree.province, lead, member, decision_date=dt.date(2024, 1, 5))
        followup.conclude(lead, old, violations_found=True, content="x", concluded_on=dt.date(2024, 3, 1))
        self.tree = tree

    def report(self, code: str) -> Report:
        return Report.objects.select_related("unit", "period", "form_version__form").get(
            unit=self.tree.province, period=self.period, form_version=self.versions[code]
        )


def _cell(comparison, row_label: str, column_label: str):
    """The figure of one cell, found by the labels users read."""
    columns = {fold(c.label): c.pk for c in comparison.version.columns.all()}
    for row, figures in comparison.rows:
        if fold(row.label) == fold(row_label):
            return next(f for f in figures if f.cell[1] == columns[fold(column_label)])
    raise AssertionError(f"{row_label} / {column_label}")


@pytest.fixture
def setup(org_tree: Tree) -> Setup:
    return Setup(org_tree)


def test_form_01_counts_the_concluded_member_inspections_of_the_period(setup: Setup) -> None:
    comparison = compare(setup.tree.province, setup.period, setup.versions["01"])
    row = "Ủy ban kiểm tra cấp tỉnh"
    assert _cell(comparison, row, "Số đảng viên được kiểm tra").counted == Decimal(3)
    assert _cell(comparison, row, "Kết luận: có vi phạm").counted == Decimal(2)
    assert _cell(comparison, row, "Kết luận: phải thi hành kỷ luật").counted == Decimal(1)
    assert _cell(comparison, row, "Kết luận: đã thi hành kỷ luật").counted == Decimal(1)
    assert _cell(comparison, "Ủy ban kiểm tra cấp xã", "Số đảng viên được kiểm tra").counted == Decimal(0)
    assert _cell(comparison, "Chi bộ", "Số đảng viên được kiểm tra").counted is None  # not the files' to say
    assert comparison.differences > 0  # the report is still empty


def test_forms_03_and_04_count_results_and_referrals(setup: Setup) -> None:
    row = "Ủy ban kiểm tra cấp tỉnh"
    c03 = compare(setup.tree.province, setup.period, setup.versions["03"])
    assert _cell(c03, row, "Kết quả: thực hiện tốt").counted == Decimal(1)
    assert _cell(c03, row, "Kết quả: có thiếu sót, khuyết điểm").counted == Decimal(1)
    c04 = compare(setup.tree.province, setup.period, setup.versions["04"])
    assert _cell(c04, row, "Đối tượng giám sát: tổ chức đảng").counted == Decimal(1)
    assert _cell(c04, row, "Kết quả: chuyển kiểm tra khi có dấu hiệu vi phạm").counted == Decimal(1)
    c10 = compare(setup.tree.province, setup.period, setup.versions["10"])
    assert _cell(c10, row, "Số đơn vị có vi phạm").counted == Decimal(0)
    compare(setup.tree.province, setup.period, setup.versions["02"])


def test_prefill_writes_the_counted_own_figures_through_the_statistics_service(setup: Setup) -> None:
    report = setup.report("01")
    comparison = compare(setup.tree.province, setup.period, setup.versions["01"])
    with pytest.raises(DomainError):
        prefill(setup.statistician, report, expected_revision=report.revision, plan_digest="stale")
    outsider = person(setup.tree.province, Role.STATISTICIAN)  # no case role: may not read the files' counts
    with pytest.raises(PolicyDenied):
        prefill(outsider, report, expected_revision=report.revision, plan_digest=comparison.plan_digest)
    assert rollup.own_values(setup.report("01")) == rollup.own_values(report)
    prefill(setup.statistician, report, expected_revision=report.revision, plan_digest=comparison.plan_digest)
    after = compare(setup.tree.province, setup.period, setup.versions["01"])
    assert after.plan == {}
    assert _cell(after, "Ủy ban kiểm tra cấp tỉnh", "Số đảng viên được kiểm tra").own == Decimal(3)
    assert AuditEvent.objects.filter(action="stats.report.prefilled_from_cases").count() == 1


def test_the_page_shows_differences_and_prefills_through_a_confirmed_post(setup: Setup) -> None:
    from kiemtra.conftest import signed_in

    client = signed_in(setup.statistician)
    query = f"?ky={setup.period.pk}&bieu=01&don-vi={setup.tree.province.pk}"
    page = client.get(f"/kiem-tra/doi-chieu-thong-ke/{query}")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-differs="1"' in body and "Điền sẵn" in body
    report = setup.report("01")
    comparison = compare(setup.tree.province, setup.period, setup.versions["01"])
    assert (
        client.post(
            f"/kiem-tra/doi-chieu-thong-ke/{report.pk}/dien-san/", {"revision": "x", "plan": comparison.plan_digest}
        ).status_code
        == 400
    )
    done = client.post(
        f"/kiem-tra/doi-chieu-thong-ke/{report.pk}/dien-san/",
        {"revision": str(report.revision), "plan": comparison.plan_digest},
    )
    assert done.status_code == 302
    assert compare(setup.tree.province, setup.period, setup.versions["01"]).plan == {}
    assert (
        signed_in(person(setup.tree.province, Role.CASE_VIEWER)).get("/kiem-tra/doi-chieu-thong-ke/").status_code == 403
    )
    assert client.get("/kiem-tra/doi-chieu-thong-ke/?bieu=05").status_code == 400
