"""The citizens' portal: a person signed in with VNeID sends letters and follows them.

A citizen is not a staff account: signing in here creates no ``User`` and no
grant; the session holds the verified citizen ID, encrypted, and its keyed
digest, which "my letters" and the daily limit look letters up by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.core.crypto import decrypt_text, encrypt_text, lookup_digest
from kiemtra.core.errors import DomainError

from ..choices import Channel
from ..models import Letter
from . import records

SESSION_KEY = "letters_citizen"


@dataclass(frozen=True)
class Citizen:
    citizen_id: str
    digest: str


def sign_in(session: SessionBase, citizen_id: str) -> Citizen:
    session.cycle_key()  # a new session id: nothing from before the sign-in carries over
    session[SESSION_KEY] = {"id": encrypt_text(citizen_id), "digest": lookup_digest(citizen_id)}
    return Citizen(citizen_id, lookup_digest(citizen_id))


def sign_out(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


def current(session: SessionBase) -> Citizen | None:
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    return Citizen(decrypt_text(stored["id"]), stored["digest"])


def daily_limit() -> int:
    return int(getattr(settings, "LETTERS_PORTAL_DAILY_LIMIT", 5))


def sent_today(citizen: Citizen) -> int:
    return Letter.objects.filter(
        citizen_digest=citizen.digest, channel=Channel.PORTAL, received_at__date=timezone.localdate()
    ).count()


@transaction.atomic
def submit(citizen: Citizen, new: records.NewLetter) -> Letter:
    # Counted under the same lock for one person: two tabs cannot both pass the limit.
    Letter.objects.select_for_update().filter(citizen_digest=citizen.digest).exists()
    if sent_today(citizen) >= daily_limit():
        raise DomainError(
            _("Mỗi người chỉ gửi được %(n)d đơn một ngày qua cổng này; vui lòng gửi tiếp vào ngày mai.")
            % {"n": daily_limit()},
            code="daily_limit",
        )
    new.citizen_id = citizen.citizen_id
    new.channel = Channel.PORTAL
    return records.create("VNeID " + citizen.digest[:8], new)


def my_letters(citizen: Citizen) -> Any:
    return Letter.objects.filter(citizen_digest=citizen.digest).order_by("-received_at")
