"""The encrypted container of a backup (``.kbak``).

Layout: a 61-byte plaintext header, then the ciphertext chunks.

    header = magic "KTBACKUP" | version u8 | chunk size u32 | nonce prefix 8B | key id 8B | SHA-256 of the chunks
    chunk i = AES-256-GCM(key, nonce = prefix | i u32, aad = header[:29] | i u64 | final u8)

The SHA-256 in the header lets anyone check a copy for damage without the key;
the GCM tags are what prove that nobody who lacks the key changed anything.
Putting the chunk index and the final flag in the associated data makes
reordered, dropped or cut-off chunks fail authentication. The key id (an HMAC
of a constant) tells "wrong key" apart from "tampered" in the error message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiemtra.core.errors import DomainError

MAGIC = b"KTBACKUP"
VERSION = 1
CHUNK_SIZE = 1 << 20
# A header is read before anything authenticates it: bound what it can make us allocate.
MAX_CHUNK_SIZE = 64 << 20
TAG_SIZE = 16
_HEADER = struct.Struct(">8sBI8s8s32s")
HEADER_SIZE = _HEADER.size
_AUTHENTICATED_HEADER = HEADER_SIZE - 32  # the body digest is written last, so it cannot be in the AAD


class ArchiveError(DomainError):
    """The archive is refused; ``code`` says why (tests and callers branch on it)."""


@dataclass(frozen=True)
class Header:
    version: int
    chunk_size: int
    nonce_prefix: bytes
    key_id: bytes
    body_sha256: bytes

    def pack(self) -> bytes:
        return _HEADER.pack(MAGIC, self.version, self.chunk_size, self.nonce_prefix, self.key_id, self.body_sha256)


def decode_key(encoded: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(encoded.encode())
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ArchiveError("Khóa sao lưu (BACKUP_KEY) phải là 32 byte mã hóa base64 (urlsafe).", code="bad_key")
    return key


def _key_id(key: bytes) -> bytes:
    return hmac.new(key, b"kiemtra backup key id", hashlib.sha256).digest()[:8]


def _read_exact(src: BinaryIO, size: int) -> bytes:
    parts: list[bytes] = []
    while size:
        part = src.read(size)
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header[:_AUTHENTICATED_HEADER] + struct.pack(">QB", index, final)


def encrypt(src: BinaryIO, dst: BinaryIO, key: bytes, *, chunk_size: int = CHUNK_SIZE) -> None:
    """Encrypt ``src`` into ``dst`` (seekable: the header is completed at the end)."""
    header = Header(VERSION, chunk_size, os.urandom(8), _key_id(key), bytes(32))
    packed = header.pack()
    dst.write(packed)
    aes = AESGCM(key)
    body = hashlib.sha256()
    index = 0
    block = _read_exact(src, chunk_size)
    while True:
        # One chunk of look-ahead: the writer must know which chunk is the last.
        following = _read_exact(src, chunk_size)
        final = not following
        sealed = aes.encrypt(_nonce(header.nonce_prefix, index), block, _aad(packed, index, final))
        body.update(sealed)
        dst.write(sealed)
        if final:
            break
        block, index = following, index + 1
    dst.seek(0)
    dst.write(Header(VERSION, chunk_size, header.nonce_prefix, header.key_id, body.digest()).pack())
    dst.seek(0, os.SEEK_END)


def read_header(src: BinaryIO) -> Header:
    raw = src.read(HEADER_SIZE)
    if len(raw) < HEADER_SIZE or raw[:8] != MAGIC:
        raise ArchiveError("Đây không phải tệp sao lưu của Kiểm tra số.", code="not_an_archive")
    _, version, chunk_size, prefix, key_id, digest = _HEADER.unpack(raw)
    if version != VERSION:
        raise ArchiveError(f"Tệp sao lưu có định dạng phiên bản {version}, chưa được hỗ trợ.", code="unsupported")
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise ArchiveError("Phần đầu tệp sao lưu bị hỏng.", code="not_an_archive")
    return Header(version, chunk_size, prefix, key_id, digest)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while block := src.read(CHUNK_SIZE):
            digest.update(block)
    return digest.hexdigest()


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def check(path: Path) -> str:
    """Refuse a damaged archive before decrypting anything; return the SHA-256 of the whole file.

    Checks the digest in the header and, when the ``.sha256`` file is beside
    the archive, that one too (an archive copied without it is still usable).
    """
    whole = hashlib.sha256()
    body = hashlib.sha256()
    with path.open("rb") as src:
        header = read_header(src)
        whole.update(header.pack())
        while block := src.read(CHUNK_SIZE):
            whole.update(block)
            body.update(block)
    expected = whole.hexdigest()
    if sidecar(path).exists():
        expected = (sidecar(path).read_text().split() or [""])[0].lower()
    if body.digest() != header.body_sha256 or expected != whole.hexdigest():
        raise ArchiveError(
            "Tệp sao lưu bị hỏng hoặc không đầy đủ (mã kiểm tra SHA-256 không khớp); không khôi phục.",
            code="checksum",
        )
    return whole.hexdigest()


def decrypt(path: Path, dst: BinaryIO, key: bytes) -> None:
    """Decrypt the archive at ``path`` into ``dst``; raise unless every chunk, up to the last, authenticates."""
    with path.open("rb") as src:
        header = read_header(src)
        if not hmac.compare_digest(header.key_id, _key_id(key)):
            raise ArchiveError(
                "Khóa sao lưu (BACKUP_KEY) không đúng với khóa đã dùng để tạo tệp này; không khôi phục.",
                code="wrong_key",
            )
        packed = header.pack()
        aes = AESGCM(key)
        index = 0
        block = _read_exact(src, header.chunk_size + TAG_SIZE)
        while True:
            following = _read_exact(src, header.chunk_size + TAG_SIZE)
            final = not following
            try:
                dst.write(aes.decrypt(_nonce(header.nonce_prefix, index), block, _aad(packed, index, final)))
            except InvalidTag:
                raise ArchiveError(
                    "Tệp sao lưu không xác thực được: đã bị sửa đổi hoặc bị cắt bớt; không khôi phục.",
                    code="tampered",
                ) from None
            if final:
                return
            block, index = following, index + 1
