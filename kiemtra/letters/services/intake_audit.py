"""The audit events of VNeID intake, appended in batches after the letters' own commits.

Every append to the audit chain takes its single head row until the COMMIT has flushed the
WAL, so appending one event inside each letter's transaction makes every intake queue there
(≈ 35 a second on the 2-core machine under load). Instead, the submission row written with
the letter is a durable journal (``audited_at`` empty); after its commit, the request takes the
chain's head (waiting its turn) and appends the events of *every* pending letter in one batch
(``audit.record_many``: one INSERT, one WAL flush). The requests queued behind it mostly find
their letter audited by then and commit nothing. Nobody answers before its letter's event is in
the chain; a crash between the two commits leaves journal rows that the next intake folds (and
the ``fold_intake_audit`` job, every minute).

PostgreSQL only (it needs ``SKIP LOCKED``); elsewhere the event is written in the letter's
own transaction.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from kiemtra.audit import services as audit

from ..models import Attachment, Letter, VneidClient, VneidSubmission

BATCH = 500


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


def fold() -> list[int]:
    """Append the events of the pending journal rows (up to ``BATCH``); the ids of their letters.

    Waits for the chain's head: whoever holds it is appending, maybe this caller's letter too.
    """
    with transaction.atomic():
        head = audit.lock_head()
        with connection.cursor() as cursor:
            cursor.execute(_pending_sql(), [BATCH])
            pending = cursor.fetchall()
        if not pending:
            return []
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
            head,
        )
        VneidSubmission.objects.filter(pk__in=[row[0] for row in pending]).update(audited_at=timezone.now())
    return [row[2] for row in pending]


def audit_received(letter_pk: int) -> None:
    """Return once this VNeID letter's "letter received" event is in the audit chain."""
    while True:
        folded = fold()
        # Folded now, or (not among the oldest pending, and fewer than a batch of them) by an
        # earlier holder of the head: pending rows come oldest first, so a full batch without
        # this one means it waits for the next.
        if letter_pk in folded or len(folded) < BATCH:
            return
