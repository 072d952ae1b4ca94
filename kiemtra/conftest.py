"""Factories shared by every app's tests: units from the real tree shape, people with grants."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from django.test import Client

from kiemtra.accounts.models import RoleGrant, User
from kiemtra.orgs import tree
from kiemtra.orgs.choices import DepartmentRole, UnitKind
from kiemtra.orgs.models import OrgUnit, RegionalAssignment

_seq = itertools.count(1)
DAY = dt.date(2025, 7, 1)


def make_unit(
    kind: str, parent: OrgUnit | None = None, *, code: str | None = None, role: str = "", name: str | None = None
) -> OrgUnit:
    n = next(_seq)
    unit = OrgUnit.objects.create(
        code=code or f"U{n}", name=name or f"Đơn vị {n}", kind=kind, department_role=role, parent=parent, valid_from=DAY
    )
    tree.refresh_subtree(unit)
    return unit


TEST_PASSWORD = "Mat-khau-thu-1"  # noqa: S105


def make_person(code: str | None = None, *, unit: OrgUnit | None = None, password: str = TEST_PASSWORD) -> User:
    user = User.objects.create_user(code or f"nguoi{next(_seq)}", password, full_name="Nguyễn Văn Thử", home_unit=unit)
    user.must_change_password = False
    user.save()
    return user


def give(person: User, unit: OrgUnit, role: str) -> RoleGrant:
    """A grant written directly: test set-up, not the behaviour under test."""
    from kiemtra.accounts.choices import ROLE_MODULE

    grant = RoleGrant.objects.create(person=person, unit=unit, module=ROLE_MODULE[role], role=role, document_ref="Test")
    from kiemtra.accounts import policies

    policies.forget(person)
    return grant


class Tree:
    """A small tree with every relation the permission matrix needs."""

    def __init__(self) -> None:
        self.centre = make_unit(UnitKind.CENTRAL, code="UBKTTW")
        self.general_affairs = make_unit(
            UnitKind.DEPARTMENT, self.centre, code="VTH", role=DepartmentRole.GENERAL_AFFAIRS
        )
        self.office = make_unit(UnitKind.DEPARTMENT, self.centre, code="VP", role=DepartmentRole.OFFICE)
        self.training = make_unit(UnitKind.DEPARTMENT, self.centre, code="VNC", role=DepartmentRole.TRAINING)
        self.regional = make_unit(UnitKind.DEPARTMENT, self.centre, code="VDB1", role=DepartmentRole.REGIONAL)
        self.province = make_unit(UnitKind.PROVINCIAL, self.centre, code="T01", name="UBKT Thành ủy Hà Nội")
        self.commune = make_unit(UnitKind.COMMUNE, self.province, code="X00004", name="UBKT Đảng ủy phường Ba Đình")
        self.sibling_commune = make_unit(UnitKind.COMMUNE, self.province, code="X00008")
        self.other_province = make_unit(UnitKind.PROVINCIAL, self.centre, code="T79")
        self.other_commune = make_unit(UnitKind.COMMUNE, self.other_province, code="X26734")
        RegionalAssignment.objects.create(department=self.regional, province=self.province, valid_from=DAY)


@pytest.fixture
def org_tree(db: None) -> Tree:
    return Tree()


@pytest.fixture
def person_with() -> Callable[..., User]:
    def factory(unit: OrgUnit, *roles: str, code: str | None = None) -> User:
        person = make_person(code, unit=unit)
        for role in roles:
            give(person, unit, role)
        return person

    return factory


def signed_in(person: User) -> Client:
    """A test client with ``person`` signed in (the sign-in flow itself is tested in test_signin)."""
    client = Client()
    client.force_login(person)
    return client
