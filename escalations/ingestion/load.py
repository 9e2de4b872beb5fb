"""Load one landing-zone table into ``raw``: newest version wins, bad records to quarantine.

A load reads only files it has not read before (path + sha256 in ``raw._ingested_files``), and
writes in one transaction, so a crash leaves the warehouse as it was and loading the same files
twice changes nothing. Every record read ends in exactly one place:

    records_read = records_loaded + records_quarantined + records_superseded

No single record or file stops a load: a record that cannot be handled (whatever the reason, an
unexpected exception included) is quarantined with its file, position and reason, and a file
that cannot be read or handled at all (refused, unreadable, or failing as a whole) is quarantined
as one row at position 0, counted as one record read. Either way the file is recorded in
``raw._ingested_files`` and not read again until its content changes. Only an error of the
warehouse itself (DuckDB) aborts the load, and then nothing of it is written.

A file whose stamp (device, inode, size, modification and change times: ``files.settled_stamp``)
is the one recorded when it was last read is skipped without being read: a nightly run reads the
night's new files, not the whole landing zone. Any other file is read and hashed as before.
"""

from __future__ import annotations

import hashlib
import logging
import re
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from escalations.config import duckdb_config
from escalations.ingestion.files import Decoded, LandingFile, Refused, decode, find_files, read_file, visible
from escalations.ingestion.readers import RAW_TEXT_LIMIT, Item, read_csv, read_json_page
from escalations.ingestion.settings import IngestSettings, ingest_settings
from escalations.ingestion.specs import TABLES, TABLES_BY_NAME, TableSpec
from escalations.ingestion.validate import Rejected, canonical, clipped_json, may_hold_big_integers, validate
from escalations.parallel import ordered_map, pool_when_large, worker_count

log = logging.getLogger(__name__)

RAW_SCHEMA = "raw"
QUARANTINE = f"{RAW_SCHEMA}._quarantine"
INGESTED_FILES = f"{RAW_SCHEMA}._ingested_files"
# a table's files are read by worker processes (escalations/parallel.py) from this many bytes on:
# below it their start (about half a second) costs more than they save (~75k records/s a core)
PARALLEL_BYTES = 64 * 1024 * 1024
PARALLEL_MAX_FILE_BYTES = 64 * 1024 * 1024  # and none of them larger (vendor pages are a few MB)
_ID_HINT = re.compile(r'"(?:id|Id)"\s*:\s*"?([A-Za-z0-9_-]+)')


@dataclass
class LoadResult:
    table: str
    files_found: int = 0
    files_read: int = 0
    files_skipped: int = 0
    files_quarantined: int = 0  # refused or failed whole: one quarantine row each
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
            "files_quarantined_whole": self.files_quarantined,
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
            _loaded_at timestamptz not null, file_stamp varchar)"""
    )
    # warehouses made before stamps: their files are read and hashed once more, then stamped
    conn.execute(f"alter table {INGESTED_FILES} add column if not exists file_stamp varchar")


def _items(spec: TableSpec, decoded: Decoded) -> Iterable[Item]:
    if spec.fmt == "json":
        return read_json_page(decoded.text, spec.array_key)
    return read_csv(decoded.text, has_undecodable=decoded.undecodable > 0)


def _id_hint(spec: TableSpec, raw_text: str, position: int) -> str | None:
    """Best-effort id of a record that could not be parsed, to help whoever reads the quarantine."""
    if spec.fmt == "csv":
        if position == 1:  # the header row
            return None
        first = raw_text.split(",", 1)[0].strip().strip('"')
        return first or None
    hint = _ID_HINT.search(raw_text)
    return hint.group(1) if hint else None


class _Rows:
    """The accepted records of one file, as the batch's columns (without file and arrival)."""

    def __init__(self) -> None:
        self.cols: dict[str, list] = {
            c: [] for c in ("id", "version_at", "version_seq", "record", "record_hash", "_position")
        }
        self.held_bytes = 0

    def add(self, accepted, text: str, source_file: str, position: int) -> None:
        self.held_bytes += len(text)
        c = self.cols
        c["id"].append(accepted.id)
        c["version_at"].append(accepted.version_at)
        c["version_seq"].append(accepted.version_seq)
        c["record"].append(text)
        c["record_hash"].append(hashlib.sha256(text.encode()).hexdigest())
        c["_position"].append(position)


class _Batch:
    """Accepted records of one load, before versions are resolved in SQL.

    Records are kept in Python only until ``CHUNK`` of them have arrived, then moved into the temp
    table ``_batch`` (through Arrow), so memory holds one chunk however large the table: a 1M
    escalation world has 11M Zendesk metric events in one load.
    """

    CHUNK = 200_000
    CHUNK_BYTES = 256 * 1024 * 1024  # or fewer records when they are large
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
        self.held_bytes = 0
        self.created = False

    def extend(self, rows: _Rows, source_file: str) -> None:
        """Add one file's accepted records (in their order), moving them into DuckDB past CHUNK."""
        n = len(rows.cols["id"])
        if not n:
            return
        c = self.cols
        for name, values in rows.cols.items():
            c[name].extend(values)
        c["_source_file"].extend([source_file] * n)
        c["arrival"].extend(range(self.arrival + 1, self.arrival + n + 1))
        self.arrival += n
        self.held_bytes += rows.held_bytes
        if self.arrival - self.flushed >= self.CHUNK or self.held_bytes >= self.CHUNK_BYTES:
            self.flush()

    def flush(self) -> None:
        """Move the records held in Python into the temp table ``_batch`` (made by the first chunk,
        with SCHEMA's columns)."""
        if self.arrival == self.flushed:
            return
        try:
            self.conn.register("_batch_arrow", pa.table(self.cols, schema=self.SCHEMA))
            verb = "insert into _batch" if self.created else "create or replace temp table _batch as"
            self.conn.execute(f"{verb} select * from _batch_arrow")
            self.conn.unregister("_batch_arrow")
        except Exception as exc:
            raise WarehouseError(f"moving accepted records into DuckDB failed: {exc}") from exc
        self.created = True
        self.cols = {c: [] for c in self.COLUMNS}
        self.flushed = self.arrival
        self.held_bytes = 0


class WarehouseError(RuntimeError):
    """The warehouse (not a landing file) failed: the load must stop and write nothing."""


def _vkey(alias: str) -> str:
    """A text key that sorts like (version_at, version_seq); unversioned records sort lowest."""
    return (
        f"lpad(coalesce(epoch_us({alias}.version_at), 0)::varchar, 20, '0') || ':' || "
        f"lpad((coalesce({alias}.version_seq, -1) + 1)::varchar, 20, '0')"
    )


def _quarantine_row(
    spec: TableSpec, rel: str, position: int, record_id, reason: str, detail: str | None, raw: str | None, at
) -> tuple:
    """One row of ``raw._quarantine``; undecodable bytes written as \\xNN, long texts clipped."""

    def clip(text, limit):
        if text is None:
            return None
        text = visible(str(text))
        return text if len(text) <= limit else text[:limit] + "...[clipped]"

    rid = None if record_id in (None, "") else clip(record_id, 200)
    return (
        spec.name,
        rel,
        position,
        rid,
        reason,
        clip(detail, RAW_TEXT_LIMIT),
        clip(raw, RAW_TEXT_LIMIT),
        at,
    )


def _record_id(spec: TableSpec, record) -> str | None:
    if not isinstance(record, dict):
        return None
    rid = record.get(spec.id_field)
    if rid is None or rid == "":
        return None
    return rid if isinstance(rid, str) else clipped_json(rid, 200)


def _encoding_hint(spec: TableSpec, decoded: Decoded) -> str:
    how = (
        "by its byte-order mark"
        if decoded.by_bom
        else f"by ESCALATIONS_{spec.source.upper()}_ENCODING (default utf-8): set it if the export uses another"
    )
    return f"; the file was decoded as {decoded.encoding} {how}"


@dataclass
class _FileLoad:
    """What one file contributes, kept apart until the file is done so a failure can drop it."""

    stats: dict
    quarantine: list[tuple] = field(default_factory=list)
    unknown_enums: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)  # logged by the loading process (not a worker's)


def _load_file(
    spec: TableSpec,
    rel: str,
    data: bytes,
    batch: _Rows,
    settings: IngestSettings,
    loaded_at: datetime,
    out: _FileLoad,
) -> None:
    """Read one file's records into ``batch`` (accepted) and ``out.quarantine`` (the others)."""
    decoded = decode(data, settings.encoding(spec.source))
    text = decoded.text
    check_numbers = spec.fmt == "json" and may_hold_big_integers(
        data if decoded.encoding == "utf-8" else text.encode("utf-8", "surrogatepass")
    )
    stats = out.stats
    for item in _items(spec, decoded):
        stats["read"] += 1
        if item.record is None:
            detail = item.detail
            if item.reason == "encoding":
                detail = (detail or "") + _encoding_hint(spec, decoded)
            out.quarantine.append(
                _quarantine_row(
                    spec,
                    rel,
                    item.position,
                    _id_hint(spec, item.raw_text, item.position),
                    item.reason,
                    detail,
                    item.raw_text,
                    loaded_at,
                )
            )
            continue
        try:
            record_text = canonical(item.record, settings.max_record_bytes, check_numbers)
            accepted = validate(spec, item.record, settings.window)
        except Rejected as rej:
            detail = rej.detail + (_encoding_hint(spec, decoded) if rej.reason == "encoding" else "")
            raw = clipped_json(item.record, RAW_TEXT_LIMIT)
            out.quarantine.append(
                _quarantine_row(
                    spec,
                    rel,
                    item.position,
                    _record_id(spec, item.record),
                    rej.reason,
                    detail,
                    raw,
                    loaded_at,
                )
            )
            continue
        except Exception as exc:  # a bug or a case nobody foresaw: this record, not the night
            out.warnings.append(f"{spec.name}: {rel} record {item.position} could not be handled: {exc!r}")
            out.quarantine.append(
                _quarantine_row(
                    spec,
                    rel,
                    item.position,
                    _record_id(spec, item.record),
                    "unexpected_error",
                    f"{type(exc).__name__}: {exc} (an error of the loader on this record; please report it)",
                    clipped_json(item.record, RAW_TEXT_LIMIT),
                    loaded_at,
                )
            )
            continue
        for key in accepted.unknown_enums:
            out.unknown_enums[key] += 1
        batch.add(accepted, record_text, rel, item.position)


@dataclass
class _FileJob:
    spec: TableSpec
    landing: str
    file: LandingFile
    settings: IngestSettings
    loaded_at: datetime
    loaded_digests: set[str]  # contents of this file loaded before: not read again


@dataclass
class _FileWork:
    """What reading one landing file gave (in a worker process or in the loading one)."""

    file: LandingFile
    refused: tuple[str, str, str] | None = None  # reason, detail, key: the file was not read
    part: _FileLoad | None = None  # None when not read: refused, or this content loaded before
    seen: tuple[str, str | None] | None = None  # (sha256, stamp) of a content loaded before
    rows: _Rows | None = None  # its accepted records
    error: str | None = None  # why the file failed as a whole (none of its records is loaded)
    trace: str | None = None


def _read_file(job: _FileJob) -> _FileWork:
    """Read, parse and validate one file: its accepted records, its quarantine rows and counts.
    Touches no warehouse, so it runs in worker processes (escalations/parallel.py) as well."""
    f, settings = job.file, job.settings
    if f.refused:
        return _FileWork(f, refused=(f.refused, f.detail or f.refused, f.key or f.refused))
    try:
        data, stamp = read_file(Path(job.landing), f, settings.max_file_bytes)
    except Refused as ref:
        return _FileWork(f, refused=(ref.reason, ref.detail, ref.key))
    digest = hashlib.sha256(data).hexdigest()
    if digest in job.loaded_digests:
        return _FileWork(f, seen=(digest, stamp))
    part = _FileLoad({"sha256": digest, "size": len(data), "read": 0, "stamp": stamp})
    rows = _Rows()
    try:
        _load_file(job.spec, f.rel, data, rows, settings, job.loaded_at, part)
    except Exception as exc:  # noqa: BLE001 - the file as a whole is quarantined, said by the loader
        failed = _FileLoad({"sha256": digest, "size": len(data), "read": 1, "stamp": stamp})
        return _FileWork(f, part=failed, error=f"{type(exc).__name__}: {exc}", trace=traceback.format_exc())
    return _FileWork(f, part=part, rows=rows)


def load_table(
    conn: duckdb.DuckDBPyConnection,
    landing: Path,
    spec: TableSpec,
    loaded_at: datetime | None = None,
    settings: IngestSettings | None = None,
    workers: Callable[[int], Executor | None] | None = None,
) -> LoadResult:
    """Load the files of one raw table that have not been loaded yet.

    ``workers`` (escalations/parallel.py ``pool_when_large``) gives the worker processes that read
    the files, given their size in bytes; the records are written here, in the files' order, as
    when this process reads them itself.

    ``settings`` (limits, plausible window, encodings) default to the environment's."""
    loaded_at = loaded_at or datetime.now(UTC)
    settings = settings or ingest_settings()
    ensure_schema(conn, [spec])
    result = LoadResult(spec.name)
    files = find_files(Path(landing), spec.pattern, settings.max_file_bytes)
    result.files_found = len(files)
    known = conn.execute(
        f"select source_file, sha256, file_stamp from {INGESTED_FILES} where source_table = ?", [spec.name]
    ).fetchall()
    seen = {(rel, digest) for rel, digest, _ in known}
    stamped = {(rel, stamp) for rel, _, stamp in known if stamp is not None}
    restamp: list[tuple] = []  # (stamp, file, sha256): a content loaded before, met under a new stamp
    batch = _Batch(conn)
    quarantine: list[tuple] = []
    file_rows: dict[str, dict] = {}

    def refuse(f: LandingFile, reason: str, detail: str, key: str, size: int) -> None:
        if (f.rel, key) in seen:
            result.files_skipped += 1
            return
        log.warning("%s: %s refused (%s): %s", spec.name, f.rel, reason, detail)
        result.files_quarantined += 1
        file_rows[f.rel] = {"sha256": key, "size": size, "read": 1, "quarantined": 1}
        quarantine.append(_quarantine_row(spec, f.rel, 0, None, reason, detail, None, loaded_at))

    digests: dict[str, set[str]] = {}  # file -> the contents of it loaded before
    for rel, digest in seen:
        digests.setdefault(rel, set()).add(digest)
    to_read = [f for f in files if f.refused or (f.rel, f.stamp) not in stamped]
    result.files_skipped += len(files) - len(to_read)  # untouched since they were read: not opened
    files = to_read
    jobs = (_FileJob(spec, str(landing), f, settings, loaded_at, digests.get(f.rel, set())) for f in files)
    # workers for the files not loaded before (by name: a nightly run starts none for old files),
    # unless one is large: each file in flight is held whole, several times its size
    new = [f.size for f in files if not f.refused and f.rel not in digests]
    spread = workers is not None and bool(new) and max(new) <= PARALLEL_MAX_FILE_BYTES
    for work in ordered_map(
        workers(sum(new)) if spread else None, _read_file, jobs, ahead=worker_count() + 1
    ):
        if work.refused is not None:
            refuse(work.file, *work.refused, work.file.size)
            continue
        if work.part is None:  # this content of the file was loaded before
            result.files_skipped += 1
            if work.seen is not None and work.seen[1] is not None:
                restamp.append((work.seen[1], spec.name, work.file.rel, work.seen[0]))
            continue
        result.files_read += 1
        part = work.part
        for warning in part.warnings:
            log.warning(warning)
        if work.error is not None:  # the file as a whole: none of its records, one quarantine row
            log.error(
                "%s: %s could not be loaded and is quarantined whole\n%s",
                spec.name,
                work.file.rel,
                work.trace,
            )
            result.files_quarantined += 1
            detail = (
                f"{work.file.rel} could not be loaded ({work.error}); none of its records were loaded. "
                "It is not read again unless its content changes: fix or re-export it under a new name"
            )
            part.quarantine.append(
                _quarantine_row(spec, work.file.rel, 0, None, "file_error", detail, None, loaded_at)
            )
        else:
            try:
                batch.extend(work.rows, work.file.rel)
            except WarehouseError as exc:
                exc.add_note(f"while loading {work.file.rel} into raw.{spec.name}")
                raise
        part.stats["quarantined"] = len(part.quarantine)
        file_rows[work.file.rel] = part.stats
        quarantine += part.quarantine
        result.unknown_enums.update(part.unknown_enums)

    result.records_read = sum(s["read"] for s in file_rows.values())

    conn.execute("begin transaction")
    try:
        _resolve_versions(conn, spec, batch, loaded_at, result, file_rows, quarantine)
        if quarantine:
            conn.executemany(f"insert into {QUARANTINE} values (?, ?, ?, ?, ?, ?, ?, ?)", quarantine)
        if file_rows:
            conn.executemany(
                f"""insert into {INGESTED_FILES} (source_table, source_file, sha256, size_bytes, records_read,
                    records_loaded, records_quarantined, records_superseded, _loaded_at, file_stamp)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
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
                        s.get("stamp"),
                    )
                    for rel, s in file_rows.items()
                ],
            )
        if restamp:
            conn.executemany(
                f"update {INGESTED_FILES} set file_stamp = ? where source_table = ? and source_file = ? "
                "and sha256 = ?",
                restamp,
            )
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    result.records_quarantined = len(quarantine)
    # counted once versions are resolved: duplicates and stale versions are found there
    result.quarantine_reasons.update(row[4] for row in quarantine)
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
        quarantine.append(_quarantine_row(spec, rel, pos, rid, reason, detail, record, loaded_at))
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
    settings = ingest_settings()  # a wrong setting stops here, before anything is read
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    loaded_at = loaded_at or datetime.now(UTC)
    results: dict[str, LoadResult] = {}
    with (
        duckdb.connect(str(warehouse), config=duckdb_config()) as conn,
        pool_when_large(PARALLEL_BYTES) as workers,
    ):
        ensure_schema(conn)
        for name in names:
            results[name] = load_table(conn, landing, TABLES_BY_NAME[name], loaded_at, settings, workers)
    return results
