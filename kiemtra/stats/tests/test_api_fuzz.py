"""Fuzzing the statistics API from its own OpenAPI schema (issue 8.6): whatever a client sends, no 500.

Schemathesis generates requests that fit the schema and requests that break it
(wrong types, missing fields, huge strings); half of them are aimed at a real
report (real unit, period and form codes) so that the cell values reach the
parser and the services. Bounded: a few dozen examples per operation.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given, settings

from kiemtra.stats.models import Value
from kiemtra.stats.services import integration
from kiemtra.stats.tests.factories import Chain, make_chain, period_of

pytestmark = pytest.mark.django_db
EXAMPLES = 40
INPUT_CELLS = [("1", "1"), ("1", "2"), ("2", "1"), ("2", "2")]  # of factories.make_form


@pytest.fixture(autouse=True)
def _connection_kept_between_requests() -> Any:
    """As Django's test client does: the WSGI handler would close the test's connection after each request
    (it is inside the test's transaction), and on PostgreSQL every later request would fail."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzzed() -> tuple[Chain, str]:
    chain = make_chain()
    chain.open()
    _client, token = integration.register_client(
        chain.sysadmin,
        name="Phần mềm thử",
        document_ref="QĐ 1/2026",
        unit_codes=[chain.tree.province.code],
        forms=[chain.version.form],
        can_push=True,
        can_read=True,
    )
    return chain, token


def _aim(case: Any, chain: Chain) -> None:
    """Point every other request at a real report, keeping whatever else the generator made."""
    real = {"unit": chain.tree.commune.code, "period": period_of(chain).code, "form": chain.version.form.code}
    if isinstance(case.body, dict) and hash(repr(case.body)) % 2 == 0:
        case.body.update(real)
        cells = case.body.get("cells")
        if isinstance(cells, list):
            # Real input cells, so that the generated values reach the cell parser.
            for cell, (row, column) in zip(cells, INPUT_CELLS, strict=False):
                if isinstance(cell, dict):
                    cell.update(row=row, column=column)
    if isinstance(case.query, dict) and hash(repr(case.query)) % 2 == 0:
        case.query.update(real)


def test_the_statistics_api_answers_no_request_with_a_500(fuzzed: tuple[Chain, str]) -> None:
    chain, token = fuzzed
    schema = schemathesis.openapi.from_wsgi("/api/thong-ke/schema/?format=json", WSGIHandler())
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert {op.method.upper() for op in operations} == {"GET", "POST"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_500(case: Any) -> None:
            _aim(case, chain)
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            assert response.status_code < 500, (case.method, case.body, case.query, response.text[:500])
            if response.status_code >= 400:
                assert "detail" in response.json()  # the Vietnamese refusal, never an HTML error page

        no_500()
    # Nothing a refused request carried was stored: no figure beyond what the column can hold.
    assert not Value.objects.filter(number__gte=10**16).exists()
