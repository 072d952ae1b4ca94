"""The digests in ``Decision.search_text`` are written with letters only (``records.blind``).

PostgreSQL's text parser read a hex digest such as ``12e45ab…`` as a number followed by a word, so a
search for that digest (parsed the same way, as a phrase) never matched the stripped words: a classified
name was not found for some keys. The stored digests are rewritten in place — no decryption needed; the
generated ``search_words`` column follows on PostgreSQL.
"""

import re

from django.db import migrations

HEX_DIGEST = re.compile(r"~[0-9a-f]{16}\b")
LETTERED_DIGITS = str.maketrans("0123456789", "ghijklmnop")


def letter_the_digests(apps, schema_editor):  # type: ignore[no-untyped-def]
    decision_model = apps.get_model("discipline", "Decision")
    batch = []
    for decision in decision_model.objects.only("pk", "search_text").iterator(chunk_size=2000):
        rewritten = HEX_DIGEST.sub(lambda m: m.group(0).translate(LETTERED_DIGITS), decision.search_text)
        if rewritten != decision.search_text:
            decision.search_text = rewritten
            batch.append(decision)
        if len(batch) >= 2000:
            decision_model.objects.bulk_update(batch, ["search_text"])
            batch = []
    decision_model.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("discipline", "0008_decision_source_case")]

    operations = [migrations.RunPython(letter_the_digests, migrations.RunPython.noop)]
