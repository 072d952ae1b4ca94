"""The help walks: media on when ``KIEMTRA_HELP_MEDIA`` names a folder (``make help-media``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .walk import Walk, media_target, prepare_ffmpeg


@pytest.fixture(scope="session", autouse=True)
def _video_encoder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Before any browser starts: Playwright must see the ffmpeg it records videos with."""
    if media_target() is not None:
        prepare_ffmpeg(tmp_path_factory.mktemp("playwright"))


@pytest.fixture
def walk(live_server: Any, browser: Any, tmp_path: Path) -> Iterator[Callable[..., Walk]]:
    started: list[Walk] = []

    def start(slug: str, **options: Any) -> Walk:
        w = Walk(browser, live_server.url, slug, tmp_path, **options)
        w.page.on("dialog", lambda dialog: dialog.accept())  # the confirmations the user accepts
        started.append(w)
        return w

    yield start
    for w in started:
        if not w.context.pages:
            continue
        w.context.close()
