"""Where the help media live: ``var/help-media/<topic>/`` with the screenshots, the video and their captions.

They are written by the browser tests (``make help-media``), never committed, and
served from here; a topic without media still has its written steps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

INDEX = "index.json"  # {"screenshots": [{"file": "01.png", "caption": "…"}], "video": "walk.webm"}
SERVED = {".png": "image/png", ".webm": "video/webm"}


def root() -> Path:
    return Path(getattr(settings, "HELP_MEDIA_DIR", settings.VAR_DIR / "help-media"))


@dataclass(frozen=True)
class Screenshot:
    file: str
    caption: str


@dataclass(frozen=True)
class Media:
    screenshots: list[Screenshot]
    video: str | None


def media_of(slug: str) -> Media | None:
    """The media of one topic, when ``make help-media`` has produced them."""
    folder = root() / slug
    try:
        index = json.loads((folder / INDEX).read_text())
    except (OSError, ValueError):
        return None
    shots = [
        Screenshot(str(s["file"]), str(s.get("caption", "")))
        for s in index.get("screenshots", [])
        if (folder / str(s["file"])).is_file()
    ]
    video = index.get("video")
    if video and not (folder / str(video)).is_file():
        video = None
    return Media(shots, video) if shots or video else None


def media_file(slug: str, name: str) -> Path | None:
    """A file of a topic's media folder; None for anything else (no path leaves the folder)."""
    if "/" in name or "\\" in name or name.startswith(".") or Path(name).suffix not in SERVED:
        return None
    path = root() / slug / name
    return path if path.is_file() else None
