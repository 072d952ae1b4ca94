"""Reading the evidence — the original file and its pages — under the same rule as the decision itself.

A published ordinary decision's file is read by anyone who may view the decision;
a classified one only within the classified scope (editors of the unit or above);
a decision not yet published (waiting for reconciliation, or rejected) only by the
editors of the unit's scope, who are the ones reconciling it. Every read of
anything but a published ordinary decision's evidence is in the audit log.
"""

from __future__ import annotations

from typing import Any

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core.crypto import decrypt_bytes
from kiemtra.core.errors import PolicyDenied

from ..choices import DecisionState
from ..models import Decision, SourceDocument


def may_read(actor: Any, decision: Decision, document: SourceDocument | None = None) -> bool:
    document = document or decision.document
    classified = decision.is_classified or (document is not None and document.is_classified)
    if decision.state != DecisionState.PUBLISHED or classified:
        return policies.can(actor, "discipline.read_classified", decision.unit)
    return policies.can(actor, "discipline.view", decision.unit)


def protected(decision: Decision, document: SourceDocument) -> bool:
    """Reads of it are audited and never cached."""
    return decision.state != DecisionState.PUBLISHED or decision.is_classified or document.is_classified


def read_original(actor: Any, decision: Decision, *, action: str, **extra: Any) -> bytes:
    """The decrypted bytes of the decision's original file, for someone allowed to read them."""
    document = decision.document
    if document is None or not may_read(actor, decision, document):
        raise PolicyDenied("discipline.view")
    if protected(decision, document) or action == "discipline.document.downloaded":
        audit.record_read(actor, action, decision, document=document.pk, **extra)
    with document.file.open("rb") as stored:
        return decrypt_bytes(stored.read())
