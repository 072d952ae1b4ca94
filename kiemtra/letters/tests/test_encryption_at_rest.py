"""Protection "Tối mật": a key per letter, nothing readable in a database dump or the files folder; key rotation."""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from kiemtra.letters import keyring
from kiemtra.letters.models import Letter
from kiemtra.letters.services import records

from .conftest import PDF_BYTES, Platform, submission

CANARIES = ["CHIMHOANGYEN7731", "Nguyễn Canary Thứ Ba", "Lê Canary Bị Tố", "BÍ MẬT CANARY NỘI DUNG"]
CITIZEN_IDS = ["031199004417", "079288001932"]


def send_canaries(platform: Platform) -> None:
    pdf_with_canary = PDF_BYTES.replace(b"trailer", f"% {CANARIES[0]}\ntrailer".encode())
    for i, citizen_id in enumerate(CITIZEN_IDS):
        body = submission(
            f"canary-{i}",
            sender={"full_name": CANARIES[1], "citizen_id": citizen_id, "phone": "0988776655", "address": CANARIES[0]},
            about={"name": CANARIES[2], "position": "Giám đốc", "organisation": "Sở X"},
            title=f"Tố cáo {CANARIES[0]}",
            content=f"{CANARIES[3]} — {CANARIES[0]}",
            attachments=[
                {
                    "filename": f"{CANARIES[0]}.pdf",
                    "content_type": "application/pdf",
                    "data_base64": base64.b64encode(pdf_with_canary).decode(),
                }
            ],
        )
        assert platform.post(body).status_code == 201


def needles() -> list[bytes]:
    out = []
    for text in CANARIES + CITIZEN_IDS:
        out += [text.encode(), json.dumps(text).encode().strip(b'"')]
    return out


def database_dump() -> bytes:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump()).encode()
    settings = connection.settings_dict
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not installed")
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    return subprocess.run(
        [
            pg_dump,
            "-h",
            settings["HOST"] or "127.0.0.1",
            "-p",
            str(settings["PORT"] or 5432),
            "-U",
            settings["USER"],
            "--data-only",
            settings["NAME"],
        ],
        check=True,
        capture_output=True,
        env=env,
    ).stdout


def files_dump(root: Path) -> bytes:
    return b"\n".join(
        p.read_bytes() + p.name.encode() for p in root.rglob("*") if p.is_file() and "keys" not in p.parts
    )


@pytest.mark.django_db(transaction=True)
def test_no_canary_and_no_citizen_id_in_the_database_dump_or_the_files(
    org_tree: Any, client: Any, letters_storage: Path
) -> None:
    platform = Platform(client)
    send_canaries(platform)
    assert Letter.objects.count() == 2
    # The letters open with their keys (the test would pass vacuously if nothing had been stored).
    letter = Letter.objects.first()
    assert letter is not None and CANARIES[3] in records.content_of(letter)["content"]
    dump = database_dump()
    assert b"letters_letter" in dump or b"INSERT" in dump or b"COPY" in dump
    stored = files_dump(letters_storage)
    assert stored
    for needle in needles():
        assert needle not in dump, needle
        assert needle not in stored, needle


@pytest.mark.django_db
def test_each_letter_has_its_own_data_keys_wrapped_by_the_master_key(platform: Platform) -> None:
    platform.post(submission("a"))
    platform.post(submission("b"))
    first, second = Letter.objects.all()
    ring = keyring.load()
    assert first.key_id == second.key_id == ring.active
    assert records.keys_of(first).data != records.keys_of(second).data
    assert records.keys_of(first).data != records.keys_of(first).identity


@pytest.mark.django_db
def test_rotate_key_rewraps_every_data_key_without_touching_the_content_and_resumes(platform: Platform) -> None:
    for i in range(5):
        platform.post(submission(f"r{i}"))
    before = {
        letter.pk: (letter.content_sealed, letter.identity_sealed, letter.data_key_wrapped)
        for letter in Letter.objects.all()
    }
    old_key = keyring.load().active
    out, err = io.StringIO(), io.StringIO()
    # Stopped after two letters (as if interrupted), then resumed.
    call_command("letters", "rotate-key", "--limit", "2", stdout=out, stderr=err)
    partial = json.loads(out.getvalue())
    assert partial["rewrapped"] == 2 and partial["left"] == 3 and "2/5" in err.getvalue()
    assert old_key in keyring.load().keys  # still needed by three letters
    out = io.StringIO()
    call_command("letters", "rotate-key", "--resume", stdout=out, stderr=io.StringIO())
    done = json.loads(out.getvalue())
    assert done["key_id"] == partial["key_id"] and done["left"] == 0
    assert set(Letter.objects.values_list("key_id", flat=True)) == {done["key_id"]}
    assert old_key not in keyring.load().keys  # retired once unused
    for letter in Letter.objects.all():
        content, ident, wrapped = before[letter.pk]
        assert letter.content_sealed == content and letter.identity_sealed == ident  # not re-encrypted
        assert letter.data_key_wrapped != wrapped
        assert records.content_of(letter)["title"] == "Tố cáo sai phạm đất đai"
        assert records.senders_of(letter)[0]["citizen_id"] == "001190012345"
        assert records.keys_of(letter).data
