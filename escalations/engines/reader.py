"""One way for Python to read the warehouse, whichever engine holds it.

``open_reader(paths)`` gives a ``Reader``: ``query(sql)`` (rows), ``frame(sql)`` and
``table(schema, name)`` (pandas), ``tables``/``columns``/``exists``, and the few SQL spellings the
engines disagree on (``json_text``, ``regex``, ``sample``, the parameter mark). The quality gate,
publishing and the voice step read through it; nothing else branches per engine.

- DuckDB: the warehouse file, opened read-only.
- Postgres: a psycopg2 connection (``ESCALATIONS_PG_*``), read-only, in UTC.
- Spark: no second Spark session (only dbt's may run, and a JVM costs ~10 s and ~1 GB): the tables
  are Parquet folders (dbt's managed tables under the Spark warehouse dir, ``<schema>.db/<table>``,
  and the shipped ones), so an in-memory DuckDB reads them in place as views. A mart with no data
  file (Spark writes none for an empty table) is an empty view of its contract's columns.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from escalations.config import Paths, duckdb_config
from escalations.engines import spark_raw_dir, spark_warehouse_dir, target
from escalations.engines.contract import canonical, mart_contracts


class Reader:
    """Read-only access to the warehouse; subclasses hold the engine's connection."""

    engine: str = "duckdb"
    mark = "?"  # the parameter placeholder of the engine's driver

    # ---- what every reader answers -----------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        raise NotImplementedError

    def columns(self, schema: str, table: str) -> list[tuple[str, str]]:
        """(name, type as DuckDB spells it) of a table's columns, in order."""
        rows = self.query(
            "select column_name, data_type from information_schema.columns "
            f"where table_schema = {self.mark} and table_name = {self.mark} order by ordinal_position",
            [schema, table],
        )
        return [(n, canonical(t)) for n, t in rows]

    def tables(self, schema: str) -> list[str]:
        rows = self.query(
            f"select table_name from information_schema.tables where table_schema = {self.mark} order by 1",
            [schema],
        )
        return [r[0] for r in rows]

    def exists(self, schema: str, table: str) -> bool:
        return table in self.tables(schema)

    def table(self, schema: str, name: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        picked = ", ".join(f'"{c}"' for c in columns) if columns else "*"
        return self.frame(f'select {picked} from {schema}."{name}"')

    def close(self) -> None:  # pragma: no cover - trivial
        pass

    def to_parquet(self, schema: str, table: str, path: Path, columns: Sequence[tuple[str, str]]) -> int:
        """Write ``columns`` (name, DuckDB type: each cast to it) of a table to a Parquet file; its rows."""
        raise NotImplementedError

    # ---- SQL the engines spell differently -----------------------------------------------------
    def json_text(self, column: str, key: str) -> str:
        """The text of top-level ``key`` of a JSON column (null when missing)."""
        return f"json_extract_string({column}, '$.{key}')"

    def regex(self, expr: str) -> str:
        """``expr`` matches the regular expression given as the next parameter."""
        return f"regexp_matches({expr}, {self.mark})"

    def sample(self, expr: str, condition: str, n: int) -> str:
        """Up to ``n`` values of ``expr`` of the rows meeting ``condition``, as a list."""
        return f"(list({expr}) filter (where {condition}))[1:{n}]"

    def cells(self, relation: str, columns: Sequence[str]) -> str:
        """A query of the non-null values of ``columns`` (same type) of ``relation``, one row per
        cell: ``position`` (the column's place in ``columns``) and ``cell_value``. In a column
        store, a scan per column reads each column once."""
        return " union all ".join(
            f'select {i} as position, "{column}" as cell_value from {relation} where "{column}" is not null'
            for i, column in enumerate(columns)
        )


class DuckDBReader(Reader):
    engine = "duckdb"

    def __init__(self, conn: duckdb.DuckDBPyConnection, engine: str = "duckdb"):
        self.conn = conn
        self.engine = engine

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.conn.execute(sql, list(params)).fetchall()

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        return self.conn.execute(sql, list(params)).df()

    def close(self) -> None:
        self.conn.close()

    def to_parquet(self, schema: str, table: str, path: Path, columns: Sequence[tuple[str, str]]) -> int:
        return _copy_to_parquet(self.conn, f'{schema}."{table}"', path, columns)


class PostgresReader(Reader):
    engine = "postgres"
    mark = "%s"

    def __init__(self, dsn: dict[str, str]):
        import psycopg2

        self.conn = psycopg2.connect(**dsn, options="-c TimeZone=UTC")
        self.conn.set_session(readonly=True, autocommit=True)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.conn.cursor() as cur:
            cur.execute(sql, list(params) or None)
            return cur.fetchall()

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        with self.conn.cursor() as cur:
            cur.execute(sql, list(params) or None)
            names = [d.name for d in cur.description]
            return pd.DataFrame.from_records(cur.fetchall(), columns=names)

    def close(self) -> None:
        self.conn.close()

    def to_parquet(self, schema: str, table: str, path: Path, columns: Sequence[tuple[str, str]]) -> int:
        # psycopg2 gives Python values of the column types (float, Decimal, aware datetime, bool,
        # date, str); DuckDB casts them to the contract's types and writes the file
        picked = ", ".join(f'"{n}"' for n, _ in columns)
        frame = self.frame(f'select {picked} from {schema}."{table}"')
        with duckdb.connect() as local:
            local.execute("set TimeZone = 'UTC'")
            local.register("_mart", frame)
            return _copy_to_parquet(local, "_mart", path, columns)

    def json_text(self, column: str, key: str) -> str:
        return f"(cast({column} as jsonb) ->> '{key}')"

    def regex(self, expr: str) -> str:
        return f"({expr} ~ {self.mark})"

    def sample(self, expr: str, condition: str, n: int) -> str:
        return f"(array_agg({expr}) filter (where {condition}))[1:{n}]"

    def cells(self, relation: str, columns: Sequence[str]) -> str:
        # a row store reads whole rows: one scan, each row unpivoted
        values = ", ".join(f'({i}, m."{column}")' for i, column in enumerate(columns))
        return (
            f"select cells.position, cells.cell_value from {relation} as m "
            f"cross join lateral (values {values}) as cells (position, cell_value) "
            "where cells.cell_value is not null"
        )


def _copy_to_parquet(
    conn: duckdb.DuckDBPyConnection, relation: str, path: Path, columns: Sequence[tuple[str, str]]
) -> int:
    casts = ", ".join(f'cast("{n}" as {t}) as "{n}"' for n, t in columns)
    return conn.execute(f"copy (select {casts} from {relation}) to '{path}' (format parquet)").fetchone()[0]


def _parquet_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.parquet") if not p.name.startswith((".", "_")))


def spark_tables(paths: Paths) -> dict[tuple[str, str], Path]:
    """Every table of the Spark warehouse as (schema, table) -> its folder: dbt's managed tables
    (``<warehouse dir>/<schema>.db/<table>``) and the shipped ones (``shipped/<schema>/<table>``)."""
    found: dict[tuple[str, str], Path] = {}
    shipped = spark_raw_dir(paths)
    for schema_dir in sorted(shipped.iterdir()) if shipped.is_dir() else []:
        if not schema_dir.is_dir() or schema_dir.name.startswith("."):
            continue
        for folder in sorted(schema_dir.iterdir()):
            if folder.is_dir() and not folder.name.startswith("."):
                found[(schema_dir.name, folder.name)] = folder
    managed = spark_warehouse_dir(paths)
    for schema_dir in sorted(p for p in managed.glob("*.db") if p.is_dir()):
        for folder in sorted(schema_dir.iterdir()):
            if folder.is_dir() and not folder.name.startswith((".", "_")):
                found[(schema_dir.name.removesuffix(".db"), folder.name)] = folder
    return found


def spark_duckdb(paths: Paths) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with a view per Spark table over its Parquet files (UTC)."""
    conn = duckdb.connect(config=duckdb_config())
    conn.execute("set TimeZone = 'UTC'")
    contracts = mart_contracts()
    for (schema, table), folder in spark_tables(paths).items():
        conn.execute(f'create schema if not exists "{schema}"')
        files = _parquet_files(folder)
        if files:
            listed = ", ".join(f"'{f}'" for f in files)
            source = f"read_parquet([{listed}], hive_partitioning = true, union_by_name = true)"
            # Spark writes instants as timestamps without zone (INT96, read as UTC): the contract's timestamptz
            described = conn.execute(f"describe select * from {source}").fetchall()
            select = ", ".join(
                f'cast("{n}" as timestamptz) as "{n}"' if t == "TIMESTAMP" else f'"{n}"'
                for n, t, *_ in described
            )
            conn.execute(f'create view "{schema}"."{table}" as select {select} from {source}')
        elif schema == "marts" and table in contracts:
            columns = ", ".join(f'cast(null as {t}) as "{n}"' for n, t in contracts[table])
            conn.execute(f'create view "{schema}"."{table}" as select {columns} where false')
    return conn


@contextlib.contextmanager
def open_reader(paths: Paths, engine: str | None = None) -> Iterator[Reader]:
    """A reader of the warehouse of ``engine`` (default ESCALATIONS_TARGET), closed on exit."""
    from escalations.settings import current as settings

    engine = engine or target()
    if engine == "postgres":
        dsn = settings().postgres
        if dsn is None:
            raise RuntimeError(
                "ESCALATIONS_TARGET=postgres needs ESCALATIONS_PG_HOST (and the other ESCALATIONS_PG_*)"
            )
        reader: Reader = PostgresReader(dsn)
    elif engine == "spark":
        reader = DuckDBReader(spark_duckdb(paths), engine="spark")
    else:
        conn = duckdb.connect(str(paths.warehouse), read_only=True, config=duckdb_config())
        reader = DuckDBReader(conn)
    try:
        yield reader
    finally:
        reader.close()


def postgres_url(dsn: dict[str, str] | None) -> str:
    """A SQLAlchemy URL of the Postgres connection (for GX's SQL datasource). A socket folder as host
    goes in the query string (libpq takes it from there), with ``localhost`` standing in the URL's
    host, which GX requires."""
    from urllib.parse import quote

    if dsn is None:
        raise RuntimeError(
            "ESCALATIONS_TARGET=postgres needs ESCALATIONS_PG_HOST (and the other ESCALATIONS_PG_*)"
        )
    user = quote(dsn["user"], safe="")
    password = f":{quote(dsn['password'], safe='')}" if dsn.get("password") else ""
    host, port, db = dsn["host"], dsn["port"], quote(dsn["dbname"], safe="")
    if host.startswith("/"):
        return f"postgresql+psycopg2://{user}{password}@localhost:{port}/{db}?host={quote(host, safe='/')}"
    return f"postgresql+psycopg2://{user}{password}@{host}:{port}/{db}"
