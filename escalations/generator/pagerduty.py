"""PagerDuty REST API v2 list pages: incidents and their log entries (trigger, escalate,
acknowledge, resolve). A delivery with a cut holds incidents as they stood at the cut (triggered,
acknowledged or resolved) and the log entries written before it."""

from __future__ import annotations

from pathlib import Path

from escalations.generator.calendars import iso_z
from escalations.generator.delivery import FULL, Window
from escalations.generator.world import Incident
from escalations.generator.writers import JsonPages, PageInfo, dumps

PER_PAGE = 100


def _tail(info: PageInfo) -> dict:
    return {
        "limit": PER_PAGE,
        "offset": (info.number - 1) * PER_PAGE,
        "more": not info.is_last,
        "total": None,
    }


def write_pagerduty(root: Path, incidents: list[Incident], window: Window = FULL) -> dict[str, JsonPages]:
    incidents = sorted(incidents, key=lambda i: i.created)
    pre = window.prefix
    pages = JsonPages(
        root, "pagerduty/incidents", "incidents", "pagerduty_incidents", PER_PAGE, _tail, prefix=pre
    )
    logs = JsonPages(
        root, "pagerduty/log_entries", "log_entries", "pagerduty_log_entries", PER_PAGE, _tail, prefix=pre
    )
    n_log = 0
    for k, inc in enumerate(incidents):
        service = {"id": inc.service_id, "type": "service_reference", "summary": inc.service}
        oncall = {"id": f"PUSR{k % 5 + 1:02d}", "type": "user_reference", "summary": "On-call engineer"}
        team = inc.service.split("-")[0].title()
        rec = {
            "id": inc.id,
            "type": "incident",
            "incident_number": inc.number,
            "title": inc.title,
            "status": "resolved",
            "urgency": inc.urgency,
            "created_at": iso_z(inc.created),
            "updated_at": iso_z(inc.resolved),
            "last_status_change_at": iso_z(inc.resolved),
            "resolved_at": iso_z(inc.resolved),
            "service": service,
            "escalation_policy": {
                "id": f"PEP{inc.service_id[-3:]}",
                "type": "escalation_policy_reference",
                "summary": f"{team} on-call",
            },
            "teams": [{"id": f"PTEAM{inc.service_id[-2:]}", "type": "team_reference", "summary": team}],
            "assignments": [{"at": iso_z(inc.created), "assignee": oncall}],
            "acknowledgements": [{"at": iso_z(inc.acknowledged), "acknowledger": oncall}],
            "incident_key": inc.key,
            "alert_counts": {"all": 3 + (inc.number % 20), "triggered": 0, "resolved": 3 + (inc.number % 20)},
        }
        if window.cut is not None:
            rec = _as_of(rec, inc, window.cut)
        if rec is not None and window.has(_updated(inc, window.cut)):
            pages.write(dumps(rec))
        entries = [
            ("trigger_log_entry", inc.created, {"type": "service_reference", "id": inc.service_id}, "api")
        ]
        if inc.escalated is not None:
            entries.append(
                (
                    "escalate_log_entry",
                    inc.escalated,
                    {"type": "service_reference", "id": inc.service_id},
                    "timeout",
                )
            )
        entries.append(
            (
                "acknowledge_log_entry",
                inc.acknowledged,
                {"type": "user_reference", "id": oncall["id"]},
                "mobile",
            )
        )
        entries.append(
            ("resolve_log_entry", inc.resolved, {"type": "user_reference", "id": oncall["id"]}, "web_ui")
        )
        entries.sort(key=lambda x: x[1])
        for typ, t, agent, channel in entries:
            n_log += 1
            if not window.has(t):
                continue
            logs.write(
                dumps(
                    {
                        "id": f"R{inc.id[1:]}{n_log:04d}",
                        "type": typ,
                        "created_at": iso_z(t),
                        "incident": {"id": inc.id, "type": "incident_reference"},
                        "service": {"id": inc.service_id, "type": "service_reference"},
                        "agent": agent,
                        "channel": {"type": channel},
                    }
                )
            )
    pages.close()
    logs.close()
    return {"pagerduty_incidents": pages, "pagerduty_log_entries": logs}


def _updated(inc: Incident, cut: int | None) -> int:
    """When the incident last changed before the cut."""
    if cut is None or inc.resolved < cut:
        return inc.resolved
    return max(t for t in (inc.created, inc.acknowledged, inc.escalated or inc.created) if t < cut)


def _as_of(rec: dict, inc: Incident, cut: int) -> dict | None:
    """The incident record as the API returned it just before ``cut`` (None: not yet triggered)."""
    if inc.created >= cut:
        return None
    if inc.resolved < cut:
        return rec
    acked = inc.acknowledged < cut
    alerts = rec["alert_counts"]["all"]
    return {
        **rec,
        "status": "acknowledged" if acked else "triggered",
        "updated_at": iso_z(_updated(inc, cut)),
        "last_status_change_at": iso_z(inc.acknowledged if acked else inc.created),
        "resolved_at": None,
        "acknowledgements": rec["acknowledgements"] if acked else [],
        "alert_counts": {"all": alerts, "triggered": alerts, "resolved": 0},
    }
