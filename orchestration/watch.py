"""Watch and tell: new metric-change alerts after each build, and the hourly SLA watch (open P0/P1
escalations breaching within the hour or breached, with owner and time left), queued once each for
delivery (orchestration/notify.py)."""

import dataclasses
import json
from datetime import UTC, datetime

import dagster as dg
import duckdb

from escalations.config import PRIVATE_FILE, parse_instant
from escalations.publish import duckdb_snapshot_path, marts_as_of
from escalations.watch.alerts import AlertSettings, new_alert_notices
from escalations.watch.delivery import Notice
from escalations.watch.sla_watch import sla_watch
from orchestration.ingestion import OWNER
from orchestration.notify import outbox_for
from orchestration.resources import WarehouseResource


@dg.asset(
    key=["watch", "metric_alert_notices"],
    deps=[dg.AssetKey(["publish", "current"])],
    group_name="watch_and_tell",
    kinds={"python"},
    owners=[OWNER],
    description=(
        "Queue the new metric-change alerts of the published snapshot (severity at least "
        "ESCALATIONS_ALERT_MIN_SEVERITY, first seen within ESCALATIONS_ALERT_LOOKBACK_DAYS of the build) "
        "for delivery, once each, and deliver."
    ),
)
def metric_alert_notices(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    paths = warehouse.paths()
    snapshot = duckdb_snapshot_path(paths.publish)
    settings = AlertSettings.from_env()
    # one connection: the snapshot is swapped by rename, and as-of and alerts must be one version
    with duckdb.connect(str(snapshot), read_only=True) as conn:
        as_of = marts_as_of(conn) or datetime.now(UTC)
        notices = new_alert_notices(conn, as_of, settings)
    outbox = outbox_for(warehouse)
    new = [n for n in notices if outbox.enqueue(n)]
    counts = outbox.deliver()
    return dg.MaterializeResult(
        metadata={
            "alerts_in_lookback": len(notices),
            "new_notices": len(new),
            "min_severity": settings.min_severity,
            "as_of": as_of.isoformat(),
            "delivered": counts["delivered"],
            "failed": counts["failed"],
            "list": dg.MetadataValue.md("\n".join(f"- {n.subject}" for n in new[:50]) or "no new alerts"),
        }
    )


class WatchConfig(dg.Config):
    now: str = ""  # ISO-8601 instant to watch at; empty = the current time


@dg.op(
    description="List open P0/P1 SLA instances due within the hour or breached; queue a notice for each new one."
)
def watch_slas(context: dg.OpExecutionContext, config: WatchConfig, warehouse: WarehouseResource) -> int:
    paths = warehouse.paths()
    snapshot = duckdb_snapshot_path(paths.publish)
    if not snapshot.exists():
        context.log.warning(f"no published snapshot at {snapshot} yet: nothing to watch")
        return 0
    now = parse_instant(config.now) if config.now else datetime.now(UTC)
    hits = sla_watch(snapshot, now)
    outbox = outbox_for(warehouse)
    new = 0
    for hit in hits:
        new += outbox.enqueue(
            Notice(hit.notice_key, "sla_watch", f"SLA watch: {hit.priority} {hit.escalation_key}", hit.line())
        )
    report = paths.watch / "sla_watch.json"
    report.touch(mode=PRIVATE_FILE)  # open escalations and their owners: the user's only
    report.chmod(PRIVATE_FILE)
    report.write_text(
        json.dumps(
            {
                "watched_at": now.isoformat(),
                "hits": [dataclasses.asdict(hit) for hit in hits],
            },
            indent=2,
            default=str,
        )
        + "\n"
    )
    outbox.deliver()
    context.add_output_metadata(
        {
            "hits": len(hits),
            "new_notices": new,
            "breached": sum(h.status == "breached" for h in hits),
            "due_within_hour": sum(h.status == "due_within_hour" for h in hits),
            "list": dg.MetadataValue.md("\n".join(f"- {h.line()}" for h in hits[:50]) or "nothing due"),
            "report": dg.MetadataValue.path(str(report)),
        }
    )
    return len(hits)


@dg.job(description="Hourly: open P0/P1 escalations breaching within the hour or breached.")
def sla_watch_job():
    watch_slas()


hourly_sla_watch = dg.ScheduleDefinition(
    name="hourly_sla_watch",
    job=sla_watch_job,
    cron_schedule="5 * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Run the SLA watch five minutes past every hour.",
)
