"""Production refuses to start without its keys; settings hold no fallback secret (issue 8.13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiemtra.core.keys import SECRET_NAMES

PRODUCTION_KEYS = {f"KIEMTRA_{name}": f"cle-de-test-{name.lower()}-0123456789abcdef" for name in SECRET_NAMES}
PRODUCTION_KEYS["KIEMTRA_SECRET_KEY"] = "k7#Qz!v2Lp9@Rw4$Tn8^Hs1&Xc6*Bm3(Fj5)Gd0-Yu+Ea=Oi_Ke;Nr:Wl?"
# Fernet needs a real key.
PRODUCTION_KEYS["KIEMTRA_FIELD_ENCRYPTION_KEY"] = "Xh3rQ2Kp1mJ8u0g6b4yT7nD9cF5aL2sE0wV3zR6qH1k="


def _check(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KIEMTRA_")}
    full = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "kiemtra.settings",
        "KIEMTRA_VAR_DIR": str(tmp_path),
        "KIEMTRA_ALLOWED_HOSTS": "kiemtra.ubkttw.vn",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "kiemtra.cli", "check"], env=full, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("missing", sorted(PRODUCTION_KEYS))
def test_production_server_refuses_to_start_without_each_key(tmp_path: Path, missing: str) -> None:
    env = {**PRODUCTION_KEYS, "KIEMTRA_PRODUCTION": "1"}
    del env[missing]
    result = _check(tmp_path, env)
    assert result.returncode != 0
    assert missing in result.stderr and "không khởi động" in result.stderr
    assert not (tmp_path / "keys.json").exists()  # nothing generated in its place


def test_production_server_starts_with_every_key_from_the_environment(tmp_path: Path) -> None:
    result = _check(tmp_path, {**PRODUCTION_KEYS, "KIEMTRA_PRODUCTION": "1"})
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "keys.json").exists()


def test_settings_hold_no_fallback_secret() -> None:
    """No literal default password or key in settings.py: each comes from the keys."""
    source = (Path(__file__).parents[2] / "settings.py").read_text()
    assert "KiemTra@2025" not in source
    assert 'LETTERS_DEFAULT_PASSWORD = KEYS["LETTERS_DEFAULT_PASSWORD"]' in source
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "AUDIT_HMAC_KEY", "BACKUP_KEY"):
        assert f'{name} = KEYS["{name}"]' in source


def test_embedded_set_up_keeps_its_generated_keys_including_the_letter_default(tmp_path: Path) -> None:
    from kiemtra.core.keys import load_or_create_keys

    first = load_or_create_keys(tmp_path / "keys.json")
    assert set(first) == set(SECRET_NAMES) and all(first.values())
    assert load_or_create_keys(tmp_path / "keys.json") == first
    assert oct((tmp_path / "keys.json").stat().st_mode & 0o777) == "0o600"
