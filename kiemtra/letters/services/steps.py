"""The shared moves of every handling service: lock the letter, check, write the history step and the audit."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError
from kiemtra.core.text import nfc

from ..models import HandlingStep, Letter


def locked(letter: Letter) -> Letter:
    return Letter.objects.select_for_update().get(pk=letter.pk)


def required_text(value: str, field: str, message: str, limit: int = 1000) -> str:
    text = nfc(value or "").strip()
    if not text:
        raise DomainError(message, code=field)
    return text[:limit]


def require_state(letter: Letter, allowed: tuple[str, ...], message: str) -> None:
    if letter.status not in allowed:
        raise DomainError(message, code="state")


def step(actor: Any, letter: Letter, action: str, note: str = "", **audit_extra: Any) -> None:
    """One line of the letter's history (travels with it) and its audit record (names no person)."""
    HandlingStep.objects.create(
        letter=letter,
        unit=letter.holding_unit,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        note=note[:1000],
    )
    audit.record(actor, f"letters.letter.{action}", letter, unit=letter.holding_unit, **audit_extra)


def handle(actor: Any, letter: Letter, action: str = "letters.letter.handle") -> Letter:
    """Lock, then check the actor may handle it (inside the transaction: the state read is current)."""
    letter = locked(letter)
    policies.require(actor, action, letter)
    return letter


NOT_OPEN = _("Đơn thư không ở trạng thái cho phép thao tác này.")
