"""Demo accounts for ``make demo``: one of each role the regulations define, on the real tree."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import RoleGrant, User
from kiemtra.accounts.services import grants, people
from kiemtra.discipline.demo import load_corpus, load_history
from kiemtra.orgs.loader import commune_unit_code, load_national_tree, province_unit_code
from kiemtra.orgs.models import OrgUnit
from kiemtra.stats.demo import load_demo_statistics

DEMO_PASSWORD: str = settings.DEMO_PASSWORD
OPERATOR = "vanhanh"


@dataclass(frozen=True)
class DemoAccount:
    identifier_code: str
    full_name: str
    unit_code: str
    role: str
    position: str


HANOI = province_unit_code("01")
BA_DINH = commune_unit_code("00004")
DEMO_ACCOUNTS = [
    DemoAccount("tw.quantri", "Nguyễn Văn Hệ", "UBKTTW.VTH", Role.SYSTEM_ADMIN, "Chuyên viên Vụ Tổng hợp"),
    DemoAccount("tw.pheduyet", "Trần Thị Duyệt", "UBKTTW.VTH", Role.APPROVER, "Phó Vụ trưởng Vụ Tổng hợp"),
    DemoAccount("tw.thongke", "Lê Văn Số", "UBKTTW.VTH", Role.STATISTICIAN, "Chuyên viên Vụ Tổng hợp"),
    DemoAccount("tw.diaban1", "Phạm Minh Địa", "UBKTTW.VDB1", Role.VIEWER, "Chuyên viên Vụ Địa bàn I"),
    DemoAccount("hn.quantri", "Hoàng Văn Trị", HANOI, Role.ADMIN, "Chuyên viên UBKT Thành ủy Hà Nội"),
    DemoAccount("hn.pheduyet", "Vũ Thị Lan", HANOI, Role.APPROVER, "Phó Chủ nhiệm UBKT Thành ủy Hà Nội"),
    DemoAccount("hn.thongke", "Đặng Văn Kê", HANOI, Role.STATISTICIAN, "Chuyên viên UBKT Thành ủy Hà Nội"),
    DemoAccount("hn.tracuu", "Bùi Thị Tra", HANOI, Role.VIEWER, "Trưởng phòng UBKT Thành ủy Hà Nội"),
    DemoAccount("badinh.quantri", "Đỗ Văn Quản", BA_DINH, Role.ADMIN, "Cán bộ UBKT Đảng ủy phường Ba Đình"),
    DemoAccount("badinh.pheduyet", "Ngô Thị Hòa", BA_DINH, Role.APPROVER, "Chủ nhiệm UBKT Đảng ủy phường Ba Đình"),
    DemoAccount("badinh.thongke", "Dương Văn Tính", BA_DINH, Role.STATISTICIAN, "Cán bộ UBKT Đảng ủy phường Ba Đình"),
    DemoAccount("vp.quantri.donthu", "Lý Thị Thư", "UBKTTW.VP", Role.NATIONAL_ADMIN, "Chuyên viên Văn phòng"),
    DemoAccount("hn.donthu1", "Mai Văn Đơn", HANOI, Role.USER, "Chuyên viên Phòng 1"),
    DemoAccount("hn.donthu2", "Trịnh Thị Thơ", HANOI, Role.USER, "Chuyên viên Phòng 2"),
    DemoAccount("hn.donthu3", "Hồ Văn Khiếu", HANOI, Role.USER, "Chuyên viên Phòng 3"),
    DemoAccount("hn.quanly.donthu", "Phan Văn Lãnh", HANOI, Role.USER_MANAGER, "Phó Chủ nhiệm Thường trực"),
    DemoAccount("tw.kyluat", "Nguyễn Thị Luật", "UBKTTW", Role.DISCIPLINE_ADMIN, "Chuyên viên Văn phòng"),
    DemoAccount("tw.kyluat.capnhat", "Trần Văn Soát", "UBKTTW", Role.DISCIPLINE_EDITOR, "Chuyên viên Vụ Tổng hợp"),
    DemoAccount("hn.kyluat", "Lê Thị Minh", HANOI, Role.DISCIPLINE_EDITOR, "Chuyên viên UBKT Thành ủy Hà Nội"),
    DemoAccount("hn.kyluat.tracuu", "Phạm Văn Tường", HANOI, Role.DISCIPLINE_VIEWER, "Trưởng phòng UBKT Thành ủy"),
    DemoAccount("badinh.kyluat", "Võ Thị Hạnh", BA_DINH, Role.DISCIPLINE_EDITOR, "Cán bộ UBKT Đảng ủy phường Ba Đình"),
    # The statistician also reads decisions: the page comparing forms 05/06 with the database needs both.
    DemoAccount("hn.thongke", "Đặng Văn Kê", HANOI, Role.DISCIPLINE_VIEWER, "Chuyên viên UBKT Thành ủy Hà Nội"),
]


@contextmanager
def _public_password_hashed_once() -> Iterator[None]:
    """Every demo account has the same published password: hash it once, not a hundred times.

    Argon2 at production cost is about 0.1 s of CPU per hash (more on a busy
    machine): the ~100 accounts of the demo spent most of ``kiemtra demo`` on it,
    protecting a password printed on the screen. Any other password is hashed as usual.
    """
    from django.contrib.auth import base_user, hashers

    encoded = hashers.make_password(DEMO_PASSWORD)
    original: Callable[..., str] = base_user.make_password  # type: ignore[attr-defined]

    def make_password(password: str | None, *args: Any, **kwargs: Any) -> str:
        if password == DEMO_PASSWORD and not args and not kwargs:
            return encoded
        return original(password, *args, **kwargs)

    base_user.make_password = make_password  # type: ignore[attr-defined]
    try:
        yield
    finally:
        base_user.make_password = original  # type: ignore[attr-defined]


def _granter(role: str, by_code: dict[str, User]) -> User:
    """Who grants a demo role: the admin of its module, as in a real installation."""
    if role in (Role.USER, Role.USER_MANAGER):
        return by_code["vp.quantri.donthu"]
    if role in (Role.DISCIPLINE_EDITOR, Role.DISCIPLINE_VIEWER):
        return by_code["tw.kyluat"]
    return by_code["tw.quantri"]


@transaction.atomic
def load_demo_accounts(*, with_superuser: bool = False) -> list[DemoAccount]:
    """Every demo account with its grant; the superuser ``vanhanh`` only when asked for (issue 8.13).

    The operator appoints the system admin and the letter admin (``bootstrap_grant``); they and the
    discipline admin grant the rest. Demo accounts sign in without the mandatory second factor.
    """
    if with_superuser and not User.objects.filter(identifier_code=OPERATOR).exists():
        User.objects.create_superuser(OPERATOR, DEMO_PASSWORD, full_name="Quản trị vận hành")
    by_code: dict[str, User] = {}
    for account in DEMO_ACCOUNTS:
        unit = OrgUnit.objects.get(code=account.unit_code)
        person = (
            by_code.get(account.identifier_code) or User.objects.filter(identifier_code=account.identifier_code).first()
        )
        if person is None:
            if "tw.quantri" in by_code:
                person, _ = people.create_account(
                    by_code["tw.quantri"],
                    identifier_code=account.identifier_code,
                    full_name=account.full_name,
                    home_unit=unit,
                    position=account.position,
                    password=DEMO_PASSWORD,
                    document_ref="Demo",
                )
            else:  # the first account, created at the command line as createsuperuser would
                person = User.objects.create_user(
                    account.identifier_code,
                    DEMO_PASSWORD,
                    full_name=account.full_name,
                    home_unit=unit,
                    position=account.position,
                )
            # Demo visitors skip the forced change and the second factor; real accounts never do.
            person.must_change_password = False
            person.two_factor_exempt = True
            person.save(update_fields=["must_change_password", "two_factor_exempt"])
        by_code[account.identifier_code] = person
        if not RoleGrant.objects.active().filter(person=person, unit=unit, role=account.role).exists():
            if account.role in grants.BOOTSTRAP_ROLES:
                grants.bootstrap_grant(person, unit, account.role, "Văn bản demo số 01/2025")
                continue
            granter = _granter(account.role, by_code)
            grant = grants.grant_role(granter, person, unit, account.role, "Văn bản demo số 01/2025")
            if account.role == Role.USER_MANAGER:
                for user_grant in RoleGrant.objects.active().filter(unit=unit, role=Role.USER):
                    grants.assign_managed_user(granter, grant, user_grant)
    return DEMO_ACCOUNTS


def load_demo(*, with_superuser: bool = False) -> list[DemoAccount]:
    """Idempotent: the tree, every demo account with its grant, the demo statistics and decisions."""
    with _public_password_hashed_once(), transaction.atomic():
        return _load_demo(with_superuser=with_superuser)


def _load_demo(*, with_superuser: bool) -> list[DemoAccount]:
    load_national_tree()
    load_demo_accounts(with_superuser=with_superuser)
    load_demo_statistics(timezone.now())
    # The accounts the statistics demo made for other units are demo accounts too.
    User.objects.filter(identifier_code__startswith="demo.").update(two_factor_exempt=True)
    centre_editor = User.objects.get(identifier_code="tw.kyluat.capnhat")
    load_history(centre_editor)
    load_corpus(centre_editor, OrgUnit.objects.get(code="UBKTTW"))
    return DEMO_ACCOUNTS
