"""The audit events of VNeID intake, appended in batches after the letters' own commits.

Every append to the audit chain takes its single head row until the COMMIT has flushed the
WAL, so appending one event inside each letter's transaction makes every intake queue there
(≈ 35 a second on the 2-core machine under load). Instead, the submission row written with
the letter is a durable journal (``audited_at`` empty); after its commit, the request folds
the pending journal rows into the chain: whoever gets the head row appends the events of
*every* pending letter (one event each, in one transaction, one WAL flush), and the others,
finding the head taken, wait a few milliseconds and see their letter audited by it. Nobody
answers before its letter's event is in the chain; a crash between the two commits leaves
journal rows that the next intake folds.

PostgreSQL only (it needs ``SKIP LOCKED``); elsewhere the event is written in the letter's
own transaction.
"""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from kiemtra.audit.models import AuditHead

from ..models import Attachment, VneidSubmission
from . import records

BATCH = 500
WAIT_SECONDS = 30.0
POLL_SECONDS = 0.005


def supported() -> bool:
    return bool(connection.features.has_select_for_update_skip_locked) and AuditHead.objects.filter(pk=1).exists()


def _fold() -> bool:
    """Append the pending events if the chain's head is free; False when another request holds it."""
    with transaction.atomic():
        if AuditHead.objects.select_for_update(skip_locked=True).filter(pk=1).first() is None:
            return False
        pending = list(
            VneidSubmission.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(audited_at__isnull=True)
            .select_related("client", "letter__holding_unit")
            .order_by("pk")[:BATCH]
        )
        counts = dict(
            Attachment.objects.filter(letter_id__in=[s.letter_id for s in pending])
            .values_list("letter_id")
            .annotate(n=Count("id"))
            .values_list("letter_id", "n")
        )
        for submission in pending:
            records.record_received(
                f"VNeID {submission.client.client_id}",
                submission.letter,
                attachments=counts.get(submission.letter_id, 0),
            )
        VneidSubmission.objects.filter(pk__in=[s.pk for s in pending]).update(audited_at=timezone.now())
    return True


def audit_received(submission_pk: int) -> None:
    """Return once this submission's "letter received" event is in the audit chain."""
    deadline = time.monotonic() + WAIT_SECONDS
    while VneidSubmission.objects.filter(pk=submission_pk, audited_at__isnull=True).exists():
        if not _fold():
            if time.monotonic() > deadline:
                return  # left in the journal: the next intake folds it
            time.sleep(POLL_SECONDS)
