"""Search a million discipline decisions on PostgreSQL: p95 of typical searches, against a sequential scan.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiemtra .venv/bin/python bench/discipline_search.py
    [--decisions 1000000] [--searches 40] [--baseline-searches 5] [--explain] [--json]

Data (set-up, not measured): the national org tree; ``--decisions`` decisions
written with PostgreSQL ``COPY`` (realistic Vietnamese names — family names
weighted as in the population, middle and given names by gender, some with two
middle names —, positions, violations, issuing bodies of the owning
commissions, 70 % by commune commissions, 27 % provincial, 3 % central; years
2021–2026; penalties and categories; 5 % organisations; 2 % classified with
sealed details and blind name tokens; 3 % pending or rejected). ``search_text`` is
written by ``services.records.search_words`` itself (name and marked tokens are keyed
digests); the other derived
columns (``search_text``, ``number_key``, ``issuing_body_key``,
``subject_key``) are computed by a fast reproduction of ``services.records``
whose output is checked equal to the real functions on a sample. The indexes of
migration 0003 are dropped for the load and built afterwards (as a restore
would), then ``VACUUM ANALYZE``.

Measured: what the search page runs for one search — ``search.paginate(actor,
query, 1)``: the (id, date) pairs of up to ``SCAN_CAP`` matches in one read
(the capped count and the first page of 50 in date order both come from them;
period by period only when a search matches more), then the page's rows with
units and provinces — for
four kinds of typical search, each by a user at the Centre (scope: everything)
and by a provincial commission's editor (scope: its subtree):

- ``name``: a common full name typed without diacritics ("nguyen van an"), sorted by
  relevance (the decisions about that name first, adjacent words in order);
- ``marked_name``: the same typed with its diacritics ("Nguyễn Văn An"): the marks narrow;
- ``rare_name``: a rarer full name without diacritics ("quach thi thu huyen");
- ``filters_text``: province + penalty + year + one word of a name;
- ``filters``: province + penalty + years + position level, no text.

Baseline, in the same run: the same searches with index and bitmap scans
disabled (``SET LOCAL enable_indexscan/enable_indexonlyscan/enable_bitmapscan
= off``): the plain sequential scan the indexes replace.

With ``--explain``: ``EXPLAIN ANALYZE`` of every statement the page runs for
one search of each kind. Without it, the plans are still checked: a rare name
must be served by the word index (words and blind digests in one scan).
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from common import load_average, say, scratch_database, summary

TARGET_P95_MS = 100.0
SEED = 20260101

# Family names with their approximate share of the population (the rest spread over rarer names).
FAMILY = [
    ("Nguyễn", 31), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 3), ("Huỳnh", 2.1), ("Phan", 4.5),
    ("Vũ", 2), ("Võ", 2), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1),
    ("Lý", 0.5), ("Đinh", 0.6), ("Trịnh", 0.5), ("Đoàn", 0.5), ("Lương", 0.4), ("Mai", 0.3), ("Cao", 0.3),
    ("Tạ", 0.2), ("Lâm", 0.2), ("Hà", 0.3), ("Quách", 0.1), ("Kiều", 0.1), ("Lại", 0.1), ("Triệu", 0.1),
    ("Tô", 0.1), ("Thái", 0.1), ("Chu", 0.1), ("Khổng", 0.05), ("La", 0.05),
]  # fmt: skip
RARE_FAMILY = ["Quách", "Kiều", "Lại", "Triệu", "Tô", "Thái", "Chu", "Khổng", "La", "Tạ", "Lâm"]
MIDDLE_MALE = [
    "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thanh", "Ngọc", "Đình", "Mạnh", "Trọng", "Quốc", "Tiến",
    "Hoàng", "Bá", "Duy", "Anh"
]  # fmt: skip
MIDDLE_FEMALE = [
    "Thị", "Thu", "Ngọc", "Thanh", "Kim", "Hồng", "Bích", "Mai", "Phương", "Minh", "Thúy", "Diệu"
]  # fmt: skip
GIVEN_MALE = [
    "An", "Anh", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Hưng", "Khánh", "Long", "Minh", "Nam",
    "Phong", "Quân", "Sơn", "Thắng", "Thành", "Tuấn", "Trung", "Việt", "Vinh", "Hoàng", "Hiếu", "Kiên", "Lâm",
    "Lực", "Nghĩa", "Phúc", "Tài", "Tâm", "Thịnh", "Toàn", "Tùng", "Chiến", "Định"
]  # fmt: skip
GIVEN_FEMALE = [
    "Lan", "Hương", "Hà", "Hạnh", "Hoa", "Huyền", "Hằng", "Linh", "Loan", "Mai", "Ngân", "Nga", "Nhung", "Oanh",
    "Phương", "Thảo", "Thủy", "Trang", "Tuyết", "Vân", "Yến", "Dung", "Giang", "Liên", "Quyên", "Thoa", "Xuân"
]  # fmt: skip
POSITIONS = [
    ("Giám đốc Sở Tài chính", "provincial"), ("Phó Giám đốc Sở Xây dựng", "provincial"),
    ("Phó Chủ tịch Ủy ban nhân dân tỉnh", "central"), ("Bí thư Đảng ủy xã", "commune"),
    ("Chủ tịch Ủy ban nhân dân xã", "commune"), ("Phó Chủ tịch Ủy ban nhân dân phường", "commune"),
    ("Trưởng phòng Tài nguyên và Môi trường", "provincial"), ("Kế toán trưởng", "none"),
    ("Trưởng Công an xã", "commune"), ("Hiệu trưởng Trường Trung học phổ thông", "none"),
    ("Giám đốc Ban quản lý dự án đầu tư xây dựng", "provincial"), ("Chi cục trưởng Chi cục Thuế", "provincial"),
    ("Công chức địa chính – xây dựng", "none"), ("Đảng viên", "none"), ("Bí thư Chi bộ thôn", "none"),
    ("Phó Bí thư Thường trực Đảng ủy", "commune"), ("Giám đốc Bệnh viện đa khoa", "provincial"),
]  # fmt: skip
VIOLATIONS = [
    ("Vi phạm quy định về quản lý tài chính, ngân sách; thiếu trách nhiệm trong lãnh đạo, chỉ đạo", "economy"),
    ("Thiếu trách nhiệm, buông lỏng lãnh đạo, quản lý, để cấp dưới vi phạm kéo dài", "responsibility"),
    ("Vi phạm quy định về quản lý, sử dụng đất đai, cấp giấy chứng nhận quyền sử dụng đất sai quy định", "land"),
    ("Vi phạm những điều đảng viên không được làm", "party_rules"),
    ("Kê khai tài sản, thu nhập không trung thực", "asset_declaration"),
    ("Suy thoái về tư tưởng chính trị, đạo đức, lối sống", "ethics"),
    ("Vi phạm nguyên tắc tập trung dân chủ, quy chế làm việc", "principles"),
    ("Lợi dụng chức vụ, quyền hạn, cố ý làm trái gây thất thoát tài sản nhà nước", "corruption"),
    ("Vi phạm quy định trong công tác cán bộ, bổ nhiệm, tuyển dụng", "personnel"),
    ("Vi phạm quy định về đấu thầu, đầu tư công, xây dựng cơ bản", "economy"),
    ("Mất đoàn kết nội bộ kéo dài", "unity"),
]  # fmt: skip
ORG_VIOLATIONS = [
    ("Vi phạm quy chế làm việc, nguyên tắc tập trung dân chủ, để xảy ra mất đoàn kết nội bộ", "principles"),
    ("Thiếu lãnh đạo, chỉ đạo thực hiện nghị quyết, chỉ thị của Đảng", "resolutions"),
    ("Buông lỏng quản lý để xảy ra lãng phí, thất thoát", "thrift"),
    ("Vi phạm chính sách, pháp luật của Nhà nước về quản lý đất đai", "policy"),
]  # fmt: skip
MEMBER_PENALTIES = [("reprimand", 50), ("warning", 30), ("dismissal", 5), ("expulsion", 15)]
ORG_PENALTIES = [("reprimand", 60), ("warning", 35), ("dissolution", 5)]
LEGAL_BASIS = "Quy định 69-QĐ/TW ngày 06/7/2022 của Ban Chấp hành Trung ương"
FIRST_DAY, LAST_DAY = dt.date(2021, 1, 1), dt.date(2026, 10, 31)
KINDS = ("name", "marked_name", "rare_name", "filters_text", "filters")

COLUMNS = (
    "id, unit_id, position_in_document, state, confidentiality, number, number_key, issued_on, issuing_body, "
    "issuing_body_key, issuing_level, term, subject_type, birth_year, gender, party_committee_member, probationary, "
    "position_level, province_id, penalty, effective_on, amend_kind, amends_number, subject_name, positions, "
    "subject_unit, violations, legal_basis, signer, sealed, subject_key, search_text, created_by_id, created_at, "
    "reconciled_by_id, reconciled_at"
)


def _arguments() -> Any:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=40, help="timed searches per kind and user")
    parser.add_argument("--baseline-searches", type=int, default=5, help="sequential-scan searches per kind and user")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of one search of each kind")
    return parser.parse_args()


# --- the data ---------------------------------------------------------------------------------------


@dataclass
class Unit:
    pk: int
    kind: str
    name: str
    province: int
    abbr: str


@dataclass
class Generated:
    """The values of one decision as ``records.apply_values`` would receive them (for the sample check)."""

    number: str
    issuing_body: str
    term: str
    confidentiality: str
    subject_name: str
    positions: list[str]
    subject_unit: str
    violations: str


class Folder:
    """``fold`` with a cache: the generated text is made of a few thousand distinct pieces."""

    def __init__(self) -> None:
        from kiemtra.core.text import fold

        self._fold = fold
        self._cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        folded = self._cache.get(text)
        if folded is None:
            folded = self._cache[text] = self._fold(text)
        return folded

    def join(self, *pieces: str) -> str:
        """``fold(" ".join(pieces))``: folding works character by character, then collapses whitespace."""
        return " ".join(f for f in (self(p) for p in pieces) if f)


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, float]], n: int) -> list[str]:
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights=weights, k=n)


def make_name(rng: random.Random, family: str, female: bool) -> str:
    middle = MIDDLE_FEMALE if female else MIDDLE_MALE
    given = GIVEN_FEMALE if female else GIVEN_MALE
    parts = [family, rng.choice(middle)]
    if rng.random() < 0.2:
        parts.append(rng.choice(middle))
    parts.append(rng.choice(given))
    return " ".join(dict.fromkeys(parts))  # "Nguyễn Minh Minh" is not a name


def load_units() -> tuple[list[Unit], dict[int, list[Unit]]]:
    from kiemtra.orgs.choices import UnitKind
    from kiemtra.orgs.models import OrgUnit

    units: list[Unit] = []
    rows = OrgUnit.objects.filter(
        valid_to__isnull=True, kind__in=[UnitKind.CENTRAL, UnitKind.PROVINCIAL, UnitKind.COMMUNE]
    )
    for pk, kind, name, parent in rows.values_list("pk", "kind", "name", "parent_id"):
        province = pk if kind == UnitKind.PROVINCIAL else (parent or 0)
        abbr = {"central": "UBKTTW", "provincial": "UBKTTU"}.get(kind, "UBKTĐU")
        units.append(Unit(pk, kind, name, province, abbr))
    by_kind: dict[str, list[Unit]] = {}
    for unit in units:
        by_kind.setdefault(unit.kind, []).append(unit)
    provinces = {u.pk for u in by_kind["provincial"]}
    by_province: dict[int, list[Unit]] = {}
    for unit in units:
        if unit.province in provinces:
            by_province.setdefault(unit.province, []).append(unit)
    return units, by_province


class Generator:
    """Rows of ``discipline_decision`` as COPY text, deterministic for one seed."""

    def __init__(self, units: list[Unit], categories: list[tuple[int, str, str]], user_id: int, seed: int) -> None:
        from kiemtra.core.crypto import encrypt_text, lookup_digest
        from kiemtra.discipline.models import Details
        from kiemtra.discipline.services import records

        self.rng = random.Random(seed)
        self.fold = Folder()
        self.encrypt = encrypt_text
        self.lookup_digest = lookup_digest
        self.blind = records.blind
        self.body_key = records.body_key
        self.search_words = records.search_words
        self.details = Details
        self.by_kind: dict[str, list[Unit]] = {}
        for unit in units:
            self.by_kind.setdefault(unit.kind, []).append(unit)
        self.provinces = [u.pk for u in self.by_kind["provincial"]]
        self.categories = {(code, kind): pk for pk, code, kind in categories}
        self.user_id = user_id
        self.now = dt.datetime.now(dt.UTC).isoformat()
        self.days = (LAST_DAY - FIRST_DAY).days
        self._body_keys: dict[str, str] = {}
        self._subject_keys: dict[str, str] = {}
        self.samples: list[tuple[Generated, dict[str, str]]] = []
        self.names: list[tuple[str, str]] = []  # (name, confidentiality) of published decisions, for the searches
        self.links: list[tuple[int, int]] = []
        self.per_province: Counter[int] = Counter()

    def _issuer(self) -> tuple[Unit, str, str]:
        roll = self.rng.random()
        if roll < 0.70:
            unit = self.rng.choice(self.by_kind["commune"])
            level = self.rng.choice(["commune_commission", "commune_commission", "commune_committee", "cell"])
            body = unit.name if level == "commune_commission" else unit.name.replace("UBKT ", "Ban Thường vụ ")
        elif roll < 0.97:
            unit = self.rng.choice(self.by_kind["provincial"])
            level = self.rng.choice(["provincial_commission", "provincial_commission", "provincial_committee"])
            body = unit.name if level == "provincial_commission" else unit.name.replace("UBKT ", "Ban Thường vụ ")
        else:
            unit = self.by_kind["central"][0]
            level = self.rng.choice(["central_commission", "central_commission", "politburo", "secretariat"])
            body = {
                "central_commission": "Ủy ban Kiểm tra Trung ương",
                "politburo": "Bộ Chính trị",
                "secretariat": "Ban Bí thư",
            }[level]
        return unit, level, body

    def row(self, pk: int) -> str:
        rng = self.rng
        unit, level, body = self._issuer()
        province = unit.province or rng.choice(self.provinces)
        if unit.province:
            self.per_province[unit.province] += 1
        issued = FIRST_DAY + dt.timedelta(days=rng.randrange(self.days))
        term = "XIV" if issued.year >= 2026 else "XIII"
        roll = rng.random()
        state = "published" if roll < 0.97 else ("pending" if roll < 0.99 else "rejected")
        confidentiality = "secret" if rng.random() < 0.02 else "ordinary"
        seq = pk % 9000 + 1
        number = f"Số {seq}-QĐ/{unit.abbr}"
        number_key = f"{seq}-qd/{self.fold(unit.abbr)}"
        organisation = rng.random() < 0.05
        if organisation:
            name = unit.name.replace("UBKT ", "Ban Thường vụ ")
            female, birth_year, gender = False, "\\N", ""
            positions: list[str] = []
            position_level = ""
            violation, category = rng.choice(ORG_VIOLATIONS)
            penalty = _weighted(rng, ORG_PENALTIES, 1)[0]
            subject_type, subject_unit = "organization", ""
        else:
            female = rng.random() < 0.3
            family = _weighted(rng, FAMILY, 1)[0]
            name = make_name(rng, family, female)
            birth_year, gender = str(rng.randint(1958, 1996)), "female" if female else "male"
            position, position_level = rng.choice(POSITIONS)
            positions = [position]
            violation, category = rng.choice(VIOLATIONS)
            penalty = _weighted(rng, MEMBER_PENALTIES, 1)[0]
            subject_type = "member"
            subject_unit = unit.name.replace("UBKT Đảng ủy ", "").replace("UBKT ", "")
        signer = make_name(rng, _weighted(rng, FAMILY, 1)[0], rng.random() < 0.3)
        # ``records.search_words`` itself: the tokens of names and of words as written are keyed digests.
        words = self.details(subject_name=name, positions=positions, subject_unit=subject_unit, violations=violation)
        search = self.search_words(f"{number} {body} {term}", words, confidentiality != "ordinary")
        if confidentiality == "ordinary":
            plain = (name, json.dumps(positions, ensure_ascii=False), subject_unit, violation, LEGAL_BASIS, signer)
            sealed = ""
        else:
            details = {
                "subject_name": name,
                "positions": positions,
                "subject_unit": subject_unit,
                "violations": violation,
                "legal_basis": LEGAL_BASIS,
                "signer": signer,
            }
            sealed = self.encrypt(json.dumps(details, ensure_ascii=False))
            plain = ("", "[]", "", "", "", "")
        body_key = self._body_keys.get(body)
        if body_key is None:
            body_key = self._body_keys[body] = self.body_key(body)
        subject_key = self._subject_keys.get(name)
        if subject_key is None:
            subject_key = self._subject_keys[name] = self.lookup_digest(self.fold(name))
        if len(self.samples) < 2000 and rng.random() < 0.01:
            generated = Generated(number, body, term, confidentiality, name, positions, subject_unit, violation)
            derived = {"search_text": search, "number_key": number_key, "issuing_body_key": body_key}
            self.samples.append((generated, {**derived, "subject_key": subject_key}))
        if state == "published" and subject_type == "member":
            self.names.append((name, confidentiality))
        cat_id = self.categories.get((category, subject_type))
        if cat_id:
            self.links.append((pk, cat_id))
        reviewed = state == "published"
        fields = (
            str(pk), str(unit.pk), "1", state, confidentiality, number, number_key, issued.isoformat(), body,
            body_key, level, term, subject_type, birth_year, gender, rng.choice(["t", "f", "f", "f"]), "f",
            position_level, str(province), penalty, issued.isoformat(), "", "", *plain, sealed, subject_key,
            search, str(self.user_id), self.now, str(self.user_id) if reviewed else "\\N",
            self.now if reviewed else "\\N",
        )  # fmt: skip
        return "\t".join(fields) + "\n"


def check_sample(samples: list[tuple[Generated, dict[str, str]]]) -> int:
    """The fast reproduction equals ``services.records`` on every sampled row."""
    from kiemtra.discipline.models import Decision, Details
    from kiemtra.discipline.services import records

    for generated, derived in samples:
        decision = Decision(
            number=generated.number,
            issuing_body=generated.issuing_body,
            term=generated.term,
            confidentiality=generated.confidentiality,
        )
        details = Details(
            subject_name=generated.subject_name,
            positions=generated.positions,
            subject_unit=generated.subject_unit,
            violations=generated.violations,
        )
        expected = {
            "search_text": records.search_text(decision, details),
            "number_key": records.number_key(generated.number),
            "issuing_body_key": records.body_key(generated.issuing_body),
            "subject_key": records.subject_key(generated.subject_name),
        }
        assert derived == expected, (asdict(generated), derived, expected)
    return len(samples)


def _chunks(lines: Iterator[str]) -> Iterator[str]:
    buffer = io.StringIO()
    for line in lines:
        buffer.write(line)
        if buffer.tell() > 1 << 20:
            yield buffer.getvalue()
            buffer = io.StringIO()
    yield buffer.getvalue()


def load_decisions(count: int, user_id: int) -> tuple[Generator, dict[str, float]]:
    from django.db import connection, transaction

    from kiemtra.discipline.models import ViolationCategory

    timings: dict[str, float] = {}
    indexes = importlib.import_module("kiemtra.discipline.migrations.0003_search_indexes").INDEXES
    units, _by_province = load_units()
    categories = list(ViolationCategory.objects.filter(valid_to__isnull=True).values_list("pk", "code", "subject_type"))
    generator = Generator(units, categories, user_id, SEED)
    connection.ensure_connection()
    raw: Any = connection.connection
    start = time.perf_counter()
    with transaction.atomic(), raw.cursor() as cursor:
        for name in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        # Set-up only: the rows are consistent by construction; skip the deferred FK checks.
        cursor.execute("SET LOCAL session_replication_role = replica")
        with cursor.copy(f"COPY discipline_decision ({COLUMNS}) FROM STDIN") as copy:
            for chunk in _chunks(generator.row(pk) for pk in range(1, count + 1)):
                copy.write(chunk)
        with cursor.copy("COPY discipline_decision_categories (decision_id, violationcategory_id) FROM STDIN") as copy:
            for chunk in _chunks(f"{d}\t{c}\n" for d, c in generator.links):
                copy.write(chunk)
        cursor.execute(f"ALTER TABLE discipline_decision ALTER COLUMN id RESTART WITH {count + 1}")
    timings["copy"] = time.perf_counter() - start
    start = time.perf_counter()
    with raw.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for name, definition in indexes.items():
            cursor.execute(f"CREATE INDEX {name} ON discipline_decision {definition}")
        cursor.execute("RESET maintenance_work_mem")
    raw.commit()
    timings["indexes"] = time.perf_counter() - start
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE discipline_decision")
        cursor.execute("VACUUM ANALYZE discipline_decision_categories")
    timings["analyze"] = time.perf_counter() - start
    return generator, timings


# --- the searches -----------------------------------------------------------------------------------


def make_queries(generator: Generator, kind: str, n: int, province: int, rng: random.Random) -> list[Any]:
    """``n`` searches of one kind; ``province`` is where the provincial filters point."""
    from kiemtra.core.text import fold
    from kiemtra.discipline.search import DecisionQuery

    names = generator.names
    queries: list[DecisionQuery] = []
    while len(queries) < n:
        name, confidentiality = rng.choice(names)
        year = rng.randint(2021, 2026)
        penalty = rng.choice(["reprimand", "warning", "expulsion"])
        if kind == "name":
            # A common name: family name among the frequent ones, three words.
            if confidentiality != "ordinary" or name.split()[0] not in ("Nguyễn", "Trần", "Lê", "Phạm"):
                continue
            queries.append(DecisionQuery(text=fold(" ".join(name.split()[:2] + name.split()[-1:]))))
        elif kind == "marked_name":
            # The same, typed with its diacritics: the marks narrow the match.
            if confidentiality != "ordinary" or name.split()[0] not in ("Nguyễn", "Trần", "Lê", "Phạm"):
                continue
            queries.append(DecisionQuery(text=" ".join(name.split()[:2] + name.split()[-1:])))
        elif kind == "rare_name":
            family = rng.choice(RARE_FAMILY)
            female = rng.random() < 0.5
            picked = name if name.split()[0] in RARE_FAMILY else make_name(rng, family, female)
            queries.append(DecisionQuery(text=fold(picked)))
        elif kind == "filters_text":
            word = rng.choice(name.split())
            queries.append(
                DecisionQuery(text=fold(word), province=province, penalty=penalty, year_from=year, year_to=year)
            )
        else:
            queries.append(
                DecisionQuery(
                    province=province, penalty=penalty, year_from=year - 1, year_to=year, position_level="commune"
                )
            )
    return queries


def run_page(actor: Any, query: Any) -> int:
    """What the search page runs: the capped count and the first page of rows."""
    from kiemtra.discipline import search

    page = search.paginate(actor, query, 1)
    return int(page.paginator.count)


def timed(actor: Any, queries: list[Any], sequential: bool = False) -> list[float]:
    from django.db import connection, transaction

    samples: list[float] = []
    for query in queries:
        with transaction.atomic():
            if sequential:
                with connection.cursor() as cursor:
                    for setting in ("enable_indexscan", "enable_indexonlyscan", "enable_bitmapscan"):
                        cursor.execute(f"SET LOCAL {setting} = off")
            start = time.perf_counter()
            run_page(actor, query)
            samples.append(time.perf_counter() - start)
    return samples


def explain(actor: Any, query: Any) -> str:
    """EXPLAIN ANALYZE of every statement the page runs for ``query``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run_page(actor, query)
    plans = []
    with connection.cursor() as cursor:
        for statement in captured.captured_queries:
            sql = statement["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or "discipline_decision" not in sql:
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plans.append(f"-- {sql[:160]}…\n" + "\n".join(r[0] for r in cursor.fetchall()))
    return "\n".join(plans)


def make_users(province: int) -> dict[str, Any]:
    from kiemtra.accounts.choices import Module, Role
    from kiemtra.accounts.models import RoleGrant, User
    from kiemtra.orgs.models import OrgUnit

    centre = OrgUnit.objects.get(parent__isnull=True, valid_to__isnull=True)
    users = {}
    for code, unit_id, role in (
        ("bench.trunguong", centre.pk, Role.DISCIPLINE_VIEWER),
        ("bench.tinh", province, Role.DISCIPLINE_EDITOR),
    ):
        user = User.objects.create_user(code, None, full_name=code)
        RoleGrant.objects.create(
            person=user, unit_id=unit_id, module=Module.DISCIPLINE, role=role, document_ref="bench"
        )
        users[code.split(".")[1]] = user
    return users


def main() -> None:
    args = _arguments()
    vendor = scratch_database("discipline_search")
    if vendor != "postgresql":
        sys.exit("bench/discipline_search.py measures PostgreSQL: set DATABASE_URL=postgres://…")

    from django.db import connection

    from kiemtra.accounts.models import User
    from kiemtra.discipline import search
    from kiemtra.discipline.models import Decision
    from kiemtra.orgs.loader import load_national_tree

    setup: dict[str, float] = {}
    start = time.perf_counter()
    load_national_tree()
    setup["tree"] = time.perf_counter() - start
    owner = User.objects.create_user("bench.nhaplieu", None, full_name="Nhập liệu")
    generator, timings = load_decisions(args.decisions, owner.pk)
    setup.update(timings)
    sampled = check_sample(generator.samples)
    say(args.json, f"set-up: {args.decisions:,} decisions, " + ", ".join(f"{k} {v:.1f} s" for k, v in setup.items()))
    say(args.json, f"derived columns equal to services.records on {sampled} sampled rows")

    # The province whose commissions own the most decisions: the busiest provincial scope.
    province = generator.per_province.most_common(1)[0][0]
    users = make_users(province)
    rng = random.Random(SEED + 1)
    queries = {kind: make_queries(generator, kind, args.searches, province, rng) for kind in KINDS}

    if args.explain:
        for kind in KINDS:
            for who, user in users.items():
                say(args.json, f"\n== {kind} / {who}: {queries[kind][0]}\n{explain(user, queries[kind][0])}")

    # The word index must serve a name search — its words and its blind digests in one scan; otherwise the
    # figures measure something else.
    plan = explain(users["trunguong"], queries["rare_name"][0])
    indexes_used = {name: name in plan for name in ("discipline_decision_search_words",)}
    assert all(indexes_used.values()), plan

    results: dict[str, dict[str, float]] = {}
    baseline: dict[str, dict[str, float]] = {}
    everything: list[float] = []
    everything_baseline: list[float] = []
    for who, user in users.items():
        for kind in KINDS:
            timed(user, queries[kind][:3])  # warm-up
            samples = timed(user, queries[kind])
            base = timed(user, queries[kind][: args.baseline_searches], sequential=True)
            results[f"{kind}/{who}"] = summary(samples)
            baseline[f"{kind}/{who}"] = summary(base)
            everything += samples
            everything_baseline += base

    if not args.json:
        print(f"\n{'search':<26}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'seq p50':>10}{'seq p95':>10}")
        for key, timing in results.items():
            seq = baseline[key]
            print(
                f"{key:<26}{timing['p50_ms']:>10.1f}{timing['p95_ms']:>10.1f}{timing['max_ms']:>10.1f}"
                f"{seq['p50_ms']:>10.1f}{seq['p95_ms']:>10.1f}"
            )
    overall = summary(everything)
    overall_baseline = summary(everything_baseline)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_size_pretty(pg_relation_size(oid)) FROM pg_class "
            "WHERE relname IN ('discipline_decision', 'discipline_decision_search_words', "
            "'discipline_decision_search_trgm') ORDER BY relname"
        )
        sizes = dict(cursor.fetchall())
    figures: dict[str, Any] = {
        "benchmark": "discipline_search",
        "database": vendor,
        "decisions": Decision.objects.count(),
        "published": Decision.objects.published().count(),
        "searches": len(everything),
        "per_search": {k: {"p50_ms": v["p50_ms"], "p95_ms": v["p95_ms"]} for k, v in results.items()},
        "p50_ms": overall["p50_ms"],
        "p95_ms": overall["p95_ms"],
        "baseline": "the same searches with enable_indexscan, enable_indexonlyscan and enable_bitmapscan off",
        "baseline_searches": len(everything_baseline),
        "baseline_p50_ms": overall_baseline["p50_ms"],
        "baseline_p95_ms": overall_baseline["p95_ms"],
        "speed_up_p95": round(overall_baseline["p95_ms"] / overall["p95_ms"], 1) if overall["p95_ms"] else None,
        "target_p95_ms": TARGET_P95_MS,
        "targets_met": overall["p95_ms"] <= TARGET_P95_MS,
        "count_cap": search.COUNT_CAP,
        "indexes_used_by_a_name_search": indexes_used,
        "sizes": sizes,
        "setup_seconds": {k: round(v, 1) for k, v in setup.items()},
        "load_average": load_average(),
        "name_search_median_matches": statistics.median(run_page(users["trunguong"], q) for q in queries["name"][:10]),
    }
    if not args.json:
        for key, value in figures.items():
            if key != "per_search":
                print(f"{key:>28}: {value}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
