"""``make demo``'s letters: a few hundred across channels, commissions and kinds, and a VNeID client to try."""

from __future__ import annotations

import io
import json

import pytest

from kiemtra.conftest import Tree
from kiemtra.letters import demo
from kiemtra.letters.models import Letter, VneidClient

pytestmark = pytest.mark.django_db


def test_demo_fills_a_register_across_channels_commissions_and_kinds(org_tree: Tree) -> None:
    out = io.StringIO()
    demo.seed_demo(out)
    assert Letter.objects.count() == demo.SIZE
    assert Letter.objects.values("channel").distinct().count() == 4
    assert Letter.objects.values("kind").distinct().count() == 4
    assert Letter.objects.values("holding_unit").distinct().count() >= 3
    line = next(line for line in out.getvalue().splitlines() if line.startswith("{"))
    assert VneidClient.objects.filter(client_id=json.loads(line)["client_id"], active=True).exists()
    assert "curl" in out.getvalue()
    demo.seed_demo(io.StringIO())  # idempotent for the letters
    assert Letter.objects.count() == demo.SIZE
