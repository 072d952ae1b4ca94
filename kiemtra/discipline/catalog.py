"""The shipped catalogs: penalties, violation categories and the statistics link, with the regulation behind them.

Loaded by a data migration and kept editable by the operator afterwards; loading
again adds what is missing and never overwrites an operator's edit.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from kiemtra.core.text import fold

CATALOG_FILE = Path(__file__).with_name("data") / "catalog.json"
CATEGORIES_SINCE = dt.date(2017, 11, 15)


@cache
def shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    return data


def load(penalty_model: Any, category_model: Any) -> tuple[int, int]:
    """Create the shipped rows that are missing; models are passed so migrations can use historical ones."""
    data = shipped()
    regulations = data["regulations"]
    penalties = 0
    for item in data["penalties"]:
        _, created = penalty_model.objects.get_or_create(
            code=item["code"],
            subject_type=item["subject_type"],
            valid_from=dt.date.fromisoformat(item["valid_from"]),
            defaults={
                "name": item["name"],
                "severity": item["severity"],
                "for_probationary": item["for_probationary"],
                "regulation": regulations[item["regulation"]],
                "valid_to": dt.date.fromisoformat(item["valid_to"]) if item["valid_to"] else None,
            },
        )
        penalties += created
    categories = 0
    for item in data["categories"]:
        _, created = category_model.objects.get_or_create(
            code=item["code"],
            subject_type=item["subject_type"],
            valid_from=CATEGORIES_SINCE,
            defaults={
                "name": item.get("name", item["stats_item"]),
                "stats_item": item["stats_item"],
                "keywords": [fold(k) for k in item["keywords"]],
                "regulation": regulations["qd69"],
            },
        )
        categories += created
    return penalties, categories


def load_stats_link(rule_model: Any) -> int:
    """The rows and columns of forms 05/06 each issuing level and penalty counts in (missing rows only)."""
    data = shipped()
    regulations = data["regulations"]
    created = 0
    for item in data["stats_link"]:
        _, made = rule_model.objects.get_or_create(
            kind=item["kind"],
            key=item["key"],
            valid_from=dt.date.fromisoformat(item["valid_from"]),
            defaults={
                "item": item["item"],
                "regulation": regulations[item["regulation"]],
                "valid_to": dt.date.fromisoformat(item["valid_to"]) if item["valid_to"] else None,
            },
        )
        created += made
    return created
