"""The home page tells statisticians and approvers what waits for them (issue 10.2), cheaply."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kiemtra.accounts.models import User
from kiemtra.conftest import signed_in
from kiemtra.core.registry import HomeCard, registered_card_keys
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats.choices import ReportState
from kiemtra.stats.demo import BA_DINH, load_demo_statistics
from kiemtra.stats.home_cards import stats_card
from kiemtra.stats.models import Report
from kiemtra.stats.services import board
from kiemtra.stats.tests.test_demo_data import small_national_tree

S = ReportState
pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    small_national_tree()
    load_demo_statistics(timezone.now(), communes_per_province=4)


def _card(code: str) -> tuple[HomeCard | None, int]:
    request = RequestFactory().get("/")
    request.user = User.objects.get(identifier_code=code)
    with CaptureQueriesContext(connection) as captured:
        card = stats_card(request)
    return card, len(captured)


def _line(card: HomeCard | None, starts: str) -> tuple[int | None, str]:
    assert card is not None
    for line in card.lines:
        if str(line.label).startswith(starts):
            return line.count, line.url
    raise AssertionError(f"no line {starts!r} in {[str(x.label) for x in card.lines]}")


def test_the_statistics_card_is_registered_by_the_app() -> None:
    assert "stats.work" in registered_card_keys()


def test_each_role_sees_its_own_waiting_work_with_counts_and_links(demo: None) -> None:
    hanoi = OrgUnit.objects.get(code="T01")
    ba_dinh = OrgUnit.objects.get(code=BA_DINH)

    card, _n = _card("hn.pheduyet")
    count, url = _line(card, "Báo cáo chờ tôi phê duyệt")
    assert count == Report.objects.filter(unit=hanoi, state=S.PENDING_APPROVAL).count()
    assert url == f"/thong-ke/?trang_thai=pending_approval&don_vi={hanoi.pk}"

    card, _n = _card("hn.thongke")
    count, url = _line(card, "Báo cáo cấp dưới chờ tôi tiếp nhận")
    assert count == Report.objects.filter(unit__parent=hanoi, state=S.SUBMITTED).count() > 0
    assert url == f"/thong-ke/theo-doi/?trang_thai=submitted&don_vi={hanoi.pk}"
    count, url = _line(card, "Đơn vị cấp dưới chưa gửi đủ báo cáo")
    expected = Report.objects.filter(unit__parent=hanoi, state__in=board.NOT_SENT).values("unit").distinct().count()
    assert count == expected > 0
    assert "trang_thai=chua-gui" in url
    # An approver does not receive: no receipt line for Hà Nội's approver.
    assert not any("tiếp nhận" in str(line.label) for line in (_card("hn.pheduyet")[0] or HomeCard("")).lines)

    card, _n = _card("badinh.thongke")
    count, url = _line(card, "Báo cáo bị trả lại cho tôi")
    returned = Report.objects.filter(unit=ba_dinh, state=S.DRAFT).exclude(return_reason="").count()
    assert count == returned > 0
    # The link opens the list filtered to exactly those reports.
    html = signed_in(User.objects.get(identifier_code="badinh.thongke")).get(url).content.decode()
    assert html.count('href="/thong-ke/bao-cao/') == returned
    assert "Chỉ các báo cáo bị trả lại" in html


def test_the_card_costs_the_same_few_queries_for_a_ward_and_for_a_province(demo: None) -> None:
    _card_ward, ward = _card("badinh.thongke")
    _card_province, province = _card("hn.thongke")
    assert ward == province <= 3, (ward, province)  # the grants, then one aggregate for own and one for below


def test_people_without_statistics_work_get_no_card(demo: None) -> None:
    assert _card("tw.quantri")[0] is None  # the system admin enters and approves nothing
