"""Publishing checked marts for BI tools, atomically, in four forms.

BI tools never open the warehouse a run writes: each publisher builds a complete new version
under a temporary name and swaps it in with one atomic step, so a reader sees the previous
version or the next one, never a mix, and a failed gate (the publish assets do not run) leaves
the last good version in place.

- DuckDB snapshot: ``<home>/publish/duckdb/escalations.duckdb`` (read-only copy with schema
  ``marts``; the last few versions are kept beside it as ``escalations-<version>.duckdb``).
  Swapped by rename: a reader holding the old file keeps reading it.
- Parquet: ``<home>/publish/parquet/current/<mart>.parquet`` with ``manifest.json``; ``current``
  is a symlink swapped by rename to the newest version folder.
- Tableau Hyper: ``<home>/publish/tableau/marts.hyper`` (one table per mart, schema ``marts``),
  written with Tableau's own ``tableauhyperapi`` from the Parquet version, swapped by rename.
- Postgres: schema ``bi`` replaced in one transaction, readable by the ``bi_reader`` role only.
  Connection from ``ESCALATIONS_PG_*``; without ``ESCALATIONS_PG_HOST`` it is skipped and says so.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from escalations.config import duckdb_config

KEEP_VERSIONS = 3
CONTRACT_VERSION = "1"  # the mart contract (marts.md); bump on a breaking change


@dataclass
class Published:
    target: str
    location: str
    version: str
    row_counts: dict[str, int] = field(default_factory=dict)
    skipped: str | None = None

    def metadata(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "version": self.version,
            "marts": len(self.row_counts),
            "rows": sum(self.row_counts.values()),
            "row_counts": self.row_counts,
            "skipped": self.skipped,
        }


def new_version() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def duckdb_snapshot_path(publish_dir: Path) -> Path:
    return publish_dir / "duckdb" / "escalations.duckdb"


def parquet_current_path(publish_dir: Path) -> Path:
    return publish_dir / "parquet" / "current"


def hyper_path(publish_dir: Path) -> Path:
    return publish_dir / "tableau" / "marts.hyper"


def mart_tables(conn: duckdb.DuckDBPyConnection, catalog: str | None = None) -> list[str]:
    where = "table_schema = 'marts'" + (f" and table_catalog = '{catalog}'" if catalog else "")
    return [
        r[0]
        for r in conn.execute(
            f"select table_name from information_schema.tables where {where} order by 1"
        ).fetchall()
    ]


def marts_as_of(conn: duckdb.DuckDBPyConnection) -> datetime | None:
    """The instant the marts' open clocks were measured to (the build's as-of)."""
    return conn.execute("select max(as_of) from marts.fct_sla_events").fetchone()[0]


def mart_columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """(name, DuckDB type) of a mart's columns, in order."""
    return conn.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and table_name = ? order by ordinal_position",
        [table],
    ).fetchall()


def _prune(folder: Path, pattern: str, keep: int = KEEP_VERSIONS) -> None:
    """Keep the newest ``keep`` versions matching ``pattern`` (version names sort by time)."""
    versions = sorted(p for p in folder.glob(pattern) if not p.is_symlink())
    for old in versions[:-keep]:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def _swap_link(link: Path, target: Path) -> None:
    """Point ``link`` (a symlink or a hard link) at ``target`` in one atomic rename."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    if target.is_dir():
        tmp.symlink_to(target.name, target_is_directory=True)
    else:
        os.link(target, tmp)
    os.replace(tmp, link)


# ---- DuckDB snapshot -------------------------------------------------------------------------
def publish_duckdb(warehouse: Path, publish_dir: Path, version: str) -> Published:
    link = duckdb_snapshot_path(publish_dir)
    folder = link.parent
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"escalations-{version}.duckdb"
    tmp = folder / f".escalations-{version}.duckdb.tmp"
    tmp.unlink(missing_ok=True)
    counts = {}
    with duckdb.connect(str(tmp), config=duckdb_config()) as conn:
        conn.execute(f"attach '{warehouse}' as wh (read_only)")
        conn.execute("create schema marts")
        for table in mart_tables(conn, "wh"):
            # create-as and copy answer with the rows they wrote: no second read to count them
            counts[table] = conn.execute(
                f"create table marts.{table} as select * from wh.marts.{table}"
            ).fetchone()[0]
        conn.execute("detach wh")
        conn.execute("checkpoint")
    tmp.chmod(0o444)  # a snapshot is read, never written
    os.replace(tmp, final)
    _swap_link(link, final)
    _prune(folder, "escalations-*.duckdb")
    return Published("duckdb", str(link), version, counts)


# ---- Parquet ---------------------------------------------------------------------------------
def publish_parquet(warehouse: Path, publish_dir: Path, version: str, run_id: str | None = None) -> Published:
    link = parquet_current_path(publish_dir)
    folder = link.parent
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / version
    tmp = folder / f".{version}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    manifest: dict[str, Any] = {
        "version": version,
        "run_id": run_id,
        "built_at": datetime.now(UTC).isoformat(),
        "contract_version": CONTRACT_VERSION,
        "marts": {},
    }
    counts = {}
    with duckdb.connect(str(warehouse), read_only=True, config=duckdb_config()) as conn:
        for table in mart_tables(conn):
            path = tmp / f"{table}.parquet"
            counts[table] = conn.execute(
                f"copy (select * from marts.{table}) to '{path}' (format parquet)"
            ).fetchone()[0]
            manifest["marts"][table] = {
                "file": path.name,
                "rows": counts[table],
                "columns": [{"name": n, "type": t} for n, t in mart_columns(conn, table)],
            }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    os.replace(tmp, target)
    _swap_link(link, target)
    _prune(folder, "[0-9]*")  # version folders (new_version and run versions start with the year)
    return Published("parquet", str(link), version, counts)


# ---- Tableau Hyper ---------------------------------------------------------------------------
def publish_hyper(parquet_version_dir: Path, publish_dir: Path, version: str) -> Published:
    from tableauhyperapi import Connection, CreateMode, HyperProcess, Telemetry

    link = hyper_path(publish_dir)
    folder = link.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".marts-{version}.hyper"
    tmp.unlink(missing_ok=True)
    manifest = json.loads((parquet_version_dir / "manifest.json").read_text())
    counts = {}
    with (
        HyperProcess(
            telemetry=Telemetry.DO_NOT_SEND_USAGE_DATA_TO_TABLEAU,
            parameters={"log_config": "", "log_dir": str(folder)},
        ) as hyper,
        Connection(hyper.endpoint, str(tmp), CreateMode.CREATE_AND_REPLACE) as conn,
    ):
        conn.execute_command('create schema "marts"')
        for table, info in manifest["marts"].items():
            path = (parquet_version_dir / info["file"]).resolve()
            conn.execute_command(
                f'create table "marts"."{table}" as (select * from external({_hyper_literal(str(path))}))'
            )
            counts[table] = conn.execute_scalar_query(f'select count(*) from "marts"."{table}"')
    final = folder / f"marts-{version}.hyper"
    os.replace(tmp, final)
    _swap_link(link, final)
    _prune(folder, "marts-*.hyper")
    return Published("tableau_hyper", str(link), version, counts)


def _hyper_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# ---- Postgres --------------------------------------------------------------------------------
PG_TYPES = {
    "VARCHAR": "text",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "DOUBLE": "double precision",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "HUGEINT": "numeric",
}


def postgres_settings() -> dict[str, str] | None:
    host = os.environ.get("ESCALATIONS_PG_HOST", "").strip()
    if not host:
        return None
    return {
        "host": host,
        "port": os.environ.get("ESCALATIONS_PG_PORT", "5432"),
        "user": os.environ.get("ESCALATIONS_PG_USER", "escalations"),
        "password": os.environ.get("ESCALATIONS_PG_PASSWORD", ""),
        "dbname": os.environ.get("ESCALATIONS_PG_DBNAME", "escalations"),
    }


def publish_postgres(warehouse: Path, version: str, settings: dict[str, str] | None = None) -> Published:
    """Load the marts into ``bi_next`` and swap it in as ``bi`` in one transaction."""
    settings = settings or postgres_settings()
    if settings is None:
        return Published(
            "postgres", "", version, skipped="ESCALATIONS_PG_HOST is not set: Postgres publishing skipped"
        )
    import psycopg2

    reader_password = os.environ.get("ESCALATIONS_PG_BI_READER_PASSWORD")
    counts = {}
    staging = f"bi_next_{os.getpid()}"
    with (
        duckdb.connect(str(warehouse), read_only=True, config=duckdb_config()) as duck,
        psycopg2.connect(**settings) as pg,
    ):
        pg.autocommit = False
        with pg.cursor() as cur:
            cur.execute(f"drop schema if exists {staging} cascade")
            cur.execute(f"create schema {staging}")
            for table in mart_tables(duck):
                ddl = ", ".join(
                    f'"{n}" {PG_TYPES.get(t.upper(), "text")}' for n, t in mart_columns(duck, table)
                )
                cur.execute(f'create table {staging}."{table}" ({ddl})')
                csv_path = warehouse.parent / f".{table}.{os.getpid()}.csv"
                duck.execute(f"copy (select * from marts.{table}) to '{csv_path}' (header false, format csv)")
                try:
                    with csv_path.open() as f:
                        cur.copy_expert(f'copy {staging}."{table}" from stdin with (format csv)', f)
                finally:
                    csv_path.unlink(missing_ok=True)
                cur.execute(f'select count(*) from {staging}."{table}"')
                counts[table] = cur.fetchone()[0]
            cur.execute("select 1 from pg_roles where rolname = 'bi_reader'")
            if cur.fetchone() is None:
                if reader_password:
                    cur.execute("create role bi_reader login password %s", [reader_password])
                else:
                    cur.execute("create role bi_reader nologin")
            # the swap: readers see the old bi or the new one, never a mix
            cur.execute("drop schema if exists bi cascade")
            cur.execute(f"alter schema {staging} rename to bi")
            cur.execute("revoke all on schema bi from public")
            cur.execute("grant usage on schema bi to bi_reader")
            cur.execute("grant select on all tables in schema bi to bi_reader")
            cur.execute("comment on schema bi is %s", [f"Escalation Warehouse marts, version {version}"])
        pg.commit()
    return Published(
        "postgres", f"{settings['host']}:{settings['port']}/{settings['dbname']} schema bi", version, counts
    )
