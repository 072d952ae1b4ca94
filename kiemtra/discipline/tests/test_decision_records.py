"""How a decision is stored: ordinary details in plain columns, classified ones sealed; reads of them audited."""

from __future__ import annotations

import pytest
from django.db import connection

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person
from kiemtra.core.errors import PolicyDenied
from kiemtra.discipline.choices import Confidentiality
from kiemtra.discipline.services import records

from .factories import make_decision

pytestmark = pytest.mark.django_db


def _raw_row(pk: int) -> str:
    """Everything the database holds for the decision, as one string: what a stolen backup would show."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM discipline_decision WHERE id = %s", [pk])
        return " ".join(str(v) for v in cursor.fetchone())


def test_an_ordinary_decision_is_searchable_by_every_word_without_diacritics(org_tree: Tree) -> None:
    decision = make_decision(org_tree.province, subject_name="Nguyễn Văn Ân", violations="Vi phạm về đất đai")
    assert {"nguyen", "van", "an", "dat", "dai"} <= set(decision.search_text.split())
    assert "Nguyễn Văn Ân" in _raw_row(decision.pk)


def test_a_classified_decision_keeps_nothing_readable_of_the_person_or_the_violation(org_tree: Tree) -> None:
    decision = make_decision(
        org_tree.province,
        confidentiality=Confidentiality.TOP_SECRET,
        subject_name="Lê Thị Bình",
        violations="Nhận hối lộ trong dự án Cầu Giấy",
        positions=["Phó Chủ tịch UBND tỉnh"],
    )
    raw = _raw_row(decision.pk)
    for secret in ("Lê Thị Bình", "le thi binh", "binh", "hối lộ", "hoi lo", "Phó Chủ tịch", "pho chu tich"):
        assert secret not in raw, secret
    # The name's words are found through keyed digests only; the number stays public.
    assert records.blind("binh") in decision.search_text
    assert records.number_key(decision.number) in decision.number_key
    assert decision.details().violations == "Nhận hối lộ trong dự án Cầu Giấy"


def test_number_key_ignores_the_prefix_spaces_and_diacritics() -> None:
    assert records.number_key("Số 123-QĐ/UBKTTW") == records.number_key("123 - qd/ubkttw") == "123-qd/ubkttw"


def test_reading_a_classified_decision_needs_the_editor_role_and_is_audited(org_tree: Tree) -> None:
    decision = make_decision(org_tree.commune, confidentiality=Confidentiality.SECRET, subject_name="Phạm Văn Cư")
    viewer, editor = make_person(), make_person()
    give(viewer, org_tree.province, Role.DISCIPLINE_VIEWER)
    give(editor, org_tree.province, Role.DISCIPLINE_EDITOR)
    with pytest.raises(PolicyDenied):
        records.read_details(viewer, decision)
    assert records.visible_details(viewer, [decision]) == {decision.pk: None}
    assert not AuditEvent.objects.filter(action="discipline.decision.read").exists()
    assert records.read_details(editor, decision).subject_name == "Phạm Văn Cư"
    event = AuditEvent.objects.get(action="discipline.decision.read")
    assert (event.actor_id, event.is_read, event.object_id) == (editor.pk, True, str(decision.pk))


def test_reading_an_ordinary_decision_is_not_an_audited_read(org_tree: Tree) -> None:
    decision = make_decision(org_tree.commune)
    viewer = make_person()
    give(viewer, org_tree.province, Role.DISCIPLINE_VIEWER)
    assert records.read_details(viewer, decision).subject_name == "Nguyễn Văn An"
    assert not AuditEvent.objects.filter(action="discipline.decision.read").exists()


def test_nobody_outside_the_subtree_reads_a_decision(org_tree: Tree) -> None:
    decision = make_decision(org_tree.commune)
    other = make_person()
    give(other, org_tree.other_province, Role.DISCIPLINE_EDITOR)
    with pytest.raises(PolicyDenied):
        records.read_details(other, decision)
