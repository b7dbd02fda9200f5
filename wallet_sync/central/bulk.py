"""Set-based writes for one pushed batch: many rows of one table in one statement.

On PostgreSQL, `executemany` sends one statement per row (psycopg pipelines them, but each is
still parsed, planned and executed on its own, and every row's parameters cross the wire
separately); a 500-entry push made some 3,000 of them. Here the rows go as arrays instead:
`insert_rows` uses COPY, `update_rows` one `UPDATE ... FROM unnest(...)` keyed on the
primary key, `upsert_rows` one `INSERT ... SELECT FROM unnest(...) ON CONFLICT`. On SQLite
(in-process, no round trips) plain `executemany` is already cheap and is kept.

The callers lock what they write (card rows first, in code order, as every writer does), so
the order in which one set-based statement touches its rows does not matter for deadlocks.

Public: among, insert_rows, update_rows, upsert_rows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, ColumnElement, Table, and_, any_, bindparam, insert, text, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import QueryableAttribute, Session

_PG = postgresql.dialect()


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def among(session: Session, column: ColumnElement[Any] | QueryableAttribute[Any],
          values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL `column = ANY(:array)`, one parameter however many
    values (an expanded IN list renders and sends one parameter per value on every call)."""
    if not _postgres(session):
        return column.in_(values)
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))


def _unnest(table: Table, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]
            ) -> tuple[str, dict[str, list[Any]]]:
    """`unnest(CAST(:u0 AS T0[]), ...) AS v(c0, ...)` and its array parameters."""
    args, params = [], {}
    for i, name in enumerate(columns):
        pg_type = table.c[name].type.compile(dialect=_PG)
        args.append(f"CAST(:u{i} AS {pg_type}[])")
        params[f"u{i}"] = [row[name] for row in rows]
    return f"unnest({', '.join(args)}) AS v({', '.join(columns)})", params


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ROWS: dicts with the same keys, naming every column that has no server-side
    default (COPY applies no Python-side column defaults)."""
    if not rows:
        return
    if not _postgres(session):
        session.connection().execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    as_json = {i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)}
    raw = session.connection().connection  # the psycopg connection, inside this transaction
    cursor = raw.cursor()
    try:
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                values = [row[name] for name in columns]
                for i in as_json:
                    values[i] = json.dumps(values[i])
                copy.write_row(values)
    finally:
        cursor.close()


def update_rows(session: Session, table: Table, key: Sequence[str],
                rows: Sequence[Mapping[str, Any]], *, set_: Sequence[str] = (),
                add: Sequence[str] = ()) -> None:
    """For each row, find the table row by its KEY columns and set the SET_ columns to the
    row's values, or add the row's values to the ADD columns."""
    if not rows:
        return
    if not _postgres(session):
        stmt = update(table).where(and_(*(table.c[k] == bindparam(f"k_{k}") for k in key)))
        stmt = stmt.values({**{c: bindparam(f"v_{c}") for c in set_},
                            **{c: table.c[c] + bindparam(f"v_{c}") for c in add}})
        session.connection().execute(stmt, [
            {**{f"k_{k}": row[k] for k in key}, **{f"v_{c}": row[c] for c in (*set_, *add)}}
            for row in rows])
        return
    source, params = _unnest(table, [*key, *set_, *add], rows)
    assignments = [f"{c} = v.{c}" for c in set_] + [f"{c} = t.{c} + v.{c}" for c in add]
    match = " AND ".join(f"t.{k} = v.{k}" for k in key)
    session.execute(text(f"UPDATE {table.name} AS t SET {', '.join(assignments)} "
                         f"FROM {source} WHERE {match}"), params)


def upsert_rows(session: Session, table: Table, key: Sequence[str],
                rows: Sequence[Mapping[str, Any]], on_conflict: str) -> None:
    """Insert ROWS; where KEY already exists, apply ON_CONFLICT (the SQL after `DO UPDATE
    SET`, naming the table and `excluded`, valid on SQLite and PostgreSQL alike)."""
    if not rows:
        return
    columns = list(rows[0])
    target = f"INSERT INTO {table.name} ({', '.join(columns)})"
    conflict = f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {on_conflict}"
    if not _postgres(session):
        values = ", ".join(f":{c}" for c in columns)
        session.execute(text(f"{target} VALUES ({values}) {conflict}"), list(rows))
        return
    source, params = _unnest(table, columns, rows)
    session.execute(text(f"{target} SELECT {', '.join(columns)} FROM {source} {conflict}"),
                    params)
