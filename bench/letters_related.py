"""Letters II — related-letter suggestion for a new letter against 1,000,000 letters, with a brute-force baseline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiemtra .venv/bin/python bench/letters_related.py [--letters N]
        [--reuse] [--rounds R] [--json]

Set-up (not measured), for speed straight in SQL: ``--letters`` letter rows with placeholder sealed
fields (suggestion never opens a letter), each with a signature and its 21 LSH bucket rows (inserted
without their indexes, which are built afterwards). To make the buckets as crowded as a real
register's (letters about the same matter share bands), a pool of 5,000 generated letters is signed
for real, and each background letter takes each band's key from its pool letter with probability 0.1
(else a random key): a query about a pool letter's matter meets thousands of candidates, and the
template's buckets hold tens of thousands of letters. Background signatures are random (they cost the
scoring, never match). Seeding 1,000,000 letters takes ≈ 15–30 min; with ``--reuse`` the PostgreSQL
database (``<name>_letters_related_bench``, its keys in ``$TMPDIR/kiemtra-bench-<that name>``) is kept
and a later run with the same ``--letters`` and the same engine only migrates and measures.

Labelled set: 200 generated letters stored with their real signatures, each queried by a variant a
handler would call a duplicate: folded without diacritics, words dropped, a sentence added,
reordered, or paraphrased (other words for the template's phrases, 10 % of words dropped, no
diacritics). Measured: ``related.suggest_for_signature`` (the product's one query: the band index
scans, the candidates sharing most bands, their signatures, ranking) — p50/p95 over ``--rounds``
passes and recall of the original in the top 3, overall and by kind. Baseline in the same run: brute
force over every signature held in memory (numpy), its latency and recall.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from common import ROOT, load_average, report, say, scratch_database, summary

POOL = 5000
PAIRS = 200


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--letters", type=int, default=1_000_000)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL: keep the bench database and reuse it when it already holds this seed (same --letters "
        "and LSH shape); seeded once, then each run only measures",
    )
    parser.add_argument("--rounds", type=int, default=1, help="times the labelled queries are run (p95 of each round)")
    return parser.parse_args()


SEED_TABLE = "bench_related_seed"


def probe() -> int:
    """A bucket key of a fixed text: it changes with the engine (key, shingles, bands), so a stale seed is redone."""
    from kiemtra.letters import similarity

    return similarity.buckets(similarity.signature("Tố cáo ông Nguyễn Văn A giao đất công không qua đấu giá"))[0]


def bench_database(name: str, n: int, reuse: bool) -> tuple[str, bool]:
    """The vendor and whether the database already holds this seed (``--reuse`` on PostgreSQL), Django set up on it."""
    import os
    import tempfile
    from urllib.parse import urlsplit, urlunsplit

    url = os.environ.get("DATABASE_URL", "")
    if not (reuse and url.startswith(("postgres://", "postgresql://"))):
        return scratch_database(name), False
    import psycopg

    parts = urlsplit(url)
    bench_db = f"{parts.path.lstrip('/') or 'kiemtra'}_{name}_bench"
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{bench_db}"))
    # The keys (and so the MinHash permutations) must outlive the run with the database they signed.
    os.environ["KIEMTRA_VAR_DIR"] = str(Path(tempfile.gettempdir()) / f"kiemtra-bench-{bench_db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemtra.settings")
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    from kiemtra.letters.similarity import BANDS, NUM_PERM, ROWS

    try:
        with connection.cursor() as cur:
            cur.execute(f"SELECT letters, bands, rows_per_band, perms, probe FROM {SEED_TABLE}")
            row = cur.fetchone()
    except Exception:
        row = None
    connection.close()
    if row == (n, BANDS, ROWS, NUM_PERM, probe()):
        call_command("migrate", verbosity=0)
        return "postgresql", True
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')
        conn.execute(f'CREATE DATABASE "{bench_db}"')
    call_command("migrate", verbosity=0)
    return "postgresql", False


def texts(r: random.Random, n: int) -> list[str]:
    """Distinct letters: a subject, a person, a place and a story, from the classifier's written set."""
    from kiemtra.letters.classifier import training

    subjects = [pair for pairs in training.SUBJECTS.values() for pair in pairs]
    places = ["xã Tân Lập", "phường Hòa Bình", "xã Nghi Phong", "thị trấn Đông Anh", "xã Tân Hưng", "phường Cửa Nam"]
    out = []
    for i in range(n):
        who, what = r.choice(subjects)
        name = f"{r.choice(training.NAMES)} {i}"
        out.append(
            f"Kính gửi Ủy ban kiểm tra. Tôi phản ánh ông {name}, {who} {r.choice(places)}, đã {what} "
            f"vào năm {2015 + i % 10}, gây thiệt hại {i % 90 + 10} triệu đồng, hồ sơ số {i * 7 + 3}. "
            f"Đề nghị xem xét làm rõ việc {what} và trả lời cho tôi."
        )
    return out


def variant(r: random.Random, text: str, how: str) -> str:
    from kiemtra.core.text import fold

    words = text.split()
    if how == "folded":
        return fold(text)
    if how == "words_dropped":
        return " ".join(w for w in words if r.random() > 0.15)
    if how == "sentence_added":
        return text + " Tôi đã gửi đơn nhiều lần nhưng chưa được trả lời, nay gửi lại."
    if how == "reordered":
        cut = len(words) // 2
        return " ".join(words[cut:] + words[:cut])
    # Rewritten by another hand and typed on a phone: other words for the same things, no diacritics.
    for a, b in SYNONYMS:
        text = text.replace(a, b)
    return fold(" ".join(w for w in text.split() if r.random() > 0.1))


KINDS = ("folded", "words_dropped", "sentence_added", "reordered", "paraphrased_folded")
SYNONYMS = (
    ("Kính gửi", "Thưa"),
    ("Tôi phản ánh", "Nay tôi báo cáo việc"),
    ("gây thiệt hại", "làm thất thoát"),
    ("Đề nghị xem xét làm rõ", "Mong các đồng chí kiểm tra, xác minh"),
    ("trả lời cho tôi", "phúc đáp để tôi được biết"),
)


def seed(vendor: str, n: int, pool: list[tuple[int, ...]], originals: list[str]) -> int:
    """Seed ``n`` background letters and the ``PAIRS`` planted originals; the first planted letter's id."""
    from django.db import connection

    from kiemtra.conftest import make_unit
    from kiemtra.letters import similarity
    from kiemtra.orgs.choices import UnitKind

    unit = make_unit(UnitKind.PROVINCIAL, make_unit(UnitKind.CENTRAL, code="UBKTTW"), code="T01")
    planted = [similarity.signature(t) for t in originals]
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO letters_letter (uid, tracking_code, kind, declared_kind, channel, status, holding_unit_id, "
            "received_on, received_at, anonymous, false_name, keep_identity_confidential, sender_count, field_code, "
            "locality, key_id, data_key_wrapped, identity_key_wrapped, content_sealed, identity_sealed, reply_sealed, "
            "citizen_digest, version, created_at, updated_at, eligibility, information_reason, accused_rank, "
            "accused_is_organisation, accused_digest, extended_days, extension_reason, finding, complaint_outcome, "
            "violations, disciplined, result_sealed, reply_state, reply_draft_sealed) "
            "SELECT md5(g::text)::uuid, 'B-' || g, 'denunciation', 'denunciation', 'vneid', 'registered', %s, "
            "DATE '2026-01-01', now(), false, false, false, 1, '', '', 'k', 'x', 'x', 'x', 'x', '', '', 1, now(), "
            "now(), '', '', '', false, '', 0, '', '', '', 0, 0, '', '', '' FROM generate_series(1, %s) g",
            [unit.pk, n + PAIRS],
        )
        cur.execute("SELECT min(id) FROM letters_letter")
        first = cur.fetchone()[0]
        # Background signatures: random bytes (63 × 4).
        cur.execute(
            "INSERT INTO letters_lettersignature (letter_id, minhash) SELECT id, "
            "substring(decode(repeat(md5(id::text || 's'), 16), 'hex') from 1 for %s) "
            "FROM letters_letter WHERE id < %s",
            [similarity.NUM_PERM * 4, first + n],
        )
        cur.execute("CREATE TEMP TABLE pool_bucket (pool_id int, band int, key bigint)")
        rows = [(i, b, k) for i, sig in enumerate(pool) for b, k in enumerate(similarity.buckets(sig))]
        with cur.copy("COPY pool_bucket FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute("CREATE INDEX ON pool_bucket (pool_id, band)")
        indexes = []
        if vendor == "postgresql":
            # 21 M rows: built once after the insert (a sort) instead of maintained row by row.
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'letters_letterbucket' "
                "AND indexname NOT LIKE '%%pkey'"
            )
            indexes = cur.fetchall()
            for name, _definition in indexes:
                cur.execute(f'DROP INDEX "{name}"')
            # Nor is each row's foreign key checked by a trigger: the letters exist by construction.
            cur.execute("SET session_replication_role = replica")
        cur.execute(
            "INSERT INTO letters_letterbucket (letter_id, key) "
            "SELECT l.id, CASE WHEN random() < 0.1 THEN p.key "
            "ELSE (random() * 9.2e18 - 4.6e18)::bigint END "
            "FROM letters_letter l JOIN pool_bucket p ON p.pool_id = (l.id %% %s) WHERE l.id < %s",
            [POOL, first + n],
        )
        planted_ids = list(range(first + n, first + n + PAIRS))
        with cur.copy("COPY letters_lettersignature (letter_id, minhash) FROM STDIN") as copy:
            for pk, sig in zip(planted_ids, planted, strict=True):
                copy.write_row((pk, similarity.pack(sig)))
        with cur.copy("COPY letters_letterbucket (letter_id, key) FROM STDIN") as copy:
            for pk, sig in zip(planted_ids, planted, strict=True):
                for key in similarity.buckets(sig):
                    copy.write_row((pk, key))
        for _name, definition in indexes:
            cur.execute(definition)
        if vendor == "postgresql":
            cur.execute("SET session_replication_role = DEFAULT")
        if vendor == "postgresql":
            cur.execute("VACUUM ANALYZE")
    return first + n


def main() -> None:
    args = arguments()
    n = args.letters
    vendor, reused = bench_database("letters_related", n, args.reuse)
    if vendor != "postgresql":
        sys.exit("letters_related seeds in PostgreSQL's SQL: set DATABASE_URL to a PostgreSQL server")
    import numpy as np
    from django.db import connection

    from kiemtra.letters import similarity
    from kiemtra.letters.services import related

    r = random.Random(13)
    start = time.perf_counter()
    pool_texts = texts(r, POOL)
    originals = texts(random.Random(99), PAIRS)
    kinds = [KINDS[r.randrange(len(KINDS))] for _ in originals]
    queries = [variant(r, t, how) for t, how in zip(originals, kinds, strict=True)]
    if reused:
        with connection.cursor() as cur:
            cur.execute(f"SELECT first_planted FROM {SEED_TABLE}")
            first_planted = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM letters_letterbucket")
            bucket_rows = cur.fetchone()[0]
        say(args.json, f"reusing the seeded database ({n} letters)")
    else:
        first_planted = seed(vendor, n, [similarity.signature(t) for t in pool_texts], originals)
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM letters_letterbucket")
            bucket_rows = cur.fetchone()[0]
            if vendor == "postgresql":
                cur.execute(
                    f"CREATE TABLE {SEED_TABLE} "
                    "(letters int, bands int, rows_per_band int, perms int, probe bigint, first_planted int)"
                )
                cur.execute(
                    f"INSERT INTO {SEED_TABLE} VALUES (%s, %s, %s, %s, %s, %s)",
                    [n, similarity.BANDS, similarity.ROWS, similarity.NUM_PERM, probe(), first_planted],
                )
    planted_ids = list(range(first_planted, first_planted + PAIRS))
    say(args.json, f"{n} letters, {bucket_rows} bucket rows in {time.perf_counter() - start:.0f} s")
    query_sigs = [similarity.signature(q) for q in queries]
    load_before = load_average()
    samples, hits, rounds = [], 0, []
    by_kind: dict[str, list[int]] = {how: [0, 0] for how in KINDS}
    for _round in range(args.rounds):
        taken = []
        for pk, sig, how in zip(planted_ids, query_sigs, kinds, strict=True):
            t = time.perf_counter()
            found = related.suggest_for_signature(sig)
            taken.append(time.perf_counter() - t)
            hit = pk in [s.letter_id for s in found[:3]]
            hits += hit
            by_kind[how][0] += hit
            by_kind[how][1] += 1
        samples += taken
        rounds.append(summary(taken)["p95_ms"])
    # Brute force: every signature in memory, compared with the query's.
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT letter_id, minhash FROM letters_lettersignature ORDER BY letter_id")
        ids, blobs = [], []
        for pk, blob in cur:
            ids.append(pk)
            blobs.append(bytes(blob))
    matrix = np.frombuffer(b"".join(blobs), dtype=">u4").reshape(len(ids), similarity.NUM_PERM)
    id_array = np.array(ids)
    load_seconds = time.perf_counter() - t
    brute, brute_hits = [], 0
    for pk, sig in zip(planted_ids, query_sigs, strict=True):
        t = time.perf_counter()
        scores = (matrix == np.array(sig, dtype=">u4")).sum(axis=1)
        top = id_array[np.argsort(-scores, kind="stable")[:3]]
        brute.append(time.perf_counter() - t)
        brute_hits += pk in top.tolist()
    figures = {
        "benchmark": "letters_related",
        "database": vendor,
        "letters": n + PAIRS,
        "bucket_rows": bucket_rows,
        "labelled_pairs": PAIRS,
        "suggest": summary(samples),
        "suggest_p95_ms_by_round": rounds,
        "recall_top3": round(hits / (PAIRS * args.rounds), 3),
        "recall_top3_by_kind": {how: round(h / n, 3) for how, (h, n) in by_kind.items() if n},
        "queries_by_kind": {how: n // args.rounds for how, (_h, n) in by_kind.items()},
        "baseline_brute_force": summary(brute),
        "baseline_brute_force_recall_top3": round(brute_hits / PAIRS, 3),
        "baseline_brute_force_load_s": round(load_seconds, 1),
        "load_average": [load_before, load_average()],
    }
    report(figures, args.json)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
