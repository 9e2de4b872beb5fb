"""Row-count baselines: the row count of the last run whose suite passed, kept in the warehouse it
describes (schema ``_quality``), so another warehouse is never held to it and a copied warehouse
takes its baselines along."""

from __future__ import annotations

from pathlib import Path

import duckdb

from escalations.config import duckdb_config

BASELINES = "_quality.row_count_baselines"  # in the warehouse it describes, never under marts


def read_baseline(conn: duckdb.DuckDBPyConnection, name: str) -> int | None:
    """The row count of the last run that passed ``name``'s suite on this warehouse, if any."""
    exists = conn.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = '_quality' and table_name = 'row_count_baselines'"
    ).fetchone()[0]
    if not exists:
        return None
    row = conn.execute(f"select row_count from {BASELINES} where suite = ?", [name]).fetchone()
    return row[0] if row else None


def record_baseline(warehouse: Path, name: str, rows: int, run_id: str | None = None) -> None:
    """Keep ``rows`` as ``name``'s baseline in the warehouse itself (schema ``_quality``)."""
    with duckdb.connect(str(warehouse), config=duckdb_config()) as conn:
        conn.execute("create schema if not exists _quality")
        conn.execute(
            f"create table if not exists {BASELINES} (suite varchar primary key, row_count bigint not null, "
            "run_id varchar, recorded_at timestamp with time zone not null)"
        )
        conn.execute(
            f"insert or replace into {BASELINES} values (?, ?, ?, current_timestamp)", [name, rows, run_id]
        )
