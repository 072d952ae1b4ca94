"""The audit log is append-only and hash-chained; ``kiemtra audit verify`` finds the first broken link."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from kiemtra.audit import services as audit
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_events(org_tree: Tree) -> list[AuditEvent]:
    actor = make_person(unit=org_tree.province)
    return [
        audit.record(actor, "test.changed", org_tree.commune, before={"n": i}, after={"n": i + 1}, note="thử")
        for i in range(5)
    ]


def _without_guard(sql: str, params: list[Any]) -> None:
    """Tamper as an attacker with database access would: switch the trigger off first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        cursor.execute(sql, params)


def _verify_cli() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_intact_chain_verifies(five_events: list[AuditEvent]) -> None:
    result = audit.verify()
    assert result.ok and result.checked == 5
    assert "5 bản ghi hợp lệ" in _verify_cli()


def test_database_refuses_to_update_an_audit_row(five_events: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=five_events[2].pk).update(action="đã sửa")
    assert AuditEvent.objects.get(pk=five_events[2].pk).action == "test.changed"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps DELETE for Django's test flush")
def test_postgresql_refuses_to_delete_an_audit_row(five_events: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=five_events[2].pk).delete()


def test_altered_row_is_reported(five_events: list[AuditEvent]) -> None:
    _without_guard("UPDATE audit_auditevent SET after = %s WHERE seq = %s", ['{"n": 999}', 3])
    result = audit.verify()
    assert (result.ok, result.broken_seq, result.checked) == (False, 3, 2)
    with pytest.raises(CommandError, match="bản ghi số 3"):
        _verify_cli()


def test_deleted_row_is_reported(five_events: list[AuditEvent]) -> None:
    _without_guard("DELETE FROM audit_auditevent WHERE seq = %s", [2])
    result = audit.verify()
    assert (result.ok, result.broken_seq) == (False, 2)


def test_deleted_tail_is_reported(five_events: list[AuditEvent]) -> None:
    _without_guard("DELETE FROM audit_auditevent WHERE seq >= %s", [4])
    result = audit.verify()
    assert not result.ok and result.broken_seq == 4


def test_row_inserted_out_of_order_is_reported(five_events: list[AuditEvent]) -> None:
    """Swap two rows' positions: each row still hashes, but the links break."""
    _without_guard("UPDATE audit_auditevent SET seq = -1 WHERE seq = %s", [2])
    _without_guard("UPDATE audit_auditevent SET seq = 2 WHERE seq = %s", [3])
    _without_guard("UPDATE audit_auditevent SET seq = 3 WHERE seq = %s", [-1])
    result = audit.verify()
    assert not result.ok and result.broken_seq == 2


def test_rewritten_row_with_a_recomputed_plain_hash_is_still_caught(five_events: list[AuditEvent]) -> None:
    """The digest is keyed: an attacker without the key cannot forge a matching one."""
    import hashlib

    forged = hashlib.sha256(b"forged").hexdigest()
    _without_guard("UPDATE audit_auditevent SET action = %s, digest = %s WHERE seq = %s", ["x", forged, 5])
    assert audit.verify().broken_seq == 5


def test_reads_of_protected_data_are_logged(org_tree: Tree) -> None:
    reader = make_person(unit=org_tree.province)
    event = audit.record_read(reader, "letters.letter.read", org_tree.province, fields=["content"])
    assert event.is_read and event.extra == {"fields": ["content"]}
    assert audit.verify().ok
