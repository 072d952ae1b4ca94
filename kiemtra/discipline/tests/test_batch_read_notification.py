"""The uploader is told when a batch has been read (issue 9.6: "a batch of decisions read")."""

from __future__ import annotations

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree, give, make_person
from kiemtra.discipline.services import ingest
from kiemtra.notifications.models import Notification

from .corpus import CORPUS

pytestmark = pytest.mark.django_db


def test_the_uploader_is_notified_once_when_the_whole_batch_is_read(
    org_tree: Tree, django_capture_on_commit_callbacks
) -> None:
    editor, colleague = make_person(), make_person()
    for person in (editor, colleague):
        give(person, org_tree.centre, Role.DISCIPLINE_EDITOR)
    data = (CORPUS / "digital/qd-cell-13.pdf").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        batch = ingest.start_batch(
            editor, org_tree.centre, [ingest.Upload("a.pdf", data), ingest.Upload("b.pdf", b"x")]
        )
        ingest.process_queued(limit=1)
        assert not Notification.objects.exists()  # half read: nothing to say yet
        ingest.process_queued()
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.unit) == (editor, "discipline.batch.read", org_tree.centre)
    assert notice.url == f"/ky-luat/lo/{batch.pk}/" and "1/2" in notice.title
