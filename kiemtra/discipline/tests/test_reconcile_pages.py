"""The reconciliation pages: the queue of one's own unit, the two-pane page, publishing, rejecting, the page image.

A commission reconciles the decisions it entered (``discipline.reconcile`` at its
own unit, not its subtree). Every field shows what the machine read and how sure
it was; the reviewer's verdict on each field is stored as labelled data.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image, ImageDraw

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person, signed_in
from kiemtra.core.crypto import encrypt_bytes, encrypt_text
from kiemtra.discipline.choices import Confidentiality, DecisionState, PenaltyCode
from kiemtra.discipline.models import Decision, DocumentPage, ExtractedField, FieldReview, SourceDocument
from kiemtra.discipline.services import records
from kiemtra.discipline.views.reconcile import highlight

from .factories import make_decision, make_pending

pytestmark = pytest.mark.django_db

PAGE_TEXT = "ỦY BAN KIỂM TRA THÀNH ỦY HÀ NỘI\nQUYẾT ĐỊNH thi hành kỷ luật đồng chí Nguyễn Văn An, sinh năm 1968 <b>"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def editor(org_tree: Tree) -> User:
    person = make_person()
    give(person, org_tree.province, Role.DISCIPLINE_EDITOR)
    return person


def attach(decision: Decision, data: bytes, texts: list[str], *, source: str = "text") -> SourceDocument:
    """The source document of a decision, stored as ingest stores it (encrypted file, page texts)."""
    document = SourceDocument(
        sha256=hashlib.sha256(data + uuid.uuid4().bytes).hexdigest(),
        filename="qd-01.pdf",
        content_type="application/pdf",
        size=len(data),
        unit=decision.unit,
        confidentiality=decision.confidentiality,
        uploaded_by=decision.created_by,
        page_count=len(texts),
    )
    document.file.save(f"{uuid.uuid4().hex}.bin", ContentFile(encrypt_bytes(data)), save=False)
    document.save()
    for number, text in enumerate(texts, 1):
        DocumentPage.objects.create(
            document=document,
            number=number,
            source=source,
            ocr_confidence=0.87 if source == "ocr" else None,
            stored_text=encrypt_text(text) if document.is_classified else text,
        )
    Decision.objects.filter(pk=decision.pk).update(document=document)
    decision.document = document
    return document


def scanned_pdf() -> bytes:
    """A one-page PDF holding only an image, as a scanner makes it."""
    buffer = io.BytesIO()
    page = Image.new("L", (1240, 1754), 255)
    ImageDraw.Draw(page).text((100, 100), "QUYET DINH", fill=0)
    page.save(buffer, "PDF", resolution=150)
    return buffer.getvalue()


def point(decision: Decision, name: str, needle: str, *, confidence: float | None = None, page: int = 1) -> None:
    """Make field ``name`` come from ``needle`` in the page text."""
    start = PAGE_TEXT.index(needle)
    changes: dict[str, Any] = {"page": page, "start": start, "end": start + len(needle)}
    if confidence is not None:
        changes["confidence"] = confidence
    ExtractedField.objects.filter(decision=decision, name=name).update(**changes)


class FormReader(HTMLParser):
    """What a browser would submit from the reconcile form (the button aside)."""

    def __init__(self, form_id: str = "reconcile-form") -> None:
        super().__init__()
        self.form_id = form_id
        self.data: list[tuple[str, str]] = []
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name") or ""
        if (
            tag == "input"
            and a.get("type") in ("text", "date", "hidden", None)
            and name != "csrfmiddlewaretoken"
            and name
        ):
            self.data.append((name, a.get("value") or ""))
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.data.append((name, a.get("value") or "on"))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in a and "disabled" not in a:
            self.data.append((self.select, a.get("value") or ""))
        elif tag == "textarea":
            self.textarea, self.text = name, ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.data.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def form_of(client: Client, decision: Decision) -> dict[str, Any]:
    response = client.get(f"/ky-luat/doi-soat/{decision.pk}/")
    assert response.status_code == 200
    reader = FormReader()
    reader.feed(response.content.decode())
    out: dict[str, Any] = {}
    for name, value in reader.data:
        if name == "violation_categories":
            out.setdefault(name, []).append(value)
        elif name != "csrfmiddlewaretoken":
            out[name] = value
    return out


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# --- the queue ------------------------------------------------------------------------------------


def test_queue_lists_own_units_pending_decisions_least_certain_first(org_tree: Tree, editor: User) -> None:
    sure = make_pending(org_tree.province, confidence=0.95, number="Số 1-QĐ/UBKTTU", subject_name="Trần Thị Chắc")
    doubtful = make_pending(org_tree.province, confidence=0.4, number="Số 2-QĐ/UBKTTU", subject_name="Lê Văn Ngờ")
    secret = make_pending(
        org_tree.province, confidence=0.7, number="Số 3-QĐ/UBKTTU", confidentiality=Confidentiality.SECRET
    )
    make_pending(org_tree.commune, number="Số 9-QĐ/UBKT", subject_name="Người Cấp Xã")
    make_pending(org_tree.other_province, number="Số 8-QĐ/UBKT", subject_name="Người Tỉnh Khác")
    make_decision(org_tree.province, number="Số 7-QĐ/UBKTTU", subject_name="Đã Công Bố")

    response = signed_in(editor).get("/ky-luat/doi-soat/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = html.split('data-testid="queue-row"')[1:]
    assert [n for row in rows for n in ("Số 1-", "Số 2-", "Số 3-") if n in row] == ["Số 2-", "Số 3-", "Số 1-"]
    assert "Lê Văn Ngờ" in html and "Trần Thị Chắc" in html
    assert "Người Cấp Xã" not in html and "Người Tỉnh Khác" not in html and "Đã Công Bố" not in html
    assert 'class="badge conf-badge conf-low">40 %' in html
    assert secret.subject_name == "" and "Mật" in rows[1]
    assert f"/ky-luat/doi-soat/{doubtful.pk}/" in html and f"/ky-luat/doi-soat/{sure.pk}/" in html


def test_queue_is_refused_to_a_viewer_and_to_someone_without_a_discipline_role(org_tree: Tree) -> None:
    viewer = make_person()
    give(viewer, org_tree.province, Role.DISCIPLINE_VIEWER)
    make_pending(org_tree.province)
    assert signed_in(viewer).get("/ky-luat/doi-soat/").status_code == 403
    assert signed_in(make_person()).get("/ky-luat/doi-soat/").status_code == 403


def test_queue_queries_do_not_grow_with_the_decisions(org_tree: Tree, editor: User) -> None:
    client = signed_in(editor)
    for _ in range(2):
        make_pending(org_tree.province)
    small = _queries(client, "/ky-luat/doi-soat/")
    for _ in range(6):
        make_pending(org_tree.province)
    assert _queries(client, "/ky-luat/doi-soat/") == small <= 15


# --- the page -------------------------------------------------------------------------------------


def test_page_shows_each_field_coloured_by_confidence_and_the_source_span_marked(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province)
    attach(decision, b"%PDF-1.4 stub", [PAGE_TEXT])
    ExtractedField.objects.filter(decision=decision).update(page=None, start=None, end=None)
    point(decision, "subject_name", "Nguyễn Văn An", confidence=0.97)
    point(decision, "birth_year", "1968", confidence=0.72)
    point(decision, "issuing_body", "ỦY BAN KIỂM TRA THÀNH ỦY HÀ NỘI", confidence=0.3)
    ExtractedField.objects.filter(decision=decision, name="signer").delete()

    response = signed_in(editor).get(f"/ky-luat/doi-soat/{decision.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="field-row conf-high" data-field="subject_name"' in html
    assert 'class="field-row conf-medium" data-field="birth_year"' in html
    assert 'class="field-row conf-low" data-field="issuing_body"' in html
    assert 'class="field-row conf-missing" data-field="signer"' in html
    assert ">97 %</span>" in html and ">72 %</span>" in html
    assert '<mark class="src" data-field="subject_name">Nguyễn Văn An</mark>' in html
    assert '<mark class="src" data-field="birth_year">1968</mark>' in html
    assert "&lt;b&gt;" in html and "1968 <b>" not in html  # the page text is escaped
    assert 'value="Nguyễn Văn An"' in html and 'id="f-birth_year"' in html
    assert (
        html.index('data-testid="field-number"')
        < html.index('data-testid="field-subject_name"')
        < html.index('data-testid="field-amends_number"')
    )
    assert "Chấp nhận tất cả và công bố…" in html and "Đối soát xong và công bố…" in html
    assert "discipline/reconcile.js" in html and "<script>" not in html and "style=" not in html


def test_penalties_offered_are_the_catalogs_for_the_subject_type(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province)
    html = signed_in(editor).get(f"/ky-luat/doi-soat/{decision.pk}/").content.decode()
    penalty = html[html.index('id="f-penalty"') : html.index("</select>", html.index('id="f-penalty"'))]
    assert 'value="warning" data-subject="member" selected' in penalty
    assert 'value="dissolution" data-subject="organization" hidden disabled' in penalty
    assert 'value="dismissal" data-subject="member">' in penalty


def test_highlight_escapes_and_marks_overlapping_spans() -> None:
    html = highlight("a <i>Lê Văn B</i> z", [(2, 17, "positions"), (5, 13, "subject_name"), (50, 60, "signer")])
    assert html == (
        'a <mark class="src" data-field="positions">&lt;i&gt;</mark>'
        '<mark class="src" data-field="positions subject_name">Lê Văn B</mark>'
        '<mark class="src" data-field="positions">&lt;/i&gt;</mark> z'
    )


def test_another_units_editor_and_a_viewer_cannot_open_the_page(org_tree: Tree, editor: User) -> None:
    commune_decision = make_pending(org_tree.commune)
    own = make_pending(org_tree.province)
    viewer = make_person()
    give(viewer, org_tree.province, Role.DISCIPLINE_VIEWER)
    other = make_person()
    give(other, org_tree.other_province, Role.DISCIPLINE_EDITOR)
    # Reconciling is the entering commission's own work, not its superior's.
    assert signed_in(editor).get(f"/ky-luat/doi-soat/{commune_decision.pk}/").status_code == 403
    assert signed_in(viewer).get(f"/ky-luat/doi-soat/{own.pk}/").status_code == 403
    assert signed_in(other).get(f"/ky-luat/doi-soat/{own.pk}/").status_code == 403
    assert signed_in(other).post(f"/ky-luat/doi-soat/{own.pk}/", {"action": "accept_all"}).status_code == 403
    assert signed_in(other).post(f"/ky-luat/doi-soat/{own.pk}/loai-bo/", {"reason": "x"}).status_code == 403
    assert Decision.objects.get(pk=own.pk).state == DecisionState.PENDING


def test_page_queries_do_not_grow_with_the_pages(org_tree: Tree, editor: User) -> None:
    client = signed_in(editor)
    short = make_pending(org_tree.province)
    attach(short, b"%PDF-1.4 a", [PAGE_TEXT])
    long = make_pending(org_tree.province)
    attach(long, b"%PDF-1.4 b", [PAGE_TEXT] * 6)
    few = _queries(client, f"/ky-luat/doi-soat/{short.pk}/")
    assert _queries(client, f"/ky-luat/doi-soat/{long.pk}/") == few <= 25


# --- publishing -----------------------------------------------------------------------------------


def publish(client: Client, decision: Decision, data: dict[str, Any]) -> Any:
    """Submit the form, then confirm what the confirmation step shows (as a browser without JavaScript)."""
    address = f"/ky-luat/doi-soat/{decision.pk}/"
    shown = client.post(address, data)
    html = shown.content.decode()
    assert shown.status_code == 200 and 'data-testid="confirm-form"' in html, shown.status_code
    assert Decision.objects.get(pk=decision.pk).state == DecisionState.PENDING  # nothing published yet
    reader = FormReader("confirm-form")
    reader.feed(html)
    payload: dict[str, list[str]] = {}
    for name, value in reader.data:
        payload.setdefault(name, []).append(value)
    return client.post(address, {**payload, "action": "publish"})


def test_accept_all_publishes_keeps_every_verdict_and_goes_to_the_next(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province, confidence=0.5)
    following = make_pending(org_tree.province, confidence=0.8)
    client = signed_in(editor)
    response = publish(client, decision, {"action": "accept_all"})
    assert response.status_code == 302 and response["Location"] == f"/ky-luat/doi-soat/{following.pk}/"
    stored = Decision.objects.get(pk=decision.pk)
    assert stored.state == DecisionState.PUBLISHED and stored.reconciled_by == editor
    reviews = FieldReview.objects.filter(decision=decision)
    assert reviews.count() == len(records.FIELDS) and not reviews.filter(corrected=True).exists()
    assert "Đã đối soát và công bố" in client.get(response["Location"]).content.decode()
    # The last one goes back to the (now empty) queue.
    last = publish(client, following, {"action": "accept_all"})
    assert last["Location"] == "/ky-luat/doi-soat/"
    assert "Không có quyết định nào chờ đối soát" in client.get("/ky-luat/doi-soat/").content.decode()


def test_saving_the_form_as_shown_corrects_nothing(org_tree: Tree, editor: User) -> None:
    decision = make_pending(
        org_tree.province, positions=["Giám đốc Sở", "Tỉnh ủy viên"], party_committee_member=True, categories=()
    )
    client = signed_in(editor)
    values = form_of(client, decision)
    assert values["positions"] == "Giám đốc Sở\nTỉnh ủy viên" and values["party_committee_member"] == "1"
    response = publish(client, decision, {**values, "action": "review"})
    assert response.status_code == 302
    assert not FieldReview.objects.filter(decision=decision, corrected=True).exists()
    assert Decision.objects.get(pk=decision.pk).state == DecisionState.PUBLISHED


def test_a_corrected_field_is_recorded_with_what_was_read_and_what_was_kept(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province, subject_name="Nguyễn Văn Anh")
    client = signed_in(editor)
    values = form_of(client, decision)
    values.update(subject_name="Nguyễn Văn Ánh", violation_categories=["ethics", "corruption"], action="review")
    assert publish(client, decision, values).status_code == 302
    corrected = {r.name: r for r in FieldReview.objects.filter(decision=decision, corrected=True)}
    assert set(corrected) == {"subject_name", "violation_categories"}
    assert (corrected["subject_name"].extracted, corrected["subject_name"].final) == (
        "Nguyễn Văn Anh",
        "Nguyễn Văn Ánh",
    )
    assert corrected["subject_name"].reviewer == editor
    stored = Decision.objects.get(pk=decision.pk)
    assert stored.subject_name == "Nguyễn Văn Ánh"
    assert sorted(stored.categories.values_list("code", flat=True)) == ["corruption", "ethics"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"probationary": "1", "penalty": PenaltyCode.DISMISSAL}, "Đảng viên dự bị chỉ bị kỷ luật khiển trách"),
        ({"subject_name": ""}, "Thiếu họ tên / tên tổ chức."),
        ({"birth_year": "một chín sáu tám"}, "không phải là số"),
    ],
)
def test_a_value_the_rules_refuse_is_shown_and_nothing_changes(
    org_tree: Tree, editor: User, change: dict[str, str], message: str
) -> None:
    decision = make_pending(org_tree.province)
    client = signed_in(editor)
    values = {**form_of(client, decision), **change, "term": "XIII (đã sửa)", "action": "review"}
    before = Decision.objects.get(pk=decision.pk)
    response = client.post(f"/ky-luat/doi-soat/{decision.pk}/", values)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="reconcile-error"' in html and message in html
    assert 'value="XIII (đã sửa)"' in html  # the reviewer's input is kept
    if "birth_year" in change:
        assert 'value="một chín sáu tám"' in html
    stored = Decision.objects.get(pk=decision.pk)
    assert (stored.state, stored.term, stored.penalty, stored.search_text) == (
        DecisionState.PENDING,
        before.term,
        before.penalty,
        before.search_text,
    )
    assert not FieldReview.objects.filter(decision=decision).exists()


def test_a_reconciled_decision_cannot_be_reconciled_again(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province)
    client = signed_in(editor)
    publish(client, decision, {"action": "accept_all"})
    response = client.post(f"/ky-luat/doi-soat/{decision.pk}/", {"action": "accept_all"}, follow=True)
    assert "đã được đối soát" in response.content.decode()
    assert FieldReview.objects.filter(decision=decision).count() == len(records.FIELDS)


def test_publishing_asks_for_confirmation_first_and_going_back_keeps_the_corrections(
    org_tree: Tree, editor: User
) -> None:
    """Issue 10 item 9: the button says it publishes, and a confirmation step (plain HTML) comes before."""
    decision = make_pending(org_tree.province, subject_name="Nguyễn Văn Anh")
    client = signed_in(editor)
    form = client.get(f"/ky-luat/doi-soat/{decision.pk}/").content.decode()
    assert "Đối soát xong và công bố…" in form and "Lưu đối soát" not in form
    values = {**form_of(client, decision), "subject_name": "Nguyễn Văn Ánh", "action": "review"}
    shown = client.post(f"/ky-luat/doi-soat/{decision.pk}/", values)
    html = shown.content.decode()
    assert shown.status_code == 200 and "Kiểm tra lần cuối trước khi công bố" in html
    assert html.count('data-corrected="1"') == 1 and "Nguyễn Văn Ánh" in html
    assert Decision.objects.get(pk=decision.pk).state == DecisionState.PENDING
    assert not FieldReview.objects.filter(decision=decision).exists()
    back = client.post(f"/ky-luat/doi-soat/{decision.pk}/", {**values, "action": "edit"}).content.decode()
    assert 'data-testid="reconcile-form"' in back and 'value="Nguyễn Văn Ánh"' in back
    assert Decision.objects.get(pk=decision.pk).state == DecisionState.PENDING


# --- rejecting ------------------------------------------------------------------------------------


def test_reject_with_a_reason_marks_the_decision_and_records_why(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province)
    response = signed_in(editor).post(f"/ky-luat/doi-soat/{decision.pk}/loai-bo/", {"reason": " Giấy mời họp "})
    assert response.status_code == 302 and response["Location"] == "/ky-luat/doi-soat/"
    assert Decision.objects.get(pk=decision.pk).state == DecisionState.REJECTED
    event = AuditEvent.objects.get(action="discipline.decision.rejected")
    assert event.extra["reason"] == "Giấy mời họp" and event.actor == editor


def test_reject_without_a_reason_is_refused_and_the_decision_stays_pending(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province)
    response = signed_in(editor).post(f"/ky-luat/doi-soat/{decision.pk}/loai-bo/", {"reason": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="reject-error"' in html and "Phải ghi rõ lý do loại bỏ." in html
    assert Decision.objects.get(pk=decision.pk).state == DecisionState.PENDING
    assert not AuditEvent.objects.filter(action="discipline.decision.rejected").exists()


# --- the page image and classified reads ----------------------------------------------------------


def test_a_scanned_page_is_shown_as_an_image_within_scope_only(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province)
    attach(decision, scanned_pdf(), [PAGE_TEXT], source="ocr")
    client = signed_in(editor)
    page = client.get(f"/ky-luat/doi-soat/{decision.pk}/").content.decode()
    url = f"/ky-luat/doi-soat/{decision.pk}/trang/1.png"
    assert f'src="{url}"' in page and "OCR" in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG") and response["Cache-Control"].startswith("private")
    assert client.get(f"/ky-luat/doi-soat/{decision.pk}/trang/2.png").status_code == 404
    viewer = make_person()
    give(viewer, org_tree.commune, Role.DISCIPLINE_VIEWER)  # reads the commune's subtree, not the province
    other = make_person()
    give(other, org_tree.other_province, Role.DISCIPLINE_EDITOR)
    assert signed_in(viewer).get(url).status_code == 403
    assert signed_in(other).get(url).status_code == 403
    # Not yet published: every read of its evidence is audited, the refused ones read nothing.
    assert AuditEvent.objects.filter(action="discipline.document.read", actor=editor).count() == 1
    assert AuditEvent.objects.filter(action="discipline.document.read").count() == 1


def test_an_image_upload_is_shown_as_itself(org_tree: Tree, editor: User) -> None:
    buffer = io.BytesIO()
    Image.new("L", (2480, 3508), 255).save(buffer, "PNG")
    decision = make_pending(org_tree.province)
    attach(decision, buffer.getvalue(), [PAGE_TEXT], source="ocr")
    response = signed_in(editor).get(f"/ky-luat/doi-soat/{decision.pk}/trang/1.png")
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).size == (1000, 1415)


def test_reading_a_classified_pending_decision_is_audited(org_tree: Tree, editor: User) -> None:
    decision = make_pending(org_tree.province, confidentiality=Confidentiality.SECRET, subject_name="Phạm Văn Mật")
    attach(decision, scanned_pdf(), [PAGE_TEXT], source="ocr")
    assert DocumentPage.objects.get(document=decision.document).stored_text != PAGE_TEXT  # encrypted at rest
    ExtractedField.objects.filter(decision=decision).update(page=None, start=None, end=None)
    client = signed_in(editor)
    html = client.get(f"/ky-luat/doi-soat/{decision.pk}/").content.decode()
    assert 'value="Phạm Văn Mật"' in html and "Nguyễn Văn An, sinh năm 1968" in html
    read = AuditEvent.objects.get(action="discipline.decision.read")
    assert read.is_read and read.actor == editor and read.object_id == str(decision.pk)
    response = client.get(f"/ky-luat/doi-soat/{decision.pk}/trang/1.png")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    image_read = AuditEvent.objects.get(action="discipline.document.read")
    assert image_read.is_read and image_read.extra["page"] == 1
    # A viewer of the province reads the decision list, not a classified page.
    viewer = make_person()
    give(viewer, org_tree.province, Role.DISCIPLINE_VIEWER)
    assert signed_in(viewer).get(f"/ky-luat/doi-soat/{decision.pk}/trang/1.png").status_code == 403
    assert AuditEvent.objects.filter(action="discipline.document.read").count() == 1
