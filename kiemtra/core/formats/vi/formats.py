"""dd/mm/yyyy in this language too (see kiemtra.core.formats.common)."""

from kiemtra.core.formats.common import *  # noqa: F403
