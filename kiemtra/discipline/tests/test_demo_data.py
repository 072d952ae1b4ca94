"""``make demo`` shows the module alive: a published history to search and analyse, and a real corpus batch
with some decisions reconciled and others waiting in the queue."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree, give, make_person
from kiemtra.discipline import demo
from kiemtra.discipline.choices import DecisionState, IngestOutcome
from kiemtra.discipline.models import Decision, IngestItem
from kiemtra.stats.demo import current_half_year

pytestmark = pytest.mark.django_db


def test_the_demo_history_is_published_across_provinces_and_loads_once(org_tree: Tree) -> None:
    creator = make_person()
    assert demo.load_history(creator, size=60) == 60 + demo.CURRENT_SIZE
    assert demo.load_history(creator, size=60) == 0
    published = Decision.objects.published()
    assert published.values("province").distinct().count() == 2  # both provinces of the test tree
    assert published.filter(person__isnull=True).count() == 0
    assert published.filter(categories__isnull=True).count() == 0
    # Hà Nội has decisions in the current half-year, for the comparison with forms 05/06.
    _code, _name, start, cutoff = current_half_year(timezone.now())
    current = published.filter(province=org_tree.province, issued_on__range=(start, cutoff))
    assert current.count() >= demo.CURRENT_SIZE


def test_the_demo_corpus_leaves_some_decisions_reconciled_and_some_in_the_queue(org_tree: Tree) -> None:
    editor = make_person()
    give(editor, org_tree.centre, Role.DISCIPLINE_EDITOR)
    summary = demo.load_corpus(editor, org_tree.centre, files=6)
    assert summary["extracted"] == 6
    states = set(Decision.objects.values_list("state", flat=True))
    assert states == {DecisionState.PUBLISHED, DecisionState.PENDING}
    # Scans wait for the scheduler, so a visitor sees a batch in progress.
    assert IngestItem.objects.filter(outcome=IngestOutcome.QUEUED).count() == 2
    assert demo.load_corpus(editor, org_tree.centre, files=6) == {}
