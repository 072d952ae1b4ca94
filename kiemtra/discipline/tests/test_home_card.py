"""Issue 10 item 2: the home page says what discipline work is waiting, with counts and links (a registered card)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import RequestFactory

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.conftest import Tree, signed_in
from kiemtra.core import registry
from kiemtra.discipline.cards import discipline_card
from kiemtra.discipline.choices import BatchState
from kiemtra.discipline.models import IngestBatch

from .factories import make_decision, make_pending

pytestmark = pytest.mark.django_db
Maker = Callable[..., User]


def card_for(user: User) -> registry.HomeCard | None:
    request = RequestFactory().get("/")
    request.user = user
    return discipline_card(request)


def test_an_editor_sees_the_decisions_waiting_for_reconciliation_and_the_batches_being_read(
    org_tree: Tree, person_with: Maker
) -> None:
    editor = person_with(org_tree.province, Role.DISCIPLINE_EDITOR)
    make_pending(org_tree.province)
    make_pending(org_tree.province)
    make_pending(org_tree.commune)  # the commune reconciles its own
    make_decision(org_tree.province)  # published: nothing to do
    IngestBatch.objects.create(unit=org_tree.province, created_by=editor, total=3, state=BatchState.RUNNING)
    IngestBatch.objects.create(unit=org_tree.province, created_by=editor, total=1, done=1, state=BatchState.DONE)
    card = card_for(editor)
    assert card is not None
    assert [(str(line.label), line.count, line.url, line.tone) for line in card.lines] == [
        ("Quyết định chờ đối soát", 2, "/ky-luat/doi-soat/", "warning"),
        ("Lô tài liệu đang được đọc", 1, "/ky-luat/lo/", ""),
    ]
    page = " ".join(signed_in(editor).get("/").content.decode().split())
    assert "Cơ sở dữ liệu kỷ luật đảng" in page and 'href="/ky-luat/doi-soat/">Quyết định chờ đối soát</a>' in page


def test_a_viewer_and_someone_without_a_discipline_role_get_no_card(org_tree: Tree, person_with: Maker) -> None:
    make_pending(org_tree.province)
    assert card_for(person_with(org_tree.province, Role.DISCIPLINE_VIEWER)) is None
    assert card_for(person_with(org_tree.province, Role.STATISTICIAN)) is None


def test_the_card_is_registered_by_the_module() -> None:
    assert "discipline.work" in registry.registered_card_keys()
