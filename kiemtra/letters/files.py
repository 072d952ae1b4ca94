"""Attachments: what a file really is (by its bytes), and where its encrypted bytes are kept."""

from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from kiemtra.core.errors import DomainError

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

EXTENSIONS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".docx": DOCX}
ALLOWED_TYPES = frozenset(EXTENSIONS.values())


@dataclass(frozen=True)
class IncomingFile:
    filename: str
    data: bytes
    declared_type: str = ""  # what the sender said; checked, never trusted


def sniff(data: bytes) -> str | None:
    """The type the bytes are, from their first bytes (and, for DOCX, the package's parts)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def check(file: IncomingFile, position: int) -> str:
    """The file's real type, or DomainError naming the file: the name, the declared type and the bytes must agree."""
    label = _("Tệp đính kèm %(n)d (%(name)s)") % {"n": position, "name": file.filename[:80]}
    if len(file.data) > MAX_FILE_BYTES:
        raise DomainError(
            _("%(file)s vượt quá %(mb)d MB.") % {"file": label, "mb": MAX_FILE_BYTES // (1024 * 1024)},
            code="attachment_too_large",
        )
    if not file.data:
        raise DomainError(_("%(file)s rỗng.") % {"file": label}, code="attachment_empty")
    by_name = EXTENSIONS.get(Path(file.filename).suffix.lower())
    actual = sniff(file.data)
    if by_name is None or actual is None:
        raise DomainError(
            _("%(file)s: chỉ nhận tệp PDF, JPEG, PNG hoặc DOCX.") % {"file": label}, code="attachment_type"
        )
    declared = file.declared_type.split(";")[0].strip().lower()
    if actual != by_name or (declared and declared not in ("application/octet-stream", actual)):
        raise DomainError(
            _("%(file)s: nội dung tệp không đúng với tên hoặc loại tệp đã khai.") % {"file": label},
            code="attachment_disguised",
        )
    return actual


def check_all(files: list[IncomingFile]) -> list[str]:
    if len(files) > MAX_FILES:
        raise DomainError(_("Chỉ được gửi tối đa %(n)d tệp đính kèm.") % {"n": MAX_FILES}, code="too_many_attachments")
    return [check(f, i) for i, f in enumerate(files, 1)]


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "letters"


def store(token: bytes) -> str:
    """Write encrypted bytes under a random name (the name says nothing about the letter)."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16) + ".bin"
    (folder / name).write_bytes(token)
    return name


def load(name: str) -> bytes:
    return (_folder() / name).read_bytes()
