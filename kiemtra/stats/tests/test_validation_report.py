"""The validation report per unit (issue: "a validation report per unit")."""

from __future__ import annotations

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import give, make_person, signed_in
from kiemtra.stats.services import reports
from kiemtra.stats.tests.factories import make_chain

pytestmark = pytest.mark.django_db


def test_lists_every_report_with_its_broken_rules_for_the_unit_and_below() -> None:
    chain = make_chain()
    chain.open()
    commune = chain.tree.commune
    report = chain.report(commune)
    reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=1, R2_C1=5), expected_revision=0)
    province_client = signed_in(chain.statistician[chain.tree.province.pk])
    own = province_client.get("/thong-ke/kiem-tra-so-lieu/").content.decode()
    assert "0 lỗi phải sửa" in own
    below = province_client.get("/thong-ke/kiem-tra-so-lieu/", {"don_vi": str(chain.tree.province.pk), "cap_duoi": "1"})
    html = below.content.decode()
    assert "1 lỗi phải sửa" in html and "không được lớn hơn số được kiểm tra" in html
    commune_client = signed_in(chain.statistician[commune.pk])
    assert (
        commune_client.get("/thong-ke/kiem-tra-so-lieu/", {"don_vi": str(chain.tree.other_commune.pk)}).status_code
        == 403
    )


def test_an_admin_gets_no_validation_report() -> None:
    chain = make_chain()
    chain.open()
    admin = make_person(unit=chain.tree.province)
    give(admin, chain.tree.province, Role.ADMIN)
    assert signed_in(admin).get("/thong-ke/kiem-tra-so-lieu/").status_code == 403
