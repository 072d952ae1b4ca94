"""Statistics reporting (Quy định 11-QĐ/UBKTTW): forms as data, periods, reports, values, roll-up."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiemtra.orgs.models import OrgUnit

from .choices import CellType, PeriodState, PeriodType, ReportState, RequestState, Severity

# --- forms -------------------------------------------------------------------


class Form(models.Model):
    """A report form (biểu), e.g. "05 — Thi hành kỷ luật đảng viên"; its content lives in versions."""

    code = models.CharField(_("số hiệu biểu"), max_length=16, unique=True)
    title = models.CharField(_("tên biểu"), max_length=255)

    class Meta:
        verbose_name = _("biểu báo cáo")
        verbose_name_plural = _("biểu báo cáo")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"Biểu {self.code} — {self.title}"


class FormVersion(models.Model):
    """One version of a form. Frozen once an opened period uses it; changes make a new version."""

    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    title = models.CharField(_("tên biểu"), max_length=255)
    unit_categories = models.JSONField(_("đơn vị thực hiện"), default=list)
    period_types = models.JSONField(_("loại kỳ"), default=list)
    frozen = models.BooleanField(_("đã khóa cấu trúc"), default=False)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phiên bản biểu")
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="one_form_version_number")]
        ordering = ["form__code", "-number"]

    def __str__(self) -> str:
        return f"Biểu {self.form.code} v{self.number}"

    def applies_to(self, unit: OrgUnit) -> bool:
        return unit.quota_category in self.unit_categories or unit.kind in self.unit_categories


class Row(models.Model):
    """An indicator (chỉ tiêu). ``formula`` makes every cell of the row computed (e.g. ``R1 + R2``)."""

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="rows")
    code = models.CharField(max_length=16)
    label = models.CharField(max_length=500)
    position = models.PositiveIntegerField()
    formula = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="one_row_code_per_version")]

    def __str__(self) -> str:
        return f"{self.code}. {self.label}"


class Column(models.Model):
    """A column: its type, whether it rolls up, and an optional formula over the row (e.g. ``C2 + C3``)."""

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="columns")
    code = models.CharField(max_length=16)
    label = models.CharField(max_length=500)
    position = models.PositiveIntegerField()
    cell_type = models.CharField(max_length=16, choices=CellType.choices, default=CellType.INTEGER)
    decimal_places = models.PositiveSmallIntegerField(default=0)
    rolls_up = models.BooleanField(default=True)
    formula = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="one_column_code_per_version")]

    def __str__(self) -> str:
        return f"{self.code}. {self.label}"


class ValidationRule(models.Model):
    """An expression over cells (this form, other forms, the previous period) that must hold."""

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField(max_length=32)
    expression = models.CharField(max_length=1000)
    severity = models.CharField(max_length=16, choices=Severity.choices, default=Severity.BLOCKING)
    message = models.CharField(_("thông báo"), max_length=500)

    class Meta:
        ordering = ["version", "code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.expression}"


# --- periods -----------------------------------------------------------------


class ReportingPeriod(models.Model):
    code = models.CharField(_("mã kỳ"), max_length=32, unique=True)
    name = models.CharField(_("tên kỳ báo cáo"), max_length=255)
    period_type = models.CharField(_("loại kỳ"), max_length=16, choices=PeriodType.choices)
    data_start = models.DateField(_("số liệu từ ngày"))
    data_cutoff = models.DateField(_("thời điểm chốt số liệu"))
    opens_at = models.DateTimeField(_("thời điểm mở kỳ"))
    deadline = models.DateTimeField(_("thời hạn báo cáo"))
    state = models.CharField(max_length=16, choices=PeriodState.choices, default=PeriodState.OPEN)
    is_trial = models.BooleanField(_("kỳ chạy thử"), default=False)
    notice = models.TextField(_("thông báo kỳ đột xuất"), blank=True)
    form_versions = models.ManyToManyField(FormVersion, related_name="periods", verbose_name=_("biểu báo cáo"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    locked_at = models.DateTimeField(null=True, blank=True)
    lock_warned_at = models.DateTimeField(null=True, blank=True)  # "about to lock" announced

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["-data_cutoff", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gt=models.F("opens_at")), name="deadline_after_opening"),
            models.CheckConstraint(condition=Q(data_cutoff__gte=models.F("data_start")), name="cutoff_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class OpeningNoticeRule(models.Model):
    """Art. 7.1: a period opens at the latest so many days before its data collection ends.

    A regulation value kept as data, like the account quotas: when the rule
    changes, a new row with its own validity and source replaces the old one.
    """

    days = models.PositiveSmallIntegerField(_("số ngày mở kỳ trước thời điểm chốt số liệu"))
    regulation = models.CharField(_("căn cứ"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("thời hạn mở kỳ báo cáo")
        verbose_name_plural = _("thời hạn mở kỳ báo cáo")
        ordering = ["-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="opening_notice_valid_to_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.days} ngày ({self.regulation})"

    @property
    def notice(self) -> dt.timedelta:
        return dt.timedelta(days=self.days)

    @classmethod
    def in_force(cls, on: dt.date) -> OpeningNoticeRule | None:
        """The rule for a period whose data cut-off is ``on``: the latest one valid that day."""
        return (
            cls.objects.filter(valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by("-valid_from", "-id")
            .first()
        )


class Report(models.Model):
    """The report of one unit for one form in one period: own data, state, and its history."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reports")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="reports")
    state = models.CharField(max_length=24, choices=ReportState.choices, default=ReportState.DRAFT)
    # Optimistic concurrency: every save of values bumps it; a save quoting an older one is refused.
    revision = models.PositiveIntegerField(default=0)
    # After-period corrections open a new edition; earlier editions stay in the snapshots.
    edition = models.PositiveSmallIntegerField(default=1)
    return_reason = models.TextField(blank=True)
    reopened_until = models.DateTimeField(null=True, blank=True)
    entered_by_upper = models.BooleanField(_("cấp trên nhập thay"), default=False)
    # Ids of everyone who saved figures of this report: none of them may approve it (Art. 3.1.d).
    entered_by = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "form_version"], name="one_report_per_unit_form_period")
        ]
        indexes = [models.Index(fields=["period", "form_version", "state"])]

    def __str__(self) -> str:
        return f"{self.form_version} — {self.unit} — {self.period}"

    @property
    def deadline(self) -> dt.datetime:
        return max(self.period.deadline, self.reopened_until) if self.reopened_until else self.period.deadline


class Value(models.Model):
    """A cell of a report's own data. Numbers are exact decimals; text cells use ``text``."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    row = models.ForeignKey(Row, on_delete=models.PROTECT, related_name="+")
    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="+")
    number = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "row", "column"], name="one_value_per_cell")]

    def __str__(self) -> str:
        return f"{self.row_id}:{self.column_id}={self.number if self.number is not None else self.text}"


class ChildTotal(models.Model):
    """Σ of the consolidated figures of the direct subordinates whose reports were received.

    The consolidated figure of a report is its own value plus this; it is kept
    up to date by every receive and every return, so no batch run is needed.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="child_totals")
    row = models.ForeignKey(Row, on_delete=models.PROTECT, related_name="+")
    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="+")
    number = models.DecimalField(max_digits=24, decimal_places=4)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "row", "column"], name="one_child_total_per_cell")]

    def __str__(self) -> str:
        return f"{self.row_id}:{self.column_id}={self.number}"


class ReportSnapshot(models.Model):
    """The figures of a report at a step of the chain; earlier versions stay readable."""

    class Kind(models.TextChoices):
        APPROVED = "approved", _("Khi phê duyệt")
        SENT = "sent", _("Khi gửi")
        RECEIVED = "received", _("Khi cấp trên tiếp nhận")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="snapshots")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    edition = models.PositiveSmallIntegerField()
    revision = models.PositiveIntegerField()
    own = models.JSONField(default=dict)
    consolidated = models.JSONField(default=dict)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_at", "-id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} e{self.edition} r{self.revision}"


class ReportTransition(models.Model):
    """Who moved the report, from which state to which, when and why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=24, choices=ReportState.choices)
    to_state = models.CharField(max_length=24, choices=ReportState.choices)
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_state} → {self.to_state}"


class Extension(models.Model):
    """A provincial-level commission asks the Centre for more time (Art. 6.4)."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("lý do"))
    days_requested = models.PositiveSmallIntegerField(_("số ngày cần gia hạn"))
    document_ref = models.CharField(_("văn bản đề nghị"), max_length=255)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=16, choices=RequestState.choices, default=RequestState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    new_deadline = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.unit} — {self.period} ({self.get_state_display()})"


class CorrectionRequest(models.Model):
    """After the period: a written request to the Centre to reopen a report (Art. 10)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="corrections")
    reason = models.TextField(_("lý do"))
    document_ref = models.CharField(_("văn bản đề nghị"), max_length=255)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=16, choices=RequestState.choices, default=RequestState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reopened_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.report} ({self.get_state_display()})"


class TrialPurge(models.Model):
    """A scheduled deletion of every trial period (Kế hoạch triển khai: trial data deleted at a set time)."""

    scheduled_at = models.DateTimeField(_("thời điểm xóa"))
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    purged = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-scheduled_at"]

    def __str__(self) -> str:
        return f"{self.scheduled_at:%Y-%m-%d %H:%M} ({'đã xóa' if self.done_at else 'chờ'})"


from .models_api import *  # noqa: E402, F403
