"""A row and the rows that point at it, inserted in one statement (PostgreSQL) or through the ORM.

A letter is stored with its name-word digests, its MinHash signature, its LSH buckets and, for
VNeID, its submission row: five or six INSERTs through the ORM, each a round trip and a compile of
its own. On PostgreSQL they go as one statement of data-modifying CTEs — the letter's INSERT …
RETURNING id, then each group of children taking that id — so a letter costs one round trip
and fails or succeeds whole (a unique violation anywhere raises ``IntegrityError`` as before).
Elsewhere (SQLite), the ORM does the same in the caller's transaction.

The columns and values come from the models' own fields (``pre_save`` and
``get_db_prep_save``, as the ORM's INSERT does), so a field added to a model is written here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    meta = model._meta
    return [
        f
        for f in meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField | models.SmallAutoField))
    ]


def _row(obj: models.Model, fields: list[models.Field[Any, Any]], parent_column: str | None) -> tuple[str, list[Any]]:
    placeholders, params = [], []
    for f in fields:
        if f.column == parent_column:
            placeholders.append("(SELECT id FROM p)")
            continue
        value = f.get_db_prep_save(f.pre_save(obj, True), connection=connection)
        placeholder = f.get_placeholder(value, None, connection) if hasattr(f, "get_placeholder") else "%s"
        placeholders.append(placeholder)
        params.append(value)
    return "(" + ", ".join(placeholders) + ")", params


def insert(parent: models.Model, children: Sequence[models.Model], parent_field: str = "letter") -> None:
    """INSERT ``parent`` and ``children`` (each with a foreign key ``parent_field`` to it); sets every pk.

    Call inside a transaction when more than this has to be atomic with it.
    """
    for child in children:
        setattr(child, parent_field, parent)
    if connection.vendor != "postgresql":
        parent.save(force_insert=True)
        groups: dict[type[models.Model], list[models.Model]] = {}
        for child in children:
            setattr(child, parent_field, parent)  # again: the parent has its pk now
            groups.setdefault(type(child), []).append(child)
        for model, objs in groups.items():
            model.objects.bulk_create(objs)
        return
    quote = connection.ops.quote_name
    meta = parent._meta
    fields = _columns(type(parent))
    values, params = _row(parent, fields, None)
    ctes = [
        f"p AS (INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES {values} RETURNING {quote(meta.pk.column)} AS id)"
    ]
    ordered: list[list[models.Model]] = []
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for child in children:
        by_model.setdefault(type(child), []).append(child)
    for n, (model, objs) in enumerate(by_model.items()):
        cmeta = model._meta
        link = cmeta.get_field(parent_field).column  # type: ignore[union-attr]
        cfields = _columns(model)
        rows = []
        for obj in objs:
            row, row_params = _row(obj, cfields, link)
            rows.append(row)
            params += row_params
        ctes.append(
            f"c{n} AS (INSERT INTO {quote(cmeta.db_table)} ({', '.join(quote(f.column) for f in cfields)}) "  # noqa: S608
            f"VALUES {', '.join(rows)} RETURNING {quote(cmeta.pk.column)} AS id)"
        )
        ordered.append(objs)
    picks = ["(SELECT id FROM p)"] + [f"(SELECT array_agg(id) FROM c{n})" for n in range(len(ordered))]  # noqa: S608
    sql = "WITH " + ", ".join(ctes) + " SELECT " + ", ".join(picks)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    parent.pk = row[0]
    parent._state.adding = False
    parent._state.db = connection.alias
    for objs, ids in zip(ordered, row[1:], strict=True):
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
            setattr(obj, parent_field, parent)  # the id the parent has now
            obj._state.adding = False
            obj._state.db = connection.alias
