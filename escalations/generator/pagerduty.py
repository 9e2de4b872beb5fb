"""PagerDuty REST API v2 list pages: incidents and their log entries (trigger, escalate,
acknowledge, resolve)."""

from __future__ import annotations

from pathlib import Path

from escalations.generator.calendars import iso_z
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


def write_pagerduty(root: Path, incidents: list[Incident]) -> dict[str, JsonPages]:
    incidents = sorted(incidents, key=lambda i: i.created)
    pages = JsonPages(root, "pagerduty/incidents", "incidents", "pagerduty_incidents", PER_PAGE, _tail)
    logs = JsonPages(root, "pagerduty/log_entries", "log_entries", "pagerduty_log_entries", PER_PAGE, _tail)
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
