"""Re-wrapping every letter's data keys under a new master key, without touching the content.

Resumable: each batch commits on its own, and a letter is picked while its
``key_id`` is not the active one, so a run that stops (Ctrl-C, crash) resumes
where it was by running again. The old master keys are retired only when no
letter uses them any more.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from kiemtra.audit import services as audit

from .. import keyring
from ..models import Letter

BATCH = 500


def pending_count(active: str) -> int:
    return Letter.objects.exclude(key_id=active).count()


def rewrap(
    *, new_key: bool = True, limit: int | None = None, progress: Callable[[int, int], None] | None = None
) -> dict[str, int | str]:
    """Make a new master key active (unless resuming) and re-wrap the letters that still use another."""
    active = keyring.add_active_key() if new_key else keyring.load().active
    total = pending_count(active)
    done = 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        with transaction.atomic():
            batch = list(
                Letter.objects.select_for_update(skip_locked=True)
                .exclude(key_id=active)
                .order_by("pk")
                .only("pk", "key_id", "data_key_wrapped", "identity_key_wrapped")[:size]
            )
            if not batch:
                break
            for letter in batch:
                data = keyring.unwrap(letter.key_id, letter.data_key_wrapped)
                ident = keyring.unwrap(letter.key_id, letter.identity_key_wrapped)
                letter.key_id, letter.data_key_wrapped = keyring.wrap(data, active)
                _same, letter.identity_key_wrapped = keyring.wrap(ident, active)
            Letter.objects.bulk_update(batch, ["key_id", "data_key_wrapped", "identity_key_wrapped"])
        done += len(batch)
        if progress:
            progress(done, total)
    left = pending_count(active)
    if left == 0:
        used = set(Letter.objects.values_list("key_id", flat=True).distinct())
        keyring.retire(set(keyring.load().keys) - used - {active})
    audit.record(None, "letters.keys.rotated", None, key_id=active, rewrapped=done, left=left)
    return {"key_id": active, "rewrapped": done, "left": left}
