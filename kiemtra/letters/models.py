"""The register of letters (Quy định 06 Art. 2.2), classified "Tối mật": every personal or content field sealed.

A letter holds two data keys of its own, stored wrapped by a master key kept
outside the database (``keyring``): the *data key* seals the content, summary,
the person concerned, attachments and the reply; the *identity key* seals the
senders, so a denouncer's identity can be opened for the handlers of that
letter alone. What stays in clear is what the register must sort and filter
on without opening anything: kind, channel, state, dates, the commissions,
field and locality codes, and keyed digests of name words for search.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiemtra.core.errors import DomainError
from kiemtra.orgs.models import OrgUnit

from .choices import (
    SEALED_KINDS,
    Channel,
    ComplaintOutcome,
    Eligibility,
    Finding,
    InformationReason,
    Kind,
    ReplyState,
    RevealState,
    Status,
)


class Letter(models.Model):
    uid = models.UUIDField(_("mã định danh đơn thư"), default=uuid.uuid4, unique=True, editable=False)
    # Unique by a constraint, indexed by ``Meta``: compared by equality only, so without the
    # ``varchar_pattern_ops`` (LIKE) twin that ``unique=True`` / ``db_index=True`` add on PostgreSQL,
    # which would cost every intake an index insert for nothing.
    tracking_code = models.CharField(_("mã theo dõi"), max_length=32, editable=False)
    kind = models.CharField(_("loại đơn"), max_length=16, choices=Kind.choices)
    declared_kind = models.CharField(_("loại đơn người gửi chọn"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    addressed_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan nhận đơn"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holding_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan đang giữ đơn"), on_delete=models.PROTECT, related_name="letters_held"
    )
    received_on = models.DateField(_("ngày nhận"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), default=timezone.now)
    submitted_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(null=True, blank=True)
    anonymous = models.BooleanField(_("đơn nặc danh"), default=False)
    false_name = models.BooleanField(_("đơn mạo danh, giả danh"), default=False)
    keep_identity_confidential = models.BooleanField(_("đề nghị giữ bí mật danh tính"), default=False)
    sender_count = models.PositiveSmallIntegerField(default=1)
    field_code = models.CharField(_("lĩnh vực"), max_length=32, blank=True)
    locality = models.CharField(_("địa bàn"), max_length=120, blank=True)
    # Envelope: the data keys, wrapped by the master key ``key_id``.
    key_id = models.CharField(max_length=32, editable=False)
    data_key_wrapped = models.TextField(editable=False)
    identity_key_wrapped = models.TextField(editable=False)
    content_sealed = models.TextField(editable=False)  # title, summary, content, about (the person concerned)
    identity_sealed = models.TextField(editable=False)  # the senders
    reply_sealed = models.TextField(blank=True, editable=False)
    replied_at = models.DateTimeField(null=True, blank=True)
    citizen_digest = models.CharField(max_length=64, blank=True, editable=False)
    # Letters II — handling. Clear fields only: what the clock, the lists and the forms count.
    eligibility = models.CharField(_("điều kiện xử lý"), max_length=16, choices=Eligibility.choices, blank=True)
    information_reason = models.CharField(max_length=16, choices=InformationReason.choices, blank=True)
    decision_received_on = models.DateField(_("ngày nhận quyết định bị khiếu nại"), null=True, blank=True)
    accused_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị của người bị tố cáo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accused_rank = models.CharField(_("cấp quản lý của người bị tố cáo"), max_length=32, blank=True)
    accused_is_organisation = models.BooleanField(default=False)
    accused_digest = models.CharField(max_length=64, blank=True, editable=False)
    clock_start = models.DateField(_("ngày bắt đầu tính hạn"), null=True, blank=True)
    time_limit = models.ForeignKey(
        "letters.TimeLimit",
        verbose_name=_("thời hạn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extended_days = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.CharField(_("lý do gia hạn"), max_length=1000, blank=True)
    due_on = models.DateField(_("hạn giải quyết"), null=True, blank=True)
    finding = models.CharField(_("kết luận"), max_length=16, choices=Finding.choices, blank=True)
    complaint_outcome = models.CharField(max_length=16, choices=ComplaintOutcome.choices, blank=True)
    violations = models.PositiveSmallIntegerField(default=0)
    disciplined = models.PositiveSmallIntegerField(default=0)
    result_sealed = models.TextField(blank=True, editable=False)
    concluded_on = models.DateField(null=True, blank=True)
    reply_state = models.CharField(max_length=12, choices=ReplyState.choices, blank=True)
    reply_draft_sealed = models.TextField(blank=True, editable=False)
    matter = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="grouped")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đơn thư")
        verbose_name_plural = _("đơn thư")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["holding_unit", "-received_at", "-id"], name="letter_register"),
            models.Index(fields=["holding_unit", "status", "-received_at"], name="letter_register_status"),
            models.Index(fields=["holding_unit", "kind", "-received_at"], name="letter_register_kind"),
            models.Index(fields=["holding_unit", "channel", "-received_at"], name="letter_register_channel"),
            models.Index(fields=["holding_unit", "received_on"], name="letter_register_received_on"),
            models.Index(fields=["holding_unit", "due_on"], name="letter_due", condition=Q(due_on__isnull=False)),
            models.Index(fields=["key_id"], name="letter_key_id"),
            models.Index(fields=["citizen_digest"], name="letter_citizen_digest"),
            models.Index(fields=["accused_digest"], name="letter_accused_digest"),
        ]
        constraints = [models.UniqueConstraint(fields=["tracking_code"], name="letter_tracking_code_unique")]

    def __str__(self) -> str:
        # Never the content or a name: this string reaches the audit log.
        return f"{self.tracking_code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("uid", "tracking_code").first()
            if stored is not None and (stored[0] != self.uid or stored[1] != self.tracking_code):
                raise DomainError(_("Mã định danh của đơn thư là bất biến, không được thay đổi."), code="uid_immutable")
        super().save(*args, **kwargs)

    @property
    def identity_protected(self) -> bool:
        """Whether the senders are shown only to the letter's handlers (and to an approved reveal)."""
        return self.kind in SEALED_KINDS or self.declared_kind in SEALED_KINDS or self.keep_identity_confidential

    @property
    def is_paper(self) -> bool:
        return self.channel in (Channel.POST, Channel.IN_PERSON)


class NameWord(models.Model):
    """A keyed digest of one folded word of a sender's or the accused's name: search without plaintext.

    One row per word and letter, indexed by digest, so a name word finds its letters by an index
    lookup however large the register.
    """

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="name_words")
    digest = models.CharField(max_length=17)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["digest", "letter"], name="one_name_word_per_letter")]

    def __str__(self) -> str:
        return self.digest


class LetterVersion(models.Model):
    """What a letter was before an edit, who changed it and why: nothing is overwritten (Art. 2.2)."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content_sealed = models.TextField(editable=False)
    identity_sealed = models.TextField(editable=False)
    fields = models.JSONField(default=dict)  # the clear fields as they were (kind, field, locality…)
    changed = models.JSONField(default=list)  # names of what the edit changed
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("lý do"), max_length=500)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["letter", "number"]
        constraints = [models.UniqueConstraint(fields=["letter", "number"], name="one_letter_version_number")]

    def __str__(self) -> str:
        return f"{self.letter_id} v{self.number}"


class Attachment(models.Model):
    """A file sent with the letter or a scan of the paper letter, encrypted with the letter's data key."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="attachments")
    number = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    stored_name = models.CharField(max_length=100, editable=False)  # unique by ``Meta`` (no LIKE index)
    name_sealed = models.TextField(editable=False)
    text_sealed = models.TextField(blank=True, editable=False)  # the scan's text, read by OCR
    is_scan = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["letter", "number"]
        constraints = [models.UniqueConstraint(fields=["stored_name"], name="attachment_stored_name_unique")]

    def __str__(self) -> str:
        return f"{self.letter_id} #{self.number}"


class VneidClient(models.Model):
    """The national platform's account on our inbound API; the secret signs every request (HMAC-SHA256)."""

    client_id = models.CharField(max_length=40, unique=True)
    name = models.CharField(_("tên ứng dụng"), max_length=200)
    secret_encrypted = models.TextField(editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ứng dụng gửi đơn qua VNeID")

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"


class VneidSubmission(models.Model):
    """One platform submission: the pair (client, submission_id) is unique, so a retry finds its letter."""

    client = models.ForeignKey(VneidClient, on_delete=models.PROTECT, related_name="submissions")
    submission_id = models.CharField(max_length=128)
    body_digest = models.CharField(max_length=64)
    letter = models.OneToOneField(Letter, on_delete=models.PROTECT, related_name="vneid_submission")
    created_at = models.DateTimeField(default=timezone.now)
    # When its "letter received" event joined the audit chain (``services.intake_audit``); the row
    # itself is the durable journal until then.
    audited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "submission_id"], name="one_letter_per_vneid_submission")
        ]
        indexes = [models.Index(fields=["id"], condition=Q(audited_at__isnull=True), name="vneid_submission_unaudited")]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.submission_id}"


class HandlerAssignment(models.Model):
    """Who handles a letter: the only people who see a protected sender's identity."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="handlers")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["letter", "person"], condition=Q(active=True), name="one_active_handler")
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} → {self.person_id}"


class Custodian(models.Model):
    """The person of a commission who decides on requests to reveal a protected sender's identity."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    document_ref = models.CharField(_("văn bản phân công"), max_length=255)
    designated_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "person"], condition=Q(active=True), name="one_active_custodian")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.person_id}"


class RevealRequest(models.Model):
    """A request to see a protected sender's identity, and the custodian's decision (time-limited, personal)."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="reveal_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("lý do đề nghị"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=12, choices=RevealState.choices, default=RevealState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("lý do quyết định"), max_length=1000, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"reveal {self.pk} — {self.letter_id}"

    @property
    def unit(self) -> OrgUnit:
        return self.letter.holding_unit

    def grants_access(self, person: Any, now: Any = None) -> bool:
        now = now or timezone.now()
        return (
            self.state == RevealState.APPROVED
            and self.requester_id == getattr(person, "pk", None)
            and self.expires_at is not None
            and self.expires_at > now
        )


from .handling_models import (  # noqa: E402,F401 — Letters II models live beside, one import for Django
    ClassificationCorrection,
    CompetenceRule,
    DataRequest,
    FieldCategory,
    HandlingStep,
    InspectionProposal,
    Leader,
    LetterBucket,
    LetterLink,
    LetterSignature,
    Referral,
    ReplyTemplate,
    Suspension,
    TimeLimit,
)
