"""The demo's published password is hashed once for all demo accounts; nothing else changes."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher

from kiemtra.accounts.models import User
from kiemtra.shell.demo import DEMO_PASSWORD, _public_password_hashed_once


def test_demo_accounts_share_one_hash_of_the_public_password_and_other_passwords_are_untouched() -> None:
    with _public_password_hashed_once():
        first, second, other = User(identifier_code="a"), User(identifier_code="b"), User(identifier_code="c")
        first.set_password(DEMO_PASSWORD)
        second.set_password(DEMO_PASSWORD)
        other.set_password("Mat-khau-rieng-2025")
    assert first.password == second.password
    assert identify_hasher(first.password).algorithm == get_hasher().algorithm  # the configured hasher (Argon2)
    assert check_password(DEMO_PASSWORD, first.password)
    assert other.password != first.password and check_password("Mat-khau-rieng-2025", other.password)
    after = User(identifier_code="d")
    after.set_password(DEMO_PASSWORD)
    assert after.password != first.password  # outside the demo load, each hash has its own salt
