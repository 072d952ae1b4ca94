"""The audit log names a finished batch with its real count (issue 10, item 6: "Lô 1 (23/24)" for 24/24)."""

from __future__ import annotations

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person
from kiemtra.discipline.services import ingest

from .corpus import CORPUS

pytestmark = pytest.mark.django_db


def test_the_finished_batch_is_recorded_with_all_its_files_counted(org_tree: Tree, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    editor = make_person()
    give(editor, org_tree.centre, Role.DISCIPLINE_EDITOR)
    data = (CORPUS / "digital/qd-cell-13.pdf").read_bytes()
    batch = ingest.start_batch(editor, org_tree.centre, [ingest.Upload("a.pdf", data), ingest.Upload("b.pdf", b"x")])
    ingest.process_queued()
    finished = AuditEvent.objects.get(action="discipline.batch.finished", object_id=str(batch.pk))
    assert finished.object_repr == f"Lô {batch.pk} (2/2)"
