"""What searching a million decisions needs on PostgreSQL (bench/discipline_search.py measures it).

- Whole words: ``search_words``, a generated column ``strip(to_tsvector('simple',
  search_text))`` (the folded syllables as they are: no stemming, no stop words, no
  positions) with a GIN index. It is stored so that checking a candidate row reads its
  words instead of parsing its text again; the model does not declare it (Django never
  writes it, PostgreSQL computes it), ``kiemtra.discipline.search.WordsMatch`` reads it.
- Anywhere in the text (decision numbers, blind digests of classified names) and the issuing
  body: GIN trigram indexes (``pg_trgm``) serving ``LIKE '%…%'``.
- Published decisions newest first, overall and per province: the default sort of the search
  page, read backwards from an index and stopped after one page; and the usual filters
  (province, penalty, years) with the other filter columns, answered from the index alone.

SQLite (tests, small installations) gets none of these: the migration does nothing there.
"""

from typing import Any

from django.db import migrations

WORDS_COLUMN = (
    "ALTER TABLE discipline_decision ADD COLUMN IF NOT EXISTS search_words tsvector "
    "GENERATED ALWAYS AS (strip(to_tsvector('simple'::regconfig, search_text))) STORED"
)

INDEXES = {
    "discipline_decision_search_words": "USING gin (search_words)",
    "discipline_decision_search_trgm": "USING gin (search_text gin_trgm_ops)",
    "discipline_decision_body_trgm": "USING gin (issuing_body_key gin_trgm_ops)",
    "discipline_decision_pub_date": "(issued_on DESC NULLS LAST, id DESC) WHERE state = 'published'",
    "discipline_decision_pub_province_date": (
        "(province_id, issued_on DESC NULLS LAST, id DESC) WHERE state = 'published'"
    ),
    # The usual filters (province, penalty, years) and what else they are combined with, readable from
    # the index alone: a filtered search does not visit the rows it leaves out.
    "discipline_decision_pub_filters": (
        "(province_id, penalty, issued_on) INCLUDE (unit_id, position_level, subject_type, issuing_level) "
        "WHERE state = 'published'"
    ),
}


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(WORDS_COLUMN)
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON discipline_decision {definition}")


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other tables may use it, and it costs nothing unused.
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("ALTER TABLE discipline_decision DROP COLUMN IF EXISTS search_words")


class Migration(migrations.Migration):
    dependencies = [("discipline", "0002_catalog")]

    operations = [migrations.RunPython(create, drop)]
