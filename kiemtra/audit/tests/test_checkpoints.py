"""Truncating the audit log is detected against checkpoints kept outside the database (issue 8.5).

Delete the newest rows and rewind the head row: the chain alone still links. The head written every
few minutes (and at every backup) to a signed, append-only file beside the backups does not.
"""

from __future__ import annotations

import hashlib
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from kiemtra.audit import checkpoints
from kiemtra.audit import services as audit
from kiemtra.audit.models import AuditEvent
from kiemtra.audit.tasks import checkpoint_audit_head
from kiemtra.conftest import Tree, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_events(org_tree: Tree) -> list[AuditEvent]:
    actor = make_person(unit=org_tree.province)
    return [audit.record(actor, "test.changed", org_tree.commune, after={"n": i}) for i in range(6)]


def _tamper(sql: str, params: list[Any]) -> None:
    """As an attacker with database access: the row triggers switched off first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        cursor.execute(sql, params)


def _truncate_and_rewind(keep: int) -> None:
    """Delete every row after ``keep`` and make the head row point at row ``keep``."""
    kept = AuditEvent.objects.get(seq=keep)
    _tamper("DELETE FROM audit_auditevent WHERE seq > %s", [keep])
    _tamper("UPDATE audit_audithead SET last_seq = %s, last_digest = %s WHERE id = 1", [keep, kept.digest])


def _cli() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_truncated_tail_with_rewound_head_is_detected(six_events: list[AuditEvent]) -> None:
    assert checkpoint_audit_head() == 6
    assert audit.verify().ok and "điểm kiểm tra" in _cli()
    _truncate_and_rewind(4)
    result = audit.verify()
    assert (result.ok, result.broken_seq, result.checkpoint_seq) == (False, 5, 6)
    assert "đã bị xóa" in result.problem
    with pytest.raises(CommandError, match="bản ghi số 5"):
        _cli()


def test_rewound_and_regrown_chain_is_detected(six_events: list[AuditEvent], org_tree: Tree) -> None:
    """Truncate, then append new rows so the chain is as long as before: the digest at the checkpoint differs."""
    checkpoint_audit_head()
    _truncate_and_rewind(3)
    for i in range(4):
        audit.record(None, "test.forged", org_tree.commune, n=i)
    result = audit.verify()
    assert not result.ok and result.broken_seq == 6 and "không khớp" in result.problem


def test_forged_checkpoint_is_detected(six_events: list[AuditEvent], _own_checkpoint_file: Path) -> None:
    """Without the audit key, a checkpoint line cannot be signed: a forged one breaks verification."""
    checkpoint_audit_head()
    _truncate_and_rewind(2)
    kept = AuditEvent.objects.get(seq=2)
    forged = {"kind": "scheduled", "seq": 2, "digest": kept.digest, "at": "2026-12-07T00:00:00+00:00"}
    forged["mac"] = hashlib.sha256(json.dumps(forged, sort_keys=True).encode()).hexdigest()
    with _own_checkpoint_file.open("a") as f:
        f.write(json.dumps(forged) + "\n")
    result = audit.verify()
    assert not result.ok and "giả mạo" in result.problem and "dòng 2" in result.problem


def test_rewinding_the_checkpoint_file_is_refused_too(six_events: list[AuditEvent], _own_checkpoint_file: Path) -> None:
    """A signed but older line appended again (a replay) may not lower the reference."""
    checkpoint_audit_head()
    first = _own_checkpoint_file.read_text()
    audit.record(None, "test.more", None)
    checkpoint_audit_head()
    with _own_checkpoint_file.open("a") as f:
        f.write(first)
    result = audit.verify()
    assert not result.ok and "lùi lại" in result.problem


def test_replayed_restore_checkpoint_is_refused(six_events: list[AuditEvent], _own_checkpoint_file: Path) -> None:
    """A restore may lower the reference; copying its signed line again later may not."""
    checkpoints.mark_restored()
    restored_line = _own_checkpoint_file.read_text()
    audit.record(None, "test.more", None)
    checkpoint_audit_head()
    with _own_checkpoint_file.open("a") as f:
        f.write(restored_line)
    result = audit.verify()
    assert not result.ok and "chép lại" in result.problem


def test_checkpoint_is_appended_only_when_the_head_moved(
    six_events: list[AuditEvent], _own_checkpoint_file: Path
) -> None:
    checkpoint_audit_head()
    checkpoint_audit_head()
    assert len(_own_checkpoint_file.read_text().splitlines()) == 1
    audit.record(None, "test.more", None)
    assert checkpoint_audit_head() == 7
    assert [c.seq for c in checkpoints.read_all()] == [6, 7]
    assert oct(_own_checkpoint_file.stat().st_mode & 0o777) == "0o600"


def test_checkpoints_are_written_by_the_scheduler_and_celery_beat() -> None:
    from kiemtra.core import registry
    from kiemtra.core.scheduler import beat_schedule

    path = "kiemtra.audit.tasks.checkpoint_audit_head"
    every = {job.path: job.every for job in registry.jobs()}[path]
    assert every <= 600
    assert any(entry["task"] == path and entry["schedule"] <= 600 for entry in beat_schedule().values())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL: test_chain covers its DELETE trigger")
def test_sqlite_refuses_to_delete_an_audit_row(six_events: list[AuditEvent], settings) -> None:
    settings.AUDIT_ALLOW_DELETE_FOR_TEST_FLUSH = False
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=6).delete()
    assert AuditEvent.objects.count() == 6
