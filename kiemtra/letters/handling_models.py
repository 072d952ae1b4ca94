"""Letters II: the catalogs (time limits, fields, competence, reply templates) and the handling records.

Catalog rows carry their source and validity, and ``demo`` marks the values
entered for the demonstration until the operator enters the official ones.
Handling records (steps, referrals, suspensions, links, proposals, data
requests) hold no personal data in clear: names stay in the letter's sealed
envelope; a proposal's grounds are sealed with the commission's field key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiemtra.orgs.models import OrgUnit

from .choices import (
    DataRequestState,
    DayUnit,
    Kind,
    LinkKind,
    ProposalState,
    ProposalTarget,
    ReferralState,
)


class TimeLimit(models.Model):
    """A statutory time limit for a kind of letter (and, for complaints, the level deciding)."""

    code = models.CharField(max_length=40)
    kind = models.CharField(_("loại đơn"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("cấp giải quyết"), max_length=16, blank=True)  # an OrgUnit kind; "" = every level
    days = models.PositiveSmallIntegerField(_("số ngày"))
    day_unit = models.CharField(max_length=8, choices=DayUnit.choices, default=DayUnit.WORKING)
    extension_days = models.PositiveSmallIntegerField(_("gia hạn tối đa (một lần)"), default=0)
    source = models.CharField(_("căn cứ"), max_length=255)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    demo = models.BooleanField(_("giá trị minh họa"), default=True)

    class Meta:
        verbose_name = _("thời hạn giải quyết đơn")
        ordering = ["kind", "level", "valid_from"]

    def __str__(self) -> str:
        return f"{self.code}: {self.days} {self.get_day_unit_display()}"


class FieldCategory(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    demo = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("lĩnh vực đơn thư")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class CompetenceRule(models.Model):
    """Which level of commission handles a letter about a person of this rank (suggested, never applied alone)."""

    rank = models.CharField(_("cấp quản lý"), max_length=32, unique=True)
    rank_label = models.CharField(max_length=200)
    # How many levels above the accused's unit the competent commission is (0 = the unit's own commission).
    levels_up = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=255)
    demo = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("quy tắc thẩm quyền")

    def __str__(self) -> str:
        return self.rank


class ReplyTemplate(models.Model):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    body = models.TextField(help_text="{tracking_code}, {received_on}, {unit}, {result}")
    demo = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("mẫu văn bản trả lời")

    def __str__(self) -> str:
        return self.name


class Leader(models.Model):
    """The commission's leader for letters: approves replies and proposals, hears of overdue letters."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    document_ref = models.CharField(_("văn bản phân công"), max_length=255)
    designated_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "person"], condition=Q(active=True), name="one_active_leader")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.person_id}"


class HandlingStep(models.Model):
    """The letter's history, which travels with it when it is referred: every commission sees all of it."""

    letter = models.ForeignKey("letters.Letter", on_delete=models.PROTECT, related_name="steps")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=40)
    note = models.CharField(max_length=1000, blank=True)  # never a name: reasons and destinations only
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["letter", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.letter_id} {self.action}"


class Referral(models.Model):
    letter = models.ForeignKey("letters.Letter", on_delete=models.PROTECT, related_name="referrals")
    from_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outside_body = models.CharField(_("cơ quan ngoài hệ thống"), max_length=255, blank=True)
    reason = models.CharField(_("lý do chuyển"), max_length=1000)
    state = models.CharField(max_length=12, choices=ReferralState.choices, default=ReferralState.PENDING)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["to_unit", "state"], name="referral_inbox")]

    def __str__(self) -> str:
        return f"{self.letter_id} → {self.to_unit_id or self.outside_body}"


class Suspension(models.Model):
    """The clock stops from ``started_on`` (inclusive) to ``ended_on`` (exclusive): waiting for papers or a body."""

    letter = models.ForeignKey("letters.Letter", on_delete=models.PROTECT, related_name="suspensions")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.CharField(_("lý do tạm dừng"), max_length=1000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["letter", "started_on"]
        constraints = [
            models.UniqueConstraint(fields=["letter"], condition=Q(ended_on__isnull=True), name="one_open_suspension")
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} {self.started_on}–{self.ended_on or ''}"


class LetterSignature(models.Model):
    """The keyed MinHash signature of the letter's folded text (``similarity``): compared without opening it."""

    letter = models.OneToOneField("letters.Letter", on_delete=models.CASCADE, related_name="signature")
    minhash = models.BinaryField()

    def __str__(self) -> str:
        return str(self.letter_id)


class LetterBucket(models.Model):
    """One LSH band of a signature: letters sharing a bucket are candidates, found by an index lookup."""

    letter = models.ForeignKey("letters.Letter", on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        # A band's letters, read from the index alone (no table row visited), newest first by a backward scan.
        indexes = [models.Index(fields=["key", "letter"], name="letter_bucket_key_letter")]

    def __str__(self) -> str:
        return f"{self.key}"


class LetterLink(models.Model):
    letter = models.ForeignKey("letters.Letter", on_delete=models.PROTECT, related_name="links")
    other = models.ForeignKey("letters.Letter", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=LinkKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["letter", "other"], name="one_link_per_pair")]

    def __str__(self) -> str:
        return f"{self.letter_id} ~ {self.other_id}"


class ClassificationCorrection(models.Model):
    """A handler's kind and field for a letter: the classifier learns from these at its next training."""

    letter = models.OneToOneField("letters.Letter", on_delete=models.CASCADE, related_name="correction")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    field_code = models.CharField(max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.letter_id}: {self.kind}/{self.field_code}"


class InspectionProposal(models.Model):
    """A proposal to inspect or supervise an organisation or member, drawn from letters (identity sealed)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="inspection_proposals")
    target_kind = models.CharField(max_length=16, choices=ProposalTarget.choices)
    target_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_name = models.CharField(_("tổ chức đảng hoặc đảng viên"), max_length=255)
    grounds = models.TextField(_("căn cứ, nội dung đề nghị"))
    letters = models.ManyToManyField("letters.Letter", related_name="proposals")
    state = models.CharField(max_length=12, choices=ProposalState.choices, default=ProposalState.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=1000, blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(null=True, blank=True)
    case_ref = models.CharField(max_length=100, blank=True)  # the case file that took it over

    class Meta:
        ordering = ["-drafted_at"]
        indexes = [models.Index(fields=["unit", "state"], name="proposal_unit_state")]

    def __str__(self) -> str:
        return f"proposal {self.pk}"


class DataRequest(models.Model):
    """An upper commission asks a lower one for letter data (Quy định 06 Art. 7.5); every read is audited."""

    from_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("nội dung yêu cầu"), max_length=1000)
    period_from = models.DateField()
    period_to = models.DateField()
    state = models.CharField(max_length=12, choices=DataRequestState.choices, default=DataRequestState.OPEN)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    provided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    provided_at = models.DateTimeField(null=True, blank=True)
    provided = models.JSONField(default=dict)  # counts and tracking codes only: identities stay sealed

    def __str__(self) -> str:
        return f"{self.from_unit_id} ← {self.to_unit_id}"
