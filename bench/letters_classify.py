"""Letters II — the classification assist on the held-out part of its written training set.

    .venv/bin/python bench/letters_classify.py [--json]

Trains the two models (kind, field) on the examples whose text hash puts them outside the
held-out fifth (``training.Example.held_out``), then reports the accuracy on the held-out fifth,
which the training never sees, with the confusion matrices (rows: truth, columns: prediction,
in the order of the labels) and the time to train and to classify one letter. Baseline in the same
run: always answering the most frequent kind and field of the training part.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from common import ROOT, report, scratch_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    scratch_database("letters_classify")
    from kiemtra.letters.classifier import model, training

    data = training.examples()
    train_part = [e for e in data if not e.held_out]
    held = [e for e in data if e.held_out]
    t = time.perf_counter()
    bundle, result = model.train([])
    train_seconds = time.perf_counter() - t
    t = time.perf_counter()
    for e in held[:50]:
        bundle["kind"].predict([e.text])
    per_letter_ms = (time.perf_counter() - t) / min(50, len(held)) * 1000
    top_kind = Counter(e.kind for e in train_part).most_common(1)[0][0]
    top_field = Counter(e.field for e in train_part).most_common(1)[0][0]
    figures = {
        "benchmark": "letters_classify",
        "examples": len(data),
        "styles": dict(Counter(e.style for e in data)),
        "trained_on": result.trained_on,
        "held_out": result.held_out,
        "kind_accuracy": result.kind_accuracy,
        "field_accuracy": result.field_accuracy,
        "kind_labels": result.kind_labels,
        "kind_confusion": result.kind_confusion,
        "field_labels": result.field_labels,
        "field_confusion": result.field_confusion,
        "baseline_majority_kind_accuracy": round(sum(e.kind == top_kind for e in held) / len(held), 4),
        "baseline_majority_field_accuracy": round(sum(e.field == top_field for e in held) / len(held), 4),
        "train_s": round(train_seconds, 2),
        "predict_one_ms": round(per_letter_ms, 2),
    }
    report(figures, args.json)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
