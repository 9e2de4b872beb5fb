"""Row fingerprints: which rows of a large mart passed its suite's row-wise expectations, kept in
the DuckDB warehouse they describe, so the next check validates only the rows that are new or
changed since.

A row-wise expectation (a value within bounds, a pair in order, a format, under a row condition)
is a function of one row's values in the columns it reads. A row whose values in those columns
equal those of a row that passed the same expectations has the same verdict: it passes. So after a
suite passes, the 64-bit hash of each row's values in the columns its row-wise expectations read
(the key among them) is kept in ``_quality."fingerprints_<suite>"``, and the next check validates
row-wise only the rows whose hash is not there. Its unexpected counts are those of the whole
table: an unchanged row cannot fail. A row that differs in a column no expectation reads keeps its
fingerprint, rightly: its verdict cannot differ either.

The fingerprints are valid for one list of row-wise expectations, one list of columns and one
DuckDB version (the hash function's): ``_quality.row_fingerprints`` keeps their digest, and a
different one makes the check validate every row again. They are written only after the whole
suite passed, in one transaction, from the mart as the run's checks saw it (the run lock keeps any
other run from writing between the check and the record). Postgres validates in the database and
Spark's Parquet views have no row ids: their checks validate every row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from escalations.config import duckdb_config
from escalations.engines.reader import Reader

REGISTRY = "_quality.row_fingerprints"  # suite -> digest of what its fingerprints are valid for


@dataclass(frozen=True)
class Fingerprints:
    """What a suite's row fingerprints are made of: the mart, the columns hashed, and the digest."""

    suite: str
    relation: str
    columns: tuple[str, ...]
    digest: str

    @classmethod
    def of(
        cls, suite: str, relation: str, columns: list[str], expectations: list[dict[str, Any]]
    ) -> Fingerprints:
        made_of = {
            "expectations": expectations,
            "columns": columns,
            "hash": f"duckdb {duckdb.__version__}",
        }
        digest = hashlib.sha256(json.dumps(made_of, sort_keys=True, default=str).encode()).hexdigest()
        return cls(suite, relation, tuple(columns), digest)

    @property
    def expression(self) -> str:
        """The SQL of a row's fingerprint."""
        return "hash(" + ", ".join('"' + c + '"' for c in self.columns) + ")"

    @property
    def table(self) -> str:
        return f'_quality."fingerprints_{self.suite}"'

    def known(self, reader: Reader) -> bool:
        """Whether this warehouse holds fingerprints made of the same expectations and columns."""
        if not reader.exists("_quality", "row_fingerprints"):
            return False
        rows = reader.query(f"select digest from {REGISTRY} where suite = {reader.mark}", [self.suite])
        return (
            bool(rows)
            and rows[0][0] == self.digest
            and reader.exists("_quality", f"fingerprints_{self.suite}")
        )

    def unseen(self) -> str:
        """A SQL condition on the mart's rows: the row's fingerprint is not among the kept ones."""
        return f"{self.expression} not in (select fingerprint from {self.table})"


def record_fingerprints(warehouse: Path, fingerprints: Fingerprints, run_id: str | None = None) -> None:
    """Keep the fingerprints of every row of the mart (its suite has just passed) in the DuckDB
    warehouse, replacing the suite's former ones, in one transaction."""
    with duckdb.connect(str(warehouse), config=duckdb_config()) as conn:
        conn.execute("begin")
        conn.execute("create schema if not exists _quality")
        conn.execute(
            f"create table if not exists {REGISTRY} (suite varchar primary key, digest varchar not null, "
            "row_count bigint not null, run_id varchar, recorded_at timestamp with time zone not null)"
        )
        conn.execute(
            f"create or replace table {fingerprints.table} as "
            f"select distinct {fingerprints.expression} as fingerprint from {fingerprints.relation}"
        )
        conn.execute(
            f"insert or replace into {REGISTRY} "
            f"select ?, ?, count(*), ?, current_timestamp from {fingerprints.relation}",
            [fingerprints.suite, fingerprints.digest, run_id],
        )
        conn.execute("commit")
