"""Publish assets: the checked marts for Tableau, Power BI and DuckDB-aware tools.

Each depends on every mart BI tools read, so it runs only after their blocking checks pass: a
failed gate publishes nothing and the last good version stays in place (escalations/publish.py
swaps each output in atomically). One version string per run names all four outputs.
"""

import dagster as dg

from escalations import publish
from escalations.config import release_memory
from orchestration.ingestion import OWNER
from orchestration.quality import MART_KEYS
from orchestration.resources import WarehouseResource


def run_version(context: dg.AssetExecutionContext) -> str:
    record = context.instance.get_run_record_by_id(context.run.run_id)
    stamp = record.create_timestamp if record else None
    return stamp.strftime("%Y%m%dT%H%M%SZ") + "-" + context.run.run_id[:8] if stamp else publish.new_version()


def _result(published: publish.Published) -> dg.MaterializeResult:
    release_memory()
    meta = published.metadata()
    return dg.MaterializeResult(
        metadata={
            **meta,
            "location": dg.MetadataValue.path(meta["location"]) if meta["location"] else None,
            "row_counts": dg.MetadataValue.json(meta["row_counts"]),
        }
    )


@dg.asset(
    key=["publish", "duckdb_snapshot"],
    deps=MART_KEYS,
    group_name="publish",
    kinds={"duckdb"},
    owners=[OWNER],
    description="Read-only DuckDB copy of the checked marts (<home>/publish/duckdb/escalations.duckdb), swapped in by rename.",
)
def duckdb_snapshot(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    paths = warehouse.paths()
    return _result(publish.publish_duckdb(paths.warehouse, paths.publish, run_version(context)))


@dg.asset(
    key=["publish", "parquet"],
    deps=MART_KEYS,
    group_name="publish",
    kinds={"parquet"},
    owners=[OWNER],
    description="Parquet per mart with manifest.json (<home>/publish/parquet/current), swapped in by symlink.",
)
def parquet(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    paths = warehouse.paths()
    return _result(
        publish.publish_parquet(
            paths.warehouse, paths.publish, run_version(context), run_id=context.run.run_id
        )
    )


@dg.asset(
    key=["publish", "tableau_hyper"],
    deps=[dg.AssetKey(["publish", "parquet"])],
    group_name="publish",
    kinds={"tableau"},
    owners=[OWNER],
    description="Tableau Hyper extract of the marts (<home>/publish/tableau/marts.hyper), written with tableauhyperapi.",
)
def tableau_hyper(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    paths = warehouse.paths()
    current = publish.parquet_current_path(paths.publish).resolve()
    return _result(publish.publish_hyper(current, paths.publish, run_version(context)))


@dg.asset(
    key=["publish", "postgres_bi"],
    deps=MART_KEYS,
    group_name="publish",
    kinds={"postgres"},
    owners=[OWNER],
    description="Postgres schema bi, replaced in one transaction, readable by bi_reader only (skipped without ESCALATIONS_PG_HOST).",
)
def postgres_bi(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    published = publish.publish_postgres(warehouse.paths().warehouse, run_version(context))
    if published.skipped:
        context.log.info(published.skipped)
    return _result(published)


publish_assets = [duckdb_snapshot, parquet, tableau_hyper, postgres_bi]
