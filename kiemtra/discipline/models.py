"""Disciplinary decisions: the evidence (files and page text) apart from what was read out of it.

The Aleph habit (DESIGN.md): a ``SourceDocument`` and its ``DocumentPage`` rows
never change once stored; a ``Decision`` is an interpretation of them, its
fields carry their source (``ExtractedField``) until a person reconciles them,
and every reviewer's verdict is kept (``FieldReview``) as labelled data.

Protected content — the original files, the extracted values, the text of
classified documents, and the personal details of classified decisions — is
encrypted at rest with the key outside the database (``kiemtra.core.crypto``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiemtra.core.crypto import decrypt_text, encrypt_text
from kiemtra.orgs.models import OrgUnit

from .choices import (
    AmendKind,
    BatchState,
    Confidentiality,
    DecisionState,
    Gender,
    IngestOutcome,
    IssuingLevel,
    PenaltyCode,
    PositionLevel,
    StatsLinkKind,
    SubjectType,
)

# --- catalogs (rules live in data: they changed in 2022, 2025 and 2026) -------------------


class CatalogQuerySet(models.QuerySet[Any]):
    def valid_on(self, day: dt.date) -> CatalogQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day))


class Penalty(models.Model):
    """A penalty of the regulation in force: for whom it applies and since when."""

    code = models.CharField(max_length=16, choices=PenaltyCode.choices)
    name = models.CharField(_("hình thức kỷ luật"), max_length=64)
    subject_type = models.CharField(_("áp dụng với"), max_length=16, choices=SubjectType.choices)
    severity = models.PositiveSmallIntegerField(_("mức độ"), help_text=_("1 là nhẹ nhất"))
    for_probationary = models.BooleanField(_("áp dụng với đảng viên dự bị"), default=False)
    regulation = models.CharField(_("căn cứ"), max_length=255)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["subject_type", "severity", "valid_from"]
        verbose_name = _("hình thức kỷ luật")
        verbose_name_plural = _("hình thức kỷ luật")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_subject_type_display()})"


class ViolationCategory(models.Model):
    """A field of violation; ``stats_item`` is the matching column label of form 05 or 06."""

    code = models.CharField(max_length=32)
    name = models.CharField(_("nội dung vi phạm"), max_length=255)
    subject_type = models.CharField(_("áp dụng với"), max_length=16, choices=SubjectType.choices)
    keywords = models.JSONField(_("từ khóa nhận diện"), default=list, blank=True)
    stats_item = models.CharField(_("cột tương ứng trong biểu thống kê"), max_length=255, blank=True)
    regulation = models.CharField(_("căn cứ"), max_length=255, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["subject_type", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "subject_type", "valid_from"], name="violation_category_unique")
        ]
        verbose_name = _("nội dung vi phạm")
        verbose_name_plural = _("nội dung vi phạm")

    def __str__(self) -> str:
        return self.name


class StatsLinkRule(models.Model):
    """Where a decision counts on forms 05 and 06 (Quy định 11 Art. 12): a row by issuing level, a column by penalty.

    ``item`` is the label of the row or column item as the form words it; the link matches it
    without diacritics. Issued with the forms (Quyết định 2011-QĐ/UBKTTW); when the forms change,
    the operator closes these rows and adds the new ones.
    """

    kind = models.CharField(_("loại"), max_length=16, choices=StatsLinkKind.choices)
    key = models.CharField(_("cấp ban hành / hình thức kỷ luật"), max_length=32)
    item = models.CharField(_("dòng / cột trong biểu"), max_length=255)
    regulation = models.CharField(_("căn cứ"), max_length=255)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "key", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["kind", "key", "valid_from"], name="stats_link_rule_unique")]
        verbose_name = _("đối chiếu biểu 05, 06")
        verbose_name_plural = _("đối chiếu biểu 05, 06")

    def __str__(self) -> str:
        return f"{self.key} → {self.item}"


# --- evidence ------------------------------------------------------------------------------


class IngestBatch(models.Model):
    """One upload of one or many files; the progress bar reads ``done`` / ``total``."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    confidentiality = models.CharField(
        _("độ mật"), max_length=16, choices=Confidentiality.choices, default=Confidentiality.ORDINARY
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=16, choices=BatchState.choices, default=BatchState.RUNNING)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Lô {self.pk} ({self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


class IngestItem(models.Model):
    """One file of a batch and what became of it."""

    batch = models.ForeignKey(IngestBatch, on_delete=models.CASCADE, related_name="items")
    filename = models.CharField(max_length=255)
    position = models.PositiveIntegerField()
    outcome = models.CharField(max_length=24, choices=IngestOutcome.choices, default=IngestOutcome.QUEUED)
    message = models.TextField(blank=True)
    document = models.ForeignKey("SourceDocument", null=True, blank=True, on_delete=models.SET_NULL)
    decisions = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when a worker started reading it
    # The uploaded bytes wait here (encrypted) until the worker takes them; emptied afterwards.
    pending = models.FileField(upload_to="discipline/pending/", blank=True)

    class Meta:
        ordering = ["batch", "position"]

    def __str__(self) -> str:
        return self.filename


class SourceDocument(models.Model):
    """The original file, stored encrypted; immutable once stored."""

    sha256 = models.CharField(max_length=64, unique=True)
    filename = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    file = models.FileField(upload_to="discipline/documents/")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    confidentiality = models.CharField(
        _("độ mật"), max_length=16, choices=Confidentiality.choices, default=Confidentiality.ORDINARY
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    page_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_classified(self) -> bool:
        return self.confidentiality != Confidentiality.ORDINARY


class DocumentPage(models.Model):
    """The text of one page as read (text layer or OCR), NFC; encrypted when the document is classified."""

    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    source = models.CharField(max_length=8)  # "text" | "ocr"
    ocr_confidence = models.FloatField(null=True, blank=True)
    stored_text = models.TextField()

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="page_unique")]

    def __str__(self) -> str:
        return f"{self.document} — trang {self.number}"

    @property
    def text(self) -> str:
        return decrypt_text(self.stored_text) if self.document.is_classified else self.stored_text


# --- people and decisions ------------------------------------------------------------------


class Person(models.Model):
    """One identity across decisions: name + birth year + unit, merged or split by hand."""

    key = models.CharField(max_length=64, db_index=True)  # keyed digest of the folded name, year and unit
    sealed_name = models.TextField()
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Người #{self.pk}"

    @property
    def name(self) -> str:
        return decrypt_text(self.sealed_name)


@dataclass
class Details:
    """The personal part of a decision: plain columns when ordinary, one sealed blob when classified."""

    subject_name: str = ""
    positions: list[str] = field(default_factory=list)
    subject_unit: str = ""
    violations: str = ""
    legal_basis: str = ""
    signer: str = ""


DETAIL_FIELDS = tuple(Details.__dataclass_fields__)


class DecisionQuerySet(models.QuerySet["Decision"]):
    def published(self) -> DecisionQuerySet:
        return self.filter(state=DecisionState.PUBLISHED)


class Decision(models.Model):
    """A disciplinary decision against one member or one organisation."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị quản lý"), on_delete=models.PROTECT, related_name="decisions"
    )
    document = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    position_in_document = models.PositiveIntegerField(default=1)
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=DecisionState.choices, default=DecisionState.PENDING
    )
    confidentiality = models.CharField(
        _("độ mật"), max_length=16, choices=Confidentiality.choices, default=Confidentiality.ORDINARY
    )

    number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    number_key = models.CharField(max_length=64, blank=True, db_index=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issuing_body_key = models.CharField(max_length=255, blank=True)
    issuing_level = models.CharField(
        _("cấp ban hành"), max_length=24, choices=IssuingLevel.choices, default=IssuingLevel.OTHER
    )
    term = models.CharField(_("nhiệm kỳ"), max_length=8, blank=True)

    subject_type = models.CharField(_("đối tượng"), max_length=16, choices=SubjectType.choices)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    party_committee_member = models.BooleanField(_("cấp ủy viên"), null=True, blank=True)
    probationary = models.BooleanField(_("đảng viên dự bị"), default=False)
    position_level = models.CharField(_("cấp chức vụ"), max_length=24, choices=PositionLevel.choices, blank=True)
    province = models.ForeignKey(
        OrgUnit, verbose_name=_("tỉnh, thành"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")

    penalty = models.CharField(_("hình thức kỷ luật"), max_length=16, choices=PenaltyCode.choices, blank=True)
    categories = models.ManyToManyField(ViolationCategory, blank=True, verbose_name=_("nội dung vi phạm"))
    effective_on = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amended_by",
        verbose_name=_("thay đổi / xóa bỏ quyết định"),
    )
    amend_kind = models.CharField(max_length=8, choices=AmendKind.choices, blank=True)
    amends_number = models.CharField(max_length=64, blank=True)

    # Details: plain when ordinary; empty and sealed (encrypted JSON) when classified.
    subject_name = models.CharField(_("họ tên / tên tổ chức"), max_length=255, blank=True)
    positions = models.JSONField(_("chức vụ"), default=list, blank=True)
    subject_unit = models.CharField(_("đơn vị công tác"), max_length=500, blank=True)
    violations = models.TextField(_("nội dung vi phạm"), blank=True)
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    sealed = models.TextField(blank=True)

    # Keyed digest of the folded subject name: finds duplicates without reading sealed names.
    subject_key = models.CharField(max_length=64, blank=True)
    # Folded words for search; a classified decision has keyed digests of its words instead.
    search_text = models.TextField(blank=True)
    # The case file whose conclusion decided this discipline ("cases.case:<id>"), when it came from one.
    source_case_ref = models.CharField(max_length=64, blank=True, db_index=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reconciled_at = models.DateTimeField(null=True, blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["state", "issued_on"]),
            models.Index(fields=["province", "state"]),
            models.Index(fields=["number_key", "issuing_body_key"]),
        ]

    def __str__(self) -> str:
        return self.number or f"Quyết định #{self.pk}"

    @property
    def is_classified(self) -> bool:
        return self.confidentiality != Confidentiality.ORDINARY

    def details(self) -> Details:
        """Decrypts when classified: call through ``services.decisions.read_details`` so the read is audited."""
        if self.sealed:
            return Details(**json.loads(decrypt_text(self.sealed)))
        return Details(**{name: getattr(self, name) for name in DETAIL_FIELDS})

    def set_details(self, details: Details) -> None:
        if self.is_classified:
            self.sealed = encrypt_text(json.dumps(asdict(details), ensure_ascii=False))
            for name in DETAIL_FIELDS:
                setattr(self, name, [] if name == "positions" else "")
        else:
            self.sealed = ""
            for name, value in asdict(details).items():
                setattr(self, name, value)


class ExtractedField(models.Model):
    """What the extractor read for one field, where, and how sure it was. Value encrypted."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="extracted")
    name = models.CharField(max_length=32)
    sealed_value = models.TextField()
    page = models.PositiveIntegerField(null=True)
    start = models.PositiveIntegerField(null=True)
    end = models.PositiveIntegerField(null=True)
    confidence = models.FloatField()

    class Meta:
        ordering = ["decision", "name"]
        constraints = [models.UniqueConstraint(fields=["decision", "name"], name="extracted_field_unique")]

    def __str__(self) -> str:
        return f"{self.decision_id}.{self.name}"

    @property
    def value(self) -> Any:
        return json.loads(decrypt_text(self.sealed_value))


class FieldReview(models.Model):
    """A reviewer's verdict on one field: accepted as read or corrected. Labelled data for the extractor."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reviews")
    name = models.CharField(max_length=32)
    sealed_extracted = models.TextField()
    sealed_final = models.TextField()
    corrected = models.BooleanField()
    confidence = models.FloatField(null=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decision", "name", "at"]

    def __str__(self) -> str:
        return f"{self.decision_id}.{self.name} ({'sửa' if self.corrected else 'chấp nhận'})"

    @property
    def extracted(self) -> Any:
        return json.loads(decrypt_text(self.sealed_extracted))

    @property
    def final(self) -> Any:
        return json.loads(decrypt_text(self.sealed_final))
