"""One asset per raw table: landing-zone files into DuckDB ``raw``, with quarantine and reconciliation."""

import dagster as dg

from escalations.ingestion import TABLES, TableSpec, load_table
from escalations.ingestion.load import PARALLEL_BYTES
from escalations.parallel import pool_when_large
from orchestration.resources import RunLockResource, WarehouseResource

OWNER = "team:escalations-data"


def _raw_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", table])


def _ingestion_asset(spec: TableSpec) -> dg.AssetsDefinition:
    @dg.asset(
        key=_raw_key(spec.name),
        group_name="ingestion",
        kinds={"duckdb", "python", spec.source},
        owners=[OWNER],
        description=(
            f"{spec.source.title()} export `{spec.pattern}` loaded into `raw.{spec.name}`: newest version per id, "
            "unusable records quarantined in `raw._quarantine` with file, position and reason; each file is read once."
        ),
        metadata={"landing_pattern": spec.pattern, "format": spec.fmt},
        check_specs=[
            dg.AssetCheckSpec(
                "reconciles",
                asset=_raw_key(spec.name),
                description="records read = loaded + quarantined + superseded",
            )
        ],
    )
    # run_lock: the run holds its home and warehouse from its first step (orchestration/resources.py)
    def _load(context: dg.AssetExecutionContext, warehouse: WarehouseResource, run_lock: RunLockResource):
        # a large table's files are read by worker processes, the records written here (escalations/parallel.py)
        with warehouse.connect() as conn, pool_when_large(PARALLEL_BYTES) as workers:
            result = load_table(conn, warehouse.landing_path, spec, workers=workers)
        if result.records_quarantined:
            context.log.warning(
                f"{spec.name}: {result.records_quarantined} record(s) quarantined "
                f"({dict(result.quarantine_reasons)}); see raw._quarantine"
            )
        meta = result.metadata()
        yield dg.MaterializeResult(
            metadata={
                **{k: v for k, v in meta.items() if not isinstance(v, dict)},
                "quarantine_reasons": dg.MetadataValue.json(meta["quarantine_reasons"]),
                "unknown_enum_values": dg.MetadataValue.json(meta["unknown_enum_values"]),
                "dagster/row_count": result.rows_in_table,
            }
        )
        yield dg.AssetCheckResult(
            check_name="reconciles",
            passed=result.reconciles,
            metadata={
                k: meta[k]
                for k in ("records_read", "records_loaded", "records_quarantined", "records_superseded")
            },
        )

    return _load


ingestion_assets = [_ingestion_asset(spec) for spec in TABLES]
