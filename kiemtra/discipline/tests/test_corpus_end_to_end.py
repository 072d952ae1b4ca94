"""Done when (issue 4): a batch of the labelled corpus goes through ingest → extraction → reconciliation → search,
bad files included, and each file ends with the outcome its label expects."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, give, make_person
from kiemtra.discipline.choices import DecisionState, IngestOutcome
from kiemtra.discipline.models import Decision, FieldReview, IngestItem, SourceDocument
from kiemtra.discipline.search import DecisionQuery, search
from kiemtra.discipline.services import ingest, reconciliation

from .corpus import CORPUS, labels

pytestmark = pytest.mark.django_db

GOOD = [
    "digital/qd-provincial_commission-07.pdf",
    "digital/thong-bao-ky-hop-03.pdf",
    "digital/qd-to-chuc-dang-01.pdf",
    "digital/qd-dang-vien-du-bi-01.pdf",
]
ZIPPED = ["digital/qd-cell-13.pdf", "bad/giay-moi-hop.pdf"]
BAD = [
    "bad/ban-sao-trung.pdf",  # the first file again under another name: after it in the batch
    "bad/bao-cao-thong-ke.pdf",
    "bad/co-mat-khau.pdf",
    "bad/ghi-chu.docx",
    "bad/hong-file.pdf",
    "bad/trang-trang.pdf",
]
OUTCOMES = {
    "ok": {IngestOutcome.EXTRACTED},
    "duplicate": {IngestOutcome.DUPLICATE_FILE},  # the same bytes under another name
    "not_decision": {IngestOutcome.NOT_A_DECISION},
    "encrypted": {IngestOutcome.ENCRYPTED},
    "unsupported": {IngestOutcome.UNSUPPORTED},
    "corrupt": {IngestOutcome.CORRUPT},
    "empty": {IngestOutcome.EMPTY},
}


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name.split("/")[-1], (CORPUS / name).read_bytes())
    return buffer.getvalue()


def _truth(label: dict[str, Any]) -> dict[str, Any]:
    """The label of one decision as reconciliation values (the reviewer types what the paper says)."""
    values = {k: v for k, v in label.items() if k not in ("action", "unit", "date", "effective_date")}
    values.update(issued_on=label["date"], effective_on=label["effective_date"] or "", subject_unit=label["unit"])
    return {k: ("" if v is None else v) for k, v in values.items()}


@pytest.fixture
def editor(org_tree: Tree) -> User:
    person = make_person()
    give(person, org_tree.centre, Role.DISCIPLINE_EDITOR)
    return person


def test_a_corpus_batch_from_upload_to_search(org_tree: Tree, editor: User) -> None:
    uploads = [ingest.Upload(name.split("/")[-1], (CORPUS / name).read_bytes()) for name in GOOD]
    uploads.append(ingest.Upload("lo-quet.zip", _zip(ZIPPED)))
    uploads += [ingest.Upload(name.split("/")[-1], (CORPUS / name).read_bytes()) for name in BAD]
    batch = ingest.start_batch(editor, org_tree.centre, uploads)
    assert batch.total == len(GOOD) + len(ZIPPED) + len(BAD)
    while ingest.process_queued():
        pass
    batch.refresh_from_db()
    assert (batch.done, batch.state) == (batch.total, "done")

    # Each file ends as its label says, with a message for the user.
    files = {name.split("/")[-1]: name for name in GOOD + ZIPPED + BAD}
    for item in IngestItem.objects.filter(batch=batch):
        label = labels()[files[item.filename.split("/")[-1]]]
        assert item.outcome in OUTCOMES[label.get("outcome", "ok")], (item.filename, item.outcome, item.message)
        assert item.message
        if item.outcome == IngestOutcome.EXTRACTED:
            assert item.decisions == len(label["decisions"]), item.filename
    assert SourceDocument.objects.count() == len(GOOD) + 1  # only documents that held decisions are kept

    # Reconciliation: the reviewer checks every field against the paper; publishing needs every verdict.
    expected = {d["subject_name"]: d for name in [*GOOD, ZIPPED[0]] for d in labels()[name]["decisions"]}
    pending = list(Decision.objects.filter(state=DecisionState.PENDING).select_related("unit"))
    assert len(pending) == len(expected)
    for decision in pending:
        truth = _truth(expected[decision.details().subject_name])
        reconciliation.reconcile(editor, decision, truth)
    assert not Decision.objects.filter(state=DecisionState.PENDING).exists()
    reviews = FieldReview.objects.all()
    corrected = reviews.filter(corrected=True).count()
    assert reviews.count() == len(expected) * 22
    assert corrected <= reviews.count() * 0.05, f"{corrected} of {reviews.count()} fields had to be corrected"

    # Search: the Centre finds a member without diacritics; the probationary member's record is exact.
    viewer = make_person()
    give(viewer, org_tree.centre, Role.DISCIPLINE_VIEWER)
    found = list(search(viewer, DecisionQuery(text="lai manh quan")))
    assert [d.details().subject_name for d in found] == ["Lại Mạnh Quân"]
    assert found[0].document is not None and found[0].document.filename == "qd-provincial_commission-07.pdf"
    probationary = next(d for d in Decision.objects.filter(probationary=True))
    assert probationary.penalty in ("reprimand", "warning")
    # A province sees none of the Centre's decisions.
    provincial = make_person()
    give(provincial, org_tree.province, Role.DISCIPLINE_VIEWER)
    assert not search(provincial, DecisionQuery(text="lai manh quan")).exists()
    assert AuditEvent.objects.filter(action="discipline.batch.finished").count() == 1


def test_the_same_decision_in_another_file_is_recognised_and_not_duplicated(org_tree: Tree, editor: User) -> None:
    """Same number from the same issuing body about the same person: a re-saved copy of a decision already in."""
    original = (CORPUS / GOOD[0]).read_bytes()
    resaved = original + b"\n% re-saved by another scanner station\n"
    ingest.start_batch(editor, org_tree.centre, [ingest.Upload("ban-goc.pdf", original)])
    ingest.start_batch(editor, org_tree.centre, [ingest.Upload("ban-luu-lai.pdf", resaved)])
    while ingest.process_queued():
        pass
    item = IngestItem.objects.get(filename="ban-luu-lai.pdf")
    assert item.outcome == IngestOutcome.DUPLICATE_DECISION and "cùng số" in item.message
    assert Decision.objects.count() == 1 and SourceDocument.objects.count() == 1
