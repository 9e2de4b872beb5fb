"""SLA watch: open P0/P1 escalations whose SLA breaches within the next hour or has breached.

Reads the published DuckDB snapshot (never the warehouse a run writes), so it can run every hour
beside the nightly build. Clocks are those of the last published build: an instance that was
running then is projected to its due time (``due_at``); one that was paused is shown with the
due time it would have if it resumed now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

WATCH_SQL = """
with owners as (
    select escalation_key, assignee, team
    from marts.fct_status_intervals
    where is_current
)
select
    s.sla_event_key,
    s.escalation_key,
    s.metric,
    e.priority,
    s.due_at,
    s.as_of,
    o.assignee,
    coalesce(o.team, e.owning_team) as team
from marts.fct_sla_events as s
inner join marts.fct_escalations as e on s.escalation_key = e.escalation_key
left join owners as o on s.escalation_key = o.escalation_key
where
    e.is_open
    and e.priority in ('P0', 'P1')
    and s.fulfilled_at is null
    and s.due_at <= ?
order by s.due_at, s.sla_event_key
"""


@dataclass(frozen=True)
class WatchHit:
    sla_event_key: str
    escalation_key: str
    metric: str
    priority: str
    status: str  # breached or due_within_hour
    due_at: datetime
    minutes_left: float
    assignee: str | None
    team: str | None
    clocks_as_of: datetime

    @property
    def notice_key(self) -> str:
        return f"sla_watch|{self.sla_event_key}|{self.status}"

    def line(self) -> str:
        when = (
            f"breached {-self.minutes_left:.0f} min ago"
            if self.status == "breached"
            else f"breaches in {self.minutes_left:.0f} min"
        )
        owner = self.assignee or "unassigned"
        return (
            f"{self.priority} {self.escalation_key} {self.metric}: {when} (owner {owner}, team {self.team})"
        )


def sla_watch(snapshot: Path, now: datetime, horizon: timedelta = timedelta(hours=1)) -> list[WatchHit]:
    with duckdb.connect(str(snapshot), read_only=True) as conn:
        rows = conn.execute(WATCH_SQL, [now + horizon]).fetchall()
    hits = []
    for key, escalation, metric, priority, due_at, as_of, assignee, team in rows:
        left = (due_at - now).total_seconds() / 60
        hits.append(
            WatchHit(
                sla_event_key=key,
                escalation_key=escalation,
                metric=metric,
                priority=priority,
                status="breached" if left <= 0 else "due_within_hour",
                due_at=due_at,
                minutes_left=round(left, 1),
                assignee=assignee,
                team=team,
                clocks_as_of=as_of,
            )
        )
    return hits
