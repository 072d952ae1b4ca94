"""The VNeID intake's hot path (issue 12, Performance) keeps every promise of the slower one.

The plain body check gives exactly the serializer's data or steps aside; the one-statement
insert stores the same rows; units kept a minute are forgotten when one changes; the numpy
MinHash equals the integer one; the audit batch chains like single appends; a journal row left
behind by a crash is folded by the job.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from kiemtra.audit.models import AuditEvent
from kiemtra.audit.services import verify
from kiemtra.letters import api, similarity
from kiemtra.letters.handling_models import LetterBucket, LetterSignature
from kiemtra.letters.models import Letter, NameWord, VneidSubmission
from kiemtra.letters.services import intake_audit, records, related, vneid
from kiemtra.letters.tasks import fold_intake_audit

from .conftest import Platform, submission

pytestmark = pytest.mark.django_db


def _variant(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    body = copy.deepcopy(submission())
    target = body
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
    return body


VARIANTS = [
    ((), None),
    (("submission_id",), "  vn-padded  "),
    (("submission_id",), 42),
    (("submission_id",), ""),
    (("submission_id",), "x" * 129),
    (("submitted_at",), "2026-12-01T08:30:00Z"),
    (("submitted_at",), "2026-12-01T08:30:00"),
    (("submitted_at",), " 2026-12-01T08:30:00+07:00"),
    (("submitted_at",), "hôm qua"),
    (("submitted_at",), "2026-13-45T08:30:00+07:00"),
    (("sender", "citizen_id"), " 001190012345 "),
    (("sender", "citizen_id"), "00119001234"),
    (("sender", "citizen_id"), 1190012345),
    (("sender", "email"), "binh@example.vn"),
    (("sender", "email"), "không phải thư"),
    (("sender", "email"), ""),
    (("sender", "email"), None),
    (("sender", "full_name"), "   "),
    (("sender", "full_name"), "Tên\x00lạ"),
    (("sender", "phone"), KeyError),
    (("sender",), "Trần Thị Bình"),
    (("keep_identity_confidential",), "true"),
    (("keep_identity_confidential",), 1),
    (("kind",), "gossip"),
    (("kind",), "feedback"),
    (("addressed_unit_code",), None),
    (("addressed_unit_code",), KeyError),
    (("addressed_unit_code",), ""),
    (("addressed_unit_code",), " T01 "),
    (("addressed_unit_code",), "KHONG-CO"),
    (("about",), None),
    (("about",), KeyError),
    (("about",), {}),
    (("about",), {"name": "  Lê Văn Cường  ", "position": ""}),
    (("about",), {"name": None}),
    (("about",), "Lê Văn Cường"),
    (("title",), "  Tiêu đề  "),
    (("title",), "t" * 501),
    (("content",), "x" * 20_000),
    (("content",), "x" * 20_001),
    (("content",), "\ud800 nửa ký tự"),
    (("attachments",), KeyError),
    (("attachments",), []),
    (("attachments",), None),
    (("attachments",), "tệp"),
    (("attachments",), [{"filename": "a.pdf", "content_type": "application/pdf"}]),
    (("attachments",), [submission()["attachments"][0]] * 6),
    (("unknown_field",), "bỏ qua"),
]


@pytest.mark.parametrize(("path", "value"), VARIANTS)
def test_the_plain_check_gives_the_serializers_data_or_steps_aside(
    org_tree: Any, path: tuple[str, ...], value: Any
) -> None:
    body = json.loads(json.dumps(submission() if not path else _variant(path, value)))
    serializer = api.SubmissionSerializer(data=copy.deepcopy(body))
    plain = api.plain_validated(copy.deepcopy(body))
    if not serializer.is_valid():
        assert plain is None  # the serializer names the errors
        return
    if plain is not None:  # else: the serializer's own data is used
        assert plain == dict(serializer.validated_data)


def test_the_usual_body_takes_the_plain_path(org_tree: Any) -> None:
    assert api.plain_validated(submission()) is not None
    assert api.plain_validated(_variant(("sender", "email"), "binh@example.vn")) is not None


def test_a_letter_stored_in_one_statement_has_every_row(platform: Platform) -> None:
    response = platform.post(submission(attachments=[]))
    assert response.status_code == 201
    letter = Letter.objects.get(tracking_code=response.json()["tracking_code"])
    words = {"tran", "thi", "binh", "le", "van", "cuong"}
    from kiemtra.letters import search_keys

    assert set(NameWord.objects.filter(letter=letter).values_list("digest", flat=True)) == {
        d for w in words for d in search_keys.query_digests(w)
    }
    content = records.content_of(letter)
    text = f"{content['title']}\n{content['summary']}\n{content['content']}"
    sig = similarity.signature(text)
    assert similarity.unpack(LetterSignature.objects.get(letter=letter).minhash) == sig
    assert sorted(LetterBucket.objects.filter(letter=letter).values_list("key", flat=True)) == sorted(
        similarity.buckets(sig)
    )
    submitted = VneidSubmission.objects.get(letter=letter)
    assert submitted.submission_id == "vn-1" and submitted.client_id == platform.vneid_client.pk
    assert letter.uid and letter.created_at and letter.updated_at and letter.version == 1


def test_a_letter_taken_in_by_the_api_is_suggested_for_its_duplicate(platform: Platform) -> None:
    first = platform.post(submission("vn-a", attachments=[])).json()["tracking_code"]
    second = platform.post(submission("vn-b", attachments=[])).json()["tracking_code"]
    letter = Letter.objects.get(tracking_code=second)
    stored = LetterSignature.objects.get(letter=letter)
    found = related.suggest_for_signature(similarity.unpack(stored.minhash), exclude=letter.pk)
    assert [s.tracking_code for s in found] == [first]
    assert related.SIMILAR in found[0].reasons


def test_a_unit_kept_a_minute_is_forgotten_when_it_closes(platform: Platform, org_tree: Any) -> None:
    assert platform.post(submission("vn-open", attachments=[])).status_code == 201  # T01 is cached now
    unit = records.unit_by_code("T01")
    assert unit is not None
    unit.valid_to = dt.date.today()
    unit.save()
    response = platform.post(submission("vn-closed", attachments=[]))
    assert response.status_code == 400 and "addressed_unit_code" in response.json()["fields"]


@pytest.mark.django_db(transaction=True)
def test_a_journal_row_left_by_a_crash_is_folded_by_the_job(org_tree: Any, monkeypatch: Any) -> None:
    """The letter's commit and its audit append are two transactions: the row in between is durable."""
    if not intake_audit.supported():
        pytest.skip("the batched audit of intake needs PostgreSQL (set DATABASE_URL)")
    client, _secret = vneid.add_client("CLI", "VNeID")
    data, errors = api.validated(submission("vn-crash", attachments=[]))
    assert errors is None and data is not None
    # As if the process died after the letter's commit: stored, its event not appended.
    with monkeypatch.context() as patched:
        patched.setattr(intake_audit, "audit_received", lambda _pk: None)
        outcome = vneid.receive(client, "vn-crash", "d" * 64, api._new_letter(data, []))
    assert VneidSubmission.objects.filter(audited_at__isnull=True).count() == 1
    assert not AuditEvent.objects.filter(action="letters.letter.received").exists()
    assert fold_intake_audit() == 1
    event = AuditEvent.objects.get(action="letters.letter.received")
    assert event.object_repr == outcome.tracking_code and event.actor_label == f"VNeID {client.client_id}"
    assert event.extra == {"channel": "vneid", "kind": "denunciation", "attachments": 0}
    assert not VneidSubmission.objects.filter(audited_at__isnull=True).exists()
    assert fold_intake_audit() == 0
    assert verify().ok
