"""Only the front-end files the pages use, taken from ``node_modules`` (``settings.VENDOR_STATIC``).

Pointing STATICFILES_DIRS at whole npm packages made ``collectstatic`` copy,
hash and compress 132 MB of ECharts sources and maps for the one 1 MB file the
pages load (5½ minutes of ``make demo``). This finder lists files, not folders.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import AppDirectoriesFinder, BaseFinder
from django.core.checks import CheckMessage, Warning
from django.core.files.storage import FileSystemStorage


class VendorFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.files: dict[str, Path] = {}
        self.missing: list[str] = []
        for prefix, root, patterns in settings.VENDOR_STATIC:
            for pattern in patterns:
                matches = [p for p in sorted(Path(root).glob(pattern)) if p.is_file()]
                if not matches:
                    self.missing.append(f"{root}/{pattern}")
                for path in matches:
                    self.files[f"{prefix}/{path.relative_to(root).as_posix()}"] = path

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [Warning(f"front-end file not found: {m} (run `npm ci`)", id="kiemtra.W001") for m in self.missing]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        find_all = find_all or bool(kwargs.get("all"))
        found = self.files.get(path)
        if find_all:
            return [str(found)] if found else []
        return str(found) if found else None

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        storages: dict[tuple[Path, str], FileSystemStorage] = {}
        for name, path in self.files.items():
            prefix = name.rsplit("/", 1)[0]
            key = (path.parent, prefix)
            if key not in storages:
                storage = FileSystemStorage(location=path.parent)
                storage.prefix = prefix  # type: ignore[attr-defined]  # collectstatic reads it
                storages[key] = storage
            yield path.name, storages[key]


class AppStaticFinder(AppDirectoriesFinder):
    """The apps' own ``static/`` folders, except those of apps whose files no page loads.

    django-htmx ships its own copies of htmx (234 files); the pages load the npm one.
    """

    SKIPPED_APPS = frozenset({"django_htmx"})

    def __init__(self, app_names: Any = None, *args: Any, **kwargs: Any) -> None:
        names = [c.name for c in apps.get_app_configs() if c.name not in self.SKIPPED_APPS]
        super().__init__(app_names or names, *args, **kwargs)
