"""Đối soát: a person checks each extracted field against the document; only then is a decision published.

Each field's verdict — accepted as read, or corrected — is stored as a
``FieldReview`` (labelled data for measuring the extractor) and the decision
takes the reviewer's values. The rules of the catalog in force on the day of
the decision are checked here: the penalty must exist for that kind of
subject, and a probationary member can only be reprimanded or warned.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core.crypto import encrypt_text
from kiemtra.core.errors import DomainError

from ..choices import AmendKind, DecisionState, Gender, IssuingLevel, PenaltyCode, PositionLevel, SubjectType
from ..models import Decision, FieldReview, Penalty
from . import persons, records

REQUIRED = ("number", "issued_on", "issuing_body", "subject_type", "subject_name", "penalty")
FIELD_LABELS = {
    "number": gettext_lazy("số quyết định"),
    "issued_on": gettext_lazy("ngày ban hành"),
    "issuing_body": gettext_lazy("cơ quan ban hành"),
    "subject_type": gettext_lazy("đối tượng"),
    "subject_name": gettext_lazy("họ tên / tên tổ chức"),
    "penalty": gettext_lazy("hình thức kỷ luật"),
}


def _seal(value: Any) -> str:
    return encrypt_text(json.dumps(value, ensure_ascii=False, default=str))


def _comparable(value: Any) -> Any:
    """Nothing read, an empty text, an empty list and "no" are the same empty value to a reviewer."""
    if value in (None, "", [], False):
        return ""
    if isinstance(value, list):
        return sorted(str(v).strip() for v in value)
    if isinstance(value, bool):
        return value
    return " ".join(str(value).split())


def _blank(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


# Longest value each field holds (the columns' sizes; long texts capped so a paste cannot fill the database).
MAX_LENGTHS = {
    "number": 64,
    "issuing_body": 255,
    "term": 8,
    "subject_name": 255,
    "subject_unit": 500,
    "province": 255,
    "signer": 255,
    "amends_number": 64,
    "positions": 2000,
    "violations": 20_000,
    "legal_basis": 5_000,
}
CHOICES = {
    "issuing_level": IssuingLevel,
    "subject_type": SubjectType,
    "gender": Gender,
    "position_level": PositionLevel,
}


def _check_shapes(values: dict[str, Any]) -> None:
    """Lengths and lists of choices: a value the form never offers is refused, naming the field."""
    problems = []
    for name, limit in MAX_LENGTHS.items():
        value = values.get(name)
        text = "\n".join(map(str, value)) if isinstance(value, list) else str(value or "")
        if len(text) > limit:
            problems.append(_("%(field)s: dài quá %(n)s ký tự.") % {"field": records.LABELS[name], "n": limit})
    for name, choices in CHOICES.items():
        value = values.get(name)
        if value not in (None, "") and value not in choices.values:
            problems.append(_("%(field)s: giá trị không có trong danh sách.") % {"field": records.LABELS[name]})
    if problems:
        raise DomainError(" ".join(problems), code="bad_values")


def check_values(values: dict[str, Any]) -> None:
    """Refuse, naming every problem at once, a set of values the regulations do not allow."""
    # A decision that annuls an earlier one (after a complaint) carries no penalty of its own.
    required = [n for n in REQUIRED if not (n == "penalty" and values.get("amends_number"))]
    problems = [
        _("Thiếu %(field)s.") % {"field": FIELD_LABELS.get(name, name)} for name in required if _blank(values.get(name))
    ]
    if problems:
        raise DomainError(" ".join(problems), code="missing_fields")
    day = records._date(values["issued_on"]) or dt.date.today()
    born = records.year(values.get("birth_year"))
    if born is not None and not 1900 <= born <= day.year - 16:
        raise DomainError(
            _("Năm sinh %(y)s không hợp lệ với ngày ban hành quyết định.") % {"y": born}, code="bad_birth_year"
        )
    _check_penalty(values, day)
    _check_shapes(values)


def _check_penalty(values: dict[str, Any], day: dt.date) -> None:
    if not values.get("penalty"):
        return
    penalty = Penalty.objects.valid_on(day).filter(code=values["penalty"], subject_type=values["subject_type"]).first()
    if penalty is None:
        raise DomainError(
            _("Hình thức kỷ luật '%(p)s' không áp dụng với %(s)s theo quy định có hiệu lực ngày %(d)s.")
            % {
                "p": dict(PenaltyCode.choices).get(values["penalty"], values["penalty"]),
                "s": str(dict(SubjectType.choices).get(values["subject_type"], values["subject_type"])).lower(),
                "d": day.strftime("%d/%m/%Y"),
            },
            code="penalty_not_applicable",
        )
    if values.get("probationary") and values["subject_type"] == SubjectType.MEMBER and not penalty.for_probationary:
        raise DomainError(
            _("Đảng viên dự bị chỉ bị kỷ luật khiển trách hoặc cảnh cáo (%(reg)s).") % {"reg": penalty.regulation},
            code="probationary_penalty",
        )


def check(actor: Any, decision: Decision, final: dict[str, Any]) -> list[str]:
    """What ``reconcile`` would do, without doing it: the values are checked (``DomainError`` as there) and
    the names of the fields that differ from what was read are returned, for the confirmation step."""
    policies.require(actor, "discipline.reconcile", decision.unit)
    if decision.state != DecisionState.PENDING:
        raise DomainError(_("Quyết định này đã được đối soát."), code="already_reconciled")
    current = records.values_of(decision, decision.details())
    values = {name: final.get(name, current.get(name)) for name in records.FIELDS}
    check_values(values)
    extracted = {f.name: f for f in decision.extracted.all()}
    return [
        name
        for name in records.FIELDS
        if _comparable(extracted[name].value if name in extracted else current.get(name))
        != _comparable(values.get(name))
    ]


@transaction.atomic
def reconcile(actor: Any, decision: Decision, final: dict[str, Any]) -> Decision:
    """Accept or correct every field, then publish; the verdicts are kept field by field."""
    policies.require(actor, "discipline.reconcile", decision.unit)
    decision = Decision.objects.select_for_update(of=("self",)).select_related("unit").get(pk=decision.pk)
    if decision.state != DecisionState.PENDING:
        raise DomainError(_("Quyết định này đã được đối soát."), code="already_reconciled")
    current = records.values_of(decision, decision.details())
    values = {name: final.get(name, current.get(name)) for name in records.FIELDS}
    check_values(values)
    extracted = {f.name: f for f in decision.extracted.all()}
    reviews = []
    corrected = []
    for name in records.FIELDS:
        field = extracted.get(name)
        # Where the extractor found nothing, the reviewer was shown what ingest filled in (e.g. the province).
        read = field.value if field is not None else current.get(name)
        changed = _comparable(read) != _comparable(values.get(name))
        if changed:
            corrected.append(name)
        reviews.append(
            FieldReview(
                decision=decision,
                name=name,
                sealed_extracted=_seal(read),
                sealed_final=_seal(values.get(name)),
                corrected=changed,
                confidence=field.confidence if field is not None else None,
                reviewer=actor,
            )
        )
    FieldReview.objects.bulk_create(reviews)
    records.apply_values(decision, values)
    decision.state = DecisionState.PUBLISHED
    decision.reconciled_by, decision.reconciled_at = actor, timezone.now()
    _link_amended(decision)
    decision.save()
    records.set_categories(decision, list(values.get("violation_categories") or []))
    persons.assign(decision)
    audit.record(
        actor,
        "discipline.decision.reconciled",
        decision,
        corrected=corrected,
        accepted=len(records.FIELDS) - len(corrected),
    )
    return decision


def _link_amended(decision: Decision) -> None:
    """A later decision that changes or annuls an earlier one (after a complaint) points to it."""
    if not decision.amends_number:
        decision.amends, decision.amend_kind = None, ""
        return
    earlier = (
        Decision.objects.published()
        .filter(number_key=records.number_key(decision.amends_number), subject_key=decision.subject_key)
        .exclude(pk=decision.pk)
        .first()
    )
    decision.amends = earlier
    decision.amend_kind = AmendKind.CHANGE if decision.penalty else AmendKind.ANNUL


@transaction.atomic
def reject(actor: Any, decision: Decision, reason: str) -> Decision:
    """Not a decision after all (or a duplicate the machine missed): kept, marked, out of search."""
    policies.require(actor, "discipline.reconcile", decision.unit)
    if not reason.strip():
        raise DomainError(_("Phải ghi rõ lý do loại bỏ."), code="reason_required")
    if len(reason) > 2000:
        raise DomainError(_("Lý do loại bỏ: dài quá %(n)s ký tự.") % {"n": 2000}, code="reason_too_long")
    decision = Decision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
    if decision.state != DecisionState.PENDING:
        raise DomainError(_("Chỉ loại bỏ được quyết định đang chờ đối soát."), code="not_pending")
    decision.state = DecisionState.REJECTED
    decision.save(update_fields=["state"])
    audit.record(actor, "discipline.decision.rejected", decision, reason=reason.strip())
    return decision
