"""How well ``fct_metric_alerts`` finds what the demo generator planted: precision and recall.

The generator's ``_generator/truth.json`` lists the planted changes: PagerDuty incidents (a spike
of escalations in some root causes of one issue category for some hours) and remediation plans
(an effective one cuts its root cause's volume from the day it ships). An alert is *explained*
when a planted change accounts for it:

- an incident explains alerts on the days of its spike (from the local day it starts, anywhere, to
  two days after it ends) on the overall slice, its issue category or its root causes, in
  the direction an incident pushes (volume up, SLA attainment down, first reply slower, bad CSAT
  and reopens up);
- an effective remediation plan explains a drop in its root cause's or issue category's volume
  from the day it ships to six weeks later.

Recall counts incidents found by an upward volume alert and effective plans found by a downward
one. An incident is *detectable* when its excess escalations on the day exceed three Poisson
sigmas of its issue category's daily volume; recall is given over all planted changes and over the
detectable ones. Precision is explained alerts over all alerts, for all severities and for
high and critical only.

``python -m escalations.watch.evaluate --home data`` prints it (the note of issue 7 quotes it).
"""

from __future__ import annotations

import argparse
import json
import math
from datetime import date, timedelta
from pathlib import Path

import duckdb

from escalations.config import parse_instant, resolve_paths
from escalations.engines import target
from escalations.publish import duckdb_snapshot_path

# the direction a planted incident pushes each metric
INCIDENT_DIRECTION = {
    "escalation_volume": "up",
    "sla_attainment": "down",
    "median_first_reply": "up",
    "reopen_rate": "up",
    "csat_bad_rate": "up",
}
REMEDIATION_WINDOW = timedelta(days=42)


def planted_changes(truth: dict, daily_volume: dict[str, float]) -> list[dict]:
    """The changes a good detector should find, with the slices and days where they show."""
    changes = []
    for inc in truth["incidents"]:
        start, end = parse_instant(inc["spike_start"]), parse_instant(inc["spike_end"])
        hours = (end - start).total_seconds() / 3600
        excess = inc["escalations_in_spike"] - inc["escalations_per_hour_elsewhere"] * hours
        base = daily_volume.get(inc["issue_category"], 0.0)
        changes.append(
            {
                "kind": "incident",
                "name": f"{inc['incident_number']} {inc['title']}",
                "slices": {("overall", "all"), ("issue_category", inc["issue_category"])}
                | {("root_cause", rc) for rc in inc["root_causes"]},
                # local days run up to 12 hours behind UTC
                "first": (start - timedelta(hours=12)).date(),
                "last": end.date() + timedelta(days=2),
                "excess": round(excess, 1),
                "detectable": excess > 3 * math.sqrt(max(base, 1.0)),
            }
        )
    for plan in truth["remediation_plans"]:
        if not plan.get("effective"):
            continue
        shipped = parse_instant(plan["shipped_at"]).date()
        changes.append(
            {
                "kind": "remediation",
                "name": f"{plan['key']} {plan['root_cause']}",
                "slices": {("root_cause", plan["root_cause"])},
                "first": shipped,
                "last": shipped + REMEDIATION_WINDOW,
                "excess": None,
                "detectable": True,
            }
        )
    return changes


def explains(change: dict, alert: dict, *, strict: bool) -> bool:
    """Does this planted change account for this alert? strict: only the volume alert it makes."""
    if (alert["slice_dimension"], alert["slice_value"]) not in change["slices"]:
        return False
    if not change["first"] <= alert["period"] <= change["last"]:
        return False
    if change["kind"] == "remediation":
        return alert["metric"] == "escalation_volume" and alert["direction"] == "down"
    if strict:
        return alert["metric"] == "escalation_volume" and alert["direction"] == "up"
    return INCIDENT_DIRECTION.get(alert["metric"]) == alert["direction"]


def alerts_span(conn: duckdb.DuckDBPyConnection, schema: str) -> tuple[date, date]:
    """The days the alert series covers: from four weeks into the data (the first baseline) to the
    last complete day."""
    first, last = conn.execute(
        f"select min(created_date_local), max(created_date_local) from {schema}.fct_escalations"
    ).fetchone()
    return first + timedelta(days=28), last - timedelta(days=2)


def evaluate(conn: duckdb.DuckDBPyConnection, truth: dict, schema: str = "marts") -> dict:
    columns = ["metric", "slice_dimension", "slice_value", "period", "direction", "rule", "severity", "score"]
    rows = conn.execute(
        f"select {', '.join(columns)} from {schema}.fct_metric_alerts order by period"
    ).fetchall()
    alerts = [dict(zip(columns, row, strict=True)) for row in rows]
    daily = dict(
        conn.execute(
            f"""
            select issue_category, count(*) / count(distinct created_date_local)
            from {schema}.fct_escalations group by issue_category
            """
        ).fetchall()
    )
    changes = planted_changes(truth, daily)
    for change in changes:
        change["found_by"] = [
            f"{a['period']} {a['slice_dimension']}={a['slice_value']} {a['rule']} ({a['severity']})"
            for a in alerts
            if explains(change, a, strict=True)
        ]
    for alert in alerts:
        alert["explained"] = any(explains(c, alert, strict=False) for c in changes)

    def share(part: int, whole: int) -> float | None:
        return round(part / whole, 3) if whole else None

    def recall(kind: str, detectable_only: bool) -> dict:
        pool = [c for c in changes if c["kind"] == kind and (c["detectable"] or not detectable_only)]
        found = sum(bool(c["found_by"]) for c in pool)
        return {"found": found, "planted": len(pool), "recall": share(found, len(pool))}

    severe = [a for a in alerts if a["severity"] in ("high", "critical")]
    # quiet weeks: ISO weeks that no planted change touches
    first, last = alerts_span(conn, schema)
    touched = set()
    for c in changes:
        day = c["first"]
        while day <= c["last"]:
            touched.add(day.isocalendar()[:2])
            day += timedelta(days=1)
    weeks = {(first + timedelta(days=d)).isocalendar()[:2] for d in range((last - first).days + 1)}
    quiet = weeks - touched
    in_quiet = [a for a in alerts if a["period"].isocalendar()[:2] in quiet]
    by_metric: dict[str, list[int]] = {}
    for a in alerts:
        counts = by_metric.setdefault(a["metric"], [0, 0])
        counts[0] += 1
        counts[1] += a["explained"]
    return {
        "alerts": len(alerts),
        "precision": share(sum(a["explained"] for a in alerts), len(alerts)),
        "alerts_high_or_critical": len(severe),
        "precision_high_or_critical": share(sum(a["explained"] for a in severe), len(severe)),
        "quiet_weeks": len(quiet),
        "alerts_per_quiet_week": round(len(in_quiet) / len(quiet), 2) if quiet else None,
        "high_or_critical_per_quiet_week": (
            round(sum(a["severity"] != "medium" for a in in_quiet) / len(quiet), 2) if quiet else None
        ),
        "precision_volume": share(
            sum(a["explained"] for a in alerts if a["metric"] == "escalation_volume"),
            sum(a["metric"] == "escalation_volume" for a in alerts),
        ),
        "recall_incidents": recall("incident", False),
        "recall_detectable_incidents": recall("incident", True),
        "recall_remediation": recall("remediation", False),
        "alerts_by_metric": {m: {"alerts": n, "explained": e} for m, (n, e) in sorted(by_metric.items())},
        "changes": [
            {k: (str(v) if isinstance(v, date) else v) for k, v in c.items() if k != "slices"}
            for c in changes
        ],
        "unexplained": [
            f"{a['period']} {a['metric']} {a['slice_dimension']}={a['slice_value']} {a['direction']} "
            f"{a['rule']} z={a['score']:.1f} ({a['severity']})"
            for a in alerts
            if not a["explained"]
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="data directory (default: ESCALATIONS_HOME or data/)")
    parser.add_argument(
        "--warehouse",
        type=Path,
        help="DuckDB file with the marts (default: the home's; on Postgres and Spark its published snapshot)",
    )
    parser.add_argument("--truth", type=Path, help="truth.json (default: <landing>/_generator/truth.json)")
    args = parser.parse_args(argv)
    paths = resolve_paths(args.home)
    truth_path = args.truth or paths.landing / "_generator" / "truth.json"
    if not truth_path.exists():
        parser.error(f"no generator truth at {truth_path}: precision and recall need a demo world")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    # the marts: the DuckDB warehouse, or on Postgres and Spark the published snapshot of theirs
    default = paths.warehouse if target() == "duckdb" else duckdb_snapshot_path(paths.publish)
    with duckdb.connect(str(args.warehouse or default), read_only=True) as conn:
        result = evaluate(conn, truth)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
