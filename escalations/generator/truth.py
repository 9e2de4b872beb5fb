"""Ground truth: bounded tallies while the world streams, then ``_generator/truth.json``."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import numpy as np

from escalations.generator.calendars import DAY, HOUR, iso_z
from escalations.generator.reference import DRIVERS, TOOLS
from escalations.generator.world import Escalation, World

LINKS_PER_PLAN = 12
PRIORITIES = ("P0", "P1", "P2", "P3")


class Tally:
    """Counters whose size depends on the taxonomy and the number of days, never on volume."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.total = Counter()
        self.deleted = Counter()
        self.open_at_end = Counter()
        self.mix = {
            k: Counter() for k in ("channel", "priority", "market", "requester_tier", "issue_category")
        }
        self.root_causes = Counter()
        self.rc_days: dict[str, np.ndarray] = {}
        self.incident_hits = Counter()
        self.lifecycle = Counter()
        self.links: dict[str, list[str]] = {p.root_cause: [] for p in world.plans}
        self.links_at: dict[str, list[int]] = {p.root_cause: [] for p in world.plans}
        self._plan_rcs = set(self.links)
        self._incidents = [(i.id, i.spike_start, i.spike_end, set(i.root_causes)) for i in world.incidents]

    def add(self, e: Escalation) -> None:
        tool = e.tool
        self.total[tool] += 1
        if e.deleted_at is not None:
            self.deleted[tool] += 1
            return
        if e.final_status not in ("solved", "closed"):
            self.open_at_end[tool] += 1
        mix = self.mix
        mix["channel"][e.channel] += 1
        mix["priority"][PRIORITIES[e.final_priority]] += 1
        mix["market"][e.market] += 1
        mix["requester_tier"][e.tier] += 1
        mix["issue_category"][e.category] += 1
        rc = e.root_cause
        self.root_causes[rc] += 1
        days = self.rc_days.get(rc)
        if days is None:
            days = self.rc_days[rc] = np.zeros(self.world.days, dtype=np.int64)
        days[(e.created - self.world.start) // DAY] += 1
        for iid, a, b, rcs in self._incidents:
            if a <= e.created < b and rc in rcs:
                self.incident_hits[iid] += 1
        lc = self.lifecycle
        lc["recurring_requester"] += e.recurring
        lc["agent_created"] += e.agent_created
        lc["reopened"] += e.reopens > 0
        lc["reassigned"] += e.reassignments > 0
        lc["ping_pong"] += e.ping_pong > 0
        lc["priority_changed"] += bool(e.priority_changes)
        lc["one_touch"] += len(e.agent_replies) == 1 and bool(e.solves) and e.reopens == 0
        if rc in self._plan_rcs:
            links = self.links[rc]
            if len(links) < LINKS_PER_PLAN:
                links.append(e.key)
                self.links_at[rc].append(e.created)


def _share(counter: Counter) -> dict:
    total = sum(counter.values()) or 1
    return {
        k: {"count": v, "share": round(v / total, 4)}
        for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    }


def build_truth(
    world: World,
    tally: Tally,
    params: dict,
    counts: dict,
    bad,
    extra: dict,
) -> dict:
    non_deleted = {t: tally.total[t] - tally.deleted[t] for t in TOOLS}
    ranked = sorted(tally.root_causes.items(), key=lambda kv: (-kv[1], kv[0]))
    total_nd = sum(non_deleted.values()) or 1
    cum = 0
    pareto = []
    for rank, (rc, n) in enumerate(ranked, start=1):
        cum += n
        pareto.append(
            {
                "rank": rank,
                "root_cause": rc,
                "escalations": n,
                "share": round(n / total_nd, 4),
                "cumulative_share": round(cum / total_nd, 4),
            }
        )
    drivers = pareto[: len(DRIVERS)]

    incidents = []
    for inc in world.incidents:
        hits = tally.incident_hits[inc.id]
        hours = (inc.spike_end - inc.spike_start) / HOUR
        # the same root causes' realised volume per hour outside every spike, for comparison
        baseline = 0
        for rc in inc.root_causes:
            days = tally.rc_days.get(rc)
            baseline += int(days.sum()) if days is not None else 0
        base_hours = world.days * 24 - hours
        base_rate = (baseline - hits) / base_hours if base_hours > 0 else 0.0
        incidents.append(
            {
                "id": inc.id,
                "incident_number": inc.number,
                "title": inc.title,
                "service": inc.service,
                "urgency": inc.urgency,
                "created_at": iso_z(inc.created),
                "acknowledged_at": iso_z(inc.acknowledged),
                "resolved_at": iso_z(inc.resolved),
                "spike_start": iso_z(inc.spike_start),
                "spike_end": iso_z(inc.spike_end),
                "multiplier": inc.multiplier,
                "issue_category": inc.category,
                "root_causes": list(inc.root_causes),
                "escalations_in_spike": hits,
                "escalations_per_hour_in_spike": round(hits / hours, 3) if hours else None,
                "escalations_per_hour_elsewhere": round(base_rate, 3),
            }
        )

    plans = []
    for plan in world.plans:
        days = tally.rc_days.get(plan.root_cause)
        before = after = None
        if plan.shipped is not None and days is not None:
            cut = (plan.shipped - world.start) / DAY
            whole = int(cut)
            n_before = int(days[:whole].sum())
            n_after = int(days[whole + 1 :].sum()) if whole + 1 < world.days else 0
            d_before = whole
            d_after = world.days - whole - 1
            before = round(n_before / d_before * 7, 2) if d_before > 0 else None
            after = round(n_after / d_after * 7, 2) if d_after > 0 else None
        done = sum(1 for t in plan.tasks if t.done is not None and t.done < world.end)
        plans.append(
            {
                "key": plan.key,
                "title": plan.title,
                "root_cause": plan.root_cause,
                "owning_team": plan.owning_team,
                "partner_teams": list(plan.partner_teams),
                "outcome": plan.outcome,
                "status": "Done"
                if plan.shipped is not None
                else ("In Progress" if plan.started < world.end else "To Do"),
                "opened_at": iso_z(plan.opened),
                "due_date": plan.due.isoformat(),
                "shipped_at": iso_z(plan.shipped) if plan.shipped is not None else None,
                "shipped": plan.shipped is not None,
                "effective": plan.outcome == "effective",
                "planned_volume_drop": plan.drop,
                "is_overdue": plan.shipped is None
                and plan.due < datetime.fromtimestamp(world.end, UTC).date(),
                "actions_total": len(plan.tasks),
                "actions_done": done,
                "linked_escalations": list(tally.links.get(plan.root_cause, [])),
                "escalations_per_week_before": before,
                "escalations_per_week_after": after,
            }
        )

    return {
        "generator": "escalations.generator",
        "seed": params["seed"],
        "params": params,
        "world": {"start": iso_z(world.start), "end": iso_z(world.end), "now": iso_z(world.end)},
        "escalations_total": sum(tally.total.values()),
        "escalations_per_tool": {t: tally.total[t] for t in TOOLS},
        "escalations_non_deleted": non_deleted,
        "escalations_deleted": {t: tally.deleted[t] for t in TOOLS},
        "escalations_open_at_end": {t: tally.open_at_end[t] for t in TOOLS},
        "escalations_lost_to_bad_records": 0,
        "counts": counts,
        "mix": {k: _share(v) for k, v in tally.mix.items()},
        "lifecycle": dict(sorted(tally.lifecycle.items())),
        "recurring_drivers": drivers,
        "recurring_driver_root_causes": [d["root_cause"] for d in drivers],
        "root_cause_pareto": pareto,
        "incidents": incidents,
        "remediation_plans": plans,
        "bad_records": {
            "file": "_generator/bad_records.jsonl",
            "total": sum(bad.kinds.values()),
            "by_kind": dict(sorted(bad.kinds.items())),
            "by_table": dict(sorted(bad.tables.items())),
        },
        "unknown_enum_values": [
            {"source_table": t, "field": f, "value": v, "records": n}
            for (t, f, v), n in sorted(bad.unknown_enums.items())
        ],
        **extra,
    }
