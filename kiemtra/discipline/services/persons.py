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
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.core.text import fold

from ..choices import SubjectType
from ..models import Decision, Person
from . import records


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


def _readable(actor: Any, person: Person) -> list[Decision]:
    decisions = Decision.objects.filter(person=person).select_related("unit").order_by("pk")
    return [d for d in decisions if records.readable(actor, d)]


@transaction.atomic
def merge(actor: Any, keep: Person, other: Person) -> Person:
    """Two identities are one person: every decision of ``other`` moves to ``keep``.

    The person merging must read at least one decision of each; the decisions they cannot read move
    with the identity they were gathered under, without a word about them (a refusal would tell that
    the person has decisions the actor may not see).
    """
    policies.require(actor, "discipline.manage_persons")
    if keep.pk == other.pk:
        raise DomainError(_("Hai hồ sơ là một, không cần gộp."), code="same_person")
    if not _readable(actor, keep) or not _readable(actor, other):
        raise PolicyDenied("discipline.manage_persons")
    moving = list(Decision.objects.filter(person=other).values_list("pk", flat=True))
    Decision.objects.filter(person=other).update(person=keep)
    other.merged_into = keep
    other.save(update_fields=["merged_into"])
    audit.record(actor, "discipline.person.merged", keep, merged=other.pk, decisions=moving)
    return keep


@transaction.atomic
def split(actor: Any, person: Person, decisions: list[Decision]) -> Person:
    """Some decisions were about someone else: they get an identity of their own.

    Only the decisions ``actor`` can read are looked at: a ticked id that is not one of them gets the
    same answer whether it does not exist, belongs to someone else or is withheld, and "keep at least
    one" counts the decisions the actor sees — nothing tells them about the others.
    """
    policies.require(actor, "discipline.manage_persons")
    seen = _readable(actor, person)
    ids = {d.pk for d in decisions}
    moving = [d for d in seen if d.pk in ids]
    if not moving or len(moving) != len(ids):
        raise DomainError(_("Chọn các quyết định thuộc hồ sơ này để tách."), code="bad_selection")
    if len(moving) == len(seen):
        raise DomainError(_("Phải giữ lại ít nhất một quyết định trong hồ sơ cũ."), code="nothing_left")
    first = moving[0]
    details = first.details()
    new = Person.objects.create(
        # Not the automatic key: later decisions about the same name + year + unit still go to the old identity.
        key=lookup_digest(f"split-from:{person.pk}:{first.pk}"),
        sealed_name=encrypt_text(details.subject_name),
        birth_year=first.birth_year,
    )
    Decision.objects.filter(pk__in=[d.pk for d in moving]).update(person=new)
    audit.record(actor, "discipline.person.split", person, into=new.pk, decisions=sorted(d.pk for d in moving))
    return new
