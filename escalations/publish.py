"""Publishing checked marts for BI tools: one version per run, swapped in whole.

BI tools never open the warehouse a run writes. Each run writes its outputs into a version
folder of its own and, once all of them are complete, flips one ``current`` symlink to it in a
single atomic rename; the paths BI tools open are symlinks through ``current``:

    <home>/publish/versions/<v>/escalations.duckdb   read-only DuckDB copy (schema ``marts``)
    <home>/publish/versions/<v>/parquet/             <mart>.parquet and manifest.json
    <home>/publish/versions/<v>/marts.hyper          Tableau extract (tableauhyperapi, schema ``marts``)
    <home>/publish/versions/<v>/escalations.xlsx     Excel workbook of the snapshot's aggregates (openpyxl)
    <home>/publish/versions/<v>/version.json         written by the release: the version is whole
    <home>/publish/current -> versions/<v>
    <home>/publish/duckdb/escalations.duckdb -> ../current/escalations.duckdb
    <home>/publish/parquet/current -> ../current/parquet
    <home>/publish/tableau/marts.hyper -> ../current/marts.hyper
    <home>/publish/excel/escalations.xlsx -> ../current/escalations.xlsx

The Parquet is read from the engine's warehouse (DuckDB, Postgres or Spark, through
escalations/engines/reader.py), each column cast to its dbt contract's type; the DuckDB snapshot,
the Hyper extract and Postgres ``bi`` are written from that Parquet and the workbook from the
snapshot, so every output of a version holds the same rows, whichever engine built them.

So a reader sees the previous version or the next one, never the DuckDB snapshot of one and the
Parquet of another, whatever point a run is killed at; a reader holding a file open keeps its
version; a failed gate (the publish assets do not run) leaves the last good version in place.
What a killed run half-wrote (a version without ``version.json``, temp files) is removed by the
next run's publishing; the last ``KEEP_VERSIONS`` versions are kept. Files get
``ESCALATIONS_PUBLISH_MODE`` (default 0640; the DuckDB snapshot without write bits).

Postgres: schema ``bi``, loaded as a new schema and swapped in by a short transaction with a lock
timeout, retried with a growing pause, readable by the ``bi_reader`` role only. Connection from
``ESCALATIONS_PG_*``; without ``ESCALATIONS_PG_HOST`` it is skipped and says so.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from escalations.config import (
    duckdb_config,
    postgres_lock_timeout,
    postgres_swap_attempts,
    publish_dir_mode,
    publish_mode,
)
from escalations.engines.contract import mart_contracts
from escalations.engines.reader import DuckDBReader, Reader
from escalations.settings import current as current_settings

log = logging.getLogger(__name__)

KEEP_VERSIONS = 3
CONTRACT_VERSION = "1"  # the mart contract (marts.md); bump on a breaking change
SNAPSHOT = "escalations.duckdb"
PARQUET = "parquet"
HYPER = "marts.hyper"
EXCEL = "escalations.xlsx"
VERSION_FILE = "version.json"
# the stable paths BI tools open (relative to publish/), and what each is in a version folder
STABLE = {
    "duckdb/escalations.duckdb": SNAPSHOT,
    "parquet/current": PARQUET,
    "tableau/marts.hyper": HYPER,
    "excel/escalations.xlsx": EXCEL,
}


@dataclass
class Published:
    target: str
    location: str
    version: str
    row_counts: dict[str, int] = field(default_factory=dict)
    skipped: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def metadata(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "version": self.version,
            "marts": len(self.row_counts),
            "rows": sum(self.row_counts.values()),
            "row_counts": self.row_counts,
            "skipped": self.skipped,
            **self.extra,
        }


def new_version() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def duckdb_snapshot_path(publish_dir: Path) -> Path:
    return publish_dir / "duckdb" / "escalations.duckdb"


def parquet_current_path(publish_dir: Path) -> Path:
    return publish_dir / "parquet" / "current"


def hyper_path(publish_dir: Path) -> Path:
    return publish_dir / "tableau" / "marts.hyper"


def excel_path(publish_dir: Path) -> Path:
    return publish_dir / "excel" / "escalations.xlsx"


def current_path(publish_dir: Path) -> Path:
    return publish_dir / "current"


def version_dir(publish_dir: Path, version: str) -> Path:
    return publish_dir / "versions" / version


def published_version(publish_dir: Path) -> dict[str, Any] | None:
    """What ``current`` points at (its version.json), or None before the first release."""
    path = current_path(publish_dir) / VERSION_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


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


# ---- the version folder -----------------------------------------------------------------------
def _private_to_published(path: Path, mode: int | None = None) -> None:
    """Give a published file (or folder) the publish permissions."""
    path.chmod(publish_dir_mode() if path.is_dir() else (publish_mode() if mode is None else mode))


def _staging(publish_dir: Path, version: str) -> Path:
    """The version folder a publish step writes into (made, after clearing what killed runs left)."""
    clean(publish_dir, keep=version)
    folder = version_dir(publish_dir, version)
    for path in (publish_dir, folder.parent, folder):
        path.mkdir(exist_ok=True)
        _private_to_published(path)
    return folder


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def clean(publish_dir: Path, keep: str | None = None, prune: bool = False) -> list[Path]:
    """Remove what killed publishing left: version folders never released (no version.json) and
    temp files. With ``prune``, also complete versions beyond the newest ``KEEP_VERSIONS`` (never
    ``current``'s) and the files of the layout before version folders. ``keep``: the version
    being written now. Returns what it removed. Runs under the run lock: nothing else writes here.
    """
    removed: list[Path] = []
    current = current_path(publish_dir)
    live = os.path.basename(os.readlink(current)) if current.is_symlink() else None
    for tmp in publish_dir.glob(".current.*"):
        removed.append(tmp)
    versions = publish_dir / "versions"
    complete = []
    for folder in sorted(versions.iterdir()) if versions.is_dir() else []:
        if folder.name in (keep, live):
            continue
        if folder.name.startswith(".") or not (folder / VERSION_FILE).exists():
            removed.append(folder)
        else:
            complete.append(folder)
    if prune:
        kept = 1 if live else 0
        for folder in reversed(complete):
            kept += 1
            if kept > KEEP_VERSIONS:
                removed.append(folder)
    # temp files of the layout before version folders, never pointed at
    for pattern in ("*/.*.tmp", "tableau/.marts-*.hyper", "tableau/hyperd*.log"):
        removed += publish_dir.glob(pattern)
    if prune:  # the old layout's versions, once the stable paths point through current
        removed += publish_dir.glob("duckdb/escalations-*.duckdb")
        removed += [p for p in publish_dir.glob("parquet/[0-9]*") if p.is_dir()]
        removed += publish_dir.glob("tableau/marts-*.hyper")
    for path in removed:
        _remove(path)
    if removed:
        log.info(
            f"publishing: removed {len(removed)} left-over or old version(s): {[p.name for p in removed]}"
        )
    return removed


def _swap_link(link: Path, target: str) -> None:
    """Point the symlink ``link`` at ``target`` (relative text) in one atomic rename."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target)
    os.replace(tmp, link)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---- DuckDB snapshot -------------------------------------------------------------------------
def publish_duckdb(source: Path, publish_dir: Path, version: str) -> Published:
    """The read-only DuckDB snapshot of the marts of ``source``: the version's Parquet folder (what a
    run publishes from, on every engine) or a DuckDB warehouse file."""
    folder = _staging(publish_dir, version)
    final = folder / SNAPSHOT
    tmp = folder / f".{SNAPSHOT}.tmp"
    tmp.unlink(missing_ok=True)
    counts = {}
    with duckdb.connect(str(tmp), config=duckdb_config()) as conn:
        conn.execute("create schema marts")
        if source.is_dir():
            for table, path in _parquet_marts(source).items():
                counts[table] = conn.execute(
                    f"create table marts.{table} as select * from read_parquet('{path}')"
                ).fetchone()[0]
        else:
            conn.execute(f"attach '{source}' as wh (read_only)")
            for table in mart_tables(conn, "wh"):
                # create-as and copy answer with the rows they wrote: no second read to count them
                counts[table] = conn.execute(
                    f"create table marts.{table} as select * from wh.marts.{table}"
                ).fetchone()[0]
            conn.execute("detach wh")
        conn.execute("checkpoint")
    tmp.chmod(publish_mode() & 0o444)  # a snapshot is read, never written
    os.replace(tmp, final)
    return Published("duckdb", str(final), version, counts)


# ---- Parquet ---------------------------------------------------------------------------------
def _parquet_marts(folder: Path) -> dict[str, Path]:
    """The marts of a published Parquet folder (its manifest's order), by name."""
    manifest = json.loads((folder / "manifest.json").read_text())
    return {table: folder / info["file"] for table, info in manifest["marts"].items()}


@contextlib.contextmanager
def marts_connection(source: Path):
    """A DuckDB connection in which ``marts.<mart>`` reads ``source``'s marts: a published Parquet
    folder (views over its files) or a DuckDB warehouse file (read-only)."""
    if source.is_dir():
        with duckdb.connect(config=duckdb_config()) as conn:
            conn.execute("set TimeZone = 'UTC'")
            conn.execute("create schema marts")
            for table, path in _parquet_marts(source).items():
                conn.execute(f"create view marts.{table} as select * from read_parquet('{path}')")
            yield conn
    else:
        with duckdb.connect(str(source), read_only=True, config=duckdb_config()) as conn:
            yield conn


def mart_types(reader: Reader, table: str) -> list[tuple[str, str]]:
    """(column, type) a mart is published with: its dbt contract's types (the same whichever engine
    built it), else the engine's own, in DuckDB's spelling."""
    own = reader.columns("marts", table)
    contract = dict(mart_contracts().get(table, []))
    return [(name, contract.get(name, kind)) for name, kind in own]


def publish_parquet(
    source: Path | Reader, publish_dir: Path, version: str, run_id: str | None = None
) -> Published:
    """Parquet per mart, read from the engine (``source``: a reader of it, or a DuckDB warehouse
    file), every column cast to its contract's type, with manifest.json."""
    if isinstance(source, Path):
        with duckdb.connect(str(source), read_only=True, config=duckdb_config()) as conn:
            return publish_parquet(DuckDBReader(conn), publish_dir, version, run_id)
    reader = source
    folder = _staging(publish_dir, version)
    target = folder / PARQUET
    tmp = folder / f".{PARQUET}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    manifest: dict[str, Any] = {
        "version": version,
        "run_id": run_id,
        "built_at": datetime.now(UTC).isoformat(),
        "contract_version": CONTRACT_VERSION,
        "marts": {},
    }
    manifest["engine"] = reader.engine
    counts = {}
    for table in reader.tables("marts"):
        path = tmp / f"{table}.parquet"
        columns = mart_types(reader, table)
        counts[table] = reader.to_parquet("marts", table, path, columns)
        manifest["marts"][table] = {
            "file": path.name,
            "rows": counts[table],
            "columns": [{"name": n, "type": t} for n, t in columns],
        }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    for path in tmp.iterdir():
        _private_to_published(path)
    _private_to_published(tmp)
    _remove(target)  # a retried step of the same run
    os.replace(tmp, target)
    return Published("parquet", str(target), version, counts)


# ---- Tableau Hyper ---------------------------------------------------------------------------
def publish_hyper(parquet_version_dir: Path, publish_dir: Path, version: str) -> Published:
    """The Hyper extract of the version whose Parquet is ``parquet_version_dir``."""
    from tableauhyperapi import Connection, CreateMode, HyperProcess, Telemetry

    folder = _staging(publish_dir, version)
    tmp = folder / ".marts.tmp.hyper"
    logs = folder / ".hyper-logs"
    tmp.unlink(missing_ok=True)
    logs.mkdir(exist_ok=True)
    manifest = json.loads((parquet_version_dir / "manifest.json").read_text())
    counts = {}
    try:
        with (
            HyperProcess(
                telemetry=Telemetry.DO_NOT_SEND_USAGE_DATA_TO_TABLEAU,
                parameters={"log_config": "", "log_dir": str(logs)},
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
    finally:
        shutil.rmtree(logs, ignore_errors=True)
    _private_to_published(tmp)
    final = folder / HYPER
    os.replace(tmp, final)
    return Published("tableau_hyper", str(final), version, counts)


def _hyper_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# ---- Excel -----------------------------------------------------------------------------------
def publish_excel(
    publish_dir: Path, version: str, run_id: str | None = None, require_all: bool = True
) -> Published:
    """The Excel workbook of the version, read from the DuckDB snapshot already in its folder (so
    the two agree): escalations/excel/workbook.py. ``require_all``: fail when a mart a sheet reads
    is missing (a run's marts are all there; False writes such sheets with a note instead)."""
    from escalations.excel.workbook import build_workbook, sheet_rows

    folder = _staging(publish_dir, version)
    snapshot = folder / SNAPSHOT
    if not snapshot.exists():
        raise RuntimeError(
            f"no DuckDB snapshot of version {version} at {snapshot}: the workbook is read from it, "
            "so publish the snapshot first"
        )
    workbook, sheets, lacking = build_workbook(snapshot, version, run_id)
    if lacking and require_all:
        raise RuntimeError(
            f"the snapshot of version {version} lacks {', '.join(f'marts.{m}' for m in lacking)}, "
            "which the workbook's sheets read: the workbook is not written (the previous version stays)"
        )
    tmp = folder / f".{EXCEL}.tmp"
    try:
        workbook.save(tmp)
        _private_to_published(tmp)
        os.replace(tmp, folder / EXCEL)
    finally:
        tmp.unlink(missing_ok=True)
    return Published(
        "excel",
        str(folder / EXCEL),
        version,
        sheet_rows(sheets),
        extra={"sheets": [s.title for s in sheets], "lacking_marts": lacking},
    )


# ---- the release -----------------------------------------------------------------------------
def release(
    publish_dir: Path, version: str, run_id: str | None = None, warehouse: Path | str | None = None
) -> Published:
    """Make ``version`` the one BI tools read: write its version.json, flip ``current`` to it in one
    rename, make sure the stable paths go through ``current``, then prune old versions."""
    folder = version_dir(publish_dir, version)
    missing = [name for name in STABLE.values() if not (folder / name).exists()]
    if missing:
        raise RuntimeError(
            f"version {version} in {folder} lacks {missing}: its publish steps did not all finish, "
            "so it is not released (the previous version stays)"
        )
    manifest = json.loads((folder / PARQUET / "manifest.json").read_text())
    counts = {table: info["rows"] for table, info in manifest["marts"].items()}
    info = {
        "version": version,
        "run_id": run_id,
        "released_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "warehouse": str(warehouse) if warehouse else None,
        "contract_version": CONTRACT_VERSION,
        "outputs": {name: f"versions/{version}/{target}" for name, target in STABLE.items()},
        "row_counts": counts,
    }
    tmp = folder / f".{VERSION_FILE}.tmp"
    with tmp.open("w") as f:
        f.write(json.dumps(info, indent=2) + "\n")
        f.flush()
        os.fsync(f.fileno())
    _private_to_published(tmp)
    os.replace(tmp, folder / VERSION_FILE)
    _fsync_dir(folder)
    current = current_path(publish_dir)
    _swap_link(current, f"versions/{version}")  # the one step that changes what readers see
    _fsync_dir(publish_dir)
    for stable, target in STABLE.items():
        link = publish_dir / stable
        link.parent.mkdir(exist_ok=True)
        _private_to_published(link.parent)
        wanted = os.path.relpath(current / target, link.parent)
        if not (link.is_symlink() and os.readlink(link) == wanted):
            _swap_link(link, wanted)  # once: from then on they follow current
    clean(publish_dir, prune=True)
    return Published("release", str(current), version, counts, extra={"run_id": run_id})


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
    """The Postgres connection of the settings, or None when ESCALATIONS_PG_HOST is not set."""
    return current_settings().postgres


class SwapBlocked(RuntimeError):
    """The Postgres swap of ``bi`` could not get its lock: readers' open transactions hold it."""

    def __init__(self, message: str, sessions: list[dict[str, Any]], attempts: int) -> None:
        super().__init__(message)
        self.sessions = sessions
        self.attempts = attempts


BI_LOCK_HOLDERS = """
select distinct a.pid, a.usename, a.application_name, a.client_addr::text, a.state,
    a.xact_start, left(a.query, 200)
from pg_locks as l
join pg_class as c on c.oid = l.relation
join pg_namespace as n on n.oid = c.relnamespace
join pg_stat_activity as a on a.pid = l.pid
where n.nspname = 'bi' and l.granted and a.pid <> pg_backend_pid()
order by a.xact_start
"""


def _lock_holders(cur) -> list[dict[str, Any]]:
    cur.execute(BI_LOCK_HOLDERS)
    keys = ("pid", "user", "application", "client", "state", "transaction_since", "last_query")
    return [
        {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in zip(keys, row, strict=True)}
        for row in cur.fetchall()
    ]


def _describe_holders(sessions: list[dict[str, Any]]) -> str:
    if not sessions:
        return "a session that had ended by the time it was looked up"
    return "; ".join(
        f"pid {s['pid']} (user {s['user']}, application {s['application'] or '-'}, {s['state']} "
        f"since {s['transaction_since']}, last query {s['last_query']!r})"
        for s in sessions
    )


def publish_postgres(
    source: Path, version: str, settings: dict[str, str] | None = None, logger: Any = None
) -> Published:
    """Load the marts of ``source`` (the version's Parquet folder, or a DuckDB warehouse file) into
    a new schema and swap it in as ``bi``.

    The load commits on its own; the swap (drop ``bi``, rename the new schema, grants) is one short
    transaction under ``lock_timeout`` (ESCALATIONS_PG_LOCK_TIMEOUT): a reader's open transaction
    on ``bi`` makes it give up instead of queueing every new query behind it, and it is tried again
    with a growing pause (ESCALATIONS_PG_SWAP_ATTEMPTS), each wait logged with who holds the lock.
    If it never gets the lock it raises SwapBlocked naming those sessions; readers keep the old
    ``bi`` throughout.
    """
    logger = logger or log
    settings = settings or postgres_settings()
    if settings is None:
        return Published(
            "postgres", "", version, skipped="ESCALATIONS_PG_HOST is not set: Postgres publishing skipped"
        )
    import psycopg2
    from psycopg2 import errors

    reader_password = current_settings().pg_bi_reader_password
    lock_timeout, attempts = postgres_lock_timeout(), postgres_swap_attempts()
    counts = {}
    staging = f"bi_next_{os.getpid()}"
    waits: list[dict[str, Any]] = []
    scratch = source.parent  # temp CSVs beside the source (the version folder, or the warehouse's)
    with (
        marts_connection(source) as duck,
        contextlib.closing(psycopg2.connect(**settings)) as pg,
    ):
        pg.autocommit = False
        try:
            with pg.cursor() as cur:
                # new schemas left by killed publishing (one warehouse publishes to one database)
                cur.execute("select nspname from pg_namespace where nspname like 'bi\\_next\\_%'")
                for (left,) in cur.fetchall():
                    cur.execute(f'drop schema if exists "{left}" cascade')
                cur.execute(f"create schema {staging}")
                for table in mart_tables(duck):
                    ddl = ", ".join(
                        f'"{n}" {PG_TYPES.get(t.upper(), "text")}' for n, t in mart_columns(duck, table)
                    )
                    cur.execute(f'create table {staging}."{table}" ({ddl})')
                    csv_path = scratch / f".{table}.{os.getpid()}.csv"
                    duck.execute(
                        f"copy (select * from marts.{table}) to '{csv_path}' (header false, format csv)"
                    )
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
            pg.commit()
            pause = 1.0
            for attempt in range(1, attempts + 1):
                try:
                    with pg.cursor() as cur:
                        # the swap: readers see the old bi or the new one, never a mix
                        cur.execute("set local lock_timeout = %s", [lock_timeout])
                        cur.execute("drop schema if exists bi cascade")
                        cur.execute(f"alter schema {staging} rename to bi")
                        cur.execute("revoke all on schema bi from public")
                        cur.execute("grant usage on schema bi to bi_reader")
                        cur.execute("grant select on all tables in schema bi to bi_reader")
                        cur.execute(
                            "comment on schema bi is %s", [f"Escalation Warehouse marts, version {version}"]
                        )
                    pg.commit()
                    break
                except errors.LockNotAvailable:
                    pg.rollback()
                    with pg.cursor() as cur:
                        sessions = _lock_holders(cur)
                    pg.rollback()
                    waits.append({"attempt": attempt, "sessions": sessions})
                    said = (
                        f"the Postgres swap of schema bi waited {lock_timeout} (ESCALATIONS_PG_LOCK_TIMEOUT) "
                        f"for its lock, held by a reader's open transaction: {_describe_holders(sessions)}"
                    )
                    if attempt == attempts:
                        raise SwapBlocked(
                            f"{said}. Gave up after {attempts} attempts (ESCALATIONS_PG_SWAP_ATTEMPTS); "
                            f"readers keep the previous bi. End that transaction (or "
                            f"`select pg_terminate_backend(pid)`) and publish again.",
                            sessions,
                            attempts,
                        ) from None
                    logger.warning(f"{said}; trying again in {pause:.0f}s (attempt {attempt} of {attempts})")
                    time.sleep(pause)
                    pause *= 2
        except BaseException:
            pg.rollback()
            with pg.cursor() as cur:
                cur.execute(f"drop schema if exists {staging} cascade")
            pg.commit()
            raise
    return Published(
        "postgres",
        f"{settings['host']}:{settings['port']}/{settings['dbname']} schema bi",
        version,
        counts,
        extra={"swap_attempts": len(waits) + 1, "swap_waits": waits},
    )
