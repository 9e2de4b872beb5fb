"""Copy whole schemas of a DuckDB warehouse into PostgreSQL, table by table, with matching types.

What a Postgres build needs from a DuckDB one: the ``raw`` tables ingestion wrote (and any other
schema the models read, e.g. ``voice``), so dbt can build on Postgres from the same records.
Each table is replaced (dropped, with any view over it, and created with the same columns in the
same order), and its rows travel as CSV: DuckDB ``COPY ... TO`` a scratch file, Postgres ``COPY ... FROM STDIN``.
CSV keeps NULL (an unquoted empty field) apart from the empty string (``""``), instants are
written in UTC with their offset, and doubles in DuckDB's shortest round-trip form.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import psycopg2
from psycopg2 import sql

# DuckDB type name (information_schema.columns.data_type) -> Postgres type. JSON becomes jsonb:
# the postgres__ JSON macros read it with jsonb operators.
PG_TYPES: dict[str, str] = {
    "VARCHAR": "text",
    "JSON": "jsonb",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
    "INTERVAL": "interval",
    "UUID": "uuid",
    "BLOB": "bytea",
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def pg_type(duckdb_type: str) -> str:
    """The Postgres type holding the values of a DuckDB column type; ValueError when there is none
    (lists, structs and maps have no one Postgres counterpart: ingestion writes none)."""
    name = duckdb_type.upper()
    if name in PG_TYPES:
        return PG_TYPES[name]
    decimal = _DECIMAL.fullmatch(name)
    if decimal:
        return f"numeric({decimal.group(1)}, {decimal.group(2)})"
    raise ValueError(f"no Postgres type for DuckDB type {duckdb_type!r}")


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(table, [(column, DuckDB type)]) of the base tables of a schema, in name order."""
    names = con.execute(
        "select table_name from information_schema.tables"
        " where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
        [schema],
    ).fetchall()
    out = []
    for (table,) in names:
        columns = con.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
        out.append((table, columns))
    return out


def _copy_table(
    src: duckdb.DuckDBPyConnection,
    cur: psycopg2.extensions.cursor,
    schema: str,
    table: str,
    columns: list[tuple[str, str]],
    scratch: Path,
) -> int:
    """Replace one Postgres table with the DuckDB one; the rows copied."""
    target = sql.Identifier(schema, table)
    cur.execute(sql.SQL("drop table if exists {} cascade").format(target))
    column_list = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_type(kind))) for name, kind in columns
    )
    cur.execute(sql.SQL("create table {} ({})").format(target, column_list))
    csv_path = scratch / f"{schema}.{table}.csv"
    source = ".".join('"' + part.replace('"', '""') + '"' for part in (schema, table))
    src.execute(f"copy (select * from {source}) to '{csv_path}' (format csv, header false)")
    try:
        with csv_path.open("rb") as rows:
            cur.copy_expert(
                sql.SQL("copy {} from stdin with (format csv)").format(target).as_string(cur), rows
            )
    finally:
        csv_path.unlink()
    return cur.rowcount


# collations that order text by its bytes, as DuckDB and Spark do: ordered string aggregates,
# row_number() tie-breaks and min/max of text then agree on every engine
BYTE_ORDER_COLLATIONS = {"C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic"}


class CollationError(RuntimeError):
    """The database orders text by a language's rules, not by bytes."""


def check_collation(cur) -> None:
    """Stop, saying how to fix it, when the database does not order text by bytes."""
    cur.execute(
        "select datcollate, datlocprovider = 'i', daticulocale from pg_database"
        " where datname = current_database()"
    )
    collation, icu, icu_locale = cur.fetchone()
    if icu:  # an ICU database orders by its ICU locale, whatever datcollate says
        collation = f"ICU {icu_locale}"
    if collation not in BYTE_ORDER_COLLATIONS:
        raise CollationError(
            f"the Postgres database orders text by collation {collation!r}: the marts would sort "
            "text differently from DuckDB and Spark (byte order). Use a database created with "
            "`createdb --locale=C --template=template0 <name>` (docs/engines.md)"
        )


def copy_raw_to_postgres(
    duckdb_path: str | Path,
    pg_dsn_kwargs: Mapping[str, str],
    schemas: Iterable[str] = ("raw",),
) -> dict[str, int]:
    """Replace each table of ``schemas`` in Postgres with the DuckDB warehouse's copy.

    ``pg_dsn_kwargs`` are libpq keywords (host, port, user, password, dbname), e.g.
    ``escalations.settings.current().postgres``. A schema missing from the warehouse is skipped.
    Everything is one transaction: Postgres sees all the tables or none. Returns the rows copied
    per ``schema.table``.
    """
    copied: dict[str, int] = {}
    with (
        duckdb.connect(str(duckdb_path), read_only=True) as src,
        tempfile.TemporaryDirectory(prefix="copy-raw-") as scratch,
    ):
        src.execute("set TimeZone = 'UTC'")
        dst = psycopg2.connect(**pg_dsn_kwargs)
        try:
            with dst, dst.cursor() as cur:
                check_collation(cur)
                cur.execute("set local TimeZone = 'UTC'")
                for schema in schemas:
                    tables = _tables(src, schema)
                    if tables:
                        cur.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
                    for table, columns in tables:
                        copied[f"{schema}.{table}"] = _copy_table(
                            src, cur, schema, table, columns, Path(scratch)
                        )
        finally:
            dst.close()
    return copied
