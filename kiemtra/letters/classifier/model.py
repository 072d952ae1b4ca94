"""The classification assist: a suggested kind and field with a confidence, never applied without a person.

Two linear models (logistic regression) over TF-IDF of folded character n-grams,
so a message typed without diacritics reads like a formal letter. Trained by
``kiemtra letters train-classifier`` (called by the set-up) on the written set
(``training``) plus the handlers' corrections; the file lives in ``var/``, built on
first use when missing. Nothing is downloaded.
"""

from __future__ import annotations

import pickle
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from kiemtra.core.text import fold

from . import training

VERSION = 1


def model_path() -> Path:
    return Path(settings.VAR_DIR) / "letters_classifier.pkl"


@dataclass(frozen=True)
class Suggestion:
    kind: str
    field: str
    confidence: float  # the lower of the two models' probabilities for their choice


@dataclass
class TrainingReport:
    trained_on: int
    held_out: int
    corrections: int
    kind_accuracy: float
    field_accuracy: float
    kind_labels: list[str] = field(default_factory=list)
    kind_confusion: list[list[int]] = field(default_factory=list)
    field_labels: list[str] = field(default_factory=list)
    field_confusion: list[list[int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _pipeline() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    # Words and word pairs carry "tố cáo" / "khiếu nại"; character n-grams carry misspellings.
    return make_pipeline(
        make_union(
            TfidfVectorizer(preprocessor=fold, analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(preprocessor=fold, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        ),
        LogisticRegression(max_iter=3000, C=10.0),
    )


def corrections() -> list[tuple[str, str, str]]:
    """(text, kind, field) of the letters whose kind or field a handler corrected (``LetterCorrection``)."""
    try:
        from ..models import ClassificationCorrection
    except ImportError:
        return []
    from django.db import DatabaseError

    from ..services.records import content_of

    try:
        rows = list(ClassificationCorrection.objects.select_related("letter").order_by("pk"))
    except DatabaseError:  # the set-up may train before the database exists: the written set alone
        return []
    out = []
    for row in rows:
        content = content_of(row.letter)
        out.append((f"{content.get('title', '')} {content.get('content', '')}", row.kind, row.field_code))
    return out


def train(extra: list[tuple[str, str, str]] | None = None) -> tuple[dict[str, Any], TrainingReport]:
    from sklearn.metrics import accuracy_score, confusion_matrix

    data = training.examples()
    train_part = [e for e in data if not e.held_out]
    test_part = [e for e in data if e.held_out]
    extra = extra or []
    texts = [e.text for e in train_part] + [t for t, _k, _f in extra]
    kinds = [e.kind for e in train_part] + [k for _t, k, _f in extra]
    fields = [e.field for e in train_part] + [f for _t, _k, f in extra]
    kind_model, field_model = _pipeline().fit(texts, kinds), _pipeline().fit(texts, fields)
    test_texts = [e.text for e in test_part]
    kind_pred, field_pred = kind_model.predict(test_texts), field_model.predict(test_texts)
    truth_kind, truth_field = [e.kind for e in test_part], [e.field for e in test_part]
    report = TrainingReport(
        trained_on=len(texts),
        held_out=len(test_part),
        corrections=len(extra),
        kind_accuracy=round(float(accuracy_score(truth_kind, kind_pred)), 4),
        field_accuracy=round(float(accuracy_score(truth_field, field_pred)), 4),
        kind_labels=list(training.KINDS),
        kind_confusion=confusion_matrix(truth_kind, kind_pred, labels=list(training.KINDS)).tolist(),
        field_labels=list(training.FIELDS),
        field_confusion=confusion_matrix(truth_field, field_pred, labels=list(training.FIELDS)).tolist(),
    )
    return {"version": VERSION, "kind": kind_model, "field": field_model}, report


def train_and_save(path: Path | None = None) -> TrainingReport:
    bundle, report = train(corrections())
    path = path or model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(bundle))
    tmp.replace(path)
    _load.cache_clear()
    return report


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    path = model_path()
    if not path.exists():
        train_and_save(path)
    # Our own file, written by ``train_and_save`` into var/: never a file from elsewhere.
    bundle: dict[str, Any] = pickle.loads(path.read_bytes())  # noqa: S301
    if bundle.get("version") != VERSION:
        train_and_save(path)
        bundle = pickle.loads(path.read_bytes())  # noqa: S301
    return bundle


def suggest_many(texts: list[str]) -> list[Suggestion]:
    bundle = _load()
    kind_p, field_p = bundle["kind"].predict_proba(texts), bundle["field"].predict_proba(texts)
    kinds, fields = bundle["kind"].classes_, bundle["field"].classes_
    out = []
    for kp, fp in zip(kind_p, field_p, strict=True):
        ki, fi = int(kp.argmax()), int(fp.argmax())
        out.append(Suggestion(str(kinds[ki]), str(fields[fi]), float(min(kp[ki], fp[fi]))))
    return out


def suggest(text: str) -> Suggestion:
    return suggest_many([text])[0]
