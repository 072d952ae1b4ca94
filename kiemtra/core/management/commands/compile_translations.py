"""Compile the .po catalogues to .mo with Babel (no system gettext needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Biên dịch các tệp bản dịch (.po → .mo)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for base in settings.LOCALE_PATHS:
            for po_path in Path(base).glob("*/LC_MESSAGES/*.po"):
                with po_path.open("rb") as po:
                    catalog = read_po(po)
                with po_path.with_suffix(".mo").open("wb") as mo:
                    write_mo(mo, catalog)
                count += 1
        self.stdout.write(f"Đã biên dịch {count} tệp bản dịch.")
