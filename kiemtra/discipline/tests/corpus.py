"""The labelled corpus the tests read (``tests/data/discipline``, written by ``make_corpus.py``)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from kiemtra.discipline.extraction.reading import ReadResult, read_document
from kiemtra.discipline.extraction.types import Page

CORPUS = Path(__file__).resolve().parents[3] / "tests" / "data" / "discipline"


@functools.cache
def labels() -> dict[str, Any]:
    return json.loads((CORPUS / "labels.json").read_text())["files"]


@functools.cache
def read(rel: str) -> ReadResult:
    """A corpus file read once per test session (OCR'd files take seconds)."""
    return read_document(CORPUS / rel)


def pages(text: str) -> list[Page]:
    """A snippet as the single text-layer page of a document."""
    return [Page(number=1, text=text, source="text", confidence=None)]
