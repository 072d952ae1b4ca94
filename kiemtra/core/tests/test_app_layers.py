"""The apps import each other in one direction: kernel ← orgs ← accounts ← feature apps ← shell (DESIGN.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
# ../shared/ beside the clone (CI, /work/main); a worktree one level deeper finds it further up.
TOOL = next(
    (
        d / "shared" / "tools" / "app_layers.py"
        for d in REPO.parents
        if (d / "shared" / "tools" / "app_layers.py").exists()
    ),
    REPO.parent / "shared" / "tools" / "app_layers.py",
)


@pytest.mark.skipif(not TOOL.exists(), reason=f"{TOOL} is absent: the shared tools are not beside this clone")
def test_the_app_graph_has_no_cycle_and_no_base_app_imports_a_feature_app() -> None:
    result = subprocess.run(
        [sys.executable, str(TOOL), str(REPO / "kiemtra")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
