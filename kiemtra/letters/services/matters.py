"""Letters handled as one matter (Letters II item 5): linking a letter to another the handler may read.

``related.suggest`` proposes letters from anywhere in the system (an index lookup that opens none of
them); linking is a decision on two letters, so the handler must be able to read the other one too:
a letter of another commission is linked only by someone who works on both registers (a user
manager of both, say). ``related.link`` records the link and merges the groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.core.errors import DomainError

from ..models import Letter, LetterLink
from . import related

TRACKING = re.compile(r"^DT-?([0-9A-Z]{5})-?([0-9A-Z]{5})$")


def by_tracking_code(code: str) -> Letter | None:
    match = TRACKING.match((code or "").strip().upper())
    if match is None:
        return None
    return Letter.objects.select_related("holding_unit").filter(tracking_code=f"DT-{match[1]}-{match[2]}").first()


def link(actor: Any, letter: Letter, other_code: str, kind: str) -> LetterLink:
    """Link ``letter`` to the letter with tracking code ``other_code`` as a duplicate or related letter."""
    policies.require(actor, "letters.letter.handle", letter)
    other = by_tracking_code(other_code)
    if other is None:
        raise DomainError(
            _("Mã theo dõi của đơn liên quan: không có đơn thư mã “%(c)s”.") % {"c": (other_code or "")[:40]},
            code="other",
        )
    # The other letter is read as the handler sees it: no link to a letter outside their registers.
    policies.require(actor, "letters.letter.read", other)
    return related.link(actor, letter, other, kind)


def unlink(actor: Any, letter: Letter, other_code: str, reason: str) -> None:
    """Undo the link between ``letter`` and the letter with tracking code ``other_code``."""
    other = by_tracking_code(other_code)
    if other is None:
        raise DomainError(
            _("Mã theo dõi của đơn liên quan: không có đơn thư mã “%(c)s”.") % {"c": (other_code or "")[:40]},
            code="other",
        )
    related.unlink(actor, letter, other, reason)


@dataclass
class Linked:
    letter: Letter
    kind_label: str
    readable: bool


def links_of(actor: Any, letter: Letter) -> list[Linked]:
    """The letters linked to this one, in either direction, and whether the reader may open each."""
    rows = LetterLink.objects.filter(Q(letter=letter) | Q(other=letter)).select_related(
        "letter__holding_unit", "other__holding_unit"
    )
    out = []
    for row in rows.order_by("at", "pk"):
        other = row.other if row.letter_id == letter.pk else row.letter
        out.append(Linked(other, str(row.get_kind_display()), policies.can(actor, "letters.letter.read", other)))
    return out


def group_of(letter: Letter) -> list[Letter]:
    """Every letter of the letter's matter (itself included), the head first; empty when it stands alone."""
    if letter.matter_id is None:
        return []
    members = Letter.objects.filter(matter_id=letter.matter_id).select_related("holding_unit")
    return sorted(members, key=lambda x: (x.pk != letter.matter_id, x.received_on, x.pk))
