"""Each backup writes an audit checkpoint and carries the checkpoint file; a restore resets the reference.

Issue 8.5.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiemtra.audit import checkpoints
from kiemtra.audit import services as audit
from kiemtra.audit.models import AuditEvent
from kiemtra.backups import services
from kiemtra.conftest import Tree

from .conftest import Env, populate, wipe_database

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_writes_a_checkpoint_and_carries_the_checkpoint_file(org_tree: Tree, env: Env) -> None:
    populate(org_tree, env.media)
    head = AuditEvent.objects.order_by("seq").last()
    assert head is not None
    record = services.backup()
    assert [(c.kind, c.seq, c.digest) for c in checkpoints.read_all()] == [("backup", head.seq, head.digest)]
    assert checkpoints.path().parent == env.backup_dir  # beside the backups
    with services.unpacked(Path(record.path)) as archive:
        carried = checkpoints.latest(archive.root / "audit-checkpoints.log")
    assert carried is not None and (carried.seq, carried.digest) == (head.seq, head.digest)


def test_restore_of_an_older_backup_becomes_the_new_reference(org_tree: Tree, env: Env) -> None:
    populate(org_tree, env.media)
    record = services.backup()
    for i in range(3):
        audit.record(None, "test.after_backup", None, n=i)
    checkpoints.write()
    wipe_database()
    with services.unpacked(Path(record.path)) as source:
        services.restore(source)
    assert checkpoints.read_all()[-1].kind == "restored"
    assert audit.verify().ok
