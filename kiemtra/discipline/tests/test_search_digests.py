"""The digests in a decision's search text are single words to PostgreSQL's text parser, for any key.

A hex digest such as ``~12e45ab…`` was parsed as a number followed by a word: the stored words held
``12e45`` and ``ab…`` while the query asked for them as a phrase, so a classified name went unfound for
about one word in thirty, depending on the key — the tests that searched classified names failed at random.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings

from kiemtra.discipline.services import records

pytestmark = pytest.mark.django_db

# A key under which a name word's hex digest starts "digits, e, digits": the shape the parser misreads.
WORDS = [f"tu{n}" for n in range(400)]


def test_every_digest_is_a_word_of_letters() -> None:
    for word in WORDS:
        digest = records.blind(word)
        assert digest.startswith("~") and digest[1:].isalpha() and len(digest) == 17, digest


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's text parser")
@override_settings(FIELD_ENCRYPTION_KEY="khoa-thu-co-dinh-cho-kiem-tra-phan-tich-tu")
def test_postgresql_reads_each_digest_as_the_word_a_query_asks_for() -> None:
    digests = [records.blind(word) for word in WORDS]
    with connection.cursor() as cursor:
        for digest in digests:
            cursor.execute(
                "SELECT strip(to_tsvector('simple', %s)) @@ to_tsquery('simple', %s)",
                [f"nguyen van {digest}", digest.lstrip("~")],
            )
            assert cursor.fetchone()[0], digest
