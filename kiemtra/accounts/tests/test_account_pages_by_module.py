"""Account pages: each admin sees and acts only on its own module's grants and quotas; no link leads to a 404.

Quy định 06-QĐ/UBKTTW Art. 2.8: the letter admin manages letter accounts; Quy định 11 Art. 3: statistics
admins manage statistics accounts. Issue 10.7.
"""

from __future__ import annotations

import re

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.conftest import Tree, give, make_person, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanoi(org_tree: Tree) -> dict[str, User]:
    """Hà Nội's accounts of every module, and the admins of each."""
    people = {}
    for code, unit, role in [
        ("hn.quantri", org_tree.province, Role.ADMIN),
        ("hn.thongke", org_tree.province, Role.STATISTICIAN),
        ("hn.donthu1", org_tree.province, Role.USER),
        ("hn.kyluat", org_tree.province, Role.DISCIPLINE_EDITOR),
        ("vp.quantri.donthu", org_tree.office, Role.NATIONAL_ADMIN),
    ]:
        people[code] = make_person(code, unit=unit)
        people[code].full_name = f"Người {code}"
        people[code].save()
        give(people[code], unit, role)
    return people


def _links(html: str) -> list[str]:
    return re.findall(r'href="(/tai-khoan/quan-tri/nguoi-dung/\d+/)"', html)


def test_letter_admin_sees_only_letter_grants_and_quota(org_tree: Tree, hanoi: dict[str, User]) -> None:
    client = signed_in(hanoi["vp.quantri.donthu"])
    page = client.get(f"/tai-khoan/quan-tri/don-vi/{org_tree.province.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Người hn.donthu1" in html
    for hidden in ("Người hn.quantri", "Người hn.thongke", "Người hn.kyluat"):
        assert hidden not in html
    assert 'data-testid="stats-quota"' not in html and "Định mức tài khoản thống kê" not in html
    assert "Định mức tài khoản đơn thư" in html
    assert html.count(">Thu hồi</button>") == 1
    # Every person link of the page opens.
    links = _links(html)
    assert links and all(client.get(link).status_code == 200 for link in links)
    # The unit list shows the letter quota, not the statistics one.
    listing = client.get("/tai-khoan/quan-tri/").content.decode()
    assert "Định mức tài khoản thống kê" not in listing and "Định mức tài khoản đơn thư" in listing


def test_statistics_admin_sees_no_letter_grants_and_no_link_to_itself(org_tree: Tree, hanoi: dict[str, User]) -> None:
    admin = hanoi["hn.quantri"]
    client = signed_in(admin)
    html = client.get(f"/tai-khoan/quan-tri/don-vi/{org_tree.province.pk}/").content.decode()
    assert "Người hn.thongke" in html and "Người hn.kyluat" in html
    assert "Người hn.donthu1" not in html and "Định mức tài khoản đơn thư" not in html
    assert f"/tai-khoan/quan-tri/nguoi-dung/{admin.pk}/" not in html  # its own name is not a link to a 404
    assert "Người hn.quantri" in html
    links = _links(html)
    assert len(links) == 2 and all(client.get(link).status_code == 200 for link in links)
    # Its own grant carries no revoke button: two buttons, for the statistician and the discipline editor.
    assert html.count(">Thu hồi</button>") == 2


def test_revoking_another_modules_grant_is_refused(org_tree: Tree, hanoi: dict[str, User]) -> None:
    letter_grant = hanoi["hn.donthu1"].grants.get()
    response = signed_in(hanoi["hn.quantri"]).post(
        f"/tai-khoan/quan-tri/phan-quyen/{letter_grant.pk}/thu-hoi/", {"document_ref": "QĐ 1"}
    )
    assert response.status_code == 403
    letter_grant.refresh_from_db()
    assert letter_grant.active


def test_person_page_shows_only_the_viewers_module_grants(org_tree: Tree, hanoi: dict[str, User]) -> None:
    both = make_person("hn.hai", unit=org_tree.province)
    give(both, org_tree.province, Role.USER)
    give(both, org_tree.province, Role.VIEWER)
    html = signed_in(hanoi["vp.quantri.donthu"]).get(f"/tai-khoan/quan-tri/nguoi-dung/{both.pk}/").content.decode()
    assert "Người dùng" in html and "Tra cứu</td>" not in html


def test_discipline_admin_reaches_the_unit_list_and_sees_only_discipline_grants(
    org_tree: Tree, hanoi: dict[str, User]
) -> None:
    discipline_admin = make_person("tw.kyluat", unit=org_tree.centre)
    give(discipline_admin, org_tree.centre, Role.DISCIPLINE_ADMIN)
    client = signed_in(discipline_admin)
    assert client.get("/tai-khoan/quan-tri/").status_code == 200
    html = client.get(f"/tai-khoan/quan-tri/don-vi/{org_tree.province.pk}/").content.decode()
    assert "Người hn.kyluat" in html
    for hidden in ("Người hn.quantri", "Người hn.thongke", "Người hn.donthu1"):
        assert hidden not in html
    assert "Định mức tài khoản thống kê" not in html and "Định mức tài khoản đơn thư" not in html
