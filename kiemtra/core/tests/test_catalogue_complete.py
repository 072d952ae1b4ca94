"""Every translatable string of the project has an English translation in kiemtra/locale/en.

The msgids are extracted the way ``kiemtra makemessages -l en`` extracts them, without the gettext
binaries: Django's own ``templatize`` turns each template into the Python-like text that makemessages
hands to xgettext, and Babel's Python extractor reads the gettext calls from it and from the .py files
(tests and migrations left out, as in makemessages' ignore patterns).

When this test fails: run ``kiemtra makemessages -l en --no-obsolete -i node_modules -i .venv -i var
-i bench -i '*/tests/*' -i '*/migrations/*'`` (or add the entries by hand), write the English msgstr,
then ``kiemtra compile_translations``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation.template import templatize

import kiemtra

SOURCE_ROOT = Path(kiemtra.__file__).parent
CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
SKIPPED_DIRS = {"tests", "migrations"}
SKIPPED_FILES = {"conftest.py", "test_settings.py"}

# xgettext's Python keywords plus the ones makemessages adds (argument positions as Babel spells them).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}

Msgid = str | tuple[str, str]  # a plural message is (singular, plural)
Key = tuple[Msgid, str | None]  # (msgid, context)


def _sources() -> Iterator[tuple[str, str]]:
    """(path relative to the repository, Python source) for every file makemessages reads."""
    for path in sorted(SOURCE_ROOT.rglob("*")):
        relative = path.relative_to(SOURCE_ROOT)
        if SKIPPED_DIRS.intersection(relative.parts) or path.name in SKIPPED_FILES or not path.is_file():
            continue
        name = str(path.relative_to(SOURCE_ROOT.parent))
        if path.suffix == ".py":
            yield name, path.read_text(encoding="utf-8")
        elif path.suffix in {".html", ".txt"}:
            yield name, templatize(path.read_text(encoding="utf-8"), origin=name)


def extract_msgids() -> dict[Key, list[str]]:
    """{(msgid, context): ["kiemtra/…/file.py:12", …]} for the whole project."""
    found: dict[Key, list[str]] = {}
    for name, source in _sources():
        for lineno, message, _comments, context in extract("python", io.BytesIO(source.encode()), KEYWORDS):
            msgid: Msgid = message if isinstance(message, str) else (message[0], message[1])
            found.setdefault((msgid, context), []).append(f"{name}:{lineno}")
    return found


def _untranslated(catalogue: Catalog, msgid: Msgid, context: str | None) -> str | None:
    """Why the catalogue does not translate ``msgid``, or None when it does."""
    entry = catalogue.get(msgid[0] if isinstance(msgid, tuple) else msgid, context=context)
    if entry is None:
        return "missing"
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    if not all(strings):
        return "empty msgstr"
    if entry.fuzzy:
        return "fuzzy (not compiled)"
    if isinstance(msgid, tuple) and entry.id != msgid:
        return f"plural form differs: {entry.id!r}"
    return None


def test_extraction_finds_template_python_and_plural_messages() -> None:
    msgids = extract_msgids()
    assert len(msgids) > 900
    assert ("Đăng nhập hệ thống", None) in msgids  # {% translate %}
    assert ("Tài khoản do %(name)s quản lý (Quy định 06, Điều 2.8)", None) in msgids  # {% blocktranslate with %}
    assert ("Mã định danh, mật khẩu hoặc mã xác thực không đúng.", None) in msgids  # gettext in a view
    assert ("Đang cập nhật", None) in msgids  # gettext_lazy in TextChoices
    plural = ("Phê duyệt %(n)s báo cáo đang chờ?", "Phê duyệt %(n)s báo cáo đang chờ?")
    assert (plural, None) in msgids  # {% blocktranslate count %}
    assert not [key for key, where in msgids.items() if any("/tests/" in w or "/migrations/" in w for w in where)]


def test_every_msgid_has_an_english_translation() -> None:
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    problems = []
    for (msgid, context), where in extract_msgids().items():
        why = _untranslated(catalogue, msgid, context)
        if why:
            shown = msgid[0] if isinstance(msgid, tuple) else msgid
            problems.append(f"{why}: {shown!r}{f' (context {context!r})' if context else ''} — {', '.join(where[:3])}")
    assert not problems, f"{len(problems)} msgid(s) without English in {CATALOGUE}:\n" + "\n".join(problems)
