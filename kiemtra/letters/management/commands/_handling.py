"""The handling subcommands of ``kiemtra letters``: classify and related (the same engines as the product)."""

from __future__ import annotations

import json
from argparse import _SubParsersAction
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


def add_handling_arguments(sub: _SubParsersAction) -> None:  # type: ignore[type-arg]
    classify = sub.add_parser("classify", help="Gợi ý loại đơn và lĩnh vực cho từng tệp văn bản")
    classify.add_argument("files", nargs="+", metavar="FILE")
    classify.add_argument("--json", action="store_true")
    related = sub.add_parser("related", help="Các tệp khác mà bộ máy gợi ý là liên quan")
    related.add_argument("files", nargs="+", metavar="FILE")
    related.add_argument("--json", action="store_true")
    sub.add_parser("train-classifier", help="Huấn luyện mô hình gợi ý loại đơn, lĩnh vực; in độ chính xác")
    reindex = sub.add_parser(
        "related-index",
        help="Tính lại chữ ký MinHash và nhóm LSH của các đơn chưa có (--all: mọi đơn); mở nội dung đơn bằng khóa chủ",
    )
    reindex.add_argument("--all", action="store_true", help="tính lại cho mọi đơn (sau khi đổi bộ máy so khớp)")


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as failed:
        raise CommandError(_("Không đọc được tệp %(f)s.") % {"f": path}) from failed


def handling_actions(command: BaseCommand) -> dict[str, Callable[[dict[str, Any]], None]]:
    def out(value: Any) -> None:
        command.stdout.write(json.dumps(value, ensure_ascii=False))

    def classify(options: dict[str, Any]) -> None:
        from ...classifier import model

        texts = [_read(f) for f in options["files"]]
        for name, guess in zip(options["files"], model.suggest_many(texts), strict=True):
            out({"file": name, "kind": guess.kind, "field": guess.field, "confidence": round(guess.confidence, 3)})

    def related(options: dict[str, Any]) -> None:
        from ...similarity import related_among

        texts = [_read(f) for f in options["files"]]
        for name, others in zip(options["files"], related_among(texts), strict=True):
            out({"file": name, "related": [options["files"][i] for i in others]})

    def train(options: dict[str, Any]) -> None:
        from ...classifier import model

        out(model.train_and_save().as_dict())

    def related_index(options: dict[str, Any]) -> None:
        from ...models import Letter
        from ...services import records
        from ...services import related as engine

        letters = Letter.objects.order_by("pk")
        if not options["all"]:
            letters = letters.filter(signature__isnull=True)
        done = 0
        for letter in letters.iterator(chunk_size=500):
            engine.reindex(letter, engine.indexed_text(records.content_of(letter)))
            done += 1
        out({"indexed": done})

    return {"classify": classify, "related": related, "train-classifier": train, "related-index": related_index}
