"""The nightly run, and the sensor that starts a run when new files land."""

import hashlib

import dagster as dg

from escalations.ingestion import TABLES
from orchestration.resources import WarehouseResource

everything_job = dg.define_asset_job(
    name="materialize_everything",
    selection=dg.AssetSelection.all(),
    description="Ingest every source, build and test every dbt model, run every quality check.",
)

nightly_schedule = dg.ScheduleDefinition(
    name="nightly",
    job=everything_job,
    cron_schedule="0 2 * * *",
    execution_timezone="America/Los_Angeles",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Materialize everything at 02:00 America/Los_Angeles.",
)


def landing_fingerprint(warehouse: WarehouseResource) -> tuple[str, int]:
    """A digest of the landing zone's file list (path, size, mtime) and the file count.

    The sensor must not open the warehouse (a run may hold DuckDB's write lock), so it compares
    the landing zone with what it saw last time; the loaders then skip files already loaded.
    """
    landing = warehouse.landing_path
    digest = hashlib.sha256()
    count = 0
    for spec in TABLES:
        for path in sorted(landing.glob(spec.pattern)):
            if path.is_file():
                st = path.stat()
                digest.update(f"{path.relative_to(landing)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
                count += 1
    return digest.hexdigest(), count


@dg.sensor(
    name="new_landing_files",
    job=everything_job,
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts a run when files are added or changed in the landing zone.",
)
def new_landing_files(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    fingerprint, count = landing_fingerprint(warehouse)
    if count == 0:
        return dg.SkipReason(f"no files in the landing zone {warehouse.landing_path}")
    if fingerprint == context.cursor:
        return dg.SkipReason("no new or changed files since the last run request")
    context.update_cursor(fingerprint)
    return dg.RunRequest(
        run_key=fingerprint, tags={"trigger": "new_landing_files", "landing_files": str(count)}
    )
