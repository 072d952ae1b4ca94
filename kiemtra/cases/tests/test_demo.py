"""`make demo` (issue 14 "Done when"): programmes, open and closed files at every stage, and overdue follow-ups
in Hà Nội and one other province; loading twice adds nothing."""

from __future__ import annotations

import io

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import give, make_person, make_unit
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.loader import commune_unit_code, province_unit_code

from ..models import CaseFile, Programme
from ..services.followup import overdue

pytestmark = pytest.mark.django_db(transaction=True)  # the archive copies are made on commit


def test_the_demo_has_every_stage_and_overdue_follow_ups_in_two_provinces(settings, tmp_path) -> None:
    from ..demo import seed

    settings.MEDIA_ROOT = tmp_path

    centre = make_unit(UnitKind.CENTRAL, code="UBKTTW")
    hanoi = make_unit(UnitKind.PROVINCIAL, centre, code=province_unit_code("01"), name="UBKT Thành ủy Hà Nội")
    hcm = make_unit(UnitKind.PROVINCIAL, centre, code=province_unit_code("79"), name="UBKT Thành ủy TP. Hồ Chí Minh")
    make_unit(UnitKind.COMMUNE, hanoi, code=commune_unit_code("00004"), name="UBKT Đảng ủy phường Ba Đình")
    # No superuser (issue 8.13): the system admin sets the case roles up.
    sysadmin = make_person("tw.quantri", unit=centre)
    give(sysadmin, centre, Role.SYSTEM_ADMIN)
    seed(io.StringIO())
    for unit in (hanoi, hcm):
        states = set(CaseFile.objects.filter(unit=unit).values_list("state", flat=True))
        assert states == {"open", "concluded", "closed"}, states
        assert CaseFile.objects.filter(unit=unit, conclusion__carried_out_at__isnull=False).exists()
        assert overdue().filter(conclusion__case__unit=unit).exists()
        assert Programme.objects.filter(unit=unit, state="approved").exists()
    assert Programme.objects.filter(unit=hanoi).count() == 2  # amended once
    count = CaseFile.objects.count()
    seed(io.StringIO())
    assert CaseFile.objects.count() == count
