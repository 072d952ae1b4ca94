"""The national tree loaded from the 2025 administrative units (vietnamadminunits, MIT)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from kiemtra.orgs.choices import DepartmentRole, UnitKind
from kiemtra.orgs.loader import load_national_tree
from kiemtra.orgs.models import OrgUnit, RegionalAssignment

pytestmark = pytest.mark.django_db


def test_load_builds_the_whole_sector_and_is_idempotent() -> None:
    first = load_national_tree()
    assert first.created == first.total == 3370
    out = StringIO()
    call_command("orgs", "summary", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"central": 1, "department": 8, "provincial": 40, "commune": 3321}
    again = load_national_tree()
    assert (again.created, again.updated) == (0, 0)
    assert OrgUnit.objects.count() == 3370


def test_communes_sit_under_their_province_with_codes_and_coordinates() -> None:
    load_national_tree()
    ba_dinh = OrgUnit.objects.get(code="X00004")
    assert ba_dinh.parent is not None and ba_dinh.latitude is not None and ba_dinh.longitude is not None
    assert ba_dinh.parent.code == "T01" and ba_dinh.kind == UnitKind.COMMUNE
    assert ba_dinh.name == "Ủy ban Kiểm tra Đảng ủy Phường Ba Đình" and ba_dinh.admin_code == "00004"
    assert 20 < float(ba_dinh.latitude) < 22 and 105 < float(ba_dinh.longitude) < 107
    hanoi = OrgUnit.objects.get(code="T01")
    assert hanoi.name == "Ủy ban Kiểm tra Thành ủy Hà Nội"
    assert OrgUnit.objects.subtree_of(hanoi).filter(kind=UnitKind.COMMUNE).count() == hanoi.children.count() > 100
    assert ba_dinh.path == f"{hanoi.path}{ba_dinh.pk}/" and ba_dinh.depth == 2
    # Every commune has a provincial parent, every special zone is there.
    assert not OrgUnit.objects.filter(kind=UnitKind.COMMUNE).exclude(parent__kind=UnitKind.PROVINCIAL).exists()
    assert OrgUnit.objects.filter(kind=UnitKind.COMMUNE, admin_type="Đặc khu").count() == 13


def test_centre_departments_and_party_committees_directly_under_the_centre() -> None:
    load_national_tree()
    centre = OrgUnit.objects.get(kind=UnitKind.CENTRAL)
    roles = set(OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT).values_list("department_role", flat=True))
    assert {
        DepartmentRole.GENERAL_AFFAIRS,
        DepartmentRole.OFFICE,
        DepartmentRole.TRAINING,
        DepartmentRole.REGIONAL,
    } <= roles
    committees = OrgUnit.objects.filter(code__startswith="DU.")
    assert committees.count() == 6 and all(c.parent_id == centre.pk for c in committees)
    # Every provincial-level unit is followed by exactly one regional department.
    provincial = OrgUnit.objects.filter(kind=UnitKind.PROVINCIAL)
    followed = RegionalAssignment.objects.filter(valid_to__isnull=True)
    assert followed.count() == provincial.count() == 40
    assert set(followed.values_list("province_id", flat=True)) == set(provincial.values_list("pk", flat=True))


def test_reload_keeps_a_rename_made_by_an_operator_history_intact() -> None:
    load_national_tree()
    unit = OrgUnit.objects.get(code="X00004")
    unit.valid_to = unit.valid_from  # closed by a merger: the loader must not resurrect or rename it
    unit.name = "Tên cũ"
    unit.save()
    load_national_tree()
    unit.refresh_from_db()
    assert unit.name == "Tên cũ" and unit.valid_to is not None
