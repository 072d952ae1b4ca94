"""The security baseline: Argon2, CSP and headers, CSRF, and a clean ``check --deploy``."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client


def test_production_settings_pass_check_deploy(tmp_path) -> None:
    from kiemtra.core.tests.test_production_keys import PRODUCTION_KEYS

    env = {
        **os.environ,
        **PRODUCTION_KEYS,
        "DJANGO_SETTINGS_MODULE": "kiemtra.settings",
        "KIEMTRA_PRODUCTION": "1",
        "KIEMTRA_VAR_DIR": str(tmp_path),
        "KIEMTRA_ALLOWED_HOSTS": "kiemtra.ubkttw.vn",
    }
    result = subprocess.run(
        [sys.executable, "-m", "kiemtra.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_passwords_are_hashed_with_argon2() -> None:
    from django.conf import settings as live
    from django.contrib.auth.hashers import Argon2PasswordHasher

    import kiemtra.settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert "Argon2PasswordHasher" not in live.PASSWORD_HASHERS[0]  # tests use a fast hasher...
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("mat-khau", hasher.salt())
    assert encoded.startswith("argon2$argon2id$") and hasher.verify("mat-khau", encoded)


@pytest.mark.django_db
def test_pages_carry_csp_and_security_headers(client: Client) -> None:
    response = client.get("/tai-khoan/dang-nhap/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_sign_in_without_csrf_token_is_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/tai-khoan/dang-nhap/", {"username": "a", "password": "b"})
    assert response.status_code == 403
