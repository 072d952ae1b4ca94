"""Settings for the test suite: the real ones, with static files served from the finders."""

import tempfile
from pathlib import Path

from kiemtra.settings import *  # noqa: F403
from kiemtra.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# Argon2 at production cost makes every fixture user take ~100 ms; the Argon2
# set-up itself is checked by test_security against the real settings.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# collectstatic has not run in tests; the finders serve static files instead.
WHITENOISE_AUTOREFRESH = True

# Mandatory two-factor sign-in would send every test that signs an admin in through the form to
# the enrolment page; the tests of that rule (accounts/tests/test_two_factor.py) switch it back on.
TWO_FACTOR_REQUIRED_ROLES = []

# Django's flush (after each transactional test) empties the audit table with DELETE, which the
# SQLite trigger refuses outside the test suite; audit checkpoints go to a file of this run only.
AUDIT_ALLOW_DELETE_FOR_TEST_FLUSH = True
AUDIT_CHECKPOINT_FILE = Path(tempfile.mkdtemp(prefix="kiemtra-test-audit-")) / "audit-checkpoints.log"
