"""The redacted text table: free text read from raw, redacted, with its language.

``raw`` keeps what the vendors sent, personal data included: it is the restricted layer, read by
the pipeline only. ``redact_new_text`` reads the free text of every escalation (subject and
description) and every satisfaction comment from it, redacts it (``redact.Redactor``, with the
names of the users, agents and owners the exports hold) and writes ``restricted.redacted_text``,
one row per text. Nothing downstream reads raw text: the theme step reads this table, and the
text itself never goes further (dbt models and marts get themes and languages, not text).

Each run redacts only texts it has not seen (a new record, or a new version whose text changed);
a new ``REDACTION_VERSION`` redoes them all. Memory holds one chunk of texts at a time.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from escalations.parallel import ordered_map, pool_when_large, worker_count
from escalations.voice.language import detect
from escalations.voice.redact import KINDS, Names, Redactor

log = logging.getLogger(__name__)

SCHEMA = "restricted"
TABLE = f"{SCHEMA}.redacted_text"
REDACTION_VERSION = "1"
CHUNK = 20_000  # texts read from and written to the warehouse at a time
ITEM = 2_000  # texts per piece of work handed to a worker process
# spread the redaction over worker processes (escalations/parallel.py) when a source has at least
# this many new texts: below it, their start costs more than it saves (about 90 us a text)
PARALLEL_FROM = 40_000


@dataclass(frozen=True)
class TextSource:
    table: str  # raw table
    kind: str  # request (subject and description) or csat_comment
    escalation_key: str  # SQL over the raw record
    written_at: str
    subject: str
    body: str
    score: str = "null"
    where: str = "true"


def _j(path: str) -> str:
    return f"json_extract_string(record, '$.{path}')"


SOURCES = (
    TextSource(
        "zendesk_tickets",
        "request",
        "'zendesk:' || id",
        _j("created_at"),
        _j("subject"),
        _j("description"),
    ),
    TextSource(
        "salesforce_case",
        "request",
        "'salesforce:' || id",
        _j("CreatedDate"),
        _j("Subject"),
        _j("Description"),
    ),
    TextSource(
        "hubspot_tickets",
        "request",
        "'hubspot:' || id",
        _j("createdAt"),
        _j("properties.subject"),
        _j("properties.content"),
    ),
    TextSource(
        "zendesk_satisfaction_ratings",
        "csat_comment",
        f"'zendesk:' || {_j('ticket_id')}",
        _j("created_at"),
        "null",
        _j("comment"),
        _j("score"),
        f"coalesce(trim({_j('comment')}), '') != ''",
    ),
)

# where the exports name people (requesters, agents, owners): the names redaction removes
NAME_SOURCES = (
    ("zendesk_users", _j("name")),
    ("salesforce_user", _j("Name")),
    ("salesforce_case", _j("SuppliedName")),
    ("hubspot_owners", f"concat_ws(' ', {_j('firstName')}, {_j('lastName')})"),
)

_ARROW = pa.schema(
    [
        ("text_key", pa.string()),
        ("source_table", pa.string()),
        ("record_id", pa.string()),
        ("text_hash", pa.string()),
        ("escalation_key", pa.string()),
        ("text_kind", pa.string()),
        ("written_at", pa.timestamp("us", tz="UTC")),
        ("language", pa.string()),
        ("subject", pa.string()),
        ("body", pa.string()),
        ("score", pa.string()),
        ("redactions", pa.int32()),
        *[(f"redacted_{kind}", pa.int32()) for kind in KINDS],
        ("redaction_version", pa.string()),
        ("redacted_at", pa.timestamp("us", tz="UTC")),
    ]
)


@dataclass
class RedactionResult:
    texts_redacted: int = 0
    texts_in_table: int = 0
    names_known: int = 0
    redo_all: bool = False
    by_kind: Counter = field(default_factory=Counter)
    by_language: Counter = field(default_factory=Counter)

    def metadata(self) -> dict:
        return {
            "texts_redacted": self.texts_redacted,
            "texts_in_table": self.texts_in_table,
            "names_known": self.names_known,
            "redone_all": self.redo_all,
            "redactions_by_kind": dict(sorted(self.by_kind.items())),
            "texts_by_language": dict(sorted(self.by_language.items())),
        }


def ensure_table(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(f"create schema if not exists {SCHEMA}")
    kinds = ", ".join(f"redacted_{kind} integer not null" for kind in KINDS)
    conn.execute(
        f"""create table if not exists {TABLE} (
            text_key varchar not null, source_table varchar not null, record_id varchar not null,
            text_hash varchar not null, escalation_key varchar not null, text_kind varchar not null,
            written_at timestamptz, language varchar not null, subject varchar, body varchar, score varchar,
            redactions integer not null, {kinds}, redaction_version varchar not null,
            redacted_at timestamptz not null)"""
    )


def _exists(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = ?",
            [table],
        ).fetchone()[0]
    )


def known_names(conn: duckdb.DuckDBPyConnection) -> Names:
    names: list[str] = []
    for table, expr in NAME_SOURCES:
        if _exists(conn, table):
            names += [r[0] for r in conn.execute(f"select distinct {expr} from raw.{table}").fetchall()]
    return Names.from_full_names(names)


def redact_new_text(conn: duckdb.DuckDBPyConnection, now: datetime | None = None) -> RedactionResult:
    """Redact the texts of raw records not redacted yet into ``restricted.redacted_text``."""
    now = now or datetime.now(UTC)
    ensure_table(conn)
    result = RedactionResult()
    versions = {r[0] for r in conn.execute(f"select distinct redaction_version from {TABLE}").fetchall()}
    if versions - {REDACTION_VERSION}:
        result.redo_all = True
        conn.execute(f"delete from {TABLE}")
    names = known_names(conn)
    result.names_known = len(names)
    with pool_when_large(PARALLEL_FROM, _set_redactor, (names,)) as executor:
        _set_redactor(names)  # for the texts redacted in this process
        try:
            for source in SOURCES:
                if _exists(conn, source.table):
                    _redact_source(conn, source, executor, now, result)
        finally:
            _set_redactor(None)
    result.texts_in_table = conn.execute(f"select count(*) from {TABLE}").fetchone()[0]
    log.info(
        "redacted %s new texts (%s in %s); removed %s",
        result.texts_redacted,
        result.texts_in_table,
        TABLE,
        dict(result.by_kind),
    )
    return result


def _redact_source(
    conn, source: TextSource, executor: Callable[[int], Executor | None], now: datetime, result
) -> None:
    conn.execute(
        f"""
        create or replace temp table _texts as
        with texts as (
            select
                '{source.table}:' || id as text_key,
                id as record_id,
                {source.escalation_key} as escalation_key,
                {source.written_at} as written_at,
                {source.subject} as subject,
                {source.body} as body,
                {source.score} as score
            from raw.{source.table}
            where {source.where}
        ),
        hashed as (
            select *, md5(coalesce(subject, '') || chr(31) || coalesce(body, '')) as text_hash from texts
        )
        select h.*, row_number() over (order by h.text_key) as rn
        from hashed as h
        where not exists (
            select 1 from {TABLE} as t where t.text_key = h.text_key and t.text_hash = h.text_hash
        )
        """
    )
    todo = conn.execute("select count(*) from _texts").fetchone()[0]
    if not todo:
        return
    conn.execute(f"delete from {TABLE} where text_key in (select text_key from _texts)")
    cols: dict[str, list] = {name: [] for name in _ARROW.names}
    done = 0
    for redacted in ordered_map(executor(todo), _redact_rows, _items(conn, todo), ahead=2 * worker_count()):
        for (
            text_key,
            record_id,
            text_hash,
            key,
            written_at,
            subject,
            body,
            score,
            counts,
            language,
        ) in redacted:
            result.by_kind.update(counts)
            result.by_language[language] += 1
            values = {
                "text_key": text_key,
                "source_table": source.table,
                "record_id": record_id,
                "text_hash": text_hash,
                "escalation_key": key,
                "text_kind": source.kind,
                "written_at": _instant(written_at),
                "language": language,
                "subject": subject,
                "body": body,
                "score": score,
                "redactions": sum(counts.values()),
                **{f"redacted_{kind}": counts.get(kind, 0) for kind in KINDS},
                "redaction_version": REDACTION_VERSION,
                "redacted_at": now,
            }
            for name, value in values.items():
                cols[name].append(value)
        done += len(redacted)
        if len(cols["text_key"]) >= CHUNK or done == todo:
            conn.register("_redacted_arrow", pa.table(cols, schema=_ARROW))
            conn.execute(f"insert into {TABLE} by name select * from _redacted_arrow")
            conn.unregister("_redacted_arrow")
            result.texts_redacted += len(cols["text_key"])
            cols = {name: [] for name in _ARROW.names}
    conn.execute("drop table _texts")


def _items(conn, todo: int) -> Iterator[list[tuple]]:
    """The new texts of ``_texts`` in order, ITEM at a time (read CHUNK at a time)."""
    for lo in range(1, todo + 1, CHUNK):
        rows = conn.execute(
            "select text_key, record_id, text_hash, escalation_key, written_at, subject, body, score "
            "from _texts where rn between ? and ? order by rn",
            [lo, lo + CHUNK - 1],
        ).fetchall()
        for i in range(0, len(rows), ITEM):
            yield rows[i : i + ITEM]


_REDACTOR: Redactor | None = None  # this process's, made from the names the exports know


def _set_redactor(names: Names | None) -> None:
    global _REDACTOR
    _REDACTOR = None if names is None else Redactor(names)


def _redact_rows(rows: list[tuple]) -> list[tuple]:
    """Each text's row with its subject and body redacted, then what was removed and its language
    (in a worker process, or in this one)."""
    redactor = _REDACTOR
    assert redactor is not None, "_set_redactor first"
    out = []
    for text_key, record_id, text_hash, key, written_at, subject, body, score in rows:
        subject, s_counts = redactor.redact(subject)
        body, b_counts = redactor.redact(body)
        language = detect("\n".join(t for t in (subject, body) if t))
        counts = dict(s_counts + b_counts)
        out.append((text_key, record_id, text_hash, key, written_at, subject, body, score, counts, language))
    return out


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else None
