"""The container format alone: small chunks so that chunk boundaries are exercised cheaply."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from kiemtra.backups import archive
from kiemtra.backups.archive import HEADER_SIZE, TAG_SIZE, ArchiveError

KEY = os.urandom(32)
CHUNK = 64


def seal(tmp_path: Path, plain: bytes, key: bytes = KEY) -> Path:
    path = tmp_path / "a.kbak"
    with path.open("wb") as dst:
        archive.encrypt(io.BytesIO(plain), dst, key, chunk_size=CHUNK)
    return path


def open_(path: Path, key: bytes = KEY) -> bytes:
    archive.check(path)
    out = io.BytesIO()
    archive.decrypt(path, out, key)
    return out.getvalue()


def rehash(path: Path) -> None:
    """What a forger without the key can still do: make the plaintext checksum match again."""
    data = bytearray(path.read_bytes())
    data[HEADER_SIZE - 32 : HEADER_SIZE] = hashlib.sha256(data[HEADER_SIZE:]).digest()
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK, 5 * CHUNK + 7])
def test_round_trip_at_every_chunk_boundary(tmp_path: Path, size: int) -> None:
    plain = os.urandom(size)
    assert open_(seal(tmp_path, plain)) == plain


def test_content_is_not_readable_without_decrypting(tmp_path: Path) -> None:
    secret = "Quyết định kỷ luật đồng chí Nguyễn Văn A".encode()
    assert secret[:16] not in seal(tmp_path, secret * 10).read_bytes()


def test_every_flipped_byte_is_refused(tmp_path: Path) -> None:
    path = seal(tmp_path, os.urandom(3 * CHUNK))
    original = path.read_bytes()
    for offset in range(len(original)):
        damaged = bytearray(original)
        damaged[offset] ^= 0x01
        path.write_bytes(bytes(damaged))
        with pytest.raises(ArchiveError):
            open_(path)


def test_flipped_byte_with_recomputed_checksum_fails_authentication(tmp_path: Path) -> None:
    path = seal(tmp_path, os.urandom(3 * CHUNK))
    data = bytearray(path.read_bytes())
    data[HEADER_SIZE + CHUNK + 5] ^= 0x80
    path.write_bytes(bytes(data))
    rehash(path)
    archive.check(path)  # the forgery passes the keyless check...
    with pytest.raises(ArchiveError) as refused:
        archive.decrypt(path, io.BytesIO(), KEY)
    assert refused.value.code == "tampered"  # ...but not the key


@pytest.mark.parametrize("kept_chunks", [0, 1, 2])
def test_cut_at_a_chunk_boundary_is_refused_even_with_recomputed_checksum(tmp_path: Path, kept_chunks: int) -> None:
    path = seal(tmp_path, os.urandom(3 * CHUNK))
    path.write_bytes(path.read_bytes()[: HEADER_SIZE + kept_chunks * (CHUNK + TAG_SIZE)])
    rehash(path)
    with pytest.raises(ArchiveError) as refused:
        archive.decrypt(path, io.BytesIO(), KEY)
    assert refused.value.code == "tampered"


def test_reordered_chunks_are_refused(tmp_path: Path) -> None:
    path = seal(tmp_path, os.urandom(3 * CHUNK))
    data = path.read_bytes()
    sealed = CHUNK + TAG_SIZE
    first, second = data[HEADER_SIZE : HEADER_SIZE + sealed], data[HEADER_SIZE + sealed : HEADER_SIZE + 2 * sealed]
    path.write_bytes(data[:HEADER_SIZE] + second + first + data[HEADER_SIZE + 2 * sealed :])
    rehash(path)
    with pytest.raises(ArchiveError) as refused:
        archive.decrypt(path, io.BytesIO(), KEY)
    assert refused.value.code == "tampered"


def test_wrong_key_is_named_as_such(tmp_path: Path) -> None:
    path = seal(tmp_path, b"noi dung")
    with pytest.raises(ArchiveError) as refused:
        open_(path, key=os.urandom(32))
    assert refused.value.code == "wrong_key"


def test_sidecar_checksum_is_checked_when_present(tmp_path: Path) -> None:
    path = seal(tmp_path, b"noi dung")
    archive.sidecar(path).write_text(f"{archive.file_sha256(path)}  a.kbak\n")
    assert archive.check(path) == archive.file_sha256(path)
    archive.sidecar(path).write_text("0" * 64 + "  a.kbak\n")
    with pytest.raises(ArchiveError) as refused:
        archive.check(path)
    assert refused.value.code == "checksum"


def test_other_files_are_not_taken_for_archives(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"x" * 200)
    with pytest.raises(ArchiveError) as refused:
        archive.check(path)
    assert refused.value.code == "not_an_archive"
