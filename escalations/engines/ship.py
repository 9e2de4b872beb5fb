"""Ship: the tables the Python steps wrote into the local DuckDB file, written to the engine.

Ingestion validates, quarantines and version-resolves records into DuckDB on every engine (one
path, one set of rules); on Postgres and Spark that DuckDB file is a staging file
(``HOME/staging/ingested.duckdb``) and this is the last step, run before each dbt build reads them:

- Postgres: each schema's tables replaced by ``COPY`` (``copy_raw.copy_raw_to_postgres``).
- Spark: each table written as Parquet files (``spark_raw``) into ``<spark>/shipped/<schema>/<table>``
  and registered as a table at that location by ``dbt run-operation register_raw_tables``, so
  the only Spark session is dbt's (one at a time; never a second JVM beside it).

Then every shipped table's row count is read back from the engine and must equal the staging
file's (``ShipMismatch`` otherwise): what dbt builds from is what ingestion accepted.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from escalations.config import Paths, duckdb_config
from escalations.engines import spark_raw_dir, staging_duckdb, target

log = logging.getLogger(__name__)


class ShipMismatch(RuntimeError):
    """A shipped table's row count in the engine differs from the staging file's."""


@dataclass
class Shipped:
    engine: str
    schemas: tuple[str, ...]
    row_counts: dict[str, int] = field(default_factory=dict)  # "<schema>.<table>" -> rows
    seconds: float = 0.0
    skipped: str | None = None

    def metadata(self) -> dict:
        return {
            "engine": self.engine,
            "schemas": list(self.schemas),
            "tables": len(self.row_counts),
            "rows": sum(self.row_counts.values()),
            "ship_seconds": round(self.seconds, 2),
            "skipped": self.skipped,
        }


def staged_counts(staging: Path, schemas: Sequence[str]) -> dict[str, int]:
    """Row count of every table of ``schemas`` in the staging DuckDB file."""
    counts = {}
    with duckdb.connect(str(staging), read_only=True, config=duckdb_config()) as conn:
        for schema in schemas:
            tables = conn.execute(
                "select table_name from information_schema.tables where table_schema = ? "
                "and table_type = 'BASE TABLE' order by 1",
                [schema],
            ).fetchall()
            for (table,) in tables:
                counts[f"{schema}.{table}"] = conn.execute(
                    f'select count(*) from {schema}."{table}"'
                ).fetchone()[0]
    return counts


def engine_counts(paths: Paths, names: Sequence[str], engine: str) -> dict[str, int]:
    """Row count of each ``schema.table`` as the engine holds it (read through the reader)."""
    from escalations.engines.reader import open_reader

    counts = {}
    with open_reader(paths, engine) as reader:
        for name in names:
            schema, table = name.split(".", 1)
            counts[name] = (
                reader.query(f'select count(*) from {schema}."{table}"')[0][0]
                if reader.exists(schema, table)
                else -1
            )
    return counts


def ship(
    paths: Paths,
    schemas: Sequence[str] = ("raw",),
    engine: str | None = None,
    run_dbt: Callable[[list[str]], None] | None = None,
) -> Shipped:
    """Write ``schemas`` of the staging DuckDB file to the engine and check the counts.

    ``run_dbt`` runs one dbt command (Spark registers the tables through dbt's session); DuckDB
    needs nothing shipped (the staging file is the warehouse)."""
    engine = engine or target()
    schemas = tuple(schemas)
    if engine == "duckdb":
        return Shipped(engine, schemas, skipped="DuckDB: ingestion wrote the warehouse itself")
    staging = staging_duckdb(paths)
    started = time.perf_counter()
    expected = staged_counts(staging, schemas)
    if engine == "postgres":
        from escalations.engines.copy_raw import copy_raw_to_postgres
        from escalations.settings import current as settings

        dsn = settings().postgres
        if dsn is None:
            raise RuntimeError(
                "ESCALATIONS_TARGET=postgres needs ESCALATIONS_PG_HOST (and the other ESCALATIONS_PG_*)"
            )
        copy_raw_to_postgres(staging, dsn, schemas=schemas)
    elif engine == "spark":
        _ship_to_spark(paths, staging, schemas, run_dbt)
    else:
        raise ValueError(f"unknown engine {engine!r}")
    found = engine_counts(paths, list(expected), engine)
    differ = {k: {"staging": v, engine: found.get(k)} for k, v in expected.items() if found.get(k) != v}
    if differ:
        raise ShipMismatch(f"shipped tables differ in row count from the staging file: {differ}")
    shipped = Shipped(engine, schemas, expected, time.perf_counter() - started)
    log.info(f"shipped {len(expected)} tables ({sum(expected.values()):,} rows) of {schemas} to {engine}")
    return shipped


def _staged_schemas(staging: Path, schemas: Sequence[str]) -> dict[str, list[list[str]]]:
    """``schema.table`` -> its columns and types in the staging file: what a registration depends on."""
    with duckdb.connect(str(staging), read_only=True, config=duckdb_config()) as conn:
        rows = conn.execute(
            "select c.table_schema || '.' || c.table_name, c.column_name, c.data_type "
            "from information_schema.columns as c join information_schema.tables as t "
            "using (table_catalog, table_schema, table_name) "
            f"where t.table_type = 'BASE TABLE' and c.table_schema in ({', '.join('?' for _ in schemas)}) "
            "order by 1, c.ordinal_position",
            list(schemas),
        ).fetchall()
    out: dict[str, list[list[str]]] = {}
    for name, column, kind in rows:
        out.setdefault(name, []).append([column, kind])
    return out


def _ship_to_spark(
    paths: Paths, staging: Path, schemas: Sequence[str], run_dbt: Callable[[list[str]], None] | None
) -> None:
    """Parquet files replace each schema's folder; the tables are (re)registered through dbt only
    when their set or columns changed, or the metastore is new: an external table reads whatever
    files its folder holds at each query, so a night with the same tables needs no Spark session."""
    import json

    from escalations.engines import spark_metastore
    from escalations.engines.spark_raw import export_raw_to_parquet

    root = spark_raw_dir(paths)
    fresh = root.with_name(f".{root.name}.next")
    shutil.rmtree(fresh, ignore_errors=True)
    written = export_raw_to_parquet(staging, fresh, schemas=tuple(schemas))
    for schema in schemas:
        # a schema's new files replace its old ones by renames
        out, old = root / schema, root / f".{schema}.old"
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            out.rename(old)
        if (fresh / schema).exists():
            (fresh / schema).rename(out)
        shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(fresh, ignore_errors=True)
    state_file = root.parent / f"registered-{'-'.join(schemas)}.json"
    state = {"metastore": str(spark_metastore(paths)), "tables": _staged_schemas(staging, schemas)}
    try:
        registered = json.loads(state_file.read_text())
    except (OSError, ValueError):
        registered = None
    if registered == state and spark_metastore(paths).exists():
        log.info(f"Spark tables of {tuple(schemas)} registered already, same columns: files replaced only")
        return
    if run_dbt is None:
        raise RuntimeError("shipping to Spark registers the tables through dbt: run_dbt is needed")
    # (re)registered as external tables at their folders, by dbt's session (the only Spark session)
    args = {"directory": str(root), "tables": sorted(written)}
    run_dbt(["run-operation", "register_raw_tables", "--args", json.dumps(args)])
    state_file.write_text(json.dumps(state))
