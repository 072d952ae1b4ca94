"""Demo case files for ``make demo`` (issue 14): programmes, files at every stage, overdue follow-ups.

Hà Nội and Hồ Chí Minh City each get a case-files team (leadership, a team
leader, an officer, a viewer), an approved programme (Hà Nội's amended once),
and files at every stage — just opened, with steps under way (one late), concluded
with requests in follow-up (some overdue), carried out, closed — all through the
services. Ba Đình (a commune of Hà Nội) has one open file, which Hà Nội sees on
its board, and a draft programme waiting for its leadership; Hồ Chí Minh City an
amendment waiting for approval. Some files carry documents (found by the search
page), a concluded one waits for its discipline decision to be recorded, and Hà
Nội's case leadership, who also works on the letter register, finds an approved
letters proposal waiting to be opened as a case. Idempotent: nothing is added twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TextIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import RoleGrant, User
from kiemtra.accounts.services import grants, people
from kiemtra.orgs.loader import commune_unit_code, province_unit_code
from kiemtra.orgs.models import OrgUnit

from .choices import CaseKind, SubjectKind
from .models import CaseFile, Programme
from .services import archive, cases, documents, followup, from_letters, programmes

PEOPLE = {
    "01": [
        ("hn.kiemtra.lanhdao", "Nguyễn Văn Chủ", Role.CASE_LEADERSHIP, "Phó Chủ nhiệm UBKT Thành ủy Hà Nội"),
        ("hn.kiemtra.truongdoan", "Trần Văn Đoàn", Role.CASE_TEAM_LEADER, "Ủy viên UBKT Thành ủy Hà Nội"),
        ("hn.kiemtra.canbo", "Lê Thị Kiểm", Role.CASE_OFFICER, "Chuyên viên UBKT Thành ủy Hà Nội"),
        ("hn.kiemtra.theodoi", "Phạm Văn Dõi", Role.CASE_VIEWER, "Chuyên viên UBKT Thành ủy Hà Nội"),
    ],
    "79": [
        ("hcm.kiemtra.lanhdao", "Võ Văn Nam", Role.CASE_LEADERSHIP, "Phó Chủ nhiệm UBKT Thành ủy TP. Hồ Chí Minh"),
        ("hcm.kiemtra.truongdoan", "Huỳnh Thị Sen", Role.CASE_TEAM_LEADER, "Ủy viên UBKT Thành ủy TP. Hồ Chí Minh"),
        ("hcm.kiemtra.canbo", "Đặng Văn Sài", Role.CASE_OFFICER, "Chuyên viên UBKT Thành ủy TP. Hồ Chí Minh"),
    ],
}
COMMUNE_PEOPLE = [
    ("badinh.kiemtra.lanhdao", "Ngô Văn Phường", Role.CASE_LEADERSHIP, "Chủ nhiệm UBKT Đảng ủy phường Ba Đình"),
    ("badinh.kiemtra.canbo", "Dương Thị Xuân", Role.CASE_OFFICER, "Cán bộ UBKT Đảng ủy phường Ba Đình"),
]
SUBJECTS = [
    (CaseKind.INSPECTION_MEMBER, SubjectKind.MEMBER, "Đồng chí Nguyễn Văn Hùng, Giám đốc Sở"),
    (CaseKind.INSPECTION_ORGANISATION, SubjectKind.ORGANISATION, "Ban Thường vụ Đảng ủy phường"),
    (CaseKind.INSPECTION_OF_INSPECTION, SubjectKind.ORGANISATION, "Ủy ban Kiểm tra Đảng ủy xã"),
    (CaseKind.FINANCE, SubjectKind.ORGANISATION, "Văn phòng Thành ủy"),
    (CaseKind.THEMATIC_SUPERVISION, SubjectKind.ORGANISATION, "Đảng ủy Sở Xây dựng"),
    (CaseKind.REGULAR_SUPERVISION, SubjectKind.MEMBER, "Đồng chí Trần Thị Mai, Bí thư Đảng ủy xã"),
]


def _person(operator: User, unit: OrgUnit, code: str, name: str, role: str, position: str) -> User:
    person = User.objects.filter(identifier_code=code).first()
    if person is None:
        person, _ = people.create_account(
            operator,
            identifier_code=code,
            full_name=name,
            home_unit=unit,
            position=position,
            password=settings.DEMO_PASSWORD,
            document_ref="Demo",
        )
        person.must_change_password = False
        person.two_factor_exempt = True  # a demo account, like the others the demo prints
        person.save(update_fields=["must_change_password", "two_factor_exempt"])
    if not RoleGrant.objects.active().filter(person=person, unit=unit, role=role).exists():
        grants.grant_role(operator, person, unit, role, "Văn bản demo số 14/2026")
    return person


def _closer(lead: User, case: CaseFile) -> Callable[[], object]:
    return lambda: archive.close_case(lead, case)


def _team(operator: User, unit: OrgUnit, rows: Sequence[tuple[str, str, str, str]]) -> dict[str, User]:
    return {role: _person(operator, unit, code, name, role, position) for code, name, role, position in rows}


def _commission(unit: OrgUnit, team: dict[str, User], prefix: str, today: dt.date, lower: OrgUnit | None) -> int:
    """``lower``: a commission below that carries out one request of each conclusion (it reports on its page)."""
    lead, leader, officer = team[Role.CASE_LEADERSHIP], team[Role.CASE_TEAM_LEADER], team[Role.CASE_OFFICER]
    year = today.year
    items = [
        programmes.ItemInput(kind, sk, name, dt.date(year, 1 + n, 5), dt.date(year, 3 + n, 28), "Ủy viên UBKT")
        for n, (kind, sk, name) in enumerate(SUBJECTS)
    ]
    programme = programmes.in_force(unit, year) or programmes.approve_programme(
        lead, programmes.draft_programme(officer, unit, year, items)
    )
    if prefix == "HN" and not Programme.objects.filter(unit=unit, year=year, version=2).exists():
        extra = programmes.ItemInput(
            CaseKind.INSPECTION_MEMBER,
            SubjectKind.MEMBER,
            "Đồng chí Lê Văn Tâm",
            dt.date(year, 9, 1),
            dt.date(year, 11, 30),
        )
        keys = [i.key for i in programme.items.all()]
        amended = programmes.amend_programme(officer, programme, [*items, extra], "Bổ sung theo chỉ đạo", keys)
        programme = programmes.approve_programme(lead, amended)
    made = 0
    plan_items = list(programme.items.all())
    # Stage by stage: opened today; under way; late; concluded with overdue requests; carried out; closed.
    stages = ["opened", "under_way", "late", "follow_up", "overdue", "carried_out", "closed", "backlog_like"]
    for n, stage in enumerate(stages):
        number = f"{n + 1:02d}-QĐ/UBKT-{prefix}-{year}"
        if CaseFile.objects.filter(unit=unit, decision_number=number).exists():
            continue
        kind, subject_kind, subject = SUBJECTS[n % len(SUBJECTS)]
        age = {"opened": 0, "under_way": 20, "late": 90, "follow_up": 120, "overdue": 150}.get(stage, 200)
        decided = cases.workdays.current().next_working_day(today - dt.timedelta(days=age)) if age else today
        decided = min(decided, today)
        item = plan_items[n % len(plan_items)] if n < len(plan_items) else None
        opening = cases.Opening(
            kind=item.kind if item else kind,
            subject_kind=item.subject_kind if item else subject_kind,
            subject_name=item.subject_name if item else subject,
            decision_number=number,
            decision_date=decided,
            signer=lead.full_name,
        )
        case = cases.open_case(lead, unit, opening, item=item)
        cases.set_team(lead, case, leader, [officer])
        made += 1
        if stage in DOCUMENTS:
            title, text = DOCUMENTS[stage]
            documents.store(officer, case, title, f"{stage}.pdf", _pdf(title, text))
        steps = list(case.steps.order_by("order"))
        if stage in ("under_way", "late"):
            done = 2 if stage == "under_way" else 1
            for step in steps[:done]:
                if step.planned_end <= today:
                    cases.record_step(officer, step, started=step.planned_start, finished=step.planned_end)
            continue
        if stage == "opened":
            continue
        for step in steps:
            if step.planned_end <= today:
                cases.record_step(officer, step, started=step.planned_start, finished=step.planned_end)
        concluded_on = min(today, decided + dt.timedelta(days=60))
        due_past = concluded_on + dt.timedelta(days=20)
        requests = [
            followup.RequestInput(
                "Tổ chức kiểm điểm, rút kinh nghiệm",
                min(due_past, today - dt.timedelta(days=5)) if stage == "overdue" else today + dt.timedelta(days=30),
            ),
            followup.RequestInput("Khắc phục sai phạm về tài chính", today + dt.timedelta(days=45), lower),
        ]
        violations = stage != "closed"
        conclusion = followup.conclude(
            lead,
            case,
            violations_found=violations,
            content="Đoàn kiểm tra đã làm rõ các nội dung theo quyết định.",
            concluded_on=concluded_on,
            # "carried_out" has its decision recorded below; "follow_up" waits for the leadership to record it.
            discipline_required=violations and stage in ("carried_out", "follow_up"),
            requests=requests if violations else [],
            categories=["Tài chính, ngân hàng, đầu tư công, xây dựng cơ bản"] if violations else [],
        )
        if stage in ("carried_out", "backlog_like"):
            for request in conclusion.requests.all():
                followup.report_done(officer, request, "Đã thực hiện, có biên bản kèm theo")
                followup.verify(lead, request, accepted=True)
        if stage == "carried_out" and conclusion.discipline_required:
            followup.record_discipline(
                lead, conclusion, number=f"K{n}-QĐ/UBKT-{prefix}", issued_on=concluded_on, penalty="reprimand"
            )
        if stage in ("closed", "backlog_like"):
            transaction.on_commit(_closer(lead, case))  # rendering outside the load's lock
        if stage == "follow_up":
            first = conclusion.requests.order_by("pk").first()
            if first is not None:
                followup.report_done(officer, first, "Đã báo cáo kết quả khắc phục")
    return made


DOCUMENTS = {
    "under_way": ("Biên bản làm việc với đối tượng", "Đoàn kiểm tra làm việc về việc quản lý đất đai tại phường."),
    "follow_up": ("Báo cáo kết quả xác minh", "Xác minh việc chi sai chế độ và quản lý đất đai công."),
    "closed": ("Báo cáo giải trình", "Giải trình của đối tượng về các nội dung kiểm tra tài chính."),
}


def _pdf(title: str, text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<h1>{title}</h1><p>{text}</p>").write_pdf()


def _draft_programmes(unit: OrgUnit, officer: User, today: dt.date) -> None:
    """A draft waiting for its leadership: Ba Đình's programme of the year."""
    year = today.year
    if Programme.objects.filter(unit=unit, year=year).exists():
        return
    items = [
        programmes.ItemInput(
            CaseKind.REGULAR_SUPERVISION,
            SubjectKind.ORGANISATION,
            "Chi bộ khu phố 1",
            dt.date(year, 1, 15),
            dt.date(year, 12, 31),
            "Chủ nhiệm UBKT",
        ),
        programmes.ItemInput(
            CaseKind.FINANCE,
            SubjectKind.ORGANISATION,
            "Văn phòng Đảng ủy phường",
            dt.date(year, 3, 1),
            dt.date(year, 12, 31),
        ),
    ]
    programmes.draft_programme(officer, unit, year, items)


def _amendment_waiting(unit: OrgUnit, officer: User, today: dt.date) -> None:
    """An amendment of Hồ Chí Minh City's programme, drafted, waiting for approval."""
    programme = programmes.in_force(unit, today.year)
    if programme is None or Programme.objects.filter(unit=unit, year=today.year, state="draft").exists():
        return
    current = list(programme.items.all())
    items = [
        programmes.ItemInput(i.kind, i.subject_kind, i.subject_name, i.planned_start, i.planned_end, i.lead)
        for i in current
    ]
    extra = programmes.ItemInput(
        CaseKind.THEMATIC_SUPERVISION,
        SubjectKind.ORGANISATION,
        "Đảng ủy Sở Tài nguyên và Môi trường",
        dt.date(today.year, 10, 1),
        dt.date(today.year, 12, 31),
    )
    programmes.amend_programme(
        officer, programme, [*items, extra], "Bổ sung giám sát chuyên đề", [i.key for i in current]
    )


def _proposal_waiting(unit: OrgUnit, lead: User) -> int:
    """Hà Nội's case leadership works on the letter register too, to take approved proposals over (letters'
    ``take_over`` asks it); the letters demo approves one — if none waits, one more is drafted and approved the
    way the letters module does it (its leader for letters approves)."""
    from kiemtra.letters.choices import Kind, ProposalTarget
    from kiemtra.letters.models import Leader, Letter
    from kiemtra.letters.services import proposals

    if not RoleGrant.objects.active().filter(person=lead, unit=unit, role=Role.USER).exists():
        # A letters role is the letters' admin's to give (Quy định 06 Art. 2.8), not the system admin's.
        admin = RoleGrant.objects.active().filter(role=Role.NATIONAL_ADMIN).select_related("person").first()
        if admin is None:
            return 0
        grants.grant_role(admin.person, lead, unit, Role.USER, "Văn bản demo số 14/2026")
        lead = User.objects.get(pk=lead.pk)  # its grants are read once per object: read them again
    if from_letters.waiting(unit).exists():
        return from_letters.waiting(unit).count()
    leader = Leader.objects.filter(unit=unit, active=True).select_related("person").first()
    grounds = list(Letter.objects.filter(holding_unit=unit, kind=Kind.DENUNCIATION).order_by("pk")[:2])
    if leader is None or not grounds:
        return 0
    proposal = proposals.draft(
        lead,
        unit,
        target_kind=ProposalTarget.MEMBER,
        target_name="Đồng chí Hoàng Văn Mạnh, Chủ tịch UBND phường (demo)",
        grounds="Hai đơn tố cáo cùng nội dung về cấp phép xây dựng (demo).",
        letters=grounds,
    )
    proposals.decide(leader.person, proposal, approve=True)
    return 1


def seed(stdout: TextIO) -> None:
    # The system admin sets up the case roles, as in a real installation (no superuser is needed).
    operator = User.objects.filter(identifier_code="tw.quantri").first()
    if operator is None:
        stdout.write("Hồ sơ kiểm tra demo: chưa có tài khoản quản trị hệ thống tw.quantri.\n")
        return
    today = timezone.localdate()
    made = 0
    waiting = 0
    commune = OrgUnit.objects.filter(code=commune_unit_code("00004")).first()
    for province_code, prefix in (("01", "HN"), ("79", "HCM")):
        unit = OrgUnit.objects.filter(code=province_unit_code(province_code)).first()
        if unit is None:
            continue
        with transaction.atomic():
            team = _team(operator, unit, PEOPLE[province_code])
            made += _commission(unit, team, prefix, today, commune if prefix == "HN" else None)
            if prefix == "HCM":
                _amendment_waiting(unit, team[Role.CASE_OFFICER], today)
            else:
                waiting = _proposal_waiting(unit, team[Role.CASE_LEADERSHIP])
    if commune is not None and not CaseFile.objects.filter(unit=commune).exists():
        with transaction.atomic():
            team = _team(operator, commune, COMMUNE_PEOPLE)
            lead, officer = team[Role.CASE_LEADERSHIP], team[Role.CASE_OFFICER]
            case = cases.open_case(
                lead,
                commune,
                cases.Opening(
                    CaseKind.REGULAR_SUPERVISION,
                    SubjectKind.ORGANISATION,
                    "Chi bộ khu phố 3",
                    "01-QĐ/UBKT-BD",
                    today,
                    lead.full_name,
                ),
            )
            cases.set_team(lead, case, officer, [])
            made += 1
    if commune is not None:
        with transaction.atomic():
            team = _team(operator, commune, COMMUNE_PEOPLE)
            _draft_programmes(commune, team[Role.CASE_OFFICER], today)
    overdue = followup.overdue(today).count()
    stdout.write(
        f"Hồ sơ kiểm tra demo: {made} hồ sơ mới, {overdue} yêu cầu quá hạn, {waiting} đề nghị từ đơn thư chờ mở.\n"
    )
    people_rows = [row for rows in PEOPLE.values() for row in rows] + list(COMMUNE_PEOPLE)
    width = max(len(code) for code, *_ in people_rows)
    stdout.write("Tài khoản hồ sơ kiểm tra, giám sát (cùng mật khẩu trình diễn):\n")
    for code, name, role, position in people_rows:
        stdout.write(f"  {code:<{width}}  {Role(role).label}: {name}, {position}\n")
