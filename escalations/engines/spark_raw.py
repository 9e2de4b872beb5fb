"""The raw layer for Apache Spark: DuckDB's ``raw`` (and ``voice``) tables as Parquet folders.

Ingestion validates and quarantines in DuckDB (one path for every engine); on Spark its accepted
rows reach the warehouse as Parquet, one folder per table (``<out_dir>/<schema>/<table>/``), that
the dbt macro ``register_raw_tables`` (dbt_project/macros/spark/raw.sql) registers in Spark's
metastore as external tables (``create table raw.x using parquet location ...``). Parquet is what
Spark reads natively, and registering files keeps one Spark session (dbt's) on the machine.

Types are the ones Spark reads back as the models expect: JSON columns as strings; TIMESTAMPTZ as
Parquet instants (adjusted to UTC), which Spark reads as its `timestamp`; a TIMESTAMP without
zone (a UTC wall time) as the instant it names, so Spark never sees a `timestamp_ntz`; everything
else as DuckDB writes it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

# the schemas dbt reads as sources: raw records and the theme step's tables
SCHEMAS = ("raw", "voice")


def _select_list(conn: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> str:
    columns = conn.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
        [catalog, schema, table],
    ).fetchall()
    parts = []
    for name, data_type in columns:
        quoted = '"' + name.replace('"', '""') + '"'
        kind = data_type.upper()
        if kind == "JSON":
            parts.append(f"cast({quoted} as varchar) as {quoted}")
        elif kind == "TIMESTAMP":  # a UTC wall time: written as the instant it names
            parts.append(f"timezone('UTC', {quoted}) as {quoted}")
        else:
            parts.append(quoted)
    return ", ".join(parts)


def export_raw_to_parquet(
    duckdb_path: str | Path, out_dir: str | Path, schemas: tuple[str, ...] = SCHEMAS
) -> dict[str, int]:
    """Write every table of ``schemas`` in the DuckDB file to ``out_dir/<schema>/<table>/data.parquet``
    (each folder replaced whole), and return ``{"schema.table": rows}``."""
    out = Path(out_dir)
    written: dict[str, int] = {}
    with duckdb.connect(str(duckdb_path), read_only=True) as conn:
        conn.execute("set TimeZone = 'UTC'")
        catalog = conn.execute("select current_database()").fetchone()[0]
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables"
            f" where table_catalog = ? and table_schema in ({', '.join('?' for _ in schemas)})"
            " and table_type = 'BASE TABLE' order by 1, 2",
            [catalog, *schemas],
        ).fetchall()
        for schema, table in tables:
            folder = out / schema / table
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            select = _select_list(conn, catalog, schema, table)
            qualified = ".".join('"' + part.replace('"', '""') + '"' for part in (catalog, schema, table))
            target = str(folder / "data.parquet").replace("'", "''")
            conn.execute(f"copy (select {select} from {qualified}) to '{target}' (format parquet)")
            written[f"{schema}.{table}"] = conn.execute(f"select count(*) from {qualified}").fetchone()[0]
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m escalations.engines.spark_raw", description=__doc__.split("\n")[0]
    )
    parser.add_argument("duckdb_path", help="the DuckDB warehouse whose raw tables are exported")
    parser.add_argument("out_dir", help="the folder that receives <schema>/<table>/data.parquet")
    args = parser.parse_args(argv)
    for name, rows in export_raw_to_parquet(args.duckdb_path, args.out_dir).items():
        print(f"{name}\t{rows}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
