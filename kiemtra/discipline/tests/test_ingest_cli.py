"""``kiemtra discipline ingest``: the bulk load goes through the batch service, as the named editor."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person
from kiemtra.discipline.choices import DecisionState
from kiemtra.discipline.models import Decision

from .corpus import CORPUS

pytestmark = pytest.mark.django_db


def test_a_folder_is_loaded_into_the_reconciliation_queue(org_tree: Tree, tmp_path: Path) -> None:
    editor = make_person("tw.kyluat.capnhat")
    give(editor, org_tree.centre, Role.DISCIPLINE_EDITOR)
    for name in ("digital/qd-cell-13.pdf", "digital/qd-nhieu-dang-vien-02.pdf", "bad/hong-file.pdf"):
        shutil.copy(CORPUS / name, tmp_path)
    out = io.StringIO()
    call_command("discipline", "ingest", str(tmp_path), "--unit", "UBKTTW", "--as", "tw.kyluat.capnhat", stdout=out)
    text = out.getvalue()
    assert "hong-file.pdf: Tệp PDF bị hỏng" in text
    assert "3 tệp, 3 quyết định chờ đối soát" in text
    assert Decision.objects.filter(state=DecisionState.PENDING, unit=org_tree.centre).count() == 3
    assert AuditEvent.objects.filter(action="discipline.batch.started", actor=editor).exists()


def test_the_named_account_must_be_allowed_to_enter_decisions_at_the_unit(org_tree: Tree) -> None:
    viewer = make_person("hn.tracuu")
    give(viewer, org_tree.province, Role.DISCIPLINE_VIEWER)
    with pytest.raises(CommandError, match="không có quyền"):
        call_command(
            "discipline", "ingest", str(CORPUS / "digital/qd-cell-13.pdf"), "--unit", "T01", "--as", "hn.tracuu"
        )
    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("discipline", "ingest", str(CORPUS / "digital"), "--unit", "KHONG-CO", "--as", "hn.tracuu")
    assert not Decision.objects.exists()
