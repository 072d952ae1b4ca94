"""Settings for the test suite: the real ones, with static files served from the finders."""

from kiemtra.settings import *  # noqa: F403
from kiemtra.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
