"""Art. 7.1's opening notice is a regulation value kept as data: a catalog row with validity and source."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kiemtra.accounts.models import User
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import signed_in
from kiemtra.core.errors import DomainError
from kiemtra.stats.choices import PeriodType
from kiemtra.stats.models import OpeningNoticeRule, ReportingPeriod
from kiemtra.stats.services import periods
from kiemtra.stats.tests.factories import Chain, make_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain() -> Chain:
    return make_chain()


def _open(chain: Chain, cutoff_in_days: int) -> ReportingPeriod:
    now = timezone.now()
    return periods.open_period(
        chain.sysadmin,
        code=f"K{cutoff_in_days}",
        name="Kỳ thử",
        period_type=PeriodType.SIX_MONTHS,
        data_start=(now - dt.timedelta(days=100)).date(),
        data_cutoff=(now + dt.timedelta(days=cutoff_in_days)).date(),
        opens_at=now,
        deadline=now + dt.timedelta(days=cutoff_in_days + 10),
        form_versions=[chain.version],
    )


def test_art7_1_the_15_day_notice_ships_as_a_rule_with_its_source() -> None:
    """Quy định 11 Art. 7.1: "mở kỳ báo cáo mới chậm nhất 15 ngày trước thời điểm kết thúc thời gian lấy số liệu"."""
    rule = OpeningNoticeRule.in_force(timezone.now().date())
    assert rule is not None and rule.days == 15 and "Quy định 11" in rule.regulation


def test_art7_1_a_new_rule_replaces_the_old_from_its_validity_date(chain: Chain) -> None:
    today = timezone.now().date()
    OpeningNoticeRule.objects.update(valid_to=today - dt.timedelta(days=1))
    OpeningNoticeRule.objects.create(days=30, regulation="Quy định sửa đổi (thử)", valid_from=today)
    with pytest.raises(DomainError) as late:
        _open(chain, cutoff_in_days=20)  # fine under 15 days, too late under 30
    assert late.value.code == "opened_too_late"
    assert "30 ngày" in late.value.message and "Quy định sửa đổi (thử)" in late.value.message
    assert not ReportingPeriod.objects.exists()
    assert _open(chain, cutoff_in_days=40).reports.exists()


def test_the_operator_edits_the_rule_in_the_admin_audited_and_never_deleted() -> None:
    operator = User.objects.create_superuser("vanhanh", "x", full_name="Vận hành")
    rule = OpeningNoticeRule.objects.get()
    client = signed_in(operator)
    url = f"/django-admin/stats/openingnoticerule/{rule.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"days": 20, "regulation": rule.regulation, "valid_from": "2025-11-11", "valid_to": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="stats.opening_notice_rule.saved")
    assert event.before == {"days": 15} and event.after == {"days": 20}
    assert client.post(f"/django-admin/stats/openingnoticerule/{rule.pk}/delete/", {"post": "yes"}).status_code == 403
    assert OpeningNoticeRule.objects.filter(pk=rule.pk).exists()
