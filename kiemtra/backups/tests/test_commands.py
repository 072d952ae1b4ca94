"""``kiemtra backup`` and ``kiemtra restore`` as an operator runs them."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kiemtra.backups.models import BackupRecord
from kiemtra.conftest import Tree, make_unit
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

from .conftest import Env, populate, snapshot_db, snapshot_files

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: Any, **options: Any) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_backup_writes_to_backup_dir_by_default(org_tree: Tree, env: Env) -> None:
    output = run("backup")
    record = BackupRecord.objects.get()
    assert re.fullmatch(r"kiemtra-\d{8}-\d{6}\.kbak", Path(record.path).name)
    assert Path(record.path).parent == env.backup_dir.resolve()
    assert f"Đã sao lưu vào {record.path}" in output and record.sha256 in output


def test_backup_output_file_and_restore_with_yes(org_tree: Tree, env: Env, tmp_path: Path) -> None:
    populate(org_tree, env.media)
    target = tmp_path / "usb" / "ban-sao.kbak"
    run("backup", output=str(target))
    assert target.is_file() and (tmp_path / "usb" / "ban-sao.kbak.sha256").is_file()
    before = OrgUnit.objects.count()
    files_before = snapshot_files(env.media)
    OrgUnit.objects.filter(code="X00008").delete()
    (env.media / "scan.bin").unlink()

    output = run("restore", str(target), yes=True)

    assert "Tệp sao lưu hợp lệ: tạo lúc" in output and "Đã khôi phục" in output
    assert OrgUnit.objects.count() == before and OrgUnit.objects.filter(code="X00008").exists()
    assert snapshot_files(env.media) == files_before


def test_restore_asks_first_and_a_no_changes_nothing(
    org_tree: Tree, env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(org_tree, env.media)
    target = tmp_path / "ban-sao.kbak"
    run("backup", output=str(target))
    make_unit(UnitKind.COMMUNE, org_tree.province, code="X99999")
    db_before, files_before = snapshot_db(), snapshot_files(env.media)
    questions: list[str] = []

    def answer_no(prompt: str) -> str:
        questions.append(prompt)
        return "k"

    monkeypatch.setattr("builtins.input", answer_no)

    with pytest.raises(CommandError, match="Đã hủy"):
        run("restore", str(target))

    assert questions and "THAY THẾ" in questions[0]
    assert snapshot_db() == db_before and snapshot_files(env.media) == files_before

    monkeypatch.setattr("builtins.input", lambda prompt: "có")
    run("restore", str(target))
    assert not OrgUnit.objects.filter(code="X99999").exists()


def test_restore_refuses_a_damaged_archive_with_a_clear_message(org_tree: Tree, env: Env, tmp_path: Path) -> None:
    target = tmp_path / "ban-sao.kbak"
    run("backup", output=str(target))
    target.write_bytes(target.read_bytes()[:-1])
    with pytest.raises(CommandError, match="bị hỏng hoặc không đầy đủ"):
        run("restore", str(target), yes=True)


def test_restore_of_a_missing_file(env: Env, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không tìm thấy tệp sao lưu"):
        run("restore", str(tmp_path / "khong-co.kbak"), yes=True)
