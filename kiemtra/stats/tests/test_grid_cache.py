"""A frozen version's grid is built once per process; an editable version's is always fresh."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kiemtra.stats.grid import Grid
from kiemtra.stats.models import FormVersion, Row

from .factories import make_form

pytestmark = pytest.mark.django_db


def test_the_grid_of_a_frozen_version_is_built_once() -> None:
    version = make_form()
    FormVersion.objects.filter(pk=version.pk).update(frozen=True)
    version.refresh_from_db()
    first = Grid.of(version)
    with CaptureQueriesContext(connection) as queries:
        again = Grid.of(FormVersion.objects.get(pk=version.pk))
    assert again is first
    assert len(queries) == 1  # the version itself, none for its rows, columns and rules


def test_an_editable_version_shows_a_new_row_at_once() -> None:
    version = make_form(code="02")
    assert len(Grid.of(version).rows) == 3
    Row.objects.create(version=version, code="4", label="Thêm", position=4)
    assert [r.code for r in Grid.of(version).rows] == ["1", "2", "3", "4"]
