"""The org-tree admin page: browse and search, and each change through the form."""

from __future__ import annotations

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree, give, make_person, make_unit, signed_in
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(org_tree: Tree):
    person = make_person(unit=org_tree.general_affairs)
    give(person, org_tree.general_affairs, Role.SYSTEM_ADMIN)
    return signed_in(person)


def test_the_tree_searches_without_diacritics_and_names_the_unit_kinds(org_tree: Tree, client) -> None:
    page = client.get("/don-vi/", {"q": "Ba Đình"}).content.decode()
    assert f'data-code="{org_tree.commune.code}"' in page
    assert f'data-code="{org_tree.province.code}"' in page  # the match under its ancestors
    assert f'data-code="{org_tree.other_province.code}"' not in page
    assert "UBKT cấp trên trực tiếp cơ sở: 3" in page and "commune:" not in page
    without_diacritics = client.get("/don-vi/", {"q": "phuong ba dinh"}).content.decode()
    assert f'data-code="{org_tree.commune.code}"' in without_diacritics


def test_words_typed_side_by_side_find_the_unit_of_that_name_first(org_tree: Tree, client) -> None:
    scattered = make_unit(UnitKind.COMMUNE, org_tree.province, name="UBKT Đảng ủy xã Định Ba")
    page = client.get("/don-vi/", {"q": "ba dinh"}).content.decode()
    assert f'data-code="{org_tree.commune.code}"' in page and f'data-code="{scattered.code}"' not in page
    either = client.get("/don-vi/", {"q": "dinh uy"}).content.decode()  # no unit has these side by side
    assert f'data-code="{org_tree.commune.code}"' in either and f'data-code="{scattered.code}"' in either


def test_the_tree_opens_on_the_centre_and_loads_a_branch_on_demand(org_tree: Tree, client) -> None:
    page = client.get("/don-vi/").content.decode()
    assert f'data-code="{org_tree.province.code}"' in page
    assert f'data-code="{org_tree.commune.code}"' not in page  # communes come when the province is opened
    assert f'hx-get="/don-vi/{org_tree.province.pk}/truc-thuoc/"' in page
    branch = client.get(f"/don-vi/{org_tree.province.pk}/truc-thuoc/").content.decode()
    assert f'data-code="{org_tree.commune.code}"' in branch
    assert f'data-code="{org_tree.other_commune.code}"' not in branch


def test_the_history_reads_as_changes_not_as_stored_dictionaries(org_tree: Tree, client) -> None:
    url = f"/don-vi/{org_tree.sibling_commune.pk}/cap-nhat/"
    old_name = org_tree.sibling_commune.name
    client.post(
        url, {"action": "rename", "name": "UBKT Đảng ủy phường Mới", "effective": "07/12/2026", "document_ref": "NQ 5"}
    )
    client.post(
        url, {"action": "move", "target": org_tree.other_province.pk, "effective": "08/12/2026", "document_ref": "NQ 6"}
    )
    page = client.get(f"/don-vi/{org_tree.sibling_commune.pk}/").content.decode()
    assert f"Tên: {old_name} → UBKT Đảng ủy phường Mới" in page
    assert f"Đơn vị cấp trên: {org_tree.province.name} → {org_tree.other_province.name}" in page
    assert "07/12/2026" in page and "{" not in page.split('data-testid="unit-history"')[1].split("</table>")[0]


def test_a_date_not_written_dd_mm_yyyy_is_refused_naming_the_field(org_tree: Tree, client) -> None:
    response = client.post(
        f"/don-vi/{org_tree.sibling_commune.pk}/cap-nhat/",
        {"action": "rename", "name": "Tên khác", "effective": "12/31/2026", "document_ref": "NQ"},
        follow=True,
    )
    assert "Ngày hiệu lực: hãy nhập ngày theo dạng dd/mm/yyyy" in response.content.decode()
    assert OrgUnit.objects.get(pk=org_tree.sibling_commune.pk).name != "Tên khác"


def test_rename_move_and_close_through_the_form(org_tree: Tree, client) -> None:
    url = f"/don-vi/{org_tree.sibling_commune.pk}/cap-nhat/"
    common = {"effective": "2026-01-01", "document_ref": "NQ 5"}
    client.post(url, {"action": "rename", "name": "UBKT Đảng ủy phường Mới", **common})
    client.post(url, {"action": "move", "target": org_tree.other_province.pk, **common})
    unit = OrgUnit.objects.get(pk=org_tree.sibling_commune.pk)
    assert unit.name == "UBKT Đảng ủy phường Mới" and unit.parent_id == org_tree.other_province.pk
    client.post(url, {"action": "close", **common})
    unit.refresh_from_db()
    assert unit.valid_to is not None
    history = client.get(f"/don-vi/{unit.pk}/").content.decode()
    assert "Đổi tên" in history and "Chuyển đơn vị cấp trên" in history


def test_a_refused_change_says_why_and_changes_nothing(org_tree: Tree, client) -> None:
    response = client.post(
        f"/don-vi/{org_tree.province.pk}/cap-nhat/",
        {"action": "close", "effective": "2026-01-01", "document_ref": "NQ"},
        follow=True,
    )
    assert "Còn đơn vị trực thuộc đang hoạt động" in response.content.decode()
    assert OrgUnit.objects.get(pk=org_tree.province.pk).valid_to is None
    response = client.post(
        f"/don-vi/{org_tree.commune.pk}/cap-nhat/",
        {"action": "merge", "effective": "2026-01-01", "document_ref": "NQ"},
        follow=True,
    )
    assert "Phải chọn đơn vị đích." in response.content.decode()


def test_add_a_unit(org_tree: Tree, client) -> None:
    response = client.post(
        "/don-vi/them/",
        {
            "code": "X77777",
            "name": "UBKT Đảng ủy xã Hòa Bình",
            "kind": "commune",
            "department_role": "",
            "parent": org_tree.province.pk,
            "valid_from": "2026-01-01",
            "document_ref": "NQ 9",
        },
    )
    unit = OrgUnit.objects.get(code="X77777")
    assert response["Location"] == f"/don-vi/{unit.pk}/" and unit.parent_id == org_tree.province.pk


def test_only_the_system_admin_reaches_the_page(org_tree: Tree) -> None:
    for role, unit in [(Role.ADMIN, org_tree.province), (Role.STATISTICIAN, org_tree.general_affairs)]:
        person = make_person(unit=unit)
        give(person, unit, role)
        other = signed_in(person)
        assert other.get("/don-vi/").status_code == 403
        assert (
            other.post(
                f"/don-vi/{org_tree.commune.pk}/cap-nhat/",
                {"action": "rename", "name": "X", "effective": "2026-01-01", "document_ref": "Y"},
            ).status_code
            == 403
        )
    assert OrgUnit.objects.get(pk=org_tree.commune.pk).name != "X"


def test_regional_department_assignment_is_edited_on_its_page(org_tree: Tree, client) -> None:
    page = client.get(f"/don-vi/{org_tree.regional.pk}/").content.decode()
    assert "Phân công địa bàn theo dõi" in page
    client.post(
        f"/don-vi/{org_tree.regional.pk}/dia-ban/",
        {"provinces": [org_tree.province.pk, org_tree.other_province.pk], "effective": "2026-01-01"},
    )
    followed = set(
        org_tree.regional.regional_assignments.filter(valid_to__isnull=True).values_list("province_id", flat=True)
    )
    assert followed == {org_tree.province.pk, org_tree.other_province.pk}
