"""The Dagster code location: extract (the tools' APIs) -> ingestion -> dbt -> quality checks ->
publishing -> dashboards (dbt exposures), with the voice step (redaction, then complaint themes)
inside the dbt build; new metric-change alerts queued for delivery and the weekly executive brief; the
nightly and hourly SLA-watch schedules; sensors for new files, failed runs and notice delivery.

Steps run in one process, one after another (DuckDB allows one writing process: no two steps may
hold the warehouse for writing at once).
"""

from __future__ import annotations

import dagster as dg

from orchestration.dbt import dashboard_specs, dbt_models, dbt_voice_models
from orchestration.extract import downstream_of_extract, extract_assets, extract_job
from orchestration.ingestion import ingestion_assets
from orchestration.notify import deliver_notices, notify_failed_runs
from orchestration.publish import publish_assets
from orchestration.quality import quality_checks
from orchestration.report import report_assets
from orchestration.resources import build_resources
from orchestration.schedules import everything_job, new_landing_files, nightly_schedule
from orchestration.voice import voice_assets
from orchestration.watch import hourly_sla_watch, metric_alert_notices, sla_watch_job

defs = dg.Definitions(
    assets=[
        *extract_assets,
        *downstream_of_extract(ingestion_assets),
        *voice_assets,
        dbt_models,
        dbt_voice_models,
        *publish_assets,
        metric_alert_notices,
        *report_assets,
        *dashboard_specs(),
    ],
    asset_checks=quality_checks,
    jobs=[everything_job, sla_watch_job, extract_job],
    schedules=[nightly_schedule, hourly_sla_watch],
    sensors=[new_landing_files, notify_failed_runs, deliver_notices],
    resources=build_resources(),
    executor=dg.in_process_executor,
)
