"""Demo letters at every stage of handling (Letters II), for ``make demo``.

Loads the shipped holiday calendar (2025–2027), names Hà Nội's leader for
letters, and takes Hà Nội's registered letters through the stages: classified
and checked, kept as information, assigned (the clock running), suspended,
extended, concluded with a reply waiting for the leader, answered, referred to
a commission below, guided, and a proposal to inspect approved for the case
files; two letters linked as one matter with a proposal from it waiting for the
leader, and a data request to a commission below, answered (the forms 07/08/09/12
page compares the statistics demo's period with these letters). Idempotent:
nothing happens when a handling step exists.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.db import transaction

from kiemtra.accounts.models import User
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit
from kiemtra.workdays.models import CalendarDay
from kiemtra.workdays.services import load_shipped

from .choices import Finding, Kind, ProposalTarget, Status
from .models import HandlingStep, Leader, Letter
from .services import clock, follow, handling, identity, proposals, related, results


def _check(officer: User, letter: Letter) -> Letter:
    # A complaint about discipline needs the day the decision was received: a month before the letter.
    received = letter.received_on - dt.timedelta(days=20) if letter.kind == Kind.COMPLAINT else None
    letter = handling.classify(
        officer,
        letter,
        handling.Classification(
            kind=letter.kind, field_code=letter.field_code or "other", decision_received_on=received
        ),
    )
    return handling.check_eligibility(officer, letter, handling.EligibilityCheck())


@transaction.atomic
def advance(stdout: TextIO) -> None:
    if not CalendarDay.objects.exists():
        loaded = load_shipped("demo")
        stdout.write(f"Lịch nghỉ lễ, Tết 2025–2027: {loaded.created} ngày.\n")
    if HandlingStep.objects.exists():
        return
    officer = User.objects.filter(identifier_code="hn.donthu1").first()
    colleague = User.objects.filter(identifier_code="hn.donthu2").first()
    leader = User.objects.filter(identifier_code="hn.quanly.donthu").first()
    admin = User.objects.filter(identifier_code="vp.quantri.donthu").first()
    if not (officer and colleague and leader and admin):
        return
    hanoi = officer.home_unit
    if hanoi is None:
        return
    if not Leader.objects.filter(unit=hanoi, active=True).exists():
        identity.designate_leader(admin, hanoi, leader, "Quyết định demo số 07/2025")
    mine = list(Letter.objects.filter(holding_unit=hanoi, status=Status.REGISTERED).order_by("received_on", "pk"))
    below = OrgUnit.objects.filter(path__startswith=hanoi.path, kind=UnitKind.COMMUNE, valid_to__isnull=True).first()
    stages: dict[str, int] = {}
    for n, letter in enumerate(mine[:40]):
        letter = _check(officer, letter)
        if letter.status == Status.KEPT:
            stages["kept"] = stages.get("kept", 0) + 1
            continue
        stage = n % 8
        if stage == 1 and below is not None:
            handling.refer(officer, letter, below, "Người bị phản ánh do cấp ủy cơ sở quản lý (demo)")
        elif stage == 2:
            handling.guide(officer, letter, "Nội dung thuộc thẩm quyền của UBND cấp xã; đề nghị gửi đơn đến UBND.")
        else:
            letter = handling.assign(officer, letter, colleague)
            if stage == 3:
                clock.suspend(colleague, letter, "Chờ hồ sơ của cơ quan tài nguyên (demo)")
            elif stage == 4 and letter.time_limit and letter.time_limit.extension_days:
                clock.extend(colleague, letter, "Vụ việc phức tạp, cần xác minh thêm (demo)")
            elif stage in (5, 6):
                result = results.Result(
                    summary="Đã xác minh, làm việc với các bên liên quan (demo).",
                    finding=Finding.PARTLY_TRUE if letter.kind == Kind.DENUNCIATION else "",
                    complaint_outcome="kept" if letter.kind == Kind.COMPLAINT else "",
                    violations=1 if letter.kind == Kind.DENUNCIATION else 0,
                )
                letter = results.conclude(colleague, letter, result)
                code = {"denunciation": "denunciation-result", "complaint": "complaint-result"}
                letter = results.draft_reply(colleague, letter, code.get(str(letter.kind), "feedback-result"))
                if stage == 6:
                    results.approve_reply(leader, letter)
        stages[str(stage)] = stages.get(str(stage), 0) + 1
    grounds = [x for x in Letter.objects.filter(holding_unit=hanoi, kind=Kind.DENUNCIATION)[:2]]
    if grounds:
        proposal = proposals.draft(
            officer,
            hanoi,
            target_kind=ProposalTarget.ORGANISATION,
            target_name="Đảng ủy phường (demo)",
            grounds="Nhiều đơn phản ánh cùng nội dung về quản lý đất đai (demo).",
            letters=grounds,
        )
        proposals.decide(leader, proposal, approve=True)
    _matter_and_requests(officer, hanoi, below, stdout)
    stdout.write(f"Đơn thư demo qua các bước giải quyết: {len(mine[:40])} đơn của {hanoi.name}.\n")


def _matter_and_requests(officer: User, hanoi: OrgUnit, below: OrgUnit | None, stdout: TextIO) -> None:
    """A linked group handled as one matter, a proposal from it waiting for the leader, a data request."""
    pair = list(
        Letter.objects.filter(holding_unit=hanoi, kind=Kind.DENUNCIATION, matter__isnull=True).order_by("pk")[:2]
    )
    if len(pair) == 2:
        related.link(officer, pair[1], pair[0], "duplicate")
        proposals.draft(
            officer,
            hanoi,
            target_kind=ProposalTarget.MEMBER,
            target_name="Chủ tịch UBND phường (demo)",
            grounds="Hai đơn trùng nội dung tố cáo việc giao đất công (demo).",
            letters=pair,
        )
    if below is not None:
        today = dt.date.today()
        request = follow.request_data(
            officer, below, "Số liệu đơn thư 6 tháng (demo)", today.replace(month=1, day=1), today
        )
        lower = User.objects.filter(grants__unit=below, grants__role="user", grants__active=True).first()
        if lower is not None:
            follow.provide(lower, request)
    stdout.write("Đơn thư demo: một vụ việc hai đơn, một đề nghị chờ duyệt, một yêu cầu cung cấp dữ liệu.\n")
