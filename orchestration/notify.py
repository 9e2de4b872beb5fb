"""Telling people: failed runs (and, as they arrive, alerts) go out through the delivery outbox.

The outbox is a SQLite file under <home>/watch/, never the DuckDB warehouse, so these sensors never
contend with a run for its write lock. Each notice is sent once; failed sends are retried by the
delivery sensor every minute (escalations/watch/delivery.py).
"""

import dagster as dg

from escalations.watch.delivery import Notice, Outbox
from orchestration.resources import WarehouseResource


def outbox_for(warehouse: WarehouseResource) -> Outbox:
    return Outbox(warehouse.paths().watch / "outbox.sqlite")


@dg.run_failure_sensor(
    name="notify_failed_runs",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Queue a notice for every failed run (which step or check failed) and deliver it.",
)
def notify_failed_runs(context: dg.RunFailureSensorContext, warehouse: WarehouseResource):
    run = context.dagster_run
    failure = context.failure_event
    reason = failure.message if failure is not None else "the run failed"
    outbox = outbox_for(warehouse)
    outbox.enqueue(
        Notice(
            key=f"run_failure|{run.run_id}",
            kind="run_failure",
            subject=f"Escalation Warehouse: run of {run.job_name} failed",
            body=f"Run {run.run_id} failed: {reason}\nOpen it in the Dagster UI to see the failed step or check.",
        )
    )
    outbox.deliver()


@dg.sensor(
    name="deliver_notices",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Deliver queued notices to the configured webhook and email; retry failed sends.",
)
def deliver_notices(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    counts = outbox_for(warehouse).deliver()
    return dg.SkipReason(
        f"delivered {counts['delivered']}, failed {counts['failed']} (retried next time), gave up {counts['gave_up']}"
    )
