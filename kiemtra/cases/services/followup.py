"""The structured conclusion and its follow-up until every request is verified (issue 14 items 5–6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies as account_policies
from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import RoleGrant
from kiemtra.audit import services as audit
from kiemtra.core import events
from kiemtra.core.errors import DomainError
from kiemtra.orgs.models import OrgUnit

from ..choices import CaseState, RequestState
from ..models import CaseFile, Conclusion, RemedialRequest, RequestReport
from . import documents
from .cases import case_url, leadership_of

REMIND_BEFORE_DAYS = 5  # configuration, not a regulation's figure
ESCALATE_AFTER_DAYS = 10  # overdue this long: to the upper commission


@dataclass(frozen=True)
class RequestInput:
    text: str
    due: dt.date
    responsible_unit: OrgUnit | None = None


@transaction.atomic
def conclude(
    actor: Any,
    case: CaseFile,
    *,
    violations_found: bool,
    content: str,
    concluded_on: dt.date,
    categories: list[str] | None = None,
    responsibility: str = "",
    discipline_required: bool = False,
    penalty: str = "",
    measures: str = "",
    requests: list[RequestInput] | None = None,
    notice_number: str = "",
    shortcomings: bool = False,
) -> Conclusion:
    """The leadership approves the conclusion; each request becomes a task with a due date."""
    account_policies.require(actor, "cases.case.manage", case)
    case = CaseFile.objects.select_for_update().get(pk=case.pk)
    if case.state != CaseState.OPEN:
        raise DomainError(_("Hồ sơ đã có kết luận."), code="state")
    if not content.strip():
        raise DomainError(_("Phải ghi nội dung kết luận."), code="content")
    if discipline_required and not violations_found:
        raise DomainError(_("Không có vi phạm thì không thể phải thi hành kỷ luật."), code="discipline_required")
    if concluded_on < case.decision_date:
        raise DomainError(_("Ngày kết luận phải sau ngày quyết định."), code="concluded_on")
    for r in requests or []:
        if not r.text.strip():
            raise DomainError(_("Phải ghi nội dung yêu cầu."), code="requests")
        if r.due < concluded_on:
            raise DomainError(_("Hạn thực hiện yêu cầu phải sau ngày kết luận."), code="due")
    conclusion = Conclusion.objects.create(
        case=case,
        violations_found=violations_found,
        shortcomings=shortcomings,
        violation_categories=list(categories or []),
        content=content.strip(),
        responsibility=responsibility,
        discipline_required=discipline_required,
        penalty=penalty,
        measures=measures,
        notice_number=notice_number,
        concluded_on=concluded_on,
        approved_by=actor,
    )
    RemedialRequest.objects.bulk_create(
        RemedialRequest(
            conclusion=conclusion, unit=case.unit, text=r.text.strip(), due=r.due, responsible_unit=r.responsible_unit
        )
        for r in requests or []
    )
    case.state = CaseState.CONCLUDED
    case.save(update_fields=["state"])
    audit.record(actor, "cases.case.concluded", case, unit=case.unit, violations=violations_found)
    return conclusion


def case_ref(case: CaseFile) -> str:
    return f"cases.case:{case.pk}"


@transaction.atomic
def record_discipline(
    actor: Any, conclusion: Conclusion, *, number: str, issued_on: dt.date, penalty: str, signer: str = ""
) -> Any:
    """Discipline decided: the discipline database gets the decision through its own service, linked both ways."""
    from kiemtra.discipline.choices import PenaltyCode
    from kiemtra.discipline.services.from_cases import record_from_case

    case = conclusion.case
    account_policies.require(actor, "cases.case.manage", case)
    conclusion = Conclusion.objects.select_for_update().get(pk=conclusion.pk)
    if penalty not in PenaltyCode.values:
        raise DomainError(_("Hình thức kỷ luật: chọn một hình thức trong danh sách."), code="penalty")
    if issued_on < conclusion.concluded_on or issued_on > timezone.localdate():
        raise DomainError(
            _("Ngày quyết định kỷ luật: từ ngày kết luận đến hôm nay."),
            code="issued_on",
        )
    if not conclusion.discipline_required:
        raise DomainError(_("Kết luận không yêu cầu thi hành kỷ luật."), code="discipline_required")
    if conclusion.discipline_decision_id:
        raise DomainError(_("Hồ sơ đã có quyết định kỷ luật."), code="discipline_recorded")
    decision = record_from_case(
        actor,
        case.unit,
        {
            "number": number,
            "issued_on": issued_on.isoformat(),
            "issuing_body": case.unit.name,
            "subject_type": "organization" if case.subject_kind == "organisation" else "member",
            "subject_name": case.subject_name,
            "penalty": penalty,
            "signer": signer,
            "violations": conclusion.content,
            "violation_categories": conclusion.violation_categories,
        },
        case_ref(case),
    )
    conclusion.discipline_decision_id = decision.pk
    conclusion.penalty = penalty
    conclusion.save(update_fields=["discipline_decision_id", "penalty"])
    audit.record(actor, "cases.discipline.linked", case, unit=case.unit, decision=decision.pk)
    return decision


@transaction.atomic
def report_done(
    actor: Any,
    request: RemedialRequest,
    text: str,
    evidence: Any = None,
    *,
    evidence_file: tuple[str, bytes] | None = None,
) -> RequestReport:
    """The subject reports what it did; an evidence file is stored encrypted among the case's documents (the
    same checks of type and size as any document), read by the verifier like any document, each read audited."""
    account_policies.require(actor, "cases.request.report", request)
    request = RemedialRequest.objects.select_for_update().get(pk=request.pk)
    if request.state not in (RequestState.OPEN, RequestState.SENT_BACK):
        raise DomainError(_("Yêu cầu này không chờ báo cáo."), code="state")
    if not text.strip():
        raise DomainError(_("Phải ghi kết quả thực hiện."), code="text")
    if evidence_file is not None:
        filename, data = evidence_file
        title = _("Bằng chứng thực hiện yêu cầu số %(n)s") % {"n": request.pk}
        # The report's own policy was checked above: a lower commission's officer reports without working on the file.
        try:
            evidence = documents.store(actor, request.conclusion.case, title, filename, data, check_policy=False)
        except DomainError as problem:
            raise DomainError(_("Bằng chứng: %(problem)s") % {"problem": problem.message}, code="evidence") from None
    report = RequestReport.objects.create(request=request, text=text.strip(), evidence=evidence, reported_by=actor)
    request.state = RequestState.REPORTED
    request.save(update_fields=["state"])
    case = request.conclusion.case
    audit.record(actor, "cases.request.reported", case, unit=case.unit, request=request.pk)
    events.announce(
        "cases/request_reported",
        case.team.filter(role="leader").values_list("person_id", flat=True),
        _("Đối tượng đã báo cáo thực hiện yêu cầu của kết luận %(number)s") % {"number": case.decision_number},
        url=case_url(case),
        unit=case.unit,
    )
    return report


@transaction.atomic
def verify(actor: Any, request: RemedialRequest, *, accepted: bool, reason: str = "") -> RemedialRequest:
    """Verified, or sent back with a reason; the conclusion is carried out when every request is verified."""
    account_policies.require(actor, "cases.request.verify", request)
    request = RemedialRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != RequestState.REPORTED:
        raise DomainError(_("Chỉ xác minh được yêu cầu đã có báo cáo."), code="state")
    if not accepted and not reason.strip():
        raise DomainError(_("Phải ghi lý do trả lại."), code="reason")
    report = request.reports.order_by("-reported_at", "-pk").first()
    if report:
        report.outcome = "verified" if accepted else "sent_back"
        report.outcome_reason = reason.strip()
        report.save(update_fields=["outcome", "outcome_reason"])
    request.state = RequestState.VERIFIED if accepted else RequestState.SENT_BACK
    request.verified_at = timezone.now() if accepted else None
    request.save(update_fields=["state", "verified_at"])
    conclusion = request.conclusion
    case = conclusion.case
    audit.record(actor, "cases.request.verified" if accepted else "cases.request.sent_back", case, unit=case.unit)
    if accepted and not conclusion.requests.exclude(state=RequestState.VERIFIED).exists():
        conclusion.carried_out_at = timezone.now()
        conclusion.save(update_fields=["carried_out_at"])
        audit.record(actor, "cases.conclusion.carried_out", case, unit=case.unit)
    return request


def overdue(today: dt.date | None = None) -> QuerySet[RemedialRequest]:
    today = today or timezone.localdate()
    return RemedialRequest.objects.filter(due__lt=today).exclude(state=RequestState.VERIFIED)


def overdue_by_unit(scope: Any, today: dt.date | None = None, limit: int = 500) -> list[dict[str, Any]]:
    """Overdue requests and their conclusions counted by commission: one indexed pass over the open requests."""
    rows = list(
        scope.filter(overdue(today))
        .values("unit_id")
        .annotate(n=Count("pk"), conclusions=Count("conclusion_id", distinct=True))
        .order_by("-n", "unit_id")[:limit]
    )
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=[r["unit_id"] for r in rows])}
    for r in rows:
        r["unit"] = units[r["unit_id"]]
    return rows


def by_province(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same counts summed by province (a commune's commission counts under its province)."""
    totals: dict[int, dict[str, Any]] = {}
    for r in rows:
        parts = [int(p) for p in r["unit"].path.strip("/").split("/") if p]
        province_id = parts[1] if len(parts) > 1 else parts[0]
        entry = totals.setdefault(province_id, {"unit_id": province_id, "n": 0, "conclusions": 0})
        entry["n"] += r["n"]
        entry["conclusions"] += r["conclusions"]
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=totals)}
    out = [{**t, "unit": units[t["unit_id"]]} for t in totals.values() if t["unit_id"] in units]
    return sorted(out, key=lambda t: (-t["n"], t["unit"].name))


def remind_requests(today: dt.date | None = None) -> int:
    """Before the due date to the team; after it to the team, then the leadership, then the upper commission."""
    today = today or timezone.localdate()
    sent = 0
    open_requests = RemedialRequest.objects.exclude(state=RequestState.VERIFIED).select_related(
        "conclusion__case__unit"
    )
    for r in open_requests.filter(due__lte=today + dt.timedelta(days=REMIND_BEFORE_DAYS)).iterator():
        case = r.conclusion.case
        late = (today - r.due).days
        level = 1 if late <= 0 else 2 if late < 3 else 3 if late < ESCALATE_AFTER_DAYS else 4
        if level <= r.reminder_level:
            continue
        recipients: list[int] = list(case.team.values_list("person_id", flat=True))
        if level >= 3:
            recipients += leadership_of(case.unit)
        if level >= 4 and case.unit.parent is not None:
            recipients += leadership_of(case.unit.parent)
        with transaction.atomic():
            RemedialRequest.objects.filter(pk=r.pk).update(reminder_level=level)
            title = _("Yêu cầu của kết luận %(number)s: hạn %(due)s") % {
                "number": case.decision_number,
                "due": r.due.strftime("%d/%m/%Y"),
            }
            events.announce("cases/follow_up", recipients, title, url=case_url(case), unit=case.unit)
            if r.responsible_unit_id is not None:
                # The lower commission reports on the subject's behalf: its officers, on their own page.
                officers = RoleGrant.objects.active().filter(unit_id=r.responsible_unit_id, role=Role.CASE_OFFICER)
                officers = officers.exclude(person_id__in=recipients)
                events.announce(
                    "cases/follow_up",
                    officers.values_list("person_id", flat=True),
                    title,
                    url=reverse("cases:requests"),
                    unit=r.responsible_unit_id,
                )
        sent += 1
    return sent


def follow_up_opening(case: CaseFile, *, decision_number: str, decision_date: dt.date, signer: str) -> Any:
    """A follow-up inspection of the same subject, of the same kind: only the decision is typed."""
    from .cases import Opening

    return Opening(
        kind=case.kind,
        subject_kind=case.subject_kind,
        subject_name=case.subject_name,
        subject_unit=case.subject_unit,
        decision_number=decision_number,
        decision_date=decision_date,
        signer=signer,
        grounds=_("Kiểm tra lại việc thực hiện kết luận của hồ sơ %(number)s.") % {"number": case.decision_number},
    )


def open_follow_up(actor: Any, conclusion: Conclusion, opening: Any) -> CaseFile:
    """A follow-up inspection from a conclusion not carried out (issue 14 item 6)."""
    from .cases import open_case

    if conclusion.carried_out_at is not None:
        raise DomainError(_("Kết luận đã được thực hiện xong: không cần kiểm tra lại."), code="carried_out")
    from ..choices import CaseSource

    return open_case(actor, conclusion.case.unit, opening, source=CaseSource.FOLLOW_UP, follows_up=conclusion)
