"""The operator edits quota rules in the Django admin; every edit is audited, none is deleted."""

from __future__ import annotations

import pytest

from kiemtra.accounts.models import QuotaRule, User
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_quota_rule_edit_is_audited_and_rules_cannot_be_deleted() -> None:
    operator = User.objects.create_superuser("vanhanh", "x", full_name="Vận hành")
    rule = QuotaRule.objects.get(module="stats", unit_category="commune", functions=[])
    client = signed_in(operator)
    url = f"/django-admin/accounts/quotarule/{rule.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "module": rule.module,
            "unit_category": rule.unit_category,
            "rule_type": rule.rule_type,
            "functions": "[]",
            "limit": 4,
            "counted_functions": "[]",
            "regulation": "Quy định mới 2026",
            "valid_from": "2025-11-11",
            "valid_to": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.limit == 4
    event = AuditEvent.objects.get(action="accounts.quota_rule.saved")
    assert event.before is not None and event.after is not None
    assert (event.before["limit"], event.after["limit"]) == (3, 4)
    assert event.after["regulation"] == "Quy định mới 2026"
    assert client.post(f"/django-admin/accounts/quotarule/{rule.pk}/delete/", {"post": "yes"}).status_code == 403
    assert QuotaRule.objects.filter(pk=rule.pk).exists()


def test_grants_are_read_only_in_the_django_admin() -> None:
    operator = User.objects.create_superuser("vanhanh", "x", full_name="Vận hành")
    assert signed_in(operator).get("/django-admin/accounts/rolegrant/add/").status_code == 403
