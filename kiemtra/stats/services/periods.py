"""Opening, locking, extending and purging reporting periods (Quy định 11 Art. 6, 7; Kế hoạch: trial run)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

from ..choices import PeriodState, PeriodType, ReportState, RequestState
from ..models import Extension, FormVersion, Report, ReportingPeriod, ReportTransition, TrialPurge

# Art. 7.1: a new period opens at the latest 15 days before its data-collection time ends.
OPENING_NOTICE = dt.timedelta(days=15)
FINISHED = (ReportState.SUBMITTED, ReportState.RECEIVED)


@transaction.atomic
def open_period(
    actor: Any,
    *,
    code: str,
    name: str,
    period_type: str,
    data_start: dt.date,
    data_cutoff: dt.date,
    opens_at: dt.datetime,
    deadline: dt.datetime,
    form_versions: list[FormVersion],
    is_trial: bool = False,
    notice: str = "",
) -> ReportingPeriod:
    """Open a period and create the report of every unit that files each form."""
    policies.require(actor, "stats.configure")
    if ReportingPeriod.objects.filter(code=code).exists():
        raise DomainError(_("Mã kỳ %(c)s đã tồn tại.") % {"c": code}, code="period_exists")
    if deadline <= opens_at:
        raise DomainError(_("Thời hạn báo cáo phải sau thời điểm mở kỳ."), code="bad_deadline")
    cutoff_end = timezone.make_aware(dt.datetime.combine(data_cutoff, dt.time.max))
    if period_type != PeriodType.AD_HOC and opens_at > cutoff_end - OPENING_NOTICE:
        raise DomainError(
            _(
                "Theo Điều 7.1, kỳ báo cáo phải được mở chậm nhất 15 ngày trước thời điểm kết thúc lấy số liệu "
                "(%(d)s): mở muộn nhất ngày %(latest)s."
            )
            % {"d": data_cutoff.strftime("%d/%m/%Y"), "latest": (data_cutoff - OPENING_NOTICE).strftime("%d/%m/%Y")},
            code="opened_too_late",
        )
    if period_type == PeriodType.AD_HOC and not notice.strip():
        raise DomainError(_("Kỳ báo cáo đột xuất phải có thông báo gửi các đơn vị (Điều 7.4)."), code="notice_required")
    if not form_versions:
        raise DomainError(_("Chọn ít nhất một biểu báo cáo."), code="no_forms")
    period = ReportingPeriod.objects.create(
        code=code,
        name=name,
        period_type=period_type,
        data_start=data_start,
        data_cutoff=data_cutoff,
        opens_at=opens_at,
        deadline=deadline,
        is_trial=is_trial,
        notice=notice.strip(),
        opened_by=actor,
    )
    period.form_versions.set(form_versions)
    FormVersion.objects.filter(pk__in=[v.pk for v in form_versions]).update(frozen=True)
    units = list(OrgUnit.objects.active_on(data_cutoff))
    reports = [
        Report(unit=unit, period=period, form_version=version)
        for version in form_versions
        for unit in units
        if version.applies_to(unit)
    ]
    Report.objects.bulk_create(reports, batch_size=2000)
    audit.record(
        actor,
        "stats.period.opened",
        period,
        after={"code": code, "reports": len(reports), "trial": is_trial, "deadline": deadline.isoformat()},
    )
    return period


def _end_reports(reports: list[Report], actor: Any, now: dt.datetime) -> int:
    for report in reports:
        ReportTransition.objects.create(
            report=report, from_state=report.state, to_state=ReportState.ENDED, action="lock", actor=actor, at=now
        )
    return Report.objects.filter(pk__in=[r.pk for r in reports]).update(state=ReportState.ENDED)


@transaction.atomic
def lock_period(period: ReportingPeriod, now: dt.datetime | None = None, actor: Any = None) -> int:
    """Art. 7.3: at the deadline, unfinished reports become ended. Reopened reports keep their own deadline."""
    now = now or timezone.now()
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if now < period.deadline:
        raise DomainError(_("Chưa đến thời hạn báo cáo."), code="not_due")
    unfinished = list(
        Report.objects.filter(period=period)
        .exclude(state__in=(*FINISHED, ReportState.ENDED))
        .filter(Q(reopened_until__isnull=True) | Q(reopened_until__lte=now))
    )
    ended = _end_reports(unfinished, actor, now)
    if period.state != PeriodState.LOCKED:
        period.state = PeriodState.LOCKED
        period.locked_at = now
        period.save(update_fields=["state", "locked_at"])
        audit.record(actor, "stats.period.locked", period, ended=ended)
    return ended


def lock_due_periods(now: dt.datetime | None = None) -> int:
    """The scheduled task: lock every period past its deadline and end late reopened reports."""
    now = now or timezone.now()
    count = 0
    for period in ReportingPeriod.objects.filter(deadline__lte=now):
        count += lock_period(period, now)
    return count


def ensure_writable(report: Report, now: dt.datetime | None = None) -> None:
    """Refuse a late write even if the scheduled lock has not run yet."""
    now = now or timezone.now()
    if report.state == ReportState.ENDED:
        raise DomainError(_("Kỳ báo cáo đã khóa: báo cáo đã kết thúc, không thể cập nhật."), code="period_locked")
    if now >= report.deadline:
        # The scheduled lock ends the report; the refusal must not wait for it.
        raise DomainError(
            _("Đã quá thời hạn báo cáo (%(d)s): kỳ đã khóa, dữ liệu không được lưu.")
            % {"d": timezone.localtime(report.deadline).strftime("%H:%M %d/%m/%Y")},
            code="period_locked",
        )


# --- extensions (Art. 6.4) ----------------------------------------------------------


@transaction.atomic
def request_extension(
    actor: Any, period: ReportingPeriod, unit: OrgUnit, *, reason: str, days: int, document_ref: str
) -> Extension:
    if unit.kind != UnitKind.PROVINCIAL:
        raise DomainError(_("Chỉ UBKT cấp tỉnh và tương đương đề nghị gia hạn (Điều 6.4)."), code="not_provincial")
    if not (policies.can(actor, "stats.approve", unit) or policies.can(actor, "stats.forward", unit)):
        raise policies.PolicyDenied("stats.request_extension")
    if not reason.strip() or days < 1 or not document_ref.strip():
        raise DomainError(_("Phải nêu rõ lý do, số ngày cần gia hạn và văn bản đề nghị."), code="incomplete_request")
    ext = Extension.objects.create(
        period=period,
        unit=unit,
        reason=reason.strip(),
        days_requested=days,
        document_ref=document_ref.strip(),
        requested_by=actor,
    )
    audit.record(actor, "stats.extension.requested", ext, unit=unit, days=days)
    return ext


@transaction.atomic
def decide_extension(
    actor: Any, extension: Extension, *, grant: bool, new_deadline: dt.datetime | None = None, note: str = ""
) -> Extension:
    """The Centre decides; a grant reopens the unit's (and its subordinates') reports until the new deadline."""
    policies.require(actor, "stats.configure")
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.state != RequestState.PENDING:
        raise DomainError(_("Đề nghị này đã được quyết định."), code="already_decided")
    now = timezone.now()
    extension.state = RequestState.GRANTED if grant else RequestState.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = actor, now, note
    if grant:
        if new_deadline is None or new_deadline <= now:
            raise DomainError(_("Thời hạn mới phải ở tương lai."), code="bad_deadline")
        extension.new_deadline = new_deadline
        reports = Report.objects.filter(period=extension.period, unit__path__startswith=extension.unit.path)
        reopened = list(reports.filter(state=ReportState.ENDED))
        for report in reopened:
            ReportTransition.objects.create(
                report=report,
                from_state=ReportState.ENDED,
                to_state=ReportState.DRAFT,
                action="extension",
                actor=actor,
                reason=extension.reason,
            )
        reports.exclude(state__in=FINISHED).update(reopened_until=new_deadline)
        Report.objects.filter(pk__in=[r.pk for r in reopened]).update(state=ReportState.DRAFT)
    extension.save()
    audit.record(
        actor,
        "stats.extension.decided",
        extension,
        unit=extension.unit,
        granted=grant,
        new_deadline=new_deadline.isoformat() if new_deadline else None,
    )
    return extension


# --- trial periods (Kế hoạch triển khai: trial data deleted at a set time) -------------


def _purge(actor: Any) -> list[str]:
    trial = ReportingPeriod.objects.filter(is_trial=True)
    codes = list(trial.values_list("code", flat=True))
    trial.delete()  # reports, values, totals, snapshots and transitions go with them (CASCADE)
    audit.record(actor, "stats.trial.purged", None, periods=codes)
    return codes


@transaction.atomic
def purge_trial_data(actor: Any) -> int:
    """Delete every trial period with all its reports and values — and nothing else."""
    policies.require(actor, "stats.configure")
    return len(_purge(actor))


@transaction.atomic
def schedule_trial_purge(actor: Any, when: dt.datetime) -> TrialPurge:
    """The same deletion, at a set time, done by the scheduler."""
    policies.require(actor, "stats.configure")
    if when <= timezone.now():
        raise DomainError(_("Thời điểm xóa phải ở tương lai."), code="bad_time")
    purge = TrialPurge.objects.create(scheduled_at=when, scheduled_by=actor)
    audit.record(actor, "stats.trial.purge_scheduled", purge, at=when.isoformat())
    return purge


@transaction.atomic
def purge_trial_when_due(now: dt.datetime | None = None) -> int:
    """Run every scheduled purge whose time has come; the audit names who scheduled it."""
    now = now or timezone.now()
    done = 0
    for purge in TrialPurge.objects.select_for_update().filter(done_at__isnull=True, scheduled_at__lte=now):
        purge.purged = _purge(purge.scheduled_by)
        purge.done_at = now
        purge.save(update_fields=["purged", "done_at"])
        done += 1
    return done
