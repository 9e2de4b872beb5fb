"""Load one landing-zone table into ``raw``: newest version wins, bad records to quarantine.

A load reads only files it has not read before (path + sha256 in ``raw._ingested_files``), and
writes in one transaction, so a crash leaves the warehouse as it was and loading the same files
twice changes nothing. Every record read ends in exactly one place:

    records_read = records_loaded + records_quarantined + records_superseded
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import orjson
import pyarrow as pa

from escalations.config import duckdb_config
from escalations.ingestion.readers import RAW_TEXT_LIMIT, Item, read_csv, read_json_page
from escalations.ingestion.specs import TABLES, TABLES_BY_NAME, TableSpec
from escalations.ingestion.validate import Rejected, validate

log = logging.getLogger(__name__)

RAW_SCHEMA = "raw"
QUARANTINE = f"{RAW_SCHEMA}._quarantine"
INGESTED_FILES = f"{RAW_SCHEMA}._ingested_files"
_ID_HINT = re.compile(r'"(?:id|Id)"\s*:\s*"?([A-Za-z0-9_-]+)')


@dataclass
class LoadResult:
    table: str
    files_found: int = 0
    files_read: int = 0
    files_skipped: int = 0
    records_read: int = 0
    records_loaded: int = 0
    records_quarantined: int = 0
    records_superseded: int = 0
    rows_replaced: int = 0  # rows loaded by an earlier run that a newer version replaced
    rows_in_table: int = 0
    quarantine_reasons: Counter = field(default_factory=Counter)
    unknown_enums: Counter = field(default_factory=Counter)  # (path, value) -> records

    @property
    def reconciles(self) -> bool:
        return self.records_read == self.records_loaded + self.records_quarantined + self.records_superseded

    def metadata(self) -> dict:
        return {
            "files_found": self.files_found,
            "files_read": self.files_read,
            "files_skipped_already_loaded": self.files_skipped,
            "records_read": self.records_read,
            "records_loaded": self.records_loaded,
            "records_quarantined": self.records_quarantined,
            "records_superseded": self.records_superseded,
            "rows_replaced": self.rows_replaced,
            "rows_in_table": self.rows_in_table,
            "reconciles": self.reconciles,
            "quarantine_reasons": dict(sorted(self.quarantine_reasons.items())),
            "unknown_enum_values": {f"{p}={v}": n for (p, v), n in sorted(self.unknown_enums.items())},
        }


def ensure_schema(conn: duckdb.DuckDBPyConnection, tables: Iterable[TableSpec] = TABLES) -> None:
    """Create ``raw`` and every raw table, so a source that sent nothing is empty, not missing."""
    conn.execute(f"create schema if not exists {RAW_SCHEMA}")
    for spec in tables:
        conn.execute(
            f"""create table if not exists {RAW_SCHEMA}.{spec.name} (
                id varchar not null, version_at timestamptz, version_seq bigint, record json not null,
                record_hash varchar not null, _source_file varchar not null, _position integer not null,
                _loaded_at timestamptz not null)"""
        )
    conn.execute(
        f"""create table if not exists {QUARANTINE} (
            source_table varchar not null, source_file varchar not null, position integer not null,
            record_id varchar, reason varchar not null, detail varchar, raw_text varchar,
            _loaded_at timestamptz not null)"""
    )
    conn.execute(
        f"""create table if not exists {INGESTED_FILES} (
            source_table varchar not null, source_file varchar not null, sha256 varchar not null,
            size_bytes bigint not null, records_read integer not null, records_loaded integer not null,
            records_quarantined integer not null, records_superseded integer not null,
            _loaded_at timestamptz not null)"""
    )


def _items(spec: TableSpec, text: str) -> Iterable[Item]:
    if spec.fmt == "json":
        yield from read_json_page(text, spec.array_key)
        return
    it = read_csv(text)
    next(it, None)  # header
    yield from it  # type: ignore[misc]


def _id_hint(spec: TableSpec, raw_text: str) -> str | None:
    """Best-effort id of a record that could not be parsed, to help whoever reads the quarantine."""
    if spec.fmt == "csv":
        first = raw_text.split(",", 1)[0].strip().strip('"')
        return first or None
    hint = _ID_HINT.search(raw_text)
    return hint.group(1) if hint else None


class _Batch:
    """Accepted records of one load, before versions are resolved in SQL.

    Records are kept in Python only until ``CHUNK`` of them have arrived, then moved into the temp
    table ``_batch`` (through Arrow), so memory holds one chunk however large the table: a 1M
    escalation world has 11M Zendesk metric events in one load.
    """

    CHUNK = 200_000
    COLUMNS = (
        "id",
        "version_at",
        "version_seq",
        "record",
        "record_hash",
        "_source_file",
        "_position",
        "arrival",
    )
    SCHEMA = pa.schema(
        [
            ("id", pa.string()),
            ("version_at", pa.timestamp("us", tz="UTC")),
            ("version_seq", pa.int64()),
            ("record", pa.string()),
            ("record_hash", pa.string()),
            ("_source_file", pa.string()),
            ("_position", pa.int32()),
            ("arrival", pa.int64()),
        ]
    )

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn
        self.cols: dict[str, list] = {c: [] for c in self.COLUMNS}
        self.arrival = 0
        self.flushed = 0

    def add(self, accepted, text: str, source_file: str, position: int) -> None:
        self.arrival += 1
        c = self.cols
        c["id"].append(accepted.id)
        c["version_at"].append(accepted.version_at)
        c["version_seq"].append(accepted.version_seq)
        c["record"].append(text)
        c["record_hash"].append(hashlib.sha256(text.encode()).hexdigest())
        c["_source_file"].append(source_file)
        c["_position"].append(position)
        c["arrival"].append(self.arrival)
        if self.arrival - self.flushed >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        """Move the records held in Python into the temp table ``_batch`` (made by the first chunk,
        with SCHEMA's columns)."""
        if self.arrival == self.flushed:
            return
        self.conn.register("_batch_arrow", pa.table(self.cols, schema=self.SCHEMA))
        verb = "create or replace temp table _batch as" if self.flushed == 0 else "insert into _batch"
        self.conn.execute(f"{verb} select * from _batch_arrow")
        self.conn.unregister("_batch_arrow")
        self.cols = {c: [] for c in self.COLUMNS}
        self.flushed = self.arrival


def _vkey(alias: str) -> str:
    """A text key that sorts like (version_at, version_seq); unversioned records sort lowest."""
    return (
        f"lpad(coalesce(epoch_us({alias}.version_at), 0)::varchar, 20, '0') || ':' || "
        f"lpad((coalesce({alias}.version_seq, -1) + 1)::varchar, 20, '0')"
    )


def load_table(
    conn: duckdb.DuckDBPyConnection,
    landing: Path,
    spec: TableSpec,
    loaded_at: datetime | None = None,
) -> LoadResult:
    """Load the files of one raw table that have not been loaded yet."""
    loaded_at = loaded_at or datetime.now(UTC)
    ensure_schema(conn, [spec])
    result = LoadResult(spec.name)
    files = sorted(p for p in Path(landing).glob(spec.pattern) if p.is_file())
    result.files_found = len(files)
    seen = {
        (f, h)
        for f, h in conn.execute(
            f"select source_file, sha256 from {INGESTED_FILES} where source_table = ?", [spec.name]
        ).fetchall()
    }
    batch = _Batch(conn)
    quarantine: list[tuple] = []
    file_rows: dict[str, dict] = {}
    for path in files:
        rel = path.relative_to(landing).as_posix()
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if (rel, digest) in seen:
            result.files_skipped += 1
            continue
        result.files_read += 1
        stats = file_rows[rel] = {"sha256": digest, "size": len(data), "read": 0, "quarantined": 0}
        text = data.decode("utf-8", errors="replace")
        for item in _items(spec, text):
            stats["read"] += 1
            if item.record is None:
                quarantine.append(
                    (
                        spec.name,
                        rel,
                        item.position,
                        _id_hint(spec, item.raw_text),
                        item.reason,
                        item.detail,
                        item.raw_text,
                        loaded_at,
                    )
                )
                stats["quarantined"] += 1
                continue
            try:
                accepted = validate(spec, item.record)
            except Rejected as rej:
                raw = orjson.dumps(item.record).decode()
                rid = item.record.get(spec.id_field) if isinstance(item.record, dict) else None
                quarantine.append(
                    (
                        spec.name,
                        rel,
                        item.position,
                        None if rid in (None, "") else str(rid),
                        rej.reason,
                        rej.detail,
                        raw[:RAW_TEXT_LIMIT],
                        loaded_at,
                    )
                )
                stats["quarantined"] += 1
                continue
            for key in accepted.unknown_enums:
                result.unknown_enums[key] += 1
            batch.add(
                accepted, orjson.dumps(item.record, option=orjson.OPT_SORT_KEYS).decode(), rel, item.position
            )

    result.records_read = sum(s["read"] for s in file_rows.values())
    for row in quarantine:
        result.quarantine_reasons[row[4]] += 1

    conn.execute("begin transaction")
    try:
        _resolve_versions(conn, spec, batch, loaded_at, result, file_rows, quarantine)
        if quarantine:
            conn.executemany(f"insert into {QUARANTINE} values (?, ?, ?, ?, ?, ?, ?, ?)", quarantine)
        if file_rows:
            conn.executemany(
                f"insert into {INGESTED_FILES} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        spec.name,
                        rel,
                        s["sha256"],
                        s["size"],
                        s["read"],
                        s.get("loaded", 0),
                        s["quarantined"],
                        s.get("superseded", 0),
                        loaded_at,
                    )
                    for rel, s in file_rows.items()
                ],
            )
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    result.records_quarantined = len(quarantine)
    result.rows_in_table = conn.execute(f"select count(*) from {RAW_SCHEMA}.{spec.name}").fetchone()[0]
    if result.unknown_enums:
        log.warning(
            "%s: values the mapping seeds do not know were loaded and will map to unknown/other: %s "
            "(add them to the seeds/map_*.csv files)",
            spec.name,
            ", ".join(f"{p}={v!r} x{n}" for (p, v), n in sorted(result.unknown_enums.items())),
        )
    if not result.reconciles:  # a bug, not bad input: say so loudly
        raise AssertionError(f"{spec.name}: load does not reconcile: {result.metadata()}")
    return result


def _resolve_versions(conn, spec, batch, loaded_at, result, file_rows, quarantine) -> None:
    if batch.arrival == 0:
        return
    table = f"{RAW_SCHEMA}.{spec.name}"
    batch.flush()
    conn.execute(
        f"""
        create or replace temp table _verdict as
        with all_rows as (
            select e.id, e.record_hash, {_vkey("e")} as vkey, 0 as arrival, true as is_existing
            from {table} as e where e.id in (select id from _batch)
            union all
            select b.id, b.record_hash, {_vkey("b")} as vkey, b.arrival, false as is_existing from _batch as b
        ),
        marked as (
            select *,
                row_number() over (partition by id, record_hash order by arrival) as hash_rank,
                max(vkey) over (partition by id order by arrival rows between unbounded preceding and 1 preceding)
                    as prev_max
            from all_rows
        ),
        judged as (
            select *,
                case
                    when is_existing then null
                    when hash_rank > 1 then 'duplicate'
                    when prev_max is not null and vkey < prev_max then 'stale_version'
                end as bad_reason
            from marked
        )
        select *,
            bad_reason is null and not is_existing
                and row_number() over (
                    partition by id, (bad_reason is null and not is_existing) order by vkey desc, arrival desc
                ) = 1 as is_winner
        from judged
        """
    )
    bad = conn.execute(
        """select v.bad_reason, b._source_file, b._position, b.id, b.record, v.prev_max
           from _verdict as v join _batch as b using (arrival)
           where v.bad_reason is not null order by b.arrival"""
    ).fetchall()
    for reason, rel, pos, rid, record, _prev in bad:
        detail = (
            f"the same record (id {rid}, same content) was already read"
            if reason == "duplicate"
            else f"older than the version of id {rid} already seen; the newer version is kept"
        )
        quarantine.append((spec.name, rel, pos, rid, reason, detail, record[:RAW_TEXT_LIMIT], loaded_at))
        file_rows[rel]["quarantined"] += 1
    per_file = conn.execute(
        """select b._source_file, count(*) filter (where v.is_winner), count(*) filter (
               where v.bad_reason is null and not v.is_existing and not v.is_winner)
           from _verdict as v join _batch as b using (arrival)
           where not v.is_existing group by 1"""
    ).fetchall()
    for rel, loaded, superseded in per_file:
        file_rows[rel]["loaded"] = loaded
        file_rows[rel]["superseded"] = superseded
        result.records_loaded += loaded
        result.records_superseded += superseded
    result.rows_replaced = conn.execute(
        f"select count(*) from {table} where id in (select id from _verdict where is_winner)"
    ).fetchone()[0]
    conn.execute(f"delete from {table} where id in (select id from _verdict where is_winner)")
    conn.execute(
        f"""insert into {table}
            select b.id, b.version_at, b.version_seq, b.record::json, b.record_hash, b._source_file,
                   b._position, ?::timestamptz
            from _batch as b join _verdict as v using (arrival) where v.is_winner order by b.arrival""",
        [loaded_at],
    )
    conn.execute("drop table _verdict")
    conn.execute("drop table _batch")


def load_landing(
    warehouse: Path, landing: Path, tables: Iterable[str] | None = None, loaded_at: datetime | None = None
) -> dict[str, LoadResult]:
    """Load every (or the named) raw table from the landing zone into the warehouse file."""
    names = list(tables) if tables is not None else [t.name for t in TABLES]
    unknown = [n for n in names if n not in TABLES_BY_NAME]
    if unknown:
        raise ValueError(f"unknown raw tables {unknown}; known: {sorted(TABLES_BY_NAME)}")
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    loaded_at = loaded_at or datetime.now(UTC)
    results: dict[str, LoadResult] = {}
    with duckdb.connect(str(warehouse), config=duckdb_config()) as conn:
        ensure_schema(conn)
        for name in names:
            results[name] = load_table(conn, landing, TABLES_BY_NAME[name], loaded_at)
    return results
