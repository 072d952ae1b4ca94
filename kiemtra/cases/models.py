"""Case files: programmes, cases, teams, steps, documents, conclusions and their follow-up (issue 14)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiemtra.orgs.models import OrgUnit

from .choices import AccessKind, CaseKind, CaseSource, CaseState, ProgrammeState, RequestState, SubjectKind, TeamRole

USER = settings.AUTH_USER_MODEL


class Programme(models.Model):
    """One version of a commission's yearly programme; an amendment is a new version, the old one kept."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="case_programmes")
    year = models.PositiveSmallIntegerField(_("năm"))
    version = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=16, choices=ProgrammeState.choices, default=ProgrammeState.DRAFT)
    amendment_reason = models.TextField(blank=True)
    drafted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "version"], name="cases_programme_version_unique"),
            # Only one version of a year is the one in force.
            models.UniqueConstraint(
                fields=["unit", "year"], condition=Q(state="approved"), name="cases_programme_one_in_force"
            ),
        ]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} v{self.version}"


class ProgrammeItem(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("loại"), max_length=24, choices=CaseKind.choices)
    subject_kind = models.CharField(max_length=16, choices=SubjectKind.choices)
    subject_name = models.CharField(_("đối tượng"), max_length=255)
    subject_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    planned_start = models.DateField(_("thời gian bắt đầu"))
    planned_end = models.DateField(_("thời gian kết thúc"))
    lead = models.CharField(_("người chủ trì"), max_length=255, blank=True)
    # The same item across versions: plan versus actual follows it through amendments.
    key = models.CharField(max_length=32)

    class Meta:
        ordering = ["planned_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_end__gte=models.F("planned_start")), name="cases_item_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject_name}"


class ConflictDeclaration(models.Model):
    """A person declared a conflict of interest with a subject: never on a team about them."""

    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="case_conflicts")
    subject_name = models.CharField(max_length=255, blank=True)
    subject_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    reason = models.TextField(blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.person_id}: {self.subject_name}"


class CaseFile(models.Model):
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="case_files")
    kind = models.CharField(max_length=24, choices=CaseKind.choices)
    source = models.CharField(max_length=16, choices=CaseSource.choices)
    state = models.CharField(max_length=16, choices=CaseState.choices, default=CaseState.OPEN)
    subject_kind = models.CharField(max_length=16, choices=SubjectKind.choices)
    subject_name = models.CharField(max_length=255)
    subject_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    programme_item = models.ForeignKey(ProgrammeItem, on_delete=models.PROTECT, null=True, blank=True)
    follows_up = models.ForeignKey("Conclusion", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A letters proposal, by reference: the letters module owns it (cases never writes its models).
    proposal_ref = models.CharField(max_length=64, blank=True)
    letter_refs = models.JSONField(default=list, blank=True)
    grounds = models.TextField(blank=True)
    outline = models.TextField(blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    signer = models.CharField(_("người ký"), max_length=255)
    year = models.PositiveSmallIntegerField()
    planned_end = models.DateField(null=True, blank=True)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    archive_sha256 = models.CharField(max_length=64, blank=True)
    archive_envelope = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "year", "state"]),
            models.Index(fields=["unit", "-decision_date"]),
            # A province's list (its subtree, newest first) walks this and stops at the first page.
            models.Index(fields=["-decision_date", "-id"], name="cases_casefile_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} — {self.subject_name}"


class TeamMember(models.Model):
    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="case_teams")
    role = models.CharField(max_length=16, choices=TeamRole.choices, default=TeamRole.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="cases_team_once"),
            models.UniqueConstraint(fields=["case"], condition=Q(role="leader"), name="cases_one_leader"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.role})"


class CaseAccess(models.Model):
    """Someone outside the team who may read the file: added by the leadership, or an upper commission's request."""

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="accesses")
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=AccessKind.choices)
    reason = models.TextField()
    granted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.person_id} ({self.kind})"


class StepTemplate(models.Model):
    """The steps of a kind of case, as catalog data with validity dates and the document they come from."""

    kind = models.CharField(max_length=24, choices=CaseKind.choices)
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=32)
    title = models.CharField(max_length=255)
    working_days = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    document_ref = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code", "valid_from"], name="cases_step_template_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.order}. {self.title}"


class CaseStep(models.Model):
    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=32)
    title = models.CharField(max_length=255)
    working_days = models.PositiveSmallIntegerField()
    planned_start = models.DateField()
    planned_end = models.DateField()
    actual_start = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    # The highest warning threshold already given (0, 50, 75, 90): each is given once.
    warned = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["case", "order"]
        constraints = [models.UniqueConstraint(fields=["case", "order"], name="cases_step_order_unique")]
        indexes = [models.Index(fields=["actual_end", "planned_end"])]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class CaseDocument(models.Model):
    """A document of the file; each upload of the same title is a new version, nothing overwritten."""

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=255)
    version = models.PositiveSmallIntegerField(default=1)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64)
    envelope = models.JSONField(default=dict)  # the wrapped data key and nonce (letters' envelope encryption)
    storage_name = models.CharField(max_length=255)
    text_encrypted = models.TextField(blank=True)
    search_tokens = models.TextField(blank=True)  # keyed digests of the words, never the words
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "title", "version"], name="cases_document_version_unique")
        ]
        indexes = [models.Index(fields=["sha256"])]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Conclusion(models.Model):
    case = models.OneToOneField(CaseFile, on_delete=models.PROTECT, related_name="conclusion")
    violations_found = models.BooleanField()
    # An inspection of a lower organisation's inspection work may find shortcomings without a violation (form 03).
    shortcomings = models.BooleanField(default=False)
    violation_categories = models.JSONField(default=list, blank=True)  # codes of the statistics forms' groups
    content = models.TextField()
    responsibility = models.TextField(blank=True)
    discipline_required = models.BooleanField(default=False)
    penalty = models.CharField(max_length=32, blank=True)
    measures = models.TextField(blank=True)
    notice_number = models.CharField(max_length=64, blank=True)
    concluded_on = models.DateField()
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # The decision in the discipline database, by id: written there by discipline's own service.
    discipline_decision_id = models.PositiveIntegerField(null=True, blank=True)
    carried_out_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.case_id}: {self.concluded_on}"


class RemedialRequest(models.Model):
    """A request of a conclusion, followed until the commission verifies it was carried out."""

    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE, related_name="requests")
    # The commission of the case, copied: the overdue lists count by it without joining the case.
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    responsible_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    due = models.DateField()
    state = models.CharField(max_length=16, choices=RequestState.choices, default=RequestState.OPEN)
    # 0 none, 1 reminded before due, 2 overdue to the team, 3 escalated to leadership, 4 to the upper commission.
    reminder_level = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "due"]),
            # The overdue lists read only the requests not yet verified: a small part of all of them.
            models.Index(fields=["unit", "due"], condition=~Q(state="verified"), name="cases_request_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.text[:60]} ({self.due})"


class RequestReport(models.Model):
    request = models.ForeignKey(RemedialRequest, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField()
    evidence = models.ForeignKey(CaseDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=16, blank=True)  # verified / sent_back once decided
    outcome_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.request_id}: {self.reported_at:%Y-%m-%d}"


class ImportBatch(models.Model):
    """A load of the digitised backlog: a folder per case (manifest + scans), read document by document."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    use_ocr = models.BooleanField(default=True)
    state = models.CharField(max_length=16, default="running")  # running / finished
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.unit_id} {self.created_at:%Y-%m-%d %H:%M}"


class ImportItem(models.Model):
    """One document of a batch and its outcome; a bad file gets its outcome and the batch goes on."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    folder = models.CharField(max_length=255)
    filename = models.CharField(max_length=255)
    staged_name = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=16, default="queued")  # queued / stored / duplicate / failed
    message = models.TextField(blank=True)
    document = models.ForeignKey(CaseDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["batch", "outcome"])]

    def __str__(self) -> str:
        return f"{self.folder}/{self.filename}"
