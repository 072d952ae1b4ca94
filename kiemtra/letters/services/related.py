"""Related letters (Letters II item 5): computed at intake, suggested without opening any other letter.

``index`` stores the letter's MinHash signature and its LSH buckets (called by
intake with the text it is sealing). ``suggest`` finds letters sharing a bucket
(an index lookup), the same sender (citizen digest) or the same accused (name
digest), anywhere in the system, and ranks them by estimated similarity with the
reasons. ``link`` records a handler's decision (duplicate or related); a group
is handled as one matter (``Letter.matter``, the first letter of the group).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.core.errors import DomainError

from .. import inserts, similarity
from ..choices import LinkKind
from ..models import Letter, LetterBucket, LetterLink, LetterSignature
from .steps import handle, step

SAME_SENDER = "same_sender"
SAME_ACCUSED = "same_accused"
SIMILAR = "similar_content"
REASON_LABELS = {
    SAME_SENDER: _("Cùng người gửi"),
    SAME_ACCUSED: _("Cùng người, tổ chức bị tố cáo"),
    SIMILAR: _("Nội dung tương tự"),
}
CANDIDATE_LIMIT = 200


def rows(text: str) -> list[inserts.Children]:
    """The signature and bucket rows of a letter's text, to insert with the letter (``inserts``)."""
    sig = similarity.signature(text)
    return [
        inserts.Children(LetterSignature, {"minhash": [similarity.pack(sig)]}),
        inserts.Children(LetterBucket, {"key": similarity.buckets(sig)}),
    ]


def index(letter: Letter, text: str) -> None:
    sig = similarity.signature(text)
    LetterSignature.objects.create(letter=letter, minhash=similarity.pack(sig))
    LetterBucket.objects.bulk_create([LetterBucket(letter=letter, key=k) for k in similarity.buckets(sig)])


@dataclass
class Suggestion:
    letter_id: int
    tracking_code: str
    similarity: float
    reasons: list[str] = field(default_factory=list)


def suggest_for_signature(
    sig: tuple[int, ...], *, exclude: int | None = None, citizen: str = "", accused: str = ""
) -> list[Suggestion]:
    keys = similarity.buckets(sig)
    # The letters sharing the most bands first: a true duplicate shares many, a letter on a popular
    # subject one or two; only the best ``CANDIDATE_LIMIT`` have their signatures compared.
    shared = (
        LetterBucket.objects.filter(key__in=keys)
        .values("letter_id")
        .annotate(bands=Count("id"))
        .order_by("-bands", "letter_id")[:CANDIDATE_LIMIT]
    )
    candidates = {row["letter_id"] for row in shared}
    reasons: dict[int, list[str]] = defaultdict(list)
    if citizen:
        for pk in Letter.objects.filter(citizen_digest=citizen).values_list("pk", flat=True)[:CANDIDATE_LIMIT]:
            reasons[pk].append(SAME_SENDER)
    if accused:
        for pk in Letter.objects.filter(accused_digest=accused).values_list("pk", flat=True)[:CANDIDATE_LIMIT]:
            reasons[pk].append(SAME_ACCUSED)
    ids = (candidates | set(reasons)) - {exclude}
    rows = LetterSignature.objects.filter(letter_id__in=ids).values_list(
        "letter_id", "minhash", "letter__tracking_code"
    )
    out = []
    for pk, packed, code in rows:
        score = similarity.similarity(sig, similarity.unpack(packed))
        why = list(reasons.get(pk, []))
        if score >= similarity.THRESHOLD:
            why.append(SIMILAR)
        if why:
            out.append(Suggestion(pk, code, round(score, 3), why))
    out.sort(key=lambda s: (-s.similarity, s.letter_id))
    return out[: similarity.MAX_SUGGESTIONS]


def suggest(actor: Any, letter: Letter) -> list[Suggestion]:
    policies.require(actor, "letters.letter.handle", letter)
    stored = LetterSignature.objects.filter(letter=letter).first()
    sig = similarity.unpack(stored.minhash) if stored else tuple([0] * similarity.NUM_PERM)
    return suggest_for_signature(sig, exclude=letter.pk, citizen=letter.citizen_digest, accused=letter.accused_digest)


@transaction.atomic
def link(actor: Any, letter: Letter, other: Letter, kind: str) -> LetterLink:
    letter = handle(actor, letter)
    if kind not in LinkKind.values:
        raise DomainError(_("Cần chọn: trùng đơn hoặc liên quan."), code="kind")
    if other.pk == letter.pk:
        raise DomainError(_("Không liên kết một đơn với chính nó."), code="other")
    made, _created = LetterLink.objects.get_or_create(
        letter=letter, other=other, defaults={"kind": kind, "actor": actor}
    )
    # One matter: the group takes the earliest letter as its head.
    head = min([letter.matter_id or letter.pk, other.matter_id or other.pk])
    Letter.objects.filter(pk__in=[letter.pk, other.pk]).update(matter_id=head)
    Letter.objects.filter(matter_id__in=[letter.matter_id, other.matter_id]).exclude(matter_id=None).update(
        matter_id=head
    )
    step(actor, letter, "linked", kind, other=other.tracking_code)
    return made
