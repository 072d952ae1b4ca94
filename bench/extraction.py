"""Field-level accuracy of the discipline-decision extractor on the labelled corpus, and OCR throughput.

.venv/bin/python bench/extraction.py            # figures, then one JSON line
.venv/bin/python bench/extraction.py --json     # the JSON line only

Corpus: ``tests/data/discipline/`` (``make_corpus.py`` writes it; ``labels.json`` holds the truth):
born-digital PDFs (text layer) and scans (image-only PDFs, PNG, JPEG: read by Tesseract).
Targets: ≥ 97 % of fields right on born-digital documents, ≥ 90 % on scans.

Each file is read with ``reading.read_document`` (OCR included, timed) and its pages given to
``extractor.extract``. Expected and extracted decisions of a file are paired by subject name
(folded, greedy on word overlap ≥ 0.5). Every field of every expected decision counts once:

- an expected decision with no partner: all its fields wrong ("missing");
- an extracted decision with no partner: counted and reported as "extra" (not in the accuracy);
- exact after NFC + whitespace normalisation (``text.clean``): number, subject_name, unit, signer,
  province, term, amends_number; ``issuing_body`` likewise but case-insensitive (headers are
  printed in capitals, so the casing is reconstructed);
- equal: date, effective_date, birth_year, gender, subject_type, penalty, issuing_level, action,
  party_committee_member, probationary;
- as sets: positions (each cleaned), violation_categories, legal_basis (its "; " parts);
- violations: token F1 (folded words) ≥ 0.9 with the expected text;
- an expected null is right only when nothing was extracted.

Baseline, measured in the same run on the same files: a naive extractor taking the first
regex match in the whole text for number, date, subject ("đồng chí X"), birth year and
penalty, one decision per file (its other fields empty); and pages per minute of reading the
text layer alone, next to the OCR pages per minute.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "discipline"
TARGETS = {"digital": 0.97, "scan": 0.90}
FIELDS = (
    "number", "date", "issuing_body", "issuing_level", "subject_type", "subject_name", "birth_year", "gender",
    "positions", "party_committee_member", "unit", "province", "probationary", "penalty", "action", "violations",
    "violation_categories", "legal_basis", "signer", "effective_date", "term", "amends_number",
)  # fmt: skip


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemtra.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def tokens(text: str) -> list[str]:
    from kiemtra.discipline.extraction.text import fold

    return re.findall(r"\w+", fold(text))


def token_f1(a: str, b: str) -> float:
    ta, tb = Counter(tokens(a)), Counter(tokens(b))
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    precision, recall = common / sum(tb.values()), common / sum(ta.values())
    return 2 * precision * recall / (precision + recall)


def field_ok(name: str, expected: Any, got: Any) -> bool:
    """The matching rule of one field (see the module docstring)."""
    from kiemtra.discipline.extraction.text import clean

    if expected is None or expected == []:
        return got is None or got == [] or (name == "violation_categories" and not got)
    if got is None:
        return False
    if name == "violations":
        return token_f1(expected, got) >= 0.9
    if name in ("positions", "violation_categories"):
        return {clean(x) for x in expected} == {clean(x) for x in got}
    if name == "legal_basis":
        return set(expected.split("; ")) == set(got.split("; "))
    if name == "issuing_body":
        return clean(expected).casefold() == clean(got).casefold()
    if isinstance(expected, str):
        return clean(expected) == clean(str(got))
    return bool(expected == got)


def pair(
    expected: list[dict[str, Any]], got: list[dict[str, Any]]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs (expected index, extracted index) by subject name, then the unpaired of each side."""
    scores = []
    for i, e in enumerate(expected):
        for j, g in enumerate(got):
            a, b = set(tokens(e["subject_name"])), set(tokens(g.get("subject_name") or ""))
            overlap = len(a & b) / max(len(a | b), 1)
            if overlap >= 0.5:
                scores.append((overlap, -abs(i - j), i, j))
    pairs, used_e, used_g = [], set(), set()
    for _, _, i, j in sorted(scores, reverse=True):
        if i not in used_e and j not in used_g:
            pairs.append((i, j))
            used_e.add(i)
            used_g.add(j)
    return pairs, [i for i in range(len(expected)) if i not in used_e], [j for j in range(len(got)) if j not in used_g]


class Score:
    """Right/total per field over a set of files, and decisions missing or extra."""

    def __init__(self) -> None:
        self.right: Counter[str] = Counter()
        self.total: Counter[str] = Counter()
        self.missing = 0
        self.extra = 0
        self.expected = 0
        self.errors: list[str] = []

    def add(self, file: str, expected: list[dict[str, Any]], got: list[dict[str, Any]]) -> None:
        pairs, missing, extra = pair(expected, got)
        self.expected += len(expected)
        self.missing += len(missing)
        self.extra += len(extra)
        for i in missing:
            self.total.update(FIELDS)
            self.errors.append(f"{file}: missing {expected[i]['subject_name']}")
        for j in extra:
            self.errors.append(f"{file}: extra {got[j].get('subject_name')}")
        for i, j in pairs:
            for name in FIELDS:
                self.total[name] += 1
                if field_ok(name, expected[i][name], got[j].get(name)):
                    self.right[name] += 1
                else:
                    self.errors.append(f"{file}: {name}: expected {expected[i][name]!r}, got {got[j].get(name)!r}")

    def accuracy(self) -> dict[str, float]:
        return {name: round(self.right[name] / self.total[name], 4) for name in FIELDS if self.total[name]}

    def overall(self) -> float:
        total = sum(self.total.values())
        return round(sum(self.right.values()) / total, 4) if total else 0.0


def naive(text: str) -> list[dict[str, Any]]:
    """The baseline: first regex match in the whole text for a few fields, one decision."""
    import datetime as dt

    from kiemtra.discipline.extraction import patterns as P
    from kiemtra.discipline.extraction.text import fold

    folded = fold(text)
    out: dict[str, Any] = {name: None for name in FIELDS}
    if m := re.search(r"Số\s*(\S+)", text):
        out["number"] = m.group(1)
    if m := P.DATE_WORDS.search(folded):
        with contextlib.suppress(ValueError):
            out["date"] = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
    if m := re.search(r"đồng chí ((?:[A-ZĐÀ-Ỹ][\wà-ỹ]+ ?){2,5})", text):
        out["subject_name"] = m.group(1).strip()
        out["subject_type"] = "member"
    if m := re.search(r"sinh năm (\d{4})", text):
        out["birth_year"] = int(m.group(1))
    out["penalty"] = P.penalty_of(folded)
    return [out] if out["subject_name"] else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--errors", action="store_true", help="list every wrong field")
    args = parser.parse_args()
    setup()
    from kiemtra.discipline.extraction.extractor import extract
    from kiemtra.discipline.extraction.reading import ReadError, read_document

    labels = json.loads((CORPUS / "labels.json").read_text())["files"]
    scores = {"digital": Score(), "scan": Score()}
    baseline = {"digital": Score(), "scan": Score()}
    ocr_seconds = ocr_pages = text_seconds = text_pages = extract_seconds = 0.0
    bad_right = bad_total = 0
    for rel, entry in sorted(labels.items()):
        path = CORPUS / rel
        kind = entry["kind"]
        if kind == "bad":
            bad_total += 1
            try:
                result = read_document(path)
                outcome = "ok" if extract(result.pages) else "not_decision"
                if outcome == "ok" and entry["outcome"] == "duplicate":
                    outcome = "duplicate" if result.sha256 == _sha(CORPUS / entry["duplicate_of"]) else "ok"
            except ReadError as exc:
                outcome = exc.code
            bad_right += outcome == entry["outcome"]
            if outcome != entry["outcome"]:
                scores["digital"].errors.append(f"{rel}: outcome {outcome}, expected {entry['outcome']}")
            continue
        start = time.perf_counter()
        result = read_document(path)
        took = time.perf_counter() - start
        if kind == "scan":
            ocr_seconds += took
            ocr_pages += len(result.pages)
        else:
            text_seconds += took
            text_pages += len(result.pages)
        start = time.perf_counter()
        decisions = extract(result.pages)
        extract_seconds += time.perf_counter() - start
        got = [d.to_json(rel) for d in decisions]
        scores[kind].add(rel, entry["decisions"], got)
        baseline[kind].add(rel, entry["decisions"], naive(result.text))
    if args.errors:
        for kind, score in scores.items():
            for line in score.errors:
                print(f"[{kind}] {line}")
    figures: dict[str, Any] = {}
    for kind, score in scores.items():
        figures[f"{kind}_overall"] = score.overall()
        figures[f"{kind}_target"] = TARGETS[kind]
        figures[f"{kind}_meets_target"] = score.overall() >= TARGETS[kind]
        figures[f"{kind}_decisions_expected"] = score.expected
        figures[f"{kind}_decisions_missing"] = score.missing
        figures[f"{kind}_decisions_extra"] = score.extra
        figures[f"{kind}_baseline_overall"] = baseline[kind].overall()
        figures[f"{kind}_fields"] = score.accuracy()
    figures["bad_files_right"] = f"{bad_right}/{bad_total}"
    figures["ocr_pages"] = int(ocr_pages)
    figures["ocr_pages_per_minute"] = round(ocr_pages / ocr_seconds * 60, 1) if ocr_seconds else None
    figures["text_layer_pages_per_minute_baseline"] = round(text_pages / text_seconds * 60, 1) if text_seconds else None
    figures["extract_ms_per_page"] = round(extract_seconds / max(ocr_pages + text_pages, 1) * 1000, 2)
    figures["load_average"] = round(os.getloadavg()[0], 2)
    if not args.json:
        for kind in scores:
            print(f"\n{kind}: per-field accuracy (extractor | naive baseline)")
            base = baseline[kind].accuracy()
            for name, value in scores[kind].accuracy().items():
                print(f"  {name:>24}: {value * 100:6.1f} % | {base.get(name, 0) * 100:6.1f} %")
        print()
        for key, value in figures.items():
            if not key.endswith("_fields"):
                print(f"{key:>40}: {value}")
    print(json.dumps(figures, ensure_ascii=False))


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


if __name__ == "__main__":
    main()
