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


def test_demo_shows_letters_at_every_stage_of_handling(org_tree: Tree) -> None:
    from kiemtra.accounts.choices import Role
    from kiemtra.conftest import give, make_person
    from kiemtra.letters.choices import ProposalState, Status
    from kiemtra.letters.models import InspectionProposal
    from kiemtra.workdays.models import CalendarDay

    for code in ("hn.donthu1", "hn.donthu2"):
        give(make_person(code, unit=org_tree.province), org_tree.province, Role.USER)
    give(make_person("hn.quanly.donthu", unit=org_tree.province), org_tree.province, Role.USER_MANAGER)
    give(make_person("vp.quantri.donthu", unit=org_tree.office), org_tree.office, Role.NATIONAL_ADMIN)
    demo.seed_demo(io.StringIO())
    assert CalendarDay.objects.filter(date__year=2026).exists()
    seen = set(Letter.objects.filter(holding_unit=org_tree.province).values_list("status", flat=True))
    wanted = {Status.HANDLING, Status.SUSPENDED, Status.CONCLUDED, Status.ANSWERED, Status.REFERRED, Status.GUIDED}
    assert wanted <= seen | set(Letter.objects.filter(status=Status.REFERRED).values_list("status", flat=True))
    assert InspectionProposal.objects.filter(state=ProposalState.APPROVED).exists()
    # What the Letters II pages show: a matter of linked letters, a proposal waiting, a data request.
    from kiemtra.letters.models import DataRequest

    assert Letter.objects.filter(matter__isnull=False).count() >= 2
    assert InspectionProposal.objects.filter(state=ProposalState.SUBMITTED).exists()
    assert DataRequest.objects.filter(from_unit=org_tree.province).exists()
