"""The programme, board and overdue pages: the upper commission sees its subordinates', another province nothing;
only the leadership approves; bad input is a 4xx."""

from __future__ import annotations

import datetime as dt

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree, signed_in

from ..choices import CaseKind, SubjectKind
from ..models import Programme
from ..services import followup, programmes
from .factories import case_with_team, person

pytestmark = pytest.mark.django_db


def _draft(unit, officer) -> Programme:
    item = programmes.ItemInput(
        CaseKind.REGULAR_SUPERVISION,
        SubjectKind.ORGANISATION,
        "Chi bộ khu phố 2",
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    )
    return programmes.draft_programme(officer, unit, 2026, [item])


def test_the_upper_commission_sees_its_subordinates_programmes_and_approves_only_its_own(org_tree: Tree) -> None:
    commune_officer = person(org_tree.commune, Role.CASE_OFFICER)
    programme = _draft(org_tree.commune, commune_officer)
    upper = person(org_tree.province, Role.CASE_LEADERSHIP)
    page = signed_in(upper).get("/kiem-tra/chuong-trinh/?nam=2026").content.decode()
    assert "Chi bộ khu phố 2" in page and "Phê duyệt chương trình" not in page
    assert signed_in(upper).post(f"/kiem-tra/chuong-trinh/{programme.pk}/phe-duyet/").status_code == 403
    other = person(org_tree.other_province, Role.CASE_LEADERSHIP)
    assert "Chi bộ khu phố 2" not in signed_in(other).get("/kiem-tra/chuong-trinh/?nam=2026").content.decode()
    commune_lead = person(org_tree.commune, Role.CASE_LEADERSHIP)
    client = signed_in(commune_lead)
    assert "Phê duyệt chương trình" in client.get("/kiem-tra/chuong-trinh/?nam=2026").content.decode()
    assert client.post(f"/kiem-tra/chuong-trinh/{programme.pk}/phe-duyet/").status_code == 302
    assert client.post(f"/kiem-tra/chuong-trinh/{programme.pk}/phe-duyet/").status_code == 400  # already approved
    programme.refresh_from_db()
    assert programme.state == "approved"


def test_board_and_overdue_list_count_by_commission_within_scope(org_tree: Tree) -> None:
    lead = person(org_tree.commune, Role.CASE_LEADERSHIP)
    officer = person(org_tree.commune, Role.CASE_OFFICER)
    case = case_with_team(org_tree.commune, lead, officer, decision_date=dt.date(2025, 1, 6))
    followup.conclude(
        lead,
        case,
        violations_found=True,
        content="x",
        concluded_on=dt.date(2025, 2, 1),
        requests=[followup.RequestInput("Khắc phục", dt.date(2025, 3, 1))],
    )
    case_with_team(org_tree.commune, lead, officer, decision_date=dt.date(2025, 1, 6))  # open, its steps late
    upper = signed_in(person(org_tree.province, Role.CASE_VIEWER))
    board = upper.get("/kiem-tra/tien-do/?nam=2025").content.decode()
    assert org_tree.commune.name in board
    overdue = upper.get("/kiem-tra/qua-han/").content.decode()
    assert org_tree.commune.name in overdue
    provinces = overdue[overdue.index('data-testid="overdue-provinces"') : overdue.index('data-testid="overdue"')]
    assert org_tree.province.name in provinces  # the commune's overdue counted under its province
    other = signed_in(person(org_tree.other_province, Role.CASE_VIEWER))
    assert org_tree.commune.name not in other.get("/kiem-tra/qua-han/").content.decode()
    assert org_tree.commune.name not in other.get("/kiem-tra/tien-do/?nam=2025").content.decode()
    assert upper.get("/kiem-tra/tien-do/?nam=abc").status_code == 200
