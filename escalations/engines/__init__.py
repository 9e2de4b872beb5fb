"""The engine the whole job runs on (``ESCALATIONS_TARGET``: duckdb, postgres or spark).

DuckDB is the default: the warehouse file is where ingestion writes, dbt builds and everything
reads. On Postgres and Spark the warehouse is the engine's; ingestion and the voice step still
validate and write into a local DuckDB file (``HOME/staging/ingested.duckdb``), which ``ship`` writes
to the engine, and every Python reader of the warehouse goes through ``reader`` (docs/engines.md).
"""

from __future__ import annotations

from pathlib import Path

from escalations.config import Paths
from escalations.settings import current as settings


def target() -> str:
    """The engine of this environment: ESCALATIONS_TARGET, with ``spark_thrift`` (dbt on a Spark
    Thrift server) as ``spark``."""
    configured = settings().target
    return "spark" if configured.startswith("spark") else configured


def staging_duckdb(paths: Paths) -> Path:
    """Postgres and Spark: the DuckDB file ingestion and the voice step write into before ``ship``.
    (Not ``raw.duckdb``: DuckDB names a file's catalog after it, and a catalog ``raw`` would make
    the schema ``raw`` ambiguous.)"""
    return paths.home / "staging" / "ingested.duckdb"


def local_duckdb(paths: Paths, engine: str | None = None) -> Path:
    """The DuckDB file the Python steps that write (ingestion, redaction, themes) write into: the
    warehouse itself on DuckDB, the staging file on the other engines."""
    return paths.warehouse if (engine or target()) == "duckdb" else staging_duckdb(paths)


def spark_warehouse_dir(paths: Paths) -> Path:
    """Spark's ``spark.sql.warehouse.dir``: ESCALATIONS_SPARK_WAREHOUSE_DIR, else HOME/spark/warehouse."""
    configured = settings().spark_warehouse_dir
    return Path(configured).expanduser().resolve() if configured else paths.home / "spark" / "warehouse"


def spark_metastore(paths: Paths) -> Path:
    """Spark's Derby metastore: ESCALATIONS_SPARK_METASTORE, else HOME/spark/metastore_db."""
    configured = settings().spark_metastore
    return Path(configured).expanduser().resolve() if configured else paths.home / "spark" / "metastore_db"


def spark_raw_dir(paths: Paths) -> Path:
    """Where ``ship`` writes the Parquet files of the tables it registers in Spark (one folder per
    table, ``<schema>/<table>/``): beside the Spark warehouse, never inside dbt's managed schemas."""
    return spark_warehouse_dir(paths).parent / "shipped"


def describe_warehouse(paths: Paths) -> str:
    """Where the warehouse is, for people (a version's version.json, the summary)."""
    engine = target()
    if engine == "duckdb":
        return str(paths.warehouse)
    if engine == "postgres":
        pg = settings().postgres or {}
        return f"postgres {pg.get('host')}:{pg.get('port')}/{pg.get('dbname')}"
    return f"spark {spark_warehouse_dir(paths)}"


def copy_frame(conn, schema: str, table: str, frame) -> int:
    """Replace ``schema.table`` of a local DuckDB connection with a pandas frame read from the engine
    (what a Python step on Postgres or Spark needs of the marts); its row count."""
    conn.execute(f"create schema if not exists {schema}")
    conn.register("_engine_frame", frame)
    try:
        conn.execute(f'create or replace table {schema}."{table}" as select * from _engine_frame')
    finally:
        conn.unregister("_engine_frame")
    return len(frame)
