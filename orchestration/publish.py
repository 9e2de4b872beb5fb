"""Publish assets: the checked marts for Tableau, Power BI and DuckDB-aware tools.

The Parquet step depends on every mart BI tools read, so it runs only after their blocking checks
pass: a failed gate publishes nothing and the last good version stays in place. It reads the marts
from the engine's warehouse (DuckDB, Postgres or Spark: escalations/engines/reader.py) with their
contract's types; the DuckDB snapshot, the Hyper extract and Postgres ``bi`` are written from that
Parquet, the Excel workbook from the snapshot, so every output holds the same rows. The DuckDB
snapshot, Parquet, the Hyper extract and the Excel workbook of one run are written into one
version folder and released together by ``publish/current``, which flips one symlink once all
four are whole (escalations/publish.py). One version string per run names every output.
"""

import dagster as dg

from escalations import publish
from escalations.config import release_memory
from orchestration.ingestion import OWNER
from orchestration.quality import MART_KEYS
from orchestration.resources import RunLockResource, WarehouseResource

# Every step takes ``run_lock: RunLockResource``: the run holds its home from its first step on.
VERSION_OUTPUTS = [
    dg.AssetKey(["publish", "duckdb_snapshot"]),
    dg.AssetKey(["publish", "parquet"]),
    dg.AssetKey(["publish", "tableau_hyper"]),
    dg.AssetKey(["publish", "excel"]),
]


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
            **{k: dg.MetadataValue.json(v) for k, v in meta.items() if isinstance(v, list)},
        }
    )


PARQUET_KEY = dg.AssetKey(["publish", "parquet"])


def _version_parquet(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """The run's Parquet folder: what the snapshot and Postgres bi are written from."""
    return publish.version_dir(warehouse.paths().publish, run_version(context)) / publish.PARQUET


@dg.asset(
    key=["publish", "duckdb_snapshot"],
    deps=[PARQUET_KEY],
    group_name="publish",
    kinds={"duckdb"},
    owners=[OWNER],
    description="Read-only DuckDB copy of the run's Parquet (the checked marts), written into its version folder "
    "(<home>/publish/versions/<v>/escalations.duckdb); readers open publish/duckdb/escalations.duckdb.",
)
def duckdb_snapshot(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, run_lock: RunLockResource
) -> dg.MaterializeResult:
    paths = warehouse.paths()
    return _result(
        publish.publish_duckdb(_version_parquet(context, warehouse), paths.publish, run_version(context))
    )


@dg.asset(
    key=["publish", "parquet"],
    deps=MART_KEYS,
    group_name="publish",
    kinds={"parquet"},
    owners=[OWNER],
    description="Parquet per mart, read from the engine's warehouse with the contract's column types, with "
    "manifest.json, written into the run's version folder (<home>/publish/versions/<v>/parquet); readers "
    "open publish/parquet/current. The other outputs are written from it.",
)
def parquet(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, run_lock: RunLockResource
) -> dg.MaterializeResult:
    paths = warehouse.paths()
    with warehouse.reader() as reader:
        published = publish.publish_parquet(
            reader, paths.publish, run_version(context), run_id=context.run.run_id
        )
    return _result(published)


@dg.asset(
    key=["publish", "tableau_hyper"],
    deps=[dg.AssetKey(["publish", "parquet"])],
    group_name="publish",
    kinds={"tableau"},
    owners=[OWNER],
    description="Tableau Hyper extract of the run's Parquet, written with tableauhyperapi into its version "
    "folder (<home>/publish/versions/<v>/marts.hyper); readers open publish/tableau/marts.hyper.",
)
def tableau_hyper(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, run_lock: RunLockResource
) -> dg.MaterializeResult:
    paths = warehouse.paths()
    version = run_version(context)
    parquet_dir = publish.version_dir(paths.publish, version) / publish.PARQUET
    return _result(publish.publish_hyper(parquet_dir, paths.publish, version))


@dg.asset(
    key=["publish", "excel"],
    deps=[dg.AssetKey(["publish", "duckdb_snapshot"])],
    group_name="publish",
    kinds={"excel"},
    owners=[OWNER],
    description="Excel workbook (openpyxl) of the run's DuckDB snapshot: definitions, weekly KPIs, SLA "
    "attainment, open P0/P1, root causes, remediation plans, alerts, emerging themes and voice of creators "
    "as formatted tables, written into its version folder (<home>/publish/versions/<v>/escalations.xlsx); "
    "readers open publish/excel/escalations.xlsx.",
)
def excel(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, run_lock: RunLockResource
) -> dg.MaterializeResult:
    paths = warehouse.paths()
    return _result(publish.publish_excel(paths.publish, run_version(context), run_id=context.run.run_id))


@dg.asset(
    key=["publish", "current"],
    deps=VERSION_OUTPUTS,
    group_name="publish",
    kinds={"python"},
    owners=[OWNER],
    description="Release: once the run's DuckDB snapshot, Parquet, Hyper extract and Excel workbook are all "
    "whole, flip <home>/publish/current to their version folder in one rename (the stable paths go "
    "through it) and prune old versions.",
)
def current(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, run_lock: RunLockResource
) -> dg.MaterializeResult:
    paths = warehouse.paths()
    released = publish.release(
        paths.publish, run_version(context), run_id=context.run.run_id, warehouse=warehouse.describe()
    )
    context.log.info(f"BI tools now read version {released.version} ({paths.publish / 'current'})")
    return _result(released)


@dg.asset(
    key=["publish", "postgres_bi"],
    deps=[PARQUET_KEY],
    group_name="publish",
    kinds={"postgres"},
    owners=[OWNER],
    description="Postgres schema bi, swapped in by one short transaction with a lock timeout and retries, "
    "readable by bi_reader only (skipped without ESCALATIONS_PG_HOST).",
)
def postgres_bi(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, run_lock: RunLockResource
) -> dg.MaterializeResult:
    try:
        published = publish.publish_postgres(
            _version_parquet(context, warehouse), run_version(context), logger=context.log
        )
    except publish.SwapBlocked as exc:
        context.log.error(str(exc))
        raise dg.Failure(
            description=str(exc),
            metadata={
                "blocking_sessions": dg.MetadataValue.json(exc.sessions),
                "swap_attempts": exc.attempts,
            },
        ) from None
    if published.skipped:
        context.log.info(published.skipped)
    return _result(published)


publish_assets = [duckdb_snapshot, parquet, tableau_hyper, excel, current, postgres_bi]
