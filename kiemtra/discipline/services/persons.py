"""The person view's identities: decisions about the same member gathered by name + birth year + unit.

Matching is automatic and deliberately strict (all three must agree, without
diacritics); people then merge identities the machine kept apart and split
those it joined wrongly. Names are sealed: the match uses a keyed digest.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core.crypto import encrypt_text, lookup_digest
from kiemtra.core.errors import DomainError
from kiemtra.core.text import fold

from ..choices import SubjectType
from ..models import Decision, Person


def identity_key(name: str, birth_year: int | None, unit: str) -> str:
    return lookup_digest(f"{fold(name)}|{birth_year or ''}|{fold(unit)}")


def assign(decision: Decision) -> Person | None:
    """Attach a published member decision to its person (created on first sight)."""
    if decision.subject_type != SubjectType.MEMBER:
        return None
    details = decision.details()
    key = identity_key(details.subject_name, decision.birth_year, details.subject_unit)
    person = Person.objects.filter(key=key, merged_into__isnull=True).first()
    if person is None:
        person = Person.objects.create(
            key=key, sealed_name=encrypt_text(details.subject_name), birth_year=decision.birth_year
        )
    Decision.objects.filter(pk=decision.pk).update(person=person)
    decision.person = person
    return person


def _require_all_visible(actor: Any, decisions: list[Decision]) -> None:
    policies.require(actor, "discipline.manage_persons")
    for decision in decisions:
        policies.require(actor, "discipline.view", decision.unit)


@transaction.atomic
def merge(actor: Any, keep: Person, other: Person) -> Person:
    """Two identities are one person: every decision of ``other`` moves to ``keep``."""
    if keep.pk == other.pk:
        raise DomainError(_("Hai hồ sơ là một, không cần gộp."), code="same_person")
    moving = list(Decision.objects.filter(person=other).select_related("unit"))
    _require_all_visible(actor, [*moving, *Decision.objects.filter(person=keep).select_related("unit")])
    Decision.objects.filter(person=other).update(person=keep)
    other.merged_into = keep
    other.save(update_fields=["merged_into"])
    audit.record(actor, "discipline.person.merged", keep, merged=other.pk, decisions=[d.pk for d in moving])
    return keep


@transaction.atomic
def split(actor: Any, person: Person, decisions: list[Decision]) -> Person:
    """Some decisions were about someone else: they get an identity of their own."""
    ids = {d.pk for d in decisions}
    moving = list(Decision.objects.filter(person=person, pk__in=ids).select_related("unit"))
    if not moving or len(moving) != len(ids):
        raise DomainError(_("Chọn các quyết định thuộc hồ sơ này để tách."), code="bad_selection")
    if Decision.objects.filter(person=person).count() == len(moving):
        raise DomainError(_("Phải giữ lại ít nhất một quyết định trong hồ sơ cũ."), code="nothing_left")
    _require_all_visible(actor, moving)
    first = moving[0]
    details = first.details()
    new = Person.objects.create(
        # Not the automatic key: later decisions about the same name + year + unit still go to the old identity.
        key=lookup_digest(f"split-from:{person.pk}:{first.pk}"),
        sealed_name=encrypt_text(details.subject_name),
        birth_year=first.birth_year,
    )
    Decision.objects.filter(pk__in=ids).update(person=new)
    audit.record(actor, "discipline.person.split", person, into=new.pk, decisions=sorted(ids))
    return new
