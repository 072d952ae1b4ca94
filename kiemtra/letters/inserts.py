"""A row and the rows that point at it, inserted in one statement (PostgreSQL) or through the ORM.

A letter is stored with its name-word digests, its MinHash signature, its LSH buckets and, for
VNeID, its submission row: five or six INSERTs through the ORM, each a round trip and a compile of
its own, and some thirty model instances. On PostgreSQL they go as one statement of
data-modifying CTEs — the letter's INSERT … RETURNING id, then each table of children taking that
id, their values passed as arrays (``unnest``), so the statement's text is the same for every
letter and the driver keeps it converted — one round trip, failing or succeeding whole (a unique
violation anywhere raises ``IntegrityError`` as before). Elsewhere (SQLite), the ORM does the
same in the caller's transaction.

The parent's columns and values come from its model's own fields (``pre_save`` and
``get_db_prep_save``, as the ORM's INSERT does), so a field added to the model is written here too;
children name their columns (every column without a default, as their model declares them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models


@dataclass(frozen=True)
class Children:
    """Rows of ``model`` pointing at the parent: ``columns`` maps field names to equal-length value lists.

    The values are what the database takes as they are (int, str, bytes, bool, aware datetime,
    None; a foreign key by its ``…_id`` name and id): they are passed as arrays, not through the
    fields' own conversions.
    """

    model: type[models.Model]
    columns: dict[str, list[Any]]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))


def _parent_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField | models.SmallAutoField))
    ]


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return found


def _sql_type(field: models.Field[Any, Any]) -> str:
    return str(field.db_type(connection)).split("(")[0] if not field.is_relation else "bigint"


def insert(parent: models.Model, children: Sequence[Children], parent_field: str = "letter") -> list[list[int]]:
    """INSERT ``parent`` (its pk is set) and ``children``; the children's ids, group by group.

    Call inside a transaction when more than this has to be atomic with it.
    """
    children = [c for c in children if len(c)]
    if connection.vendor != "postgresql":
        parent.save(force_insert=True)
        ids = []
        for group in children:
            names = list(group.columns)
            objs = [
                group.model(**{parent_field: parent}, **dict(zip(names, values, strict=True)))
                for values in zip(*(group.columns[n] for n in names), strict=True)
            ]
            group.model._default_manager.bulk_create(objs)
            ids.append([int(o.pk) for o in objs])
        return ids
    quote = connection.ops.quote_name
    meta = parent._meta
    fields = _parent_fields(type(parent))
    params: list[Any] = []
    placeholders = []
    for f in fields:
        value = f.get_db_prep_save(f.pre_save(parent, True), connection=connection)
        if value is None:
            # Written in the text: a letter has a dozen empty columns at intake, and a statement of
            # at most 50 parameters is one the driver converts once and keeps.
            placeholders.append("NULL")
            continue
        placeholders.append(f.get_placeholder(value, None, connection) if hasattr(f, "get_placeholder") else "%s")
        params.append(value)
    ctes = [
        f"p AS (INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(placeholders)}) RETURNING {quote(meta.pk.column)} AS id)"
    ]
    for n, group in enumerate(children):
        cmeta = group.model._meta
        link = _field(group.model, parent_field).column
        cfields = [_field(group.model, name) for name in group.columns]
        arrays = []
        for f, name in zip(cfields, group.columns, strict=True):
            arrays.append(f"unnest(%s::{_sql_type(f)}[])")
            params.append(group.columns[name])
        ctes.append(
            f"c{n} AS (INSERT INTO {quote(cmeta.db_table)} "  # noqa: S608
            f"({quote(link)}, {', '.join(quote(f.column) for f in cfields)}) "
            f"SELECT p.id, {', '.join(arrays)} FROM p RETURNING {quote(cmeta.pk.column)} AS id)"
        )
    picks = ["(SELECT id FROM p)"] + [f"(SELECT array_agg(id) FROM c{n})" for n in range(len(children))]  # noqa: S608
    with connection.cursor() as cursor:
        sql = "WITH " + ", ".join(ctes) + " SELECT " + ", ".join(picks)
        cursor.execute(sql, params)
        row = cursor.fetchone()
    parent.pk = row[0]
    parent._state.adding = False
    parent._state.db = connection.alias
    return [list(ids) for ids in row[1:]]
