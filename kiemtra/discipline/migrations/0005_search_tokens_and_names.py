"""Stored words and names written before issue 10 items 9–10, rewritten in the new shape.

- ``search_text`` gains the tokens of the name (words and adjacent pairs) and of the words as
  written (with their diacritics): ``records.search_words``. Classified details are decrypted
  here with the key outside the database, as every read of them does.
- The seeded demo decisions named their issuing body "Ủy ban Kiểm tra Ủy ban Kiểm tra …".
- A file's note said "…, chờ đối soát." for ever; what became of its decisions is read from them.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import migrations

DOUBLED = "Ủy ban Kiểm tra Ủy ban Kiểm tra "
CHUNK = 2000


def forwards(apps: Any, schema_editor: Any) -> None:
    from kiemtra.core.crypto import decrypt_text
    from kiemtra.discipline.models import DETAIL_FIELDS, Details
    from kiemtra.discipline.services import records

    decision_model = apps.get_model("discipline", "Decision")
    item_model = apps.get_model("discipline", "IngestItem")
    for item in item_model.objects.filter(message__contains=", chờ đối soát."):
        item.message = item.message.replace(", chờ đối soát.", ".")
        item.save(update_fields=["message"])
    batch: list[Any] = []
    for decision in decision_model.objects.order_by("pk").iterator(chunk_size=CHUNK):
        if decision.issuing_body.startswith(DOUBLED):
            decision.issuing_body = "Ủy ban Kiểm tra " + decision.issuing_body.removeprefix(DOUBLED)
            decision.issuing_body_key = records.body_key(decision.issuing_body)
        if decision.sealed:
            details = Details(**json.loads(decrypt_text(decision.sealed)))
        else:
            details = Details(**{name: getattr(decision, name) for name in DETAIL_FIELDS})
        public = f"{decision.number} {decision.issuing_body} {decision.term}"
        decision.search_text = records.search_words(public, details, decision.confidentiality != "ordinary")
        batch.append(decision)
        if len(batch) == CHUNK:
            decision_model.objects.bulk_update(batch, ["issuing_body", "issuing_body_key", "search_text"])
            batch = []
    if batch:
        decision_model.objects.bulk_update(batch, ["issuing_body", "issuing_body_key", "search_text"])


class Migration(migrations.Migration):
    dependencies = [("discipline", "0004_ingest_claimed_at")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
