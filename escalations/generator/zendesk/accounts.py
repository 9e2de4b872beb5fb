"""The account files: groups, agents, SLA policies, schedules with holidays (``write_reference``), and
the group and agent ids a ticket uses."""

from __future__ import annotations

import random

from escalations.generator.accounts import ZENDESK_HOURS
from escalations.generator.reference import (
    ZENDESK_SCHEDULES,
    person_name,
    team_rows,
)
from escalations.generator.writers import dumps, write_json_document
from escalations.generator.zendesk.reference import AGENT_ID0, GROUP_ID0, POLICIES


class ZendeskAccounts:
    """The account files: groups, agents, SLA policies, schedules with holidays (``write_reference``),
    and the group and agent ids a ticket uses. A mixin of ``ZendeskEmitter``, whose state it reads."""

    def _make_groups(self) -> list[tuple[int, str, str]]:
        return [(GROUP_ID0 + i, name, team) for i, (name, team) in enumerate(team_rows("zendesk"))]

    def _make_agents(self) -> dict[int, list[tuple[int, str, str]]]:
        agents: dict[int, list] = {}
        n = 0
        rng = random.Random(f"{self.world.seed}:zendesk-agents")
        for gid, _name, _team in self._groups:
            pool = []
            for _ in range(rng.randrange(6, 11)):
                first, last = person_name(n + 3)
                pool.append(
                    (
                        AGENT_ID0 + 323 + n,
                        f"{first} {last}",
                        f"{first}.{last}.{n}@support.example.com".lower(),
                    )
                )
                n += 1
            agents[gid] = pool
        return agents

    def group_of(self, team: str, region: str) -> int:
        key = (team, region)
        gid = self._group_cache.get(key)
        if gid is None:
            gid = self._group_cache[key] = self._find_group(team, region)
        return gid

    def _find_group(self, team: str, region: str) -> int:
        names = [g for g in self._groups if g[2] == team]
        if not names:
            names = [g for g in self._groups if g[2] == "creator_escalations"]
        if len(names) > 1:
            suffix = {"LATAM": "AMER"}.get(region, region)
            for g in names:
                if g[1].endswith(suffix):
                    return g[0]
        return names[0][0]

    def agent_id(self, agent, region: str) -> int | None:
        if agent is None:
            return None
        pool = self._agents[self.group_of(agent[0], region)]
        return pool[agent[1] % len(pool)][0]

    def agent_name(self, agent, region: str) -> str | None:
        if agent is None:
            return None
        pool = self._agents[self.group_of(agent[0], region)]
        return pool[agent[1] % len(pool)][1]

    def write_reference(self) -> None:
        created = "2023-01-01T00:00:00Z"
        groups = [
            {
                "id": gid,
                "name": name,
                "description": "",
                "default": False,
                "deleted": False,
                "created_at": created,
                "updated_at": created,
            }
            for gid, name, _ in self._groups
        ]
        n = len(groups)
        self.static_counts["zendesk_groups"] = write_json_document(
            self.root,
            "zendesk/groups.json",
            "groups",
            groups,
            {"next_page": None, "previous_page": None, "count": n},
        )
        policies = []
        for p in POLICIES:
            metrics = [
                {
                    "priority": prio,
                    "metric": metric,
                    "target": target,
                    "target_in_seconds": target * 60,
                    "business_hours": business,
                }
                for prio, ms in p["metrics"].items()
                for metric, target, business in ms
            ]
            policies.append(
                {
                    "id": p["id"],
                    "title": p["title"],
                    "description": p["description"],
                    "position": p["position"],
                    "filter": p["filter"],
                    "policy_metrics": metrics,
                    "created_at": "2025-01-01T00:00:00Z",
                    "updated_at": "2025-06-01T00:00:00Z",
                }
            )
        self.static_counts["zendesk_sla_policies"] = write_json_document(
            self.root,
            "zendesk/sla_policies.json",
            "sla_policies",
            policies,
            {"next_page": None, "previous_page": None, "count": len(policies)},
        )
        schedules = []
        hid = 60
        for region, sid, name, zd_tz, _iana, _desk_hours in ZENDESK_SCHEDULES:
            intervals = [{"start_time": a, "end_time": b} for a, b in ZENDESK_HOURS[region]]
            holidays = []
            for hname, first, last in self.world.zendesk_holiday_spans(region):
                hid += 1
                holidays.append(
                    {"id": hid, "name": hname, "start_date": first.isoformat(), "end_date": last.isoformat()}
                )
            schedules.append(
                {
                    "id": sid,
                    "name": name,
                    "time_zone": zd_tz,
                    "intervals": intervals,
                    "holidays": holidays,
                    "created_at": "2024-01-01T00:00:00Z",
                    "updated_at": "2024-01-01T00:00:00Z",
                }
            )
        self.static_counts["zendesk_schedules"] = write_json_document(
            self.root, "zendesk/schedules.json", "schedules", schedules, {}
        )
        for gid, _name, _team in self._groups:
            for aid, name, email in self._agents[gid]:
                self.users.write(
                    dumps(
                        {
                            "id": aid,
                            "name": name,
                            "email": email,
                            "phone": None,
                            "role": "agent",
                            "time_zone": "Pacific Time (US & Canada)",
                            "iana_time_zone": "America/Los_Angeles",
                            "locale": "en-US",
                            "tags": [],
                            "organization_id": None,
                            "active": True,
                            "suspended": False,
                            "default_group_id": gid,
                            "created_at": "2023-01-10T10:00:00Z",
                            "updated_at": "2025-12-01T10:00:00Z",
                        }
                    ),
                    meta=aid,
                )
