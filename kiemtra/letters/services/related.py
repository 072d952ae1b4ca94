"""Related letters (Letters II item 5): computed at intake, suggested without opening any other letter.

``index`` stores the letter's MinHash signature and its LSH buckets (called by
intake with the text it is sealing, in its transaction). ``suggest`` finds, in
one statement, the letters sharing the most buckets (index-only scans, each
crowded bucket read only ``similarity.BUCKET_FANOUT`` deep), the same sender
(citizen digest) or the same accused (name digest), anywhere in the system, with
their signatures, and ranks them by estimated similarity with the reasons.
``link`` records a handler's decision (duplicate or related); a group is handled
as one matter (``Letter.matter``, the first letter of the group).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kiemtra.accounts import policies
from kiemtra.core.errors import DomainError

from .. import inserts, similarity
from ..choices import LinkKind
from ..models import Letter, LetterBucket, LetterLink, LetterSignature
from .steps import handle, required_text, step

SAME_SENDER = "same_sender"
SAME_ACCUSED = "same_accused"
SIMILAR = "similar_content"
REASON_LABELS = {
    SAME_SENDER: _("Cùng người gửi"),
    SAME_ACCUSED: _("Cùng người, tổ chức bị tố cáo"),
    SIMILAR: _("Nội dung tương tự"),
}
# Same sender or same accused: the newest letters are suggested, at most this many read.
DIGEST_LIMIT = 50


def indexed_text(content: dict[str, Any]) -> str:
    """The part of a letter's (decrypted, at intake) content that the engine signs."""
    return f"{content.get('title', '')}\n{content.get('summary', '')}\n{content.get('content', '')}"


def rows(text: str) -> list[inserts.Children]:
    """The signature and bucket rows of a letter's text, to insert with the letter (``inserts``)."""
    sig = similarity.signature(text)
    return [
        inserts.Children(LetterSignature, {"minhash": [similarity.pack(sig)]}),
        inserts.Children(LetterBucket, {"key": similarity.buckets(sig)}),
    ]


def index(letter: Letter, text: str) -> None:
    """Store what suggestion needs (two statements): the signature and its bucket rows."""
    sig = similarity.signature(text)
    LetterSignature.objects.create(letter=letter, minhash=similarity.pack(sig))
    LetterBucket.objects.bulk_create([LetterBucket(letter=letter, key=k) for k in similarity.buckets(sig)])


@transaction.atomic
def reindex(letter: Letter, text: str) -> None:
    """Replace a letter's signature and buckets: its text was amended, the engine changed, or it predates it."""
    LetterSignature.objects.filter(letter=letter).delete()
    LetterBucket.objects.filter(letter=letter).delete()
    index(letter, text)


@dataclass
class Suggestion:
    letter_id: int
    tracking_code: str
    similarity: float
    reasons: list[str] = field(default_factory=list)


def _shared_sql(keys: list[int], exclude: int | None) -> tuple[str, list[Any]]:
    """The best ``CANDIDATE_LIMIT`` letters sharing bands with ``keys``, as a subquery of letter ids.

    Each band is an index range scan on (key, letter_id), newest first, cut at ``BUCKET_FANOUT`` + 1
    rows, which also tells how crowded the bucket is; letters are ranked by the bands they share, then
    by their rarest shared bucket (``similarity.preselect`` is the same rule in memory). PostgreSQL
    takes the keys as one array (a short plan); SQLite, which has no LATERAL, one branch per band.
    """
    cap, limit, other = similarity.BUCKET_FANOUT + 1, similarity.CANDIDATE_LIMIT, exclude or 0
    table = LetterBucket._meta.db_table

    def band(key: str) -> str:
        return (
            f"SELECT letter_id, count(*) OVER () AS n FROM (SELECT letter_id FROM {table} "  # noqa: S608
            f"WHERE key = {key} ORDER BY letter_id DESC LIMIT %s) AS band"
        )

    ranked = "GROUP BY letter_id ORDER BY count(*) DESC, min(n), letter_id DESC LIMIT %s"
    if connection.vendor == "postgresql":
        return (
            f"SELECT letter_id, 0 AS sender, 0 AS accused FROM unnest(%s::bigint[]) AS q(key) "  # noqa: S608
            f"CROSS JOIN LATERAL ({band('q.key')}) AS hit WHERE letter_id <> %s {ranked}",
            [keys, cap, other, limit],
        )
    return (
        f"SELECT letter_id, 0 AS sender, 0 AS accused FROM ({' UNION ALL '.join([band('%s')] * len(keys))}) AS hit "  # noqa: S608
        f"WHERE letter_id <> %s {ranked}",
        [v for key in keys for v in (key, cap)] + [other, limit],
    )


def _candidates_sql(keys: list[int], exclude: int | None, citizen: str, accused: str) -> tuple[str, list[Any]]:
    """One statement for every way a letter can be related, with its signature and tracking code.

    The letters sharing bands (``_shared_sql``), with the newest letters of the same sender and of the
    same accused, joined to their signatures and tracking codes. Only table and column names from the
    models are spliced in (noqa S608); every value is a parameter.
    """
    letters, signatures = Letter._meta.db_table, LetterSignature._meta.db_table
    branches: list[str] = []
    params: list[Any] = []
    if keys:
        shared, params = _shared_sql(keys, exclude)
        branches.append(f"SELECT * FROM ({shared}) AS shared")  # noqa: S608
    for column, digest, flags in (("citizen_digest", citizen, "1, 0"), ("accused_digest", accused, "0, 1")):
        if digest:
            branches.append(
                f"SELECT * FROM (SELECT id AS letter_id, {flags} FROM {letters} "  # noqa: S608
                f"WHERE {column} = %s AND id <> %s ORDER BY id DESC LIMIT %s) AS same"
            )
            params += [digest, exclude or 0, DIGEST_LIMIT]
    if not branches:
        return "", []
    sql = (
        f"SELECT c.letter_id, c.sender, c.accused, l.tracking_code, s.minhash FROM ({' UNION ALL '.join(branches)}) "  # noqa: S608
        f"AS c JOIN {letters} l ON l.id = c.letter_id LEFT JOIN {signatures} s ON s.letter_id = c.letter_id"
    )
    return sql, params


def suggest_for_signature(
    sig: tuple[int, ...] | None, *, exclude: int | None = None, citizen: str = "", accused: str = ""
) -> list[Suggestion]:
    """The letters to show a handler beside a letter with this signature: one query, nothing decrypted."""
    sql, params = _candidates_sql(similarity.buckets(sig) if sig else [], exclude, citizen, accused)
    if not sql:
        return []
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    codes: dict[int, str] = {}
    scores: dict[int, float] = {}
    flags: dict[int, set[str]] = defaultdict(set)
    for pk, sender, same_accused, code, packed in rows:
        if pk not in codes:
            codes[pk] = code
            scores[pk] = similarity.similarity(sig, similarity.unpack(packed)) if sig and packed else 0.0
        if sender:
            flags[pk].add(SAME_SENDER)
        if same_accused:
            flags[pk].add(SAME_ACCUSED)
    out = []
    for pk, score in scores.items():
        why = [r for r in (SAME_SENDER, SAME_ACCUSED) if r in flags[pk]]
        if score >= similarity.THRESHOLD:
            why.append(SIMILAR)
        if why:
            out.append(Suggestion(pk, codes[pk], round(score, 3), why))
    out.sort(key=lambda s: (-s.similarity, s.letter_id))
    return out[: similarity.MAX_SUGGESTIONS]


def suggest(actor: Any, letter: Letter) -> list[Suggestion]:
    policies.require(actor, "letters.letter.handle", letter)
    stored = LetterSignature.objects.filter(letter=letter).values_list("minhash", flat=True).first()
    sig = similarity.unpack(stored) if stored else None
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


@transaction.atomic
def unlink(actor: Any, letter: Letter, other: Letter, reason: str) -> None:
    """Undo a link made by mistake, with a reason; the matter splits where no link holds it together.

    The link row goes (both letters' histories and the audit keep that it was made and undone).
    """
    letter = handle(actor, letter)
    # A decision on two letters, like the link: only by someone who may read the other one too.
    policies.require(actor, "letters.letter.read", other)
    reason = required_text(reason, "reason", _("Cần ghi lý do bỏ liên kết."))
    found = LetterLink.objects.filter(Q(letter=letter, other=other) | Q(letter=other, other=letter)).select_for_update()
    if not found.exists():
        raise DomainError(_("Hai đơn này không liên kết với nhau."), code="other")
    found.delete()
    if letter.matter_id is not None:
        _regroup(letter.matter_id)
    step(actor, letter, "unlinked", reason, other=other.tracking_code)


def _regroup(matter_id: int) -> None:
    """The matter's letters in groups held together by the links that remain; each headed by its first letter."""
    members = list(Letter.objects.select_for_update().filter(matter_id=matter_id).values_list("pk", flat=True))
    head = {pk: pk for pk in members}

    def root(pk: int) -> int:
        while head[pk] != pk:
            head[pk] = head[head[pk]]
            pk = head[pk]
        return pk

    for a, b in LetterLink.objects.filter(letter__in=members, other__in=members).values_list("letter", "other"):
        first, second = sorted((root(a), root(b)))
        head[second] = first
    groups: dict[int, list[int]] = defaultdict(list)
    for pk in members:
        groups[root(pk)].append(pk)
    for pks in groups.values():
        Letter.objects.filter(pk__in=pks).update(matter_id=min(pks) if len(pks) > 1 else None)
