"""Fast inserts of many plain rows (批量写入) for the collection pipeline and the audit trail.

``bulk_create`` builds a model instance per row and prepares every value through the field machinery; at a
million rows that is most of an import's time. Here rows are plain dicts (field name → Python value), converted
once per column kind, and written with ``COPY`` on PostgreSQL or ``executemany`` on SQLite, inside the caller's
transaction. Only for tables whose rows need no ``save()`` logic (ours have none, by convention).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

from pubcredit import jsoncodec


class RawJSON(str):
    """A value already encoded as JSON: written as it is (one encoding shared by several columns)."""


def _json(value: Any) -> str | None:
    if value is None or isinstance(value, RawJSON):
        return value
    return jsoncodec.compact(value)


def _converters(model: type[models.Model], names: Sequence[str]):
    ops = connection.ops
    sqlite = connection.vendor == "sqlite"
    out = []
    for name in names:
        field = _field(model, name)
        if isinstance(field, models.JSONField):
            out.append(_json)
        elif isinstance(field, models.DateTimeField):
            cache: dict[Any, Any] = {}

            def convert(v, cache=cache):
                if v is None:
                    return None
                if v not in cache:
                    cache[v] = ops.adapt_datetimefield_value(v)
                return cache[v]
            out.append(convert)
        elif isinstance(field, models.DateField) and sqlite:
            out.append(lambda v: None if v is None else v.isoformat())
        elif isinstance(field, models.BooleanField) and sqlite:
            out.append(lambda v: None if v is None else int(v))
        else:
            out.append(None)
    return out


def _field(model: type[models.Model], name: str) -> models.Field:
    field = next((f for f in model._meta.fields if f.name == name or f.attname == name), None)
    if field is None:
        raise ValueError(f"{model.__name__} has no field {name}")
    return field


def bulk_insert(model: type[models.Model], rows: Iterable[dict[str, Any]], names: Sequence[str]) -> int:
    """Insert ``rows`` (dicts keyed by ``names``: field names, ``*_id`` for foreign keys) into ``model``'s table."""
    converters = [(i, c) for i, c in enumerate(_converters(model, names)) if c]
    table = model._meta.db_table
    columns = [_field(model, n).column for n in names]
    # values picked in C (itemgetter); only the columns that need it are converted in Python
    pick = operator.itemgetter(*names) if len(names) > 1 else (lambda r: (r[names[0]],))
    prepared = []
    for r in rows:
        values = pick(r)
        if converters:
            values = list(values)
            for i, convert in converters:
                values[i] = convert(values[i])
        prepared.append(values)
    if not prepared:
        return 0
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})", prepared)
    return len(prepared)


def copy_frame(cursor: Any, table: str, frame: Any) -> int:
    """Write a Polars frame (columns named as the table's) with one ``COPY`` of its CSV text, inside the caller's
    transaction (PostgreSQL; ``cursor`` is psycopg's own). Every non-null value is quoted and nulls are an unquoted
    ``\\N``, so an empty string stays empty and a text that reads ``\\N`` stays text; no Python object per row."""
    if not frame.height:
        return 0
    columns = ", ".join(connection.ops.quote_name(c) for c in frame.columns)
    text = frame.write_csv(include_header=False, null_value="\\N", quote_style="non_numeric")
    with cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN "
                     "(FORMAT csv, NULL '\\N')") as copy:
        copy.write(text.encode())
    return frame.height
