"""Migration 0005: decisions stored before issue 10 items 9–10 are rewritten in the new shape."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from kiemtra.conftest import Tree, make_person
from kiemtra.discipline.choices import Confidentiality, IngestOutcome
from kiemtra.discipline.models import Decision, IngestBatch, IngestItem
from kiemtra.discipline.services import records

from .factories import make_decision

pytestmark = pytest.mark.django_db
migration = importlib.import_module("kiemtra.discipline.migrations.0005_search_tokens_and_names")


def test_old_words_doubled_names_and_waiting_notes_are_rewritten(org_tree: Tree) -> None:
    ordinary = make_decision(org_tree.commune, subject_name="Nguyễn Văn An")
    secret = make_decision(org_tree.commune, subject_name="Hoàng Minh Tuấn", confidentiality=Confidentiality.SECRET)
    doubled = "Ủy ban Kiểm tra Ủy ban Kiểm tra Thành ủy Hà Nội"
    Decision.objects.filter(pk=ordinary.pk).update(search_text="old words", issuing_body=doubled)
    Decision.objects.filter(pk=secret.pk).update(search_text="old words")
    batch = IngestBatch.objects.create(unit=org_tree.province, created_by=make_person(), total=1)
    item = IngestItem.objects.create(
        batch=batch, filename="a.pdf", position=1, outcome=IngestOutcome.EXTRACTED,
        message="Bóc tách được 2 quyết định, chờ đối soát. Bỏ qua 1 quyết định đã có.",
    )  # fmt: skip

    migration.forwards(apps, None)

    ordinary.refresh_from_db()
    assert ordinary.issuing_body == "Ủy ban Kiểm tra Thành ủy Hà Nội"
    assert ordinary.issuing_body_key == records.body_key("Ủy ban Kiểm tra Thành ủy Hà Nội")
    assert ordinary.search_text == records.search_text(ordinary, ordinary.details())
    assert records.name_token("nguyen van") in ordinary.search_text
    secret.refresh_from_db()
    assert secret.search_text == records.search_text(secret, secret.details())
    assert "tuan" not in secret.search_text.split() and records.name_token("minh tuan") in secret.search_text
    item.refresh_from_db()
    assert item.message == "Bóc tách được 2 quyết định. Bỏ qua 1 quyết định đã có."
