"""``record_many`` appends a batch as ``record`` would one by one: the chain verifies, the head follows, and a
tampered row of a batch is found (one statement on PostgreSQL, the ORM elsewhere)."""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction

from kiemtra.audit import services as audit
from kiemtra.audit.models import AuditEvent, AuditHead
from kiemtra.audit.tests.test_chain import _without_guard
from kiemtra.conftest import Tree, make_person

pytestmark = pytest.mark.django_db


def test_a_batch_between_single_records_keeps_one_verifiable_chain(org_tree: Tree) -> None:
    actor = make_person(unit=org_tree.province)
    audit.record(actor, "test.before", org_tree.commune)
    entries = [
        audit.Entry(
            action="letters.letter.received",
            actor_label="VNeID vneid-abc",
            object_type="letters.letter",
            object_id=str(n),
            object_repr=f"DT-0000{n}-ĐƠN",
            unit_id=org_tree.commune.pk if n % 2 else None,
            extra={"channel": "vneid", "kind": "complaint", "attachments": n, "nested": {"b": [1, 2], "a": "ư"}},
        )
        for n in range(3)
    ]
    with transaction.atomic():
        assert audit.record_many(entries) == 3
    audit.record(actor, "test.after", org_tree.commune)
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.action for e in events][-5:] == ["test.before", *["letters.letter.received"] * 3, "test.after"]
    batch = events[-4:-1]
    assert [e.unit_id for e in batch] == [None, org_tree.commune.pk, None]
    assert batch[2].extra["nested"] == {"b": [1, 2], "a": "ư"} and batch[1].object_repr == "DT-00001-ĐƠN"
    assert all(b.prev_digest == a.digest for a, b in itertools.pairwise(events))
    head = AuditHead.objects.get(pk=1)
    assert (head.last_seq, head.last_digest) == (events[-1].seq, events[-1].digest)
    assert audit.verify().ok
    _without_guard("UPDATE audit_auditevent SET object_repr = %s WHERE seq = %s", ["DT-XXXXX", batch[1].seq])
    result = audit.verify()
    assert not result.ok and result.broken_seq == batch[1].seq
