"""Zendesk exports: incremental ticket pages, audits, metric events, ratings, users and the
account files (groups, SLA policies, schedules with holidays).

Metric events come from the generator's own clock: reply time (instance 0 ``measure``, then one
instance for the first reply and one per next-reply exchange), requester wait and agent work time
(activate / pause / fulfill with ``update_status``), pausable or periodic update time and
resolution time where the applied policy has them. ``apply_sla`` records the policy the tool
applied (re-applied on a priority change); ``breach`` is written at the instant the target was
crossed, pauses excluded, and only if it was crossed before the metric stopped or the world ended.
"""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path

from escalations.generator.accounts import ZENDESK_HOURS
from escalations.generator.bad import BadRecords
from escalations.generator.calendars import CALENDAR, DAY, ScheduleChain, iso_z
from escalations.generator.delivery import FULL, Window
from escalations.generator.reference import (
    AGENT_REPLIES,
    INTERNAL_NOTES,
    REQUESTER_COMMENTS,
    UNKNOWN_CHANNEL,
    ZENDESK_DIRECT,
    ZENDESK_FIELDS,
    ZENDESK_PRIORITY,
    ZENDESK_SCHEDULES,
    ZENDESK_VIA,
    person_name,
    team_rows,
)
from escalations.generator.sla import breach_at, runs_with_exit, status_spans
from escalations.generator.voice import VoiceText, VoiceTruth, person
from escalations.generator.world import Escalation, World, state_after
from escalations.generator.writers import JsonPages, PageInfo, dumps, write_json_document

BASE = "https://example.zendesk.com/api/v2"
TICKET_ID0 = 35000
REQUESTER_ID0 = 20_000_000
AGENT_ID0 = 235_000
GROUP_ID0 = 98738
ORG_CREATOR_PARTNERSHIPS = 5001
PER_PAGE = 1000
EARLIER_VERSION_SHARE = 0.15
POLICY_OVERRIDE_EVERY = 250  # one in N non-urgent tickets: the tool applied another policy
MOVE_ON_HANDOFF_EVERY = 3  # one in N tickets handed to another team: a trigger moves its schedule
REGIONS = tuple(s[0] for s in ZENDESK_SCHEDULES)

USER_ZONES = {
    "US": ("Pacific Time (US & Canada)", "America/Los_Angeles", "en-US"),
    "BR": ("Brasilia", "America/Sao_Paulo", "pt-BR"),
    "MX": ("Mexico City", "America/Mexico_City", "es-MX"),
    "GB": ("London", "Europe/London", "en-GB"),
    "DE": ("Berlin", "Europe/Berlin", "de"),
    "IN": ("New Delhi", "Asia/Kolkata", "en-IN"),
    "SG": ("Singapore", "Asia/Singapore", "en-SG"),
    "ID": ("Jakarta", "Asia/Jakarta", "id"),
    "JP": ("Tokyo", "Asia/Tokyo", "ja"),
    "unknown": ("UTC", "UTC", "en-US"),
}

POLICIES = (
    {
        "id": 25,
        "title": "P0 escalations",
        "description": "Urgent escalations, around the clock",
        "position": 1,
        "filter": {"all": [{"field": "priority", "operator": "is", "value": "urgent"}], "any": []},
        "metrics": {
            "urgent": (
                ("first_reply_time", 60, False),
                ("next_reply_time", 60, False),
                ("pausable_update_time", 120, False),
                ("requester_wait_time", 480, False),
                ("agent_work_time", 360, False),
                ("total_resolution_time", 1440, False),
            )
        },
    },
    {
        "id": 27,
        "title": "Executive and press",
        "description": "Executive escalations and press enquiries",
        "position": 2,
        "filter": {
            "all": [{"field": "current_tags", "operator": "includes", "value": "executive_press"}],
            "any": [],
        },
        "metrics": {
            p: (
                ("first_reply_time", 120, False),
                ("next_reply_time", 240, False),
                ("periodic_update_time", 480, False),
                ("requester_wait_time", 1440, False),
            )
            for p in ("high", "normal", "low")
        },
    },
    {
        "id": 26,
        "title": "Standard escalations",
        "description": "Everything else",
        "position": 3,
        "filter": {"all": [], "any": []},
        "metrics": {
            "high": (
                ("first_reply_time", 120, True),
                ("next_reply_time", 120, True),
                ("requester_wait_time", 960, True),
                ("agent_work_time", 480, True),
                ("total_resolution_time", 4320, False),
            ),
            "normal": (
                ("first_reply_time", 480, True),
                ("next_reply_time", 480, True),
                ("requester_wait_time", 2400, True),
                ("agent_work_time", 1440, True),
            ),
            "low": (
                ("first_reply_time", 960, True),
                ("next_reply_time", 960, True),
                ("requester_wait_time", 4800, True),
            ),
        },
    },
)
_LOOKUP = {
    (p["id"], prio, metric): (target, business)
    for p in POLICIES
    for prio, metrics in p["metrics"].items()
    for metric, target, business in metrics
}
_POLICY = {p["id"]: p for p in POLICIES}

# metric-event metric names, in the order events of one instant are written
_METRICS = (
    "reply_time",
    "requester_wait_time",
    "agent_work_time",
    "pausable_update_time",
    "periodic_update_time",
    "resolution_time",
)
RWT = frozenset(("new", "open", "hold"))
AWT = frozenset(("new", "open"))
DONE = frozenset(("solved", "closed"))
# type rank inside one instant
T_MEASURE, T_ACTIVATE, T_APPLY, T_PAUSE, T_BREACH, T_FULFILL, T_UPDATE = range(7)
_TYPES = ("measure", "activate", "apply_sla", "pause", "breach", "fulfill", "update_status")


def policy_for(priority: int, tags_exec: bool) -> int:
    """The first policy by position whose filter matches."""
    if priority == 0:
        return 25
    if tags_exec:
        return 27
    return 26


class ZendeskEmitter:
    def __init__(
        self,
        root: Path,
        world: World,
        bad: BadRecords,
        seed: int,
        disagreements,
        window: Window = FULL,
        voice_truth: VoiceTruth | None = None,
    ) -> None:
        self.root = root
        self.world = world
        self.bad = bad
        self.text = VoiceText(seed)
        self.voice_truth = voice_truth or VoiceTruth(None)
        self.rng = random.Random(f"{seed}:zendesk")
        # bad copies draw from their own generator in a delivery with a cut, so the world's draws
        # (ratings, versions) do not depend on which records a delivery holds
        self.bad_rng = self.rng if window.is_default else random.Random(f"{seed}:zendesk-bad:{window}")
        self.window = window
        self.disagreements = disagreements
        self.end = world.end
        pre = window.prefix
        self.tickets = JsonPages(
            root,
            "zendesk/tickets",
            "tickets",
            "zendesk_tickets",
            PER_PAGE,
            self._tickets_tail,
            bad=bad,
            prefix=pre,
        )
        self.audits = JsonPages(
            root,
            "zendesk/ticket_audits",
            "audits",
            "zendesk_ticket_audits",
            PER_PAGE,
            self._list_tail("ticket_audits"),
            bad=bad,
            prefix=pre,
        )
        self.events = JsonPages(
            root,
            "zendesk/ticket_metric_events",
            "ticket_metric_events",
            "zendesk_ticket_metric_events",
            PER_PAGE,
            self._events_tail,
            bad=bad,
            prefix=pre,
        )
        self.ratings = JsonPages(
            root,
            "zendesk/satisfaction_ratings",
            "satisfaction_ratings",
            "zendesk_satisfaction_ratings",
            PER_PAGE,
            self._list_tail("satisfaction_ratings"),
            bad=bad,
            prefix=pre,
        )
        self.users = JsonPages(
            root, "zendesk/users", "users", "zendesk_users", PER_PAGE, self._users_tail, bad=bad, prefix=pre
        )
        self.streams = {
            "zendesk_tickets": self.tickets,
            "zendesk_ticket_audits": self.audits,
            "zendesk_ticket_metric_events": self.events,
            "zendesk_satisfaction_ratings": self.ratings,
            "zendesk_users": self.users,
        }
        self.static_counts: dict[str, int] = {}
        self.n_tickets = 0
        self.audit_id = 9_000_000
        self.event_id = 100_000
        self.rating_id = 7000
        self.void_events = 0
        self.schedule_moves = 0
        self.earlier_versions = 0
        self.csat = {"offered": 0, "good": 0, "bad": 0}
        self._groups = self._make_groups()
        self._group_cache: dict[tuple[str, str], int] = {}
        self._agents = self._make_agents()
        self._sla_json: dict[tuple, str] = {}
        self._schedule = {s[0]: s for s in ZENDESK_SCHEDULES}

    # ---- account files --------------------------------------------------------------------
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

    # ---- page tails -----------------------------------------------------------------------
    def _tickets_tail(self, info: PageInfo) -> dict:
        if info.last_meta:
            gen, tid = info.last_meta
            cursor = base64.b64encode(f"{gen}.0||{tid}|".encode()).decode()
        else:
            cursor = None
        url = (
            f"{BASE}/incremental/tickets/cursor.json?cursor={cursor.replace('=', '%3D')}" if cursor else None
        )
        return {
            "after_cursor": cursor,
            "after_url": url,
            "before_cursor": None,
            "before_url": None,
            "end_of_stream": info.is_last,
        }

    def _users_tail(self, info: PageInfo) -> dict:
        cursor = base64.b64encode(f"{info.last_meta}|".encode()).decode() if info.last_meta else None
        return {"after_cursor": cursor, "end_of_stream": info.is_last}

    def _events_tail(self, info: PageInfo) -> dict:
        end_time = info.last_meta or 0
        nxt = None if info.is_last else f"{BASE}/incremental/ticket_metric_events.json?start_time={end_time}"
        return {"next_page": nxt, "end_time": end_time, "count": info.count}

    @staticmethod
    def _list_tail(name: str):
        def tail(info: PageInfo) -> dict:
            nxt = None if info.is_last else f"{BASE}/{name}.json?page={info.number + 1}"
            prev = f"{BASE}/{name}.json?page={info.number - 1}" if info.number > 1 else None
            return {"next_page": nxt, "previous_page": prev, "count": info.count}

        return tail

    # ---- one escalation -------------------------------------------------------------------
    def emit(self, e: Escalation) -> None:
        rng = self.rng
        w = self.window
        self.n_tickets += 1
        tid = TICKET_ID0 + self.n_tickets
        e.key = f"zendesk:{tid}"
        region = e.region
        requester = REQUESTER_ID0 + e.requester
        e.subject, e.description = self.text.request(e, self.agent_name(e.final_agent, region))
        if e.new_requester and w.has(e.created):
            self._write_user(e, requester)
        vias = ZENDESK_VIA[e.channel]
        via = vias[e.rand % len(vias)]
        is_exec = e.channel == "executive_press"
        override = e.priority != 0 and e.rand % POLICY_OVERRIDE_EVERY == 3
        stop = e.deleted_at if e.deleted_at is not None else self.end

        # satisfaction rating on the last solve
        rating = None
        if e.final_status in DONE and e.solves and e.deleted_at is None and rng.random() < 0.45:
            rt = e.solves[-1] + rng.randrange(1800, 60 * 3600)
            if rt < stop and rt < e.solves[-1] + 4 * DAY - 60:
                rating = self._rating(e, tid, requester, rt)
        updated = e.last_change
        if rating is not None and rating[1] > updated:
            updated = rating[1]

        # the ticket as of the delivery's cut (the whole world when there is none)
        n_steps = len(e.steps)
        upto, deleted_w, updated_w = w.as_of(e)
        rating_w = rating if rating is not None and w.before_cut(rating[1]) else None
        if rating_w is not None and rating_w[1] > updated_w:
            updated_w = rating_w[1]
        write_ticket = upto >= 0 and w.has(updated_w)

        # ticket versions: an earlier version now, the final one a page or two later
        enum_kind = None
        earlier = None
        if n_steps >= 2 and rng.random() < EARLIER_VERSION_SHARE:
            k = rng.randrange(n_steps - 1)
            earlier = (k, state_after(e, k))
        elif write_ticket:
            enum_kind = self.bad.pick("zendesk_tickets", ("unknown_enum",), rate=0.2)
        if enum_kind:
            via = UNKNOWN_CHANNEL["zendesk"]
            e.channel = "other"  # what the warehouse maps an unknown channel to
        final = None
        if write_ticket:
            final = self._ticket(e, tid, requester, state_after(e, upto), updated_w, via, rating_w, deleted_w)
        older = None
        older_exists = False  # in the whole world: decides the draws, whatever is delivered
        st = None
        if n_steps >= 2:
            k = earlier[0] if earlier else rng.randrange(n_steps - 1)
            st = earlier[1] if earlier else state_after(e, k)
            older_exists = st[4] < updated
            if older_exists and write_ticket and st[4] < updated_w:
                older = self._ticket(e, tid, requester, st, st[4], via, None, False)
        if earlier is not None and older_exists:
            if older is not None and w.has(st[4]):
                self.earlier_versions += 1
                self.tickets.write(dumps(older), meta=(older["generated_timestamp"], tid))
                self.tickets.defer(
                    rng.randrange(PER_PAGE, int(PER_PAGE * 2.5)),
                    lambda: self._write_final(final, None, enum_kind),
                )
            else:
                rng.randrange(PER_PAGE, int(PER_PAGE * 2.5))
                if write_ticket:
                    self._write_final(final, older, enum_kind)
        elif write_ticket:
            self._write_final(final, older, enum_kind)

        move = self._schedule_move(e)
        if move is not None and w.has(move[0]) and e.deleted_at is None:
            self.schedule_moves += 1
        self._write_audits(e, tid, requester, via, region, move)
        self._write_metric_events(e, tid, is_exec, override, stop, move)
        if rating is not None and w.has(rating[1]):
            self.ratings.write(dumps(rating[0]), meta=rating[1])

    def _write_final(self, final: dict, older: dict | None, enum_kind) -> None:
        tid = final["id"]
        line = dumps(final)
        file, pos = self.tickets.write(line, meta=(final["generated_timestamp"], tid))
        if enum_kind:
            self.bad.log("zendesk_tickets", file, pos, "unknown_enum", tid)
            self.bad.note_unknown_enum("zendesk_tickets", "via.channel", final["via"]["channel"])
            return
        allowed = ("duplicate", "malformed", "missing_id", "timestamp_without_zone", "wrong_type")
        if older is not None:  # not when that older version was already written (a copy is a duplicate)
            allowed += ("stale_version",)
        kind = self.bad.pick("zendesk_tickets", allowed)
        if kind:
            self._bad_copy(self.tickets, "zendesk_tickets", final, line, kind, older)
        extra = self.bad.pick_extra("zendesk_tickets", ("out_of_range", "too_deep"))
        if extra:
            self._extra_copy(final, extra)

    def _extra_copy(self, rec: dict, kind: str) -> None:
        """A copy the warehouse cannot hold: an id beyond 64 bits or a far-off created_at, or a
        custom field nested deeper than the loader takes."""
        table = "zendesk_tickets"
        rid = rec["id"]
        if kind == "out_of_range":
            text, rid = self.bad.out_of_range_json(table, rec, "id", "created_at")
        else:
            text = self.bad.too_deep_json(table, rec, "custom_fields")
        f, p = self.tickets.write_extra(text)
        self.bad.log(table, f, p, kind, rid)

    def _bad_copy(
        self, stream: JsonPages, table: str, rec: dict, line: str, kind: str, older: dict | None
    ) -> None:
        rid = rec.get("id")
        bad = self.bad
        if kind == "duplicate":

            def dup() -> None:
                f, p = stream.write(line, good=False)
                bad.log(table, f, p, "duplicate", rid)

            stream.defer(self.bad_rng.randrange(1, 40), dup)
            return
        if kind == "stale_version":
            old_line = dumps(older)

            def stale() -> None:
                f, p = stream.write(old_line, good=False)
                bad.log(table, f, p, "stale_version", rid)

            stream.defer(self.bad_rng.randrange(PER_PAGE // 2, PER_PAGE * 2), stale)
            return
        if kind == "malformed" and stream.last_was_malformed:
            kind = "missing_id"  # two broken lines in a row would read as one damaged stretch
        if kind == "malformed":
            text = bad.malformed_json(line)
        elif kind == "missing_id":
            text = dumps({k: v for k, v in rec.items() if k != "id"})
            rid = None
        elif kind == "timestamp_without_zone":
            field = "created_at" if "created_at" in rec else "time"
            text = dumps({**rec, field: rec[field].rstrip("Z")})
        else:  # wrong_type
            if "ticket_id" in rec:
                text = dumps({**rec, "ticket_id": str(rec["ticket_id"])})
            elif self.bad_rng.random() < 0.5:
                text = dumps({**rec, "id": str(rid)})
            else:
                text = dumps({**rec, "created_at": int(rec["generated_timestamp"])})
        f, p = stream.write(text, good=False, malformed=kind == "malformed")
        bad.log(table, f, p, kind, rid)

    def _ticket(
        self, e: Escalation, tid: int, requester: int, state, updated: int, via: str, rating, deleted: bool
    ) -> dict:
        status, prio, team, agent, _t = state
        region = e.region
        tags = [e.category]
        if e.tier != "user":
            tags.append(f"creator_{e.tier}")
        tags.append(f"market_{e.market.lower()}")
        if e.channel in ("executive_press", "law_enforcement"):
            tags.append(e.channel)
        if e.incident:
            tags.append("platform_incident")
        channel_field = None if e.channel in ZENDESK_DIRECT else e.channel
        submitter = self.agent_id(e.steps[0][1], region) if e.agent_created else requester
        return {
            "id": tid,
            "url": f"{BASE}/tickets/{tid}.json",
            "external_id": f"cpm-{e.seq}" if e.channel == "creator_partner_manager" else None,
            "type": "incident" if e.incident or e.category == "platform" else "question",
            "subject": e.subject,
            "raw_subject": e.subject,
            "description": e.description,
            "status": "deleted" if deleted else status,
            "priority": ZENDESK_PRIORITY[prio],
            "requester_id": requester,
            "submitter_id": submitter,
            "assignee_id": self.agent_id(agent, region),
            "group_id": self.group_of(team, region),
            "organization_id": ORG_CREATOR_PARTNERSHIPS if e.channel == "creator_partner_manager" else None,
            "problem_id": None,
            "has_incidents": False,
            "collaborator_ids": [],
            "follower_ids": [],
            "email_cc_ids": [],
            "tags": tags,
            "custom_fields": [
                {"id": ZENDESK_FIELDS["issue_category"], "value": e.category},
                {"id": ZENDESK_FIELDS["root_cause"], "value": e.root_cause},
                {"id": ZENDESK_FIELDS["market"], "value": e.market},
                {"id": ZENDESK_FIELDS["creator_tier"], "value": e.tier},
                {"id": ZENDESK_FIELDS["escalation_tier"], "value": e.esc_tier},
                {"id": ZENDESK_FIELDS["intake_channel"], "value": channel_field},
            ],
            "satisfaction_rating": rating[2] if rating is not None else {"score": "unoffered"},
            "via": {"channel": via, "source": {"from": {}, "to": {}, "rel": None}},
            "due_at": None,
            "created_at": iso_z(e.created),
            "updated_at": iso_z(updated),
            "generated_timestamp": updated,
        }

    def _rating(self, e: Escalation, tid: int, requester: int, t: int):
        rng = self.rng
        self.rating_id += 1
        self.csat["offered"] += 1
        answered = rng.random() < 0.8
        good_p = 0.55 if (e.reopens or e.reassignments > 1) else 0.86
        if answered:
            score = "good" if rng.random() < good_p else "bad"
            self.csat[score] += 1
            comment = ""
            if rng.random() < 0.5:
                agent = self.agent_name(e.final_agent, e.region)
                comment, theme = self.text.csat_comment(e, score, agent, self.rating_id)
                if self.window.has(t):
                    self.voice_truth.comment(self.rating_id, e, score, theme)
        else:
            score, comment = "offered", ""
        rec = {
            "id": self.rating_id,
            "url": f"{BASE}/satisfaction_ratings/{self.rating_id}.json",
            "assignee_id": self.agent_id(e.final_agent, e.region),
            "group_id": self.group_of(e.final_team, e.region),
            "requester_id": requester,
            "ticket_id": tid,
            "score": score,
            "comment": comment,
            "reason": "No reason provided",
            "reason_code": 0,
            "created_at": iso_z(t),
            "updated_at": iso_z(t),
        }
        embedded = {"id": self.rating_id, "score": score, "comment": comment}
        return rec, t, embedded

    def _write_user(self, e: Escalation, uid: int) -> None:
        who = person(e.market, e.requester)
        zone, iana, locale = USER_ZONES.get(e.market, USER_ZONES["unknown"])
        tags = [f"creator_{e.tier}"] if e.tier != "user" else []
        rec = {
            "id": uid,
            "name": who.name,
            "email": f"{who.first}.{who.last}.{e.requester}@example.com".lower(),
            "phone": who.phone,
            "role": "end-user",
            "time_zone": zone,
            "iana_time_zone": iana,
            "locale": locale,
            "tags": tags,
            "organization_id": None,
            "active": True,
            "suspended": False,
            "created_at": iso_z(e.created - ((e.requester * 7919) % 1000 + 30) * DAY),
            "updated_at": iso_z(e.created),
        }
        self.users.write(dumps(rec), meta=uid)

    # ---- schedules ------------------------------------------------------------------------
    @staticmethod
    def _schedule_move(e: Escalation) -> tuple[int, str] | None:
        """(instant, region) when a trigger moves the ticket to another region's schedule: one in
        MOVE_ON_HANDOFF_EVERY tickets handed to another team goes to the next region's desk at the
        handoff (follow the sun)."""
        if (e.rand >> 12) % MOVE_ON_HANDOFF_EVERY != 1:
            return None
        for t, _actor, ops in e.steps:
            for op in ops:
                if op[0] == "assign" and op[2] is not None and op[1] != op[3]:
                    return t, REGIONS[(REGIONS.index(e.region) + 1) % len(REGIONS)]
        return None

    def sla_clock(self, e: Escalation, move: tuple[int, str] | None):
        """The business clock of the ticket's SLAs: its region's schedule, then from a move on
        the schedule it was moved to (each stretch measured on its own schedule)."""
        clock = self.world.sla_clocks[("zendesk", e.region)]
        if move is None:
            return clock
        return ScheduleChain([(0, clock), (move[0], self.world.sla_clocks[("zendesk", move[1])])])

    # ---- audits ---------------------------------------------------------------------------
    def _write_audits(
        self, e: Escalation, tid: int, requester: int, via: str, region: str, move: tuple[int, str] | None
    ) -> None:
        stream = self.audits
        bad = self.bad
        sched = self._schedule[region]
        n = e.rand
        lines: list[str] = []
        recs: list[dict] = []
        has = self.window.has
        for i, (t, actor, ops) in enumerate(e.steps):
            self.audit_id += 1
            aid = self.audit_id
            if not has(t):
                continue
            if actor is None:
                author = requester
                avia = {"channel": via}
            elif actor == -1:
                author = -1
                avia = {
                    "channel": "rule",
                    "source": {
                        "from": {"id": 360000123, "title": "Close solved tickets after 4 days"},
                        "rel": "automation",
                    },
                }
            else:
                author = self.agent_id(actor, region)
                avia = {"channel": "web"}
            events = []
            k = 0
            for op in ops:
                kind = op[0]
                if kind == "create":
                    _, status, prio, team, agent = op
                    k += 1
                    events.append(
                        {"id": aid * 100 + k, "type": "Create", "field_name": "status", "value": status}
                    )
                    k += 1
                    events.append(
                        {
                            "id": aid * 100 + k,
                            "type": "Create",
                            "field_name": "priority",
                            "value": ZENDESK_PRIORITY[prio],
                        }
                    )
                    k += 1
                    events.append(
                        {
                            "id": aid * 100 + k,
                            "type": "Create",
                            "field_name": "group_id",
                            "value": str(self.group_of(team, region)),
                        }
                    )
                    if agent is not None:
                        k += 1
                        events.append(
                            {
                                "id": aid * 100 + k,
                                "type": "Create",
                                "field_name": "assignee_id",
                                "value": str(self.agent_id(agent, region)),
                            }
                        )
                    if sched[0] != "AMER":
                        k += 1
                        events.append(
                            _schedule_change(
                                aid * 100 + k,
                                sched[1],
                                None,
                                360000200 + ZENDESK_SCHEDULES.index(sched),
                                f"Set {sched[0]} schedule",
                            )
                        )
                elif kind == "status":
                    k += 1
                    events.append(
                        {
                            "id": aid * 100 + k,
                            "type": "Change",
                            "field_name": "status",
                            "value": op[2],
                            "previous_value": op[1],
                        }
                    )
                elif kind == "assign":
                    old_g = self.group_of(op[1], region)
                    new_g = self.group_of(op[3], region)
                    if old_g != new_g:
                        k += 1
                        events.append(
                            {
                                "id": aid * 100 + k,
                                "type": "Change",
                                "field_name": "group_id",
                                "value": str(new_g),
                                "previous_value": str(old_g),
                            }
                        )
                    old_a = self.agent_id(op[2], region)
                    k += 1
                    events.append(
                        {
                            "id": aid * 100 + k,
                            "type": "Change",
                            "field_name": "assignee_id",
                            "value": str(self.agent_id(op[4], region)),
                            "previous_value": None if old_a is None else str(old_a),
                        }
                    )
                elif kind == "priority":
                    k += 1
                    events.append(
                        {
                            "id": aid * 100 + k,
                            "type": "Change",
                            "field_name": "priority",
                            "value": ZENDESK_PRIORITY[op[2]],
                            "previous_value": ZENDESK_PRIORITY[op[1]],
                        }
                    )
                else:  # comment
                    public, by = op[1], op[2]
                    if i == 0:
                        body = e.description  # a ticket's description is its first comment
                    elif not public:
                        body = INTERNAL_NOTES[(n + i) % len(INTERNAL_NOTES)]
                    elif by == "a":
                        body = AGENT_REPLIES[(n + i) % len(AGENT_REPLIES)]
                    else:
                        body = REQUESTER_COMMENTS[(n + i) % len(REQUESTER_COMMENTS)]
                    k += 1
                    events.append(
                        {
                            "id": aid * 100 + k,
                            "type": "Comment",
                            "public": public,
                            "author_id": author,
                            "body": body,
                            "plain_body": body,
                            "attachments": [],
                        }
                    )
            if move is not None and move[0] == t:
                k += 1
                events.append(
                    _schedule_change(
                        aid * 100 + k,
                        self._schedule[move[1]][1],
                        sched[1],
                        360000300,
                        "Follow the sun: handoffs go to the next desk",
                    )
                )
            rec = {
                "id": aid,
                "ticket_id": tid,
                "created_at": iso_z(t),
                "author_id": author,
                "via": avia,
                "metadata": {},
                "events": events,
            }
            lines.append(dumps(rec))
            recs.append(rec)
        if lines:
            stream.write_many(lines)
        table = "zendesk_ticket_audits"
        for j, kind in bad.take(
            table,
            len(lines),
            ("duplicate", "malformed", "missing_id", "timestamp_without_zone", "wrong_type"),
        ):
            self._bad_copy(stream, table, recs[j], lines[j], kind, None)

    # ---- metric events --------------------------------------------------------------------
    def _sla(self, pid: int, prio: str, metric: str) -> str | None:
        key = (pid, prio, metric)
        s = self._sla_json.get(key)
        if s is None:
            spec = _LOOKUP.get(key)
            if spec is None:
                return None
            p = _POLICY[pid]
            s = dumps(
                {
                    "target": spec[0],
                    "target_in_seconds": spec[0] * 60,
                    "business_hours": spec[1],
                    "policy": {"id": pid, "title": p["title"], "description": p["description"]},
                }
            )
            self._sla_json[key] = s
        return s

    def _write_metric_events(
        self, e: Escalation, tid: int, is_exec: bool, override: bool, stop: int, move: tuple[int, str] | None
    ) -> None:
        clock = self.sla_clock(e, move)
        t0 = e.created
        spans = status_spans(e.timeline, stop)
        changes = e.priority_changes
        out: list[tuple] = []
        add = out.append
        sla = self._sla

        def pol(p: int) -> int:
            pid = policy_for(p, is_exec)
            if override and pid != 25:
                return 27 if pid == 26 else 26
            return pid

        if override and self.window.has(t0):
            self.disagreements.write(
                dumps(
                    {
                        "escalation_key": e.key,
                        "kind": "zendesk_applied_policy_differs_from_filter",
                        "filter_policy_id": policy_for(e.priority, is_exec),
                        "applied_policy_id": pol(e.priority),
                        "note": "apply_sla metric events name the applied policy; the tool's record wins",
                    }
                )
                + "\n"
            )

        def prio_at(t: int) -> int:
            p = e.priority
            for tc, pc in changes:
                if tc <= t:
                    p = pc
            return p

        def clocked(mr: int, policy_metric: str, inst: int, start: int, until: int, intervals) -> bool:
            """apply_sla rows (and a breach row) for one instance; False when no policy has the metric."""
            segs = []
            p = prio_at(start)
            points = [(start, p)] + [(tc, pc) for tc, pc in changes if start < tc < until]
            any_sla = False
            for ts, pc in points:
                pid = pol(pc)
                prio_name = ZENDESK_PRIORITY[pc]
                s = sla(pid, prio_name, policy_metric)
                if s is None:
                    segs.append((ts, None, None))
                    continue
                any_sla = True
                target, business = _LOOKUP[(pid, prio_name, policy_metric)]
                segs.append((ts, clock if business else CALENDAR, target * 60))
                add((ts, mr, inst, T_APPLY, s))
            if any_sla:
                b = breach_at(intervals, segs)
                if b is not None:
                    add((b, mr, inst, T_BREACH, None))
            return any_sla

        # reply time: instance 0 measure, 1 = first reply, 2.. = next replies
        add((t0, 0, 0, T_MEASURE, None))
        fr = e.first_reply if e.first_reply is not None and e.first_reply < stop else None
        until = fr if fr is not None else stop
        add((t0, 0, 1, T_ACTIVATE, None))
        clocked(0, "first_reply_time", 1, t0, until, [(t0, until)])
        if fr is not None:
            add((fr, 0, 1, T_FULFILL, None))
            inst = 1
            merged = [(t, 1) for t in e.requester_comments if fr < t < stop] + [
                (t, 0) for t in e.agent_replies if fr < t < stop
            ]
            merged.sort()
            opened = None
            for t, is_req in merged:
                if is_req and opened is None:
                    opened = t
                elif not is_req and opened is not None:
                    inst += 1
                    add((opened, 0, inst, T_ACTIVATE, None))
                    clocked(0, "next_reply_time", inst, opened, t, [(opened, t)])
                    add((t, 0, inst, T_FULFILL, None))
                    opened = None
            if opened is not None:
                inst += 1
                add((opened, 0, inst, T_ACTIVATE, None))
                clocked(0, "next_reply_time", inst, opened, stop, [(opened, stop)])

        # requester wait and agent work time
        for mr, name, states in ((1, "requester_wait_time", RWT), (2, "agent_work_time", AWT)):
            runs = runs_with_exit(spans, states, t0, stop)
            cal = bus = 0
            for a, b, exit_status in runs:
                add((a, mr, 1, T_ACTIVATE, None))
                cal += b - a
                bus += clock.between(a, b)
                if exit_status is not None:
                    add((b, mr, 1, T_FULFILL if exit_status in DONE else T_PAUSE, None))
                    add((b, mr, 1, T_UPDATE, f'{{"calendar":{cal // 60},"business":{bus // 60}}}'))
            if runs:
                last_end = runs[-1][1] if runs[-1][2] in DONE else stop
                clocked(mr, name, 1, t0, last_end, [(a, b) for a, b, _ in runs])

        # update metrics between public agent replies (when the applied policy has them)
        replies = [t for t in e.agent_replies if t < stop]
        solves = [t for t in e.solves if t < stop]
        for mr, name, states in (
            (3, "pausable_update_time", RWT),
            (4, "periodic_update_time", None),
        ):
            if not any(
                _LOOKUP.get((pol(p), ZENDESK_PRIORITY[p], name)) for p in {e.priority, e.final_priority}
            ):
                continue
            inst = 0
            for k, r in enumerate(replies):
                nxt = replies[k + 1] if k + 1 < len(replies) else None
                sol = next((s for s in solves if s >= r), None)
                if sol == r:
                    continue
                ends = [x for x in (nxt, sol) if x is not None]
                end_k = min(ends) if ends else None
                until = end_k if end_k is not None else stop
                inst += 1
                add((r, mr, inst, T_ACTIVATE, None))
                if states is None:
                    iv = [(r, until)]
                else:
                    runs = runs_with_exit(spans, states, r, until)
                    iv = [(a, b) for a, b, _ in runs]
                    if not runs or runs[0][0] > r:
                        add((r, mr, inst, T_PAUSE, None))
                    for a, b, ex in runs:
                        if a > r:
                            add((a, mr, inst, T_ACTIVATE, None))
                        if ex is not None and b < until:
                            add((b, mr, inst, T_PAUSE, None))
                clocked(mr, name, inst, r, until, iv)
                if end_k is not None:
                    add((end_k, mr, inst, T_FULFILL, None))

        # resolution time (total resolution), where the policy has it
        if any(
            _LOOKUP.get((pol(p), ZENDESK_PRIORITY[p], "total_resolution_time"))
            for p in {e.priority, e.final_priority}
        ):
            final_done = e.final_status in DONE and solves and e.deleted_at is None
            until = solves[-1] if final_done else stop
            add((t0, 5, 1, T_ACTIVATE, None))
            prev = None
            for t, s in e.timeline:
                if t >= stop:
                    break
                if s == "solved":
                    add((t, 5, 1, T_FULFILL, None))
                elif prev == "solved" and s == "open":
                    add((t, 5, 1, T_ACTIVATE, None))
                prev = s
            clocked(5, "total_resolution_time", 1, t0, until, [(t0, until)])

        # now and then the tool voids a row it wrote (deleted = true)
        void = e.rand % 50 == 7
        out.sort(key=_event_order)
        stream = self.events
        eid = self.event_id
        head = f',"ticket_id":{tid},"metric":"'
        table = "zendesk_ticket_metric_events"
        allowed = ("duplicate", "malformed", "missing_id", "timestamp_without_zone", "wrong_type")
        if void and t0 + 3600 < stop:
            out.append((t0 + 3600, 0, 1, T_BREACH, True))
            self.void_events += 1
        lines = []
        has = self.window.has
        last_t = None
        for t, mr, inst, tr, extra in out:
            eid += 1
            if not has(t):
                continue
            last_t = t
            line = (
                f'{{"id":{eid}{head}{_METRICS[mr]}","instance_id":{inst},"type":"{_TYPES[tr]}",'
                f'"time":"{iso_z(t)}","deleted":{"true" if extra is True else "false"}'
            )
            if tr == T_APPLY:
                line += ',"sla":' + extra + "}"
            elif tr == T_UPDATE:
                line += ',"status":' + extra + "}"
            else:
                line += "}"
            lines.append(line)
        if lines:
            stream.write_many(lines, meta=last_t)
        for i, kind in self.bad.take(table, len(lines), allowed):
            self._bad_copy(stream, table, json.loads(lines[i]), lines[i], kind, None)
        self.event_id = eid

    def close(self) -> None:
        for s in self.streams.values():
            s.close()


def _schedule_change(
    event_id: int, schedule_id: int, previous: int | None, trigger_id: int, title: str
) -> dict:
    """An audit's Change event of a trigger that set the ticket's schedule."""
    return {
        "id": event_id,
        "type": "Change",
        "field_name": "schedule_id",
        "value": str(schedule_id),
        "previous_value": None if previous is None else str(previous),
        "via": {
            "channel": "rule",
            "source": {"from": {"id": trigger_id, "title": title}, "rel": "trigger"},
        },
    }


def _event_order(ev: tuple) -> tuple:
    return ev[0], ev[1], ev[2], ev[3]
