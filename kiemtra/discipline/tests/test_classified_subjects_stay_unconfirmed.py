"""Issue 8 items 4, 7 and 9: who a classified decision is about is told only to those who may read it.

The rule: a user who may not read a classified decision's details must not learn
from search, counts, person pages, exports, analytics drill-downs or messages
that a named person is its subject. Such a decision is still listed, masked,
when found by its number or by the filters; never by a word of a name. Page
images and the original follow the decision's own rule, and every read of
protected evidence is audited.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from openpyxl import load_workbook

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, signed_in
from kiemtra.core.crypto import encrypt_bytes
from kiemtra.core.errors import PolicyDenied
from kiemtra.discipline import search
from kiemtra.discipline.choices import Confidentiality, DecisionState
from kiemtra.discipline.models import Decision, IngestBatch, IngestItem, Person, SourceDocument
from kiemtra.discipline.search import DecisionQuery
from kiemtra.discipline.services import ingest, persons

from .factories import make_decision, make_pending
from .test_reconcile_pages import attach, scanned_pdf

pytestmark = pytest.mark.django_db
Maker = Callable[..., User]
NAME = "Hoàng Minh Tuấn"
SEARCH = "/ky-luat/"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def viewer(org_tree: Tree, person_with: Maker) -> User:
    return person_with(org_tree.province, Role.DISCIPLINE_VIEWER)


@pytest.fixture
def editor(org_tree: Tree, person_with: Maker) -> User:
    return person_with(org_tree.province, Role.DISCIPLINE_EDITOR)


@pytest.fixture
def secret(org_tree: Tree) -> Decision:
    return make_decision(
        org_tree.commune, number="Số 77-QĐ/UBKT", subject_name=NAME, confidentiality=Confidentiality.SECRET
    )


def body(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.status_code
    return response.content.decode()


# --- search, counts, exports ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [NAME, "hoang minh tuan", "Tuấn", "minh tuan xiii"])
def test_a_name_never_finds_a_classified_decision_for_someone_who_may_not_read_it(
    viewer: User, editor: User, secret: Decision, typed: str
) -> None:
    assert list(search.search(viewer, DecisionQuery(text=typed))) == []
    assert search.paginate(viewer, DecisionQuery(text=typed), 1).paginator.count == 0
    html = body(signed_in(viewer), f"{SEARCH}?{urlencode({'q': typed})}")
    assert 'data-testid="no-results"' in html and "77-QĐ" not in html
    # The editors of the unit's scope find it by the same words.
    assert list(search.search(editor, DecisionQuery(text=typed))) == [secret]


def test_a_classified_decision_is_still_listed_masked_by_its_number_and_the_filters(
    viewer: User, secret: Decision
) -> None:
    html = body(signed_in(viewer), f"{SEARCH}?q=77-qd")
    assert "Số 77-QĐ/UBKT" in html and 'data-testid="masked-name"' in html and NAME not in html
    html = body(signed_in(viewer), f"{SEARCH}?penalty=warning")
    assert "Số 77-QĐ/UBKT" in html and NAME not in html


def test_the_export_of_a_name_search_holds_no_classified_row_for_a_viewer(
    viewer: User, editor: User, secret: Decision
) -> None:
    def rows(user: User) -> list[tuple[Any, ...]]:
        response = signed_in(user).get("/ky-luat/xuat-excel/", {"q": "hoang minh tuan"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        return [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]

    assert rows(viewer) == []
    assert [r[0] for r in rows(editor)] == ["Số 77-QĐ/UBKT"]


def test_the_merge_search_for_candidates_does_not_confirm_a_classified_name(
    org_tree: Tree, person_with: Maker, secret: Decision
) -> None:
    """A Centre editor of another branch sees no candidate made of a decision it may not read."""
    ordinary = make_decision(org_tree.other_province, subject_name="Lê Văn Tám")
    other_editor = person_with(org_tree.other_province, Role.DISCIPLINE_EDITOR)
    assert ordinary.person is not None
    html = body(signed_in(other_editor), f"/ky-luat/nguoi/{ordinary.person.pk}/?gop=hoang+minh+tuan")
    assert NAME not in html and "77-QĐ" not in html


# --- person pages ---------------------------------------------------------------------------------------


def test_a_person_known_only_by_classified_decisions_is_not_found_rather_than_refused(
    viewer: User, secret: Decision
) -> None:
    assert secret.person is not None
    missing = Person.objects.order_by("-pk").first()
    assert missing is not None
    # Same answer as for a person who does not exist.
    body(signed_in(viewer), f"/ky-luat/nguoi/{secret.person.pk}/", 404)
    body(signed_in(viewer), f"/ky-luat/nguoi/{missing.pk + 100}/", 404)


def test_a_split_probe_with_a_withheld_decision_gets_the_foreign_answer(
    org_tree: Tree, person_with: Maker, secret: Decision
) -> None:
    """Ticking a decision one may not read is answered like ticking someone else's: nothing moves."""
    commune_editor = person_with(org_tree.other_commune, Role.DISCIPLINE_EDITOR)
    mine = make_decision(org_tree.other_commune, subject_name=NAME, number="Số 1-QĐ")
    second = make_decision(org_tree.other_commune, subject_name=NAME, number="Số 2-QĐ")
    person = mine.person
    assert person is not None and second.person == person
    Decision.objects.filter(pk=secret.pk).update(person=person)  # the same identity, outside their scope
    stranger = make_decision(org_tree.other_commune, subject_name="Lê Thị Hoa")
    messages = []
    for ticked in ([secret.pk], [stranger.pk], [mine.pk, second.pk]):
        response = signed_in(commune_editor).post(f"/ky-luat/nguoi/{person.pk}/tach/", {"decision": ticked})
        assert response.status_code == 302
        messages.append([str(m) for m in response.wsgi_request._messages])  # type: ignore[attr-defined]
    assert messages[0] == messages[1] == ["Chọn các quyết định thuộc hồ sơ này để tách."]
    # "Keep at least one" counts what they see: the withheld decision does not make splitting both possible.
    assert messages[2] == ["Phải giữ lại ít nhất một quyết định trong hồ sơ cũ."]
    assert set(Decision.objects.filter(person=person).values_list("pk", flat=True)) == {mine.pk, second.pk, secret.pk}


def test_merging_moves_decisions_one_may_not_read_without_a_word_about_them(
    org_tree: Tree, person_with: Maker, secret: Decision
) -> None:
    commune_editor = person_with(org_tree.other_commune, Role.DISCIPLINE_EDITOR)
    keep = make_decision(org_tree.other_commune, subject_name=NAME, birth_year=1970).person
    other = make_decision(org_tree.other_commune, subject_name=NAME, birth_year=1971).person
    assert keep is not None and other is not None
    Decision.objects.filter(pk=secret.pk).update(person=other)
    response = signed_in(commune_editor).post(f"/ky-luat/nguoi/{keep.pk}/gop/{other.pk}/")
    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == ["Đã gộp hai hồ sơ làm một."]  # type: ignore[attr-defined]
    assert Decision.objects.get(pk=secret.pk).person == keep
    nobody_of_theirs = make_decision(org_tree.commune, subject_name="Lê Thị Hoa").person
    assert nobody_of_theirs is not None
    with pytest.raises(PolicyDenied):  # nothing of theirs to read on one side: no merge
        persons.merge(commune_editor, keep, nobody_of_theirs)


# --- analytics --------------------------------------------------------------------------------------------


def test_analytics_counts_do_not_narrow_by_a_name(viewer: User, secret: Decision) -> None:
    """Analytics has no text: a name in the address changes no count, and its drill-downs list masked rows."""
    plain = signed_in(viewer).get("/ky-luat/phan-tich/").context["result"]
    named = signed_in(viewer).get("/ky-luat/phan-tich/", {"q": NAME}).context["result"]
    assert plain.total == named.total == 1
    drill = next(c for c in named.tables["penalty"].cells if c.count)
    html = body(signed_in(viewer), drill.url)
    assert "Số 77-QĐ/UBKT" in html and NAME not in html and 'data-testid="masked-name"' in html


# --- messages -------------------------------------------------------------------------------------------


def _stored(unit: Any, by: User, data: bytes, confidentiality: str) -> SourceDocument:
    return SourceDocument.objects.create(
        sha256=hashlib.sha256(data).hexdigest(),
        filename="QĐ kỷ luật Hoàng Minh Tuấn.pdf",
        content_type="application/pdf",
        size=len(data),
        file=ContentFile(encrypt_bytes(data), name="stored.bin"),
        unit=unit,
        confidentiality=confidentiality,
        uploaded_by=by,
    )


def test_the_duplicate_file_message_names_another_units_classified_file_to_nobody(
    org_tree: Tree, person_with: Maker, editor: User
) -> None:
    data = b"%PDF-1.4 mat\n%%EOF"
    _stored(org_tree.province, editor, data, Confidentiality.SECRET)
    elsewhere = person_with(org_tree.other_province, Role.DISCIPLINE_EDITOR)
    existing = SourceDocument.objects.get()
    assert ingest.duplicate_message(elsewhere, existing) == "Tệp này đã được tải lên trước đây."
    shown = ingest.duplicate_message(editor, existing)
    assert "QĐ kỷ luật Hoàng Minh Tuấn.pdf" in shown  # the unit's own editor may be told which file


def test_the_duplicate_file_outcome_on_the_batch_page_names_nothing_outside_scope(
    org_tree: Tree, person_with: Maker, editor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"%PDF-1.4 mat\n%%EOF"
    _stored(org_tree.province, editor, data, Confidentiality.SECRET)
    elsewhere = person_with(org_tree.other_province, Role.DISCIPLINE_EDITOR)
    batch = ingest.start_batch(elsewhere, org_tree.other_province, [ingest.Upload("ban-sao.pdf", data)])
    item = IngestItem.objects.get(batch=batch)
    # Reading is not what is tested here: the file "reads" as one decision, then is found to be stored already.
    monkeypatch.setattr(ingest, "_read", lambda _item, _data: (object(), [object()]))
    ingest.process_item(item.pk)
    item.refresh_from_db()
    assert item.outcome == "duplicate_file" and item.message == "Tệp này đã được tải lên trước đây."
    html = body(signed_in(elsewhere), f"/ky-luat/lo/{batch.pk}/")
    assert "Hoàng Minh Tuấn" not in html and "Tệp này đã được tải lên trước đây." in html
    assert IngestBatch.objects.get(pk=batch.pk).state == "done"


# --- page images (issue 8 item 7) -------------------------------------------------------------------------


def test_page_images_of_an_unpublished_decision_are_for_the_editors_of_its_scope_only(
    org_tree: Tree, viewer: User, editor: User, person_with: Maker
) -> None:
    pending = make_pending(org_tree.commune)
    attach(pending, scanned_pdf(), ["trang 1"], source="ocr")
    url = f"/ky-luat/doi-soat/{pending.pk}/trang/1.png"
    centre_viewer = person_with(org_tree.centre, Role.DISCIPLINE_VIEWER)
    for reader in (viewer, centre_viewer):
        assert signed_in(reader).get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="discipline.document.read").exists()
    response = signed_in(editor).get(url)  # the province's editor: the commune is in its scope
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="discipline.document.read")
    assert (event.actor, event.is_read, event.extra["page"]) == (editor, True, 1)
    # Rejected: still not published, still not the viewers'.
    Decision.objects.filter(pk=pending.pk).update(state=DecisionState.REJECTED)
    assert signed_in(viewer).get(url).status_code == 403


def test_page_images_of_a_published_decision_follow_its_confidentiality(
    org_tree: Tree, viewer: User, editor: User
) -> None:
    ordinary = make_decision(org_tree.commune)
    attach(ordinary, scanned_pdf(), ["trang 1"], source="ocr")
    assert signed_in(viewer).get(f"/ky-luat/doi-soat/{ordinary.pk}/trang/1.png").status_code == 200
    classified = make_decision(org_tree.commune, number="Số 9-QĐ", confidentiality=Confidentiality.SECRET)
    attach(classified, scanned_pdf() + b"\n", ["trang 1"], source="ocr")
    url = f"/ky-luat/doi-soat/{classified.pk}/trang/1.png"
    assert signed_in(viewer).get(url).status_code == 403
    assert signed_in(editor).get(url).status_code == 200
    assert AuditEvent.objects.filter(action="discipline.document.read", actor=editor).count() == 1
