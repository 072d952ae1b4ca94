"""Issue 10 item 9: what the reconciliation pages say matches what happened.

The batch page does not say "chờ đối soát" for decisions already reconciled, and
the seeded demo decisions name their issuing commission once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree, give, make_person, signed_in
from kiemtra.discipline import demo
from kiemtra.discipline.choices import DecisionState
from kiemtra.discipline.models import Decision
from kiemtra.discipline.services import ingest, reconciliation

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).resolve().parents[3] / "tests" / "data" / "discipline"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_the_batch_page_stops_saying_waiting_once_the_decisions_are_reconciled(org_tree: Tree) -> None:
    editor = make_person()
    give(editor, org_tree.province, Role.DISCIPLINE_EDITOR)
    data = (CORPUS / "digital" / "qd-cell-13.pdf").read_bytes()
    batch = ingest.start_batch(editor, org_tree.province, [ingest.Upload("qd.pdf", data)])
    ingest.process_queued()
    client = signed_in(editor)
    waiting = client.get(f"/ky-luat/lo/{batch.pk}/").content.decode()
    assert "Đối soát (1)" in waiting
    for decision in Decision.objects.filter(state=DecisionState.PENDING):
        reconciliation.reconcile(editor, decision, {})
    page = client.get(f"/ky-luat/lo/{batch.pk}/").content.decode()
    items = page[
        page.index('data-testid="batch-items"') : page.index("</table>", page.index('data-testid="batch-items"'))
    ]
    assert "chờ đối soát" not in items.lower() and "đã đối soát" in items and "Đối soát (1)" not in items


def test_the_demo_history_names_each_commission_once(org_tree: Tree) -> None:
    for unit, name in (
        (org_tree.province, "Ủy ban Kiểm tra Thành ủy Hà Nội"),
        (org_tree.commune, "Ủy ban Kiểm tra Đảng ủy phường Ba Đình"),
    ):
        unit.name = name
        unit.save(update_fields=["name"])
    demo.load_history(make_person(), size=40)
    bodies = set(Decision.objects.values_list("issuing_body", flat=True))
    assert "Ủy ban Kiểm tra Thành ủy Hà Nội" in bodies
    assert not [b for b in bodies if b.count("Ủy ban Kiểm tra") != 1]
    units = set(Decision.objects.values_list("subject_unit", flat=True)) - {""}
    assert "Thành ủy Hà Nội" in units and not [u for u in units if "Ủy ban Kiểm tra" in u]
