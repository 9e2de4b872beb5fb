"""Row-count baselines: the row count of the last run whose suite passed, kept in the warehouse it
describes (``_quality.row_count_baselines``), so another warehouse is never held to it and a copied
warehouse takes its baselines along. DuckDB and Postgres keep it as a table of the warehouse; Spark
as a Parquet file in its warehouse folder (``_quality.db/row_count_baselines``), read like its
tables (escalations/engines/reader.py) and written without a Spark session."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import duckdb

from escalations.config import Paths, duckdb_config
from escalations.engines.reader import DuckDBReader, Reader

BASELINES = "_quality.row_count_baselines"  # in the warehouse it describes, never under marts


def read_baseline(reader: Reader | duckdb.DuckDBPyConnection, name: str) -> int | None:
    """The row count of the last run that passed ``name``'s suite on this warehouse, if any."""
    if isinstance(reader, duckdb.DuckDBPyConnection):
        reader = DuckDBReader(reader)
    if not reader.exists("_quality", "row_count_baselines"):
        return None
    rows = reader.query(f"select row_count from {BASELINES} where suite = {reader.mark}", [name])
    return rows[0][0] if rows else None


def record_baseline(warehouse: Path, name: str, rows: int, run_id: str | None = None) -> None:
    """Keep ``rows`` as ``name``'s baseline in the DuckDB warehouse itself (schema ``_quality``)."""
    with duckdb.connect(str(warehouse), config=duckdb_config()) as conn:
        conn.execute("create schema if not exists _quality")
        conn.execute(
            f"create table if not exists {BASELINES} (suite varchar primary key, row_count bigint not null, "
            "run_id varchar, recorded_at timestamp with time zone not null)"
        )
        conn.execute(
            f"insert or replace into {BASELINES} values (?, ?, ?, current_timestamp)", [name, rows, run_id]
        )


def record_baseline_postgres(dsn: dict[str, str], name: str, rows: int, run_id: str | None = None) -> None:
    """The same, in a Postgres warehouse."""
    import psycopg2

    with contextlib.closing(psycopg2.connect(**dsn)) as pg, pg, pg.cursor() as cur:
        cur.execute("create schema if not exists _quality")
        cur.execute(
            f"create table if not exists {BASELINES} (suite text primary key, row_count bigint not null, "
            "run_id text, recorded_at timestamp with time zone not null)"
        )
        cur.execute(
            f"insert into {BASELINES} values (%s, %s, %s, now()) on conflict (suite) do update "
            "set row_count = excluded.row_count, run_id = excluded.run_id, recorded_at = excluded.recorded_at",
            [name, rows, run_id],
        )


def record_baseline_spark(folder: Path, name: str, rows: int, run_id: str | None = None) -> None:
    """The same, as the Parquet file of ``folder`` (``<spark warehouse>/_quality.db/row_count_baselines``),
    replaced in one rename."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "baselines.parquet"
    tmp = folder / ".baselines.parquet.tmp"
    with duckdb.connect() as conn:
        conn.execute(
            "create table b (suite varchar, row_count bigint, run_id varchar, recorded_at timestamptz)"
        )
        if path.exists():
            conn.execute(f"insert into b select * from read_parquet('{path}') where suite != ?", [name])
        conn.execute("insert into b values (?, ?, ?, ?)", [name, rows, run_id, datetime.now(UTC)])
        conn.execute(f"copy (select * from b order by suite) to '{tmp}' (format parquet)")
    tmp.replace(path)


def baseline_recorder(paths: Paths, engine: str) -> Callable[[str, int, str | None], None]:
    """What keeps a passing suite's row count in the warehouse of ``engine``."""
    if engine == "postgres":
        from escalations.settings import current as settings

        return partial(record_baseline_postgres, settings().postgres)
    if engine == "spark":
        from escalations.engines import spark_warehouse_dir

        return partial(
            record_baseline_spark, spark_warehouse_dir(paths) / "_quality.db" / "row_count_baselines"
        )
    return partial(record_baseline, paths.warehouse)
