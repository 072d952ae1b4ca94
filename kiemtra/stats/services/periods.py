"""Opening, locking, extending and purging reporting periods (Quy định 11 Art. 6, 7; Kế hoạch: trial run)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Function
from kiemtra.audit import services as audit
from kiemtra.core import events
from kiemtra.core.errors import DomainError
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

from ..choices import PeriodState, PeriodType, ReportState, RequestState
from ..models import Extension, FormVersion, OpeningNoticeRule, Report, ReportingPeriod, TrialPurge
from .transitions import UNFINISHED, ensure_writable, holders, move

__all__ = ["ensure_writable"]
FINISHED = (ReportState.SUBMITTED, ReportState.RECEIVED)
# The "about to lock" notice goes out this long before the deadline.
LOCK_WARNING = dt.timedelta(days=1)


def opening_notice(data_cutoff: dt.date) -> dt.timedelta:
    """Art. 7.1's notice in force for a period with this cut-off (zero if no rule is in force)."""
    rule = OpeningNoticeRule.in_force(data_cutoff)
    return rule.notice if rule is not None else dt.timedelta(0)


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
    rule = OpeningNoticeRule.in_force(data_cutoff)
    cutoff_end = timezone.make_aware(dt.datetime.combine(data_cutoff, dt.time.max))
    if rule is not None and period_type != PeriodType.AD_HOC and opens_at > cutoff_end - rule.notice:
        raise DomainError(
            _(
                "Theo %(source)s, kỳ báo cáo phải được mở chậm nhất %(days)s ngày trước thời điểm kết thúc lấy số "
                "liệu (%(d)s): mở muộn nhất ngày %(latest)s."
            )
            % {
                "source": rule.regulation,
                "days": rule.days,
                "d": data_cutoff.strftime("%d/%m/%Y"),
                "latest": (data_cutoff - rule.notice).strftime("%d/%m/%Y"),
            },
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
    _announce_opened(period)
    return period


def _period_people(period: ReportingPeriod, reports: Any = None) -> list[int]:
    """The statisticians and approvers of the units with a report in the period (or in ``reports``)."""
    unit_ids = (reports if reports is not None else Report.objects.filter(period=period)).values("unit_id")
    return sorted({*holders(Function.STATISTICIAN, unit_ids), *holders(Function.APPROVER, unit_ids)})


def _announce_opened(period: ReportingPeriod) -> None:
    deadline = timezone.localtime(period.deadline).strftime("%H:%M %d/%m/%Y")
    if period.period_type == PeriodType.AD_HOC:
        # Art. 7.4: the Centre opens an ad hoc period with a notice in the software to the units concerned.
        kind, title = "stats.period.ad_hoc", _("Kỳ báo cáo đột xuất: %(name)s (hạn %(d)s)")
    else:
        kind, title = "stats.period.opened", _("Đã mở kỳ báo cáo %(name)s (hạn %(d)s)")
    events.announce(
        kind,
        _period_people(period),
        title % {"name": period.name, "d": deadline},
        url=reverse("stats:reports"),
        body=period.notice,
    )


@transaction.atomic
def lock_period(period: ReportingPeriod, now: dt.datetime | None = None, actor: Any = None) -> int:
    """Art. 7.3: at the deadline, unfinished reports become ended. Reopened reports keep their own deadline.

    ``actor`` None: the scheduled lock; a person (the system admin's "lock now") needs ``stats.configure``.
    """
    if actor is not None:
        policies.require(actor, "stats.configure")
    now = now or timezone.now()
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if now < period.deadline:
        raise DomainError(_("Chưa đến thời hạn báo cáo."), code="not_due")
    unfinished = list(
        Report.objects.filter(period=period, state__in=UNFINISHED).filter(
            Q(reopened_until__isnull=True) | Q(reopened_until__lte=now)
        )
    )
    for report in unfinished:
        # The same move as every transition; the lock of the period is audited once, below.
        move(actor, report, "lock", now=now, audited=False)
    ended = len(unfinished)
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


@transaction.atomic
def warn_periods_about_to_lock(now: dt.datetime | None = None) -> int:
    """A day before the deadline, tell the units that have not sent yet that the period locks (once)."""
    now = now or timezone.now()
    warned = 0
    due = ReportingPeriod.objects.select_for_update().filter(
        state=PeriodState.OPEN, lock_warned_at__isnull=True, deadline__gt=now, deadline__lte=now + LOCK_WARNING
    )
    for period in due:
        late = Report.objects.filter(period=period, state__in=UNFINISHED)
        events.announce(
            "stats.period.about_to_lock",
            _period_people(period, late),
            _("Kỳ báo cáo %(name)s sẽ khóa lúc %(d)s: báo cáo chưa gửi sẽ kết thúc, không được tổng hợp.")
            % {"name": period.name, "d": timezone.localtime(period.deadline).strftime("%H:%M %d/%m/%Y")},
            url=reverse("stats:reports"),
        )
        period.lock_warned_at = now
        period.save(update_fields=["lock_warned_at"])
        audit.record(None, "stats.period.lock_warned", period, unfinished=late.count())
        warned += 1
    return warned


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
        for report in reports.filter(state=ReportState.ENDED):
            # Audited once, as the decision below.
            move(actor, report, "extension", extension.reason, audited=False, reopened_until=new_deadline)
        reports.exclude(state__in=FINISHED).update(reopened_until=new_deadline)
    extension.save()
    people = {extension.requested_by_id}
    if grant:
        people |= set(_period_people(extension.period, reports))
    events.announce(
        "stats.extension.decided",
        people,
        (
            _("Đã gia hạn kỳ %(name)s cho %(unit)s đến %(d)s")
            % {
                "name": extension.period.name,
                "unit": extension.unit.name,
                "d": timezone.localtime(new_deadline).strftime("%H:%M %d/%m/%Y") if new_deadline else "",
            }
            if grant
            else _("Đề nghị gia hạn kỳ %(name)s của %(unit)s không được chấp thuận")
            % {"name": extension.period.name, "unit": extension.unit.name}
        ),
        url=reverse("stats:reports"),
        body=note,
        unit=extension.unit,
    )
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
