"""Demo statistics: the demo form set, the current six-month period, and figures at every step of the chain.

Everything goes through the services, as a user would: values are saved by
the unit's statistician, forwarded, approved or returned by its approver, sent,
received or returned by the statistician of the unit above. The demo accounts
of ``kiemtra.shell.demo`` act where they exist (Hà Nội, phường Ba Đình, the
Centre); other units get accounts created by the system admin through the
account services (one statistician and one approver per unit, as the quotas
allow). Figures are pseudo-random but deterministic (seeded) and satisfy every
blocking rule. Idempotent: once the period exists, nothing is done again.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import RoleGrant, User
from kiemtra.accounts.services import grants, people
from kiemtra.core.errors import DomainError
from kiemtra.orgs.choices import DepartmentRole, UnitKind
from kiemtra.orgs.models import OrgUnit

from . import formsets
from .choices import CellType, PeriodType, ReportState
from .formsets import FormSet, FormSpec
from .grid import Cell, Grid
from .models import FormVersion, Report, ReportingPeriod
from .services import periods, reports

SEED = "kiemtra-demo-thong-ke"
DOCUMENT = "Văn bản demo số 02/2026"
# Provinces whose communes get figures, with how many communes each (the first ones by code).
PROVINCES = {"T01": 20, "T79": 20, "T46": 20}  # Hà Nội, Thành phố Hồ Chí Minh, Thành phố Huế
# Party committees directly under the Centre (no communes): they file straight to the Centre.
PARTY_COMMITTEES = ("DU.QH", "DU.CP")
BA_DINH = "X00004"

EMPTY, DRAFT, PENDING, RETURNED, APPROVED, SUBMITTED, RECEIVED, RETURNED_FROM_ABOVE = (
    "empty",
    "draft",
    "pending",
    "returned",
    "approved",
    "submitted",
    "received",
    "returned_from_above",
)
ON_BEHALF = "on_behalf"  # Art. 6.1: the province enters a commune's figures that cannot connect
# How far a commune has got; a commune that has only started needs no approver yet.
COMMUNE_PROFILES = {
    ON_BEHALF: 2,
    "started": 3,
    "full": 5,
}
PROFILE_STAGES = {
    "started": {EMPTY: 3, DRAFT: 5, PENDING: 3},
    "full": {
        EMPTY: 6,
        DRAFT: 12,
        PENDING: 14,
        RETURNED: 9,
        APPROVED: 10,
        SUBMITTED: 16,
        RECEIVED: 26,
        RETURNED_FROM_ABOVE: 5,
    },
}
COMMITTEE_STAGES = {DRAFT: 2, PENDING: 2, RETURNED: 1, APPROVED: 2, SUBMITTED: 3, RECEIVED: 4}
# The first party committee shows the Centre both sides: reports received, and one waiting to be received.
FIRST_COMMITTEE_STAGES = {"01": RECEIVED, "02": RECEIVED, "05": SUBMITTED, "12": PENDING}
# Phường Ba Đình (the demo accounts badinh.*): one report in each visible state.
BA_DINH_STAGES = {
    "01": RECEIVED,
    "02": PENDING,
    "03": RETURNED,
    "04": APPROVED,
    "05": SUBMITTED,
    "06": RETURNED_FROM_ABOVE,
    "07": DRAFT,
    "08": DRAFT,
    "09": RECEIVED,
    "10": PENDING,
    "11": SUBMITTED,
    "12": DRAFT,
}
RETURN_REASONS = [
    "Số liệu dòng Đảng ủy cơ sở chưa khớp với sổ theo dõi, đề nghị rà soát lại.",
    "Thiếu số liệu theo nội dung vi phạm, đề nghị bổ sung trước khi trình.",
    "Đề nghị kiểm tra lại số đơn vị, số người có vi phạm.",
]
RETURN_FROM_ABOVE_REASONS = [
    "Tổng số chưa khớp với báo cáo tháng đã gửi, đề nghị đơn vị rà soát và gửi lại.",
    "Đề nghị bổ sung số liệu của các chi bộ trực thuộc.",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Thanh", "Quang", "Ngọc"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan", "Long", "Mai", "Nam", "Phúc"]
NOTES = ["Đã chuyển hồ sơ sang cơ quan điều tra.", "Đơn vị đã khắc phục xong.", "Đang tiếp tục thu hồi."]


# --- figures -----------------------------------------------------------------------------


def seeded(*key: str) -> random.Random:
    """The same figures on every run: a generator seeded by what it is for."""
    return random.Random(":".join((SEED, *key)))  # noqa: S311 — demo figures, not secrets


Figures = dict[str, Any]  # column key → value, group → list of values


def split(r: random.Random, total: int, parts: int) -> list[int]:
    """A random composition of ``total`` into ``parts`` non-negative integers."""
    cuts = sorted(r.randint(0, total) for _cut in range(parts - 1))
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


def scatter(r: random.Random, total: int, parts: int) -> list[int]:
    """Each of ``total`` cases in one of ``parts`` categories (every count ≤ total)."""
    counts = [0] * parts
    for _case in range(total):
        counts[min(int(r.expovariate(0.4)), parts - 1) if r.random() < 0.5 else r.randrange(parts)] += 1
    return counts


def _money(r: random.Random, high: int) -> Decimal:
    return Decimal(r.randint(0, high * 100)) / 100


def _upto(r: random.Random, high: int) -> int:
    return r.randint(0, max(high, 0))


def _inspection_of_members(r: random.Random, n: int, spec: FormSpec) -> Figures:
    checked = _upto(r, n)
    violated = _upto(r, checked)
    to_discipline = _upto(r, violated)
    return {
        "kiem_tra": checked,
        "cap_uy": _upto(r, checked // 2),
        "co_vi_pham": violated,
        "phai_thkl": to_discipline,
        "da_thkl": _upto(r, to_discipline),
        "noi_dung": scatter(r, violated, len(spec.column_codes("noi_dung"))),
    }


def _inspection_of_organisations(r: random.Random, n: int, spec: FormSpec) -> Figures:
    checked = _upto(r, n // 2 + 1)
    violated = _upto(r, checked)
    to_discipline = _upto(r, violated)
    return {
        "kiem_tra": checked,
        "co_vi_pham": violated,
        "phai_thkl": to_discipline,
        "da_thkl": _upto(r, to_discipline),
        "noi_dung": scatter(r, violated, len(spec.column_codes("noi_dung"))),
    }


def _inspection_of_duties(r: random.Random, n: int, spec: FormSpec) -> Figures:
    good, short, violated = _upto(r, n), _upto(r, n // 2), _upto(r, n // 4)
    to_discipline = _upto(r, violated)
    return {
        "kiem_tra": good + short + violated,
        "tot": good,
        "thieu_sot": short,
        "vi_pham": violated,
        "phai_thkl": to_discipline,
        "da_thkl": _upto(r, to_discipline),
    }


def _supervision(r: random.Random, n: int, spec: FormSpec) -> Figures:
    organisations, members = _upto(r, n), _upto(r, 2 * n)
    signs = _upto(r, (organisations + members) // 4)
    return {
        "to_chuc": organisations,
        "dang_vien": members,
        "cap_uy": _upto(r, members // 2),
        "tot": _upto(r, organisations + members - signs),
        "dau_hieu": signs,
        "chuyen_kiem_tra": _upto(r, signs),
    }


def _discipline_of_members(r: random.Random, n: int, spec: FormSpec) -> Figures:
    penalties = [_upto(r, n // 2), _upto(r, n // 3), _upto(r, n // 6), _upto(r, n // 5)]
    total = sum(penalties)
    return {
        "hinh_thuc": penalties,
        "cap_uy": _upto(r, total // 3),
        "dinh_chi": _upto(r, total // 4),
        "phat_tu": _upto(r, min(total, 1)),
        "phap_luat_khac": _upto(r, total // 5),
        "hanh_chinh": _upto(r, total // 3),
        "noi_dung": scatter(r, total, len(spec.column_codes("noi_dung"))),
    }


def _discipline_of_organisations(r: random.Random, n: int, spec: FormSpec) -> Figures:
    penalties = [_upto(r, n // 4), _upto(r, n // 6), 0]
    return {
        "hinh_thuc": penalties,
        "noi_dung": scatter(r, sum(penalties), len(spec.column_codes("noi_dung"))),
    }


def _denunciations(r: random.Random, n: int, spec: FormSpec) -> Figures:
    received = _upto(r, n)
    due = _upto(r, received)
    settled = due - _upto(r, due // 3)
    right, wrong, unproven = split(r, settled, 3)
    violated = _upto(r, right)
    to_discipline = _upto(r, violated)
    return {
        "nhan": received,
        "phai_giai_quyet": due,
        "da_giai_quyet": settled,
        "dung": right,
        "sai": wrong,
        "chua_du": unproven,
        "co_vi_pham": violated,
        "phai_thkl": to_discipline,
        "da_thkl": _upto(r, to_discipline),
    }


def _complaints(r: random.Random, n: int, spec: FormSpec) -> Figures:
    received = _upto(r, n // 3 + 1)
    competent = _upto(r, received)
    settled = _upto(r, competent)
    keep, up, down, cleared = split(r, settled, 4)
    reasons = split(r, up + down + cleared, 3)
    return {
        "nhan": received,
        "tham_quyen": competent,
        "da_giai_quyet": settled,
        "giu_nguyen": keep,
        "tang": up,
        "giam": down,
        "xoa": cleared,
        "ly_do_phuong_cham": reasons[0],
        "ly_do_xac_minh": reasons[1],
        "ly_do_khac": reasons[2],
    }


def _party_finance(r: random.Random, n: int, spec: FormSpec) -> Figures:
    budget, dues = _upto(r, n // 2), _upto(r, n)
    violated = _upto(r, (budget + dues) // 3)
    money = [_money(r, 800 * n) if violated else Decimal(0) for _code in spec.column_codes("tien")]
    total = sum(money, Decimal(0))
    cent = Decimal("0.01")
    recovered = (total * Decimal(r.uniform(0, 0.6))).quantize(cent, ROUND_DOWN)
    rebooked = ((total - recovered) * Decimal(r.uniform(0, 0.5))).quantize(cent, ROUND_DOWN)
    to_law = (total - recovered - rebooked).quantize(cent, ROUND_DOWN) if r.random() < 0.1 else Decimal(0)
    figures: Figures = {
        "dv_ngan_sach": budget,
        "dv_dang_phi": dues,
        "dv_vi_pham": violated,
        "tien": money,
        "xu_ly": [recovered, rebooked, to_law],
    }
    if violated and r.random() < 0.4:
        figures["ghi_chu"] = r.choice(NOTES)
    return figures


def _assets(r: random.Random, n: int, spec: FormSpec) -> Figures:
    due = _upto(r, 4 * n)
    declared = due - _upto(r, due // 20)
    verified = _upto(r, declared // 5)
    untruthful = _upto(r, verified // 4)
    return {
        "phai_ke_khai": due,
        "da_ke_khai": declared,
        "xac_minh": verified,
        "khong_trung_thuc": untruthful,
        "da_xu_ly": _upto(r, untruthful),
    }


def _letters(r: random.Random, n: int, spec: FormSpec) -> Figures:
    total = _upto(r, 2 * n)
    return {
        "loai": split(r, total, 4),
        "nguoi_gui": split(r, total, 3),
        "kenh": split(r, total, 4),
        "giau_ten": _upto(r, total // 3),
        "xu_ly": split(r, total, 4),
    }


Generator = Callable[[random.Random, int, FormSpec], Figures]
GENERATORS: dict[str, Generator] = {
    "01": _inspection_of_members,
    "02": _inspection_of_organisations,
    "03": _inspection_of_duties,
    "04": _supervision,
    "05": _discipline_of_members,
    "06": _discipline_of_organisations,
    "07": _denunciations,
    "08": _denunciations,
    "09": _complaints,
    "10": _party_finance,
    "11": _assets,
    "12": _letters,
}
SCALE = {UnitKind.COMMUNE: 6, UnitKind.PROVINCIAL: 14, UnitKind.CENTRAL: 18}


# --- people ------------------------------------------------------------------------------


def _system_admin() -> User:
    grant = (
        RoleGrant.objects.active()
        .filter(role=Role.SYSTEM_ADMIN, person__is_active=True)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if grant is not None:
        return grant.person
    superuser = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if superuser is None:
        raise DomainError(
            _("Chưa có tài khoản quản trị hệ thống: chạy lệnh kiemtra demo trước."), code="no_system_admin"
        )
    return superuser


class People:
    """The statistician and the approver of each unit: the existing holder, or a demo account made for it."""

    def __init__(self, sysadmin: User) -> None:
        self.sysadmin = sysadmin
        self.cache: dict[tuple[int, str], User] = {}
        self.created = 0
        self.general_affairs = OrgUnit.objects.get(department_role=DepartmentRole.GENERAL_AFFAIRS, valid_to=None)

    def statistician(self, unit: OrgUnit) -> User:
        return self._holder(unit, Role.STATISTICIAN, (Role.STATISTICIAN, Role.ADMIN_STATISTICIAN))

    def approver(self, unit: OrgUnit) -> User:
        return self._holder(unit, Role.APPROVER, (Role.APPROVER, Role.ADMIN_APPROVER))

    def _holder(self, unit: OrgUnit, role: str, roles: tuple[str, ...]) -> User:
        # Art. 3.2.b-c: the general affairs department's people act for the Central Commission.
        where = self.general_affairs if unit.kind == UnitKind.CENTRAL else unit
        key = (where.pk, role)
        if key not in self.cache:
            grant = (
                RoleGrant.objects.active()
                .filter(unit=where, role__in=roles, person__is_active=True)
                .select_related("person")
                .order_by("pk")
                .first()
            )
            self.cache[key] = grant.person if grant else self._create(where, role)
        return self.cache[key]

    def _create(self, unit: OrgUnit, role: str) -> User:
        from django.conf import settings

        r = seeded("person", unit.code, role)
        name = f"{r.choice(SURNAMES)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"
        suffix = "thongke" if role == Role.STATISTICIAN else "pheduyet"
        title = "Cán bộ thống kê" if role == Role.STATISTICIAN else "Lãnh đạo phê duyệt"
        person, _password = people.create_account(
            self.sysadmin,
            identifier_code=f"demo.{unit.code.lower()}.{suffix}",
            full_name=name,
            home_unit=unit,
            position=f"{title}, {unit.short_name or unit.name}",
            password=settings.DEMO_PASSWORD,
            document_ref=DOCUMENT,
        )
        person.must_change_password = False
        person.save(update_fields=["must_change_password"])
        grants.grant_role(self.sysadmin, person, unit, role, DOCUMENT)
        self.created += 1
        return person


# --- the run -----------------------------------------------------------------------------


@dataclass
class DemoSummary:
    period: str
    created: bool
    states: Counter[str] = field(default_factory=Counter)
    returned: int = 0
    on_behalf: int = 0
    accounts_created: int = 0

    def __str__(self) -> str:
        states = ", ".join(f"{ReportState(s).label}: {n}" for s, n in sorted(self.states.items()))
        head = "Đã nạp số liệu trình diễn" if self.created else "Số liệu trình diễn đã có sẵn"
        return (
            f"{head} — kỳ {self.period}; báo cáo có số liệu theo trạng thái: {states}; "
            f"bị trả lại: {self.returned}; cấp trên nhập thay: {self.on_behalf}; "
            f"tài khoản tạo thêm: {self.accounts_created}"
        )


def current_half_year(now: dt.datetime) -> tuple[str, str, dt.date, dt.date]:
    """(code, name, first day, last day) of the half-year containing ``now`` (local time)."""
    today = timezone.localtime(now).date()
    if today.month <= 6:
        return (
            f"{today.year}-H1",
            f"6 tháng đầu năm {today.year}",
            dt.date(today.year, 1, 1),
            dt.date(today.year, 6, 30),
        )
    return f"{today.year}-H2", f"6 tháng cuối năm {today.year}", dt.date(today.year, 7, 1), dt.date(today.year, 12, 31)


def _open_period(sysadmin: User, now: dt.datetime) -> ReportingPeriod:
    code, name, start, cutoff = current_half_year(now)
    # Art. 7.1: opened at the latest 15 days before the end of data collection.
    latest_opening = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.max)) - periods.opening_notice(cutoff)
    opens_at = min(now - dt.timedelta(hours=1), latest_opening)
    deadline = timezone.make_aware(dt.datetime.combine(cutoff + dt.timedelta(days=20), dt.time(17, 0)))
    latest: dict[str, FormVersion] = {}
    for version in FormVersion.objects.select_related("form").order_by("form__code", "-number"):
        if PeriodType.SIX_MONTHS in version.period_types:
            latest.setdefault(version.form.code, version)
    return periods.open_period(
        sysadmin,
        code=code,
        name=name,
        period_type=PeriodType.SIX_MONTHS,
        data_start=start,
        data_cutoff=cutoff,
        opens_at=opens_at,
        deadline=deadline,
        form_versions=list(latest.values()),
    )


class Filler:
    def __init__(self, period: ReportingPeriod, formset: FormSet, people_: People, now: dt.datetime) -> None:
        self.period, self.formset, self.people, self.now = period, formset, people_, now
        self.grids: dict[int, Grid] = {}
        self.reports: dict[tuple[int, str], Report] = {}

    def load_reports(self, units: list[OrgUnit]) -> None:
        for report in Report.objects.filter(period=self.period, unit__in=units).select_related(
            "unit__parent", "form_version__form", "period"
        ):
            self.reports[(report.unit_id, report.form_version.form.code)] = report

    def report(self, unit: OrgUnit, form_code: str) -> Report | None:
        return self.reports.get((unit.pk, form_code))

    def grid(self, report: Report) -> Grid:
        if report.form_version_id not in self.grids:
            self.grids[report.form_version_id] = Grid.of(report.form_version)
        return self.grids[report.form_version_id]

    def own_rows(self, spec: FormSpec, unit: OrgUnit) -> list[str]:
        catalog = self.formset.catalogs.get(spec.row_catalog)
        inputs = [r.code for r in spec.rows if not r.formula]
        if catalog is None or unit.quota_category not in catalog.levels:
            return inputs
        low, high = catalog.levels[unit.quota_category]
        return [code for code in inputs if code.isdigit() and low <= int(code) <= high]

    def figures(self, report: Report, rng: random.Random) -> dict[Cell, object]:
        """Own figures of the report's unit, row by row (the generators keep every blocking rule)."""
        code = report.form_version.form.code
        spec = self.formset.form(code)
        grid = self.grid(report)
        generate = GENERATORS[code]
        scale = SCALE.get(UnitKind(report.unit.kind), 6)
        changes: dict[Cell, object] = {}
        for row_code in self.own_rows(spec, report.unit):
            if rng.random() < 0.35:
                continue  # nothing at this level in this period
            row = grid.row_by_code.get(row_code)
            if row is None:
                continue
            for key, value in generate(rng, scale, spec).items():
                codes = spec.column_codes(key)
                values = value if isinstance(value, list) else [value]
                for column_code, v in zip(codes, values, strict=True):
                    column = grid.column_by_code.get(column_code)
                    if column is None or column.formula or (not v and column.cell_type != CellType.TEXT):
                        continue
                    changes[(row.pk, column.pk)] = str(v)
        return changes

    def run(self, report: Report, stage: str, *, on_behalf: bool = False) -> Report:
        """Take one report to ``stage`` the way its people would (``on_behalf``: entered by the unit above)."""
        if stage == EMPTY:
            return report
        unit = report.unit
        rng = seeded(unit.code, report.form_version.form.code, "values")
        if on_behalf:
            assert unit.parent is not None and stage == DRAFT
            entering = self.people.statistician(unit.parent)
        else:
            entering = statistician = self.people.statistician(unit)
        result = reports.save_values(
            entering, report, self.figures(report, rng), expected_revision=report.revision, now=self.now
        )
        report = result.report
        if stage == DRAFT:
            return report
        report = reports.forward_report(statistician, report)
        if stage == PENDING:
            return report
        approver = self.people.approver(unit)
        if stage == RETURNED:
            return reports.return_report(approver, report, rng.choice(RETURN_REASONS))
        report = reports.approve_report(approver, report)
        if stage == APPROVED:
            return report
        report = reports.send_report(approver, report)
        if stage == SUBMITTED:
            return report
        assert unit.parent is not None
        upper = self.people.statistician(unit.parent)
        report = reports.receive_report(upper, report)
        if stage == RECEIVED:
            return report
        return reports.return_from_above(upper, report, rng.choice(RETURN_FROM_ABOVE_REASONS))


def _pick(weights: dict[str, int], *key: str) -> str:
    return seeded("pick", *key).choices(list(weights), weights=list(weights.values()))[0]


@transaction.atomic
def load_demo_statistics(
    now: dt.datetime,
    *,
    communes_per_province: int | None = None,
    provinces: dict[str, int] | None = None,
    party_committees: tuple[str, ...] = PARTY_COMMITTEES,
) -> DemoSummary:
    """Idempotent: load the demo forms, open the current half-year, fill figures at every step of the chain.

    ``communes_per_province`` overrides the number of communes of every province in ``provinces``
    (the tests use a few to stay fast).
    """
    formsets.load_demo()
    formset = formsets.demo_formset()
    sysadmin = _system_admin()
    existing = ReportingPeriod.objects.filter(code=current_half_year(now)[0]).first()
    if existing is not None:
        return _summary(existing, created=False)
    period = _open_period(sysadmin, now)
    people_ = People(sysadmin)
    filler = Filler(period, formset, people_, now)
    form_codes = sorted(c for c in period.form_versions.values_list("form__code", flat=True) if c in GENERATORS)

    chosen: dict[OrgUnit, list[OrgUnit]] = {}
    for code, count in (provinces if provinces is not None else PROVINCES).items():
        province = OrgUnit.objects.filter(code=code, valid_to=None).first()
        if province is not None:
            limit = communes_per_province if communes_per_province is not None else count
            below = OrgUnit.objects.active_on(period.data_cutoff).filter(parent=province).order_by("code")
            chosen[province] = list(below[:limit])
    committees = sorted(
        OrgUnit.objects.filter(code__in=party_committees, valid_to=None), key=lambda u: party_committees.index(u.code)
    )
    centre = OrgUnit.objects.get(kind=UnitKind.CENTRAL, parent=None, valid_to=None)
    filler.load_reports([centre, *committees, *chosen, *(c for communes in chosen.values() for c in communes)])

    for province, communes in chosen.items():
        for commune in communes:
            profile = "full" if commune.code == BA_DINH else _pick(COMMUNE_PROFILES, commune.code)
            for form_code in form_codes:
                report = filler.report(commune, form_code)
                if report is None:
                    continue
                if commune.code == BA_DINH:
                    filler.run(report, BA_DINH_STAGES.get(form_code, DRAFT))
                elif profile == ON_BEHALF:
                    if _pick({"yes": 1, "no": 2}, commune.code, form_code) == "yes":
                        filler.run(report, DRAFT, on_behalf=True)
                else:
                    filler.run(report, _pick(PROFILE_STAGES[profile], commune.code, form_code))
        for form_code in form_codes:
            report = filler.report(province, form_code)
            if report is not None:
                filler.run(report, DRAFT)  # its own figures; it files up once every commune is received

    for index, committee in enumerate(committees):
        for form_code in form_codes:
            report = filler.report(committee, form_code)
            if report is None:
                continue
            stage = FIRST_COMMITTEE_STAGES.get(form_code) if index == 0 else None
            filler.run(report, stage or _pick(COMMITTEE_STAGES, committee.code, form_code))
    for form_code in ("01", "05"):
        report = filler.report(centre, form_code)
        if report is not None:
            filler.run(report, DRAFT)  # the Centre's own figures, waiting for the provinces
    summary = _summary(period, created=True)
    summary.accounts_created = people_.created
    return summary


def _summary(period: ReportingPeriod, *, created: bool) -> DemoSummary:
    touched = Report.objects.filter(period=period).exclude(state=ReportState.DRAFT, revision=0)
    return DemoSummary(
        period=period.code,
        created=created,
        states=Counter(touched.values_list("state", flat=True)),
        returned=touched.filter(state=ReportState.DRAFT).exclude(return_reason="").count(),
        on_behalf=touched.filter(entered_by_upper=True).count(),
    )
