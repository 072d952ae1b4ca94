"""The audit events of VNeID intake, appended in batches after the letters' own commits.

Every append to the audit chain takes its single head row until the COMMIT has flushed the
WAL, so appending one event inside each letter's transaction makes every intake queue there
(≈ 35 a second on the 2-core machine under load). Instead, the submission row written with
the letter is a durable journal (``audited_at`` empty); after its commit, the request that finds
no fold running appends the events of *every* pending letter in one batch
(``audit.record_many``: one INSERT, one WAL flush); the others wait for that commit together
and find their letter audited, or try again (taking the chain's head one after another, each
in a transaction of its own, made the requests queue there). Nobody answers before its letter's
event is in the chain; a crash between the two commits leaves journal rows that the next intake folds (and
the ``fold_intake_audit`` job, every minute).

PostgreSQL only (advisory locks, ``SKIP LOCKED``); elsewhere the event is written in the letter's
own transaction.
"""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.utils import timezone

from kiemtra.audit import services as audit

from ..models import Attachment, Letter, VneidClient, VneidSubmission

BATCH = 500
WAIT_SECONDS = 30.0


def supported() -> bool:
    return bool(connection.features.has_select_for_update_skip_locked)


def _pending_sql() -> str:
    sub, client = VneidSubmission._meta.db_table, VneidClient._meta.db_table
    letter, attachment = Letter._meta.db_table, Attachment._meta.db_table
    return (
        f"SELECT s.id, c.client_id, l.id, l.tracking_code, l.holding_unit_id, l.channel, l.kind, "  # noqa: S608
        f"(SELECT COUNT(*) FROM {attachment} a WHERE a.letter_id = l.id) "
        f"FROM {sub} s JOIN {client} c ON c.id = s.client_id JOIN {letter} l ON l.id = s.letter_id "
        f"WHERE s.audited_at IS NULL ORDER BY s.id LIMIT %s FOR UPDATE OF s SKIP LOCKED"
    )


# The folding of the journal, one at a time: an advisory lock held by the folder until its
# transaction has committed. Unlike a row lock it writes nothing (no WAL, no transaction id), so
# the requests waiting for a fold — a shared lock on it, let go at once — cost the database
# nothing to wake; and taken at the session level, trying it needs no transaction of its own.
FOLDING_LOCK = 0x6C65_7474_6572_73  # "letters"


def fold(*, wait: bool = True) -> list[int] | None:
    """Append the events of the pending journal rows (up to ``BATCH``); the ids of their letters.

    ``wait``: for another fold to finish, if one is running; else None when one is. Called
    outside a transaction.
    """
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s)", [FOLDING_LOCK])
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [FOLDING_LOCK])
            if not cursor.fetchone()[0]:
                return None
        try:
            return _fold_locked()
        finally:
            # After the commit (or the rollback): whoever waited sees this fold's rows.
            cursor.execute("SELECT pg_advisory_unlock(%s)", [FOLDING_LOCK])


def _fold_locked() -> list[int]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_pending_sql(), [BATCH])
        pending = cursor.fetchall()
        if not pending:
            return []
        # The chain's head last (other modules' appends hold it to their commits), for the batch.
        audit.record_many(
            [
                audit.Entry(
                    action="letters.letter.received",
                    actor_label=f"VNeID {client_id}",
                    object_type=Letter._meta.label_lower,
                    object_id=str(letter_id),
                    object_repr=tracking_code,
                    unit_id=unit_id,
                    extra={"channel": channel, "kind": kind, "attachments": attachments},
                )
                for _pk, client_id, letter_id, tracking_code, unit_id, channel, kind, attachments in pending
            ],
            audit.lock_head(),
        )
        cursor.execute(
            f"UPDATE {VneidSubmission._meta.db_table} SET audited_at = %s WHERE id = ANY(%s)",  # noqa: S608
            [timezone.now(), [row[0] for row in pending]],
        )
    return [row[2] for row in pending]


def _audited(letter_pk: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT audited_at IS NOT NULL FROM {VneidSubmission._meta.db_table} WHERE letter_id = %s",  # noqa: S608
            [letter_pk],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _wait_for_the_fold() -> None:
    # The shared lock is granted once the running fold has committed and let go, and let go at once.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock_shared(%s), pg_advisory_unlock_shared(%s)", [FOLDING_LOCK] * 2)


def audit_received(letter_pk: int) -> None:
    """Return once this VNeID letter's "letter received" event is in the audit chain.

    Whoever finds no fold running folds every pending row; the others wait for that fold's
    commit together and then find their row audited, or try again.
    """
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        folded = fold(wait=False)
        if folded is None:
            _wait_for_the_fold()
            if _audited(letter_pk):
                return
            continue
        # Pending rows come oldest first: without this one among fewer than a batch, an earlier
        # fold had taken it.
        if letter_pk in folded or len(folded) < BATCH:
            return
    # Left in the journal: the next intake, or the ``fold_intake_audit`` job, folds it.
