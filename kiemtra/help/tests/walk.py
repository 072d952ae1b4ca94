"""A help topic's walk in the browser: the test asserts what the user sees; with media on, it also films it.

``KIEMTRA_HELP_MEDIA=<folder>`` (set by ``make help-media``) turns media on: the
walk's browser context records a video (Playwright's ``record_video_dir``) and
``shot(caption)`` takes a screenshot; at the end they go to ``<folder>/<slug>/``
with ``index.json``, which the help page reads. Without it the same walk runs as
a plain browser test (screenshots and video cost nothing).

Playwright encodes the video with its own ffmpeg build, which cannot be
downloaded here; Debian's ``ffmpeg`` is offered to it under the name and
revision it expects (``PLAYWRIGHT_BROWSERS_PATH``, prepared by ``prepare_ffmpeg``
before the browser starts). Without ffmpeg the walk keeps its screenshots only.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from kiemtra.conftest import PageWatch
from kiemtra.help.media import INDEX

MEDIA_ENV = "KIEMTRA_HELP_MEDIA"
VIEWPORT = {"width": 1280, "height": 800}


def media_target() -> Path | None:
    value = os.environ.get(MEDIA_ENV, "")
    return Path(value) if value else None


def prepare_ffmpeg(folder: Path) -> bool:
    """Make Playwright find Debian's ffmpeg; True when a video can be recorded."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return False
    import playwright

    browsers = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    revision = next(b["revision"] for b in json.loads(browsers.read_text())["browsers"] if b["name"] == "ffmpeg")
    target = folder / f"ffmpeg-{revision}"
    target.mkdir(parents=True, exist_ok=True)
    link = target / "ffmpeg-linux"
    if not link.exists():
        link.symlink_to(ffmpeg)
    os.environ["PLAYWRIGHT_BROWSERS_PATH"] = str(folder)
    return True


class Walk:
    def __init__(self, browser: Any, base_url: str, slug: str, scratch: Path, *, locale: str = "vi-VN") -> None:
        self.slug = slug
        self.base_url = base_url
        self.target = media_target()
        self.scratch = scratch / slug
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.video = self.target is not None and bool(os.environ.get("PLAYWRIGHT_BROWSERS_PATH"))
        options: dict[str, Any] = {"locale": locale, "viewport": VIEWPORT}
        if self.video:
            options |= {"record_video_dir": str(self.scratch / "video"), "record_video_size": VIEWPORT}
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.watch = PageWatch(self.page, base_url)
        self.shots: list[dict[str, str]] = []

    def shot(self, caption: str) -> None:
        """A screenshot for the help page (when media are on), with what it shows."""
        if self.target is None:
            return
        name = f"{len(self.shots) + 1:02d}.png"
        self.page.wait_for_timeout(300)  # let a transition or a swap settle: the video shows it too
        self.page.screenshot(path=str(self.scratch / name))
        self.shots.append({"file": name, "caption": caption})

    def finish(self) -> list[str]:
        """Close the browser context (which writes the video); publish the media; return the page problems."""
        problems = list(self.watch.problems)
        video = self.page.video if self.video else None
        self.context.close()
        if self.target is None or problems:
            return problems
        out = self.target / self.slug
        fresh = self.target / f".{self.slug}.new"
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        for shot in self.shots:
            shutil.copy(self.scratch / shot["file"], fresh / shot["file"])
        index: dict[str, Any] = {"screenshots": self.shots, "video": None}
        if video is not None:
            shutil.copy(video.path(), fresh / "walk.webm")
            index["video"] = "walk.webm"
        (fresh / INDEX).write_text(json.dumps(index, ensure_ascii=False, indent=1))
        shutil.rmtree(out, ignore_errors=True)
        fresh.rename(out)
        return problems
