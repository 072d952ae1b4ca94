from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _own_checkpoint_file(settings: Any, tmp_path: Path) -> Path:
    """Each test its own checkpoint file: the database is rolled back after a test, the file would not be."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    return settings.AUDIT_CHECKPOINT_FILE
