"""HubSpot CRM v3 exports: ticket pages (with propertiesWithHistory for hs_pipeline_stage and
hubspot_owner_id, newest first), pipelines.json and owners.json.

HubSpot exports no SLA verdicts, so the generator keeps its own: each ticket's first-response and
time-to-close goals (map_hubspot_sla for its pipeline and priority) measured on the pipeline's
operating hours (sla_hubspot_business_hours) over the statuses the goal runs in, tallied in
``sla_outcomes`` for the ground truth."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from escalations.generator import accounts
from escalations.generator.bad import BadRecords
from escalations.generator.calendars import CALENDAR, iso_ms
from escalations.generator.delivery import FULL, Window
from escalations.generator.reference import (
    HUBSPOT_PRIORITY,
    HUBSPOT_SOURCE,
    HUBSPOT_STAGES,
    UNKNOWN_CHANNEL,
    person_name,
    team_rows,
)
from escalations.generator.sla import crossing, running, status_spans
from escalations.generator.voice import VoiceText
from escalations.generator.world import Escalation, World
from escalations.generator.writers import JsonPages, PageInfo, dumps, write_json_document

TICKET_ID0 = 4_412_000
CONTACT_ID0 = 90_000_000
PER_PAGE = 1000
STAGE = {label: sid for sid, label, _ in HUBSPOT_STAGES}
_TEAM_IDS = {"Creator Monetization Support": "77", "Creator Escalations": "78"}
PIPELINE = "0"
DONE = frozenset(("solved", "closed"))
# map_hubspot_sla.running_in -> lifecycle statuses (sla_running_states)
RUNNING_IN = {
    "always": frozenset(("new", "open", "pending", "hold", "solved", "closed")),
    "requester_wait": frozenset(("new", "open", "hold")),
    "agent_work": frozenset(("new", "open")),
}


def _stage(old: str | None, new: str) -> str:
    if new == "new":
        return STAGE["New"]
    if new == "open":
        return STAGE["In progress"] if old in ("pending", "hold", "solved") else STAGE["Waiting on us"]
    return STAGE[
        {"pending": "Waiting on contact", "hold": "On hold", "solved": "Resolved", "closed": "Closed"}[new]
    ]


class HubspotEmitter:
    def __init__(self, root: Path, world: World, bad: BadRecords, seed: int, window: Window = FULL) -> None:
        self.root = root
        self.world = world
        self.bad = bad
        self.rng = random.Random(f"{seed}:hubspot")
        self.text = VoiceText(seed)
        self.window = window
        self.end = world.end
        self.tickets = JsonPages(
            root,
            "hubspot/tickets",
            "results",
            "hubspot_tickets",
            PER_PAGE,
            self._tail,
            bad=bad,
            prefix=window.prefix,
        )
        self.streams = {"hubspot_tickets": self.tickets}
        self.static_counts: dict[str, int] = {}
        self.n_tickets = 0
        self._owners = self._make_owners()
        self.sla_outcomes: Counter = Counter()  # (metric, achieved | breached) of fulfilled goals

    def _make_owners(self) -> dict[str, list[tuple[str, int, str, str]]]:
        rng = random.Random(f"{self.world.seed}:hubspot-owners")
        owners: dict[str, list] = {}
        n = 0
        for team_name, _team in team_rows("hubspot"):
            pool = []
            for _ in range(rng.randrange(4, 8)):
                first, last = person_name(n + 211)
                pool.append((str(61234 + n), 9911 + n, first, last))
                n += 1
            owners[team_name] = pool
        return owners

    def owner(self, agent) -> tuple[str, int, str, str] | None:
        if agent is None:
            return None
        name = "Creator Monetization Support" if agent[0] == "monetization_support" else "Creator Escalations"
        pool = self._owners[name]
        return pool[agent[1] % len(pool)]

    def write_reference(self) -> None:
        stages = [
            {
                "id": sid,
                "label": label,
                "displayOrder": i,
                "metadata": {"ticketState": state},
                "archived": False,
            }
            for i, (sid, label, state) in enumerate(HUBSPOT_STAGES)
        ]
        pipelines = [
            {"id": "0", "label": "Creator support", "displayOrder": 0, "archived": False, "stages": stages}
        ]
        self.static_counts["hubspot_pipelines"] = write_json_document(
            self.root, "hubspot/pipelines.json", "results", pipelines, {}
        )
        owners = []
        for team_name, pool in self._owners.items():
            for oid, uid, first, last in pool:
                owners.append(
                    {
                        "id": oid,
                        "email": f"{first}.{last}.{oid}@support.example.com".lower(),
                        "firstName": first,
                        "lastName": last,
                        "userId": uid,
                        "teams": [{"id": _TEAM_IDS.get(team_name, "79"), "name": team_name, "primary": True}],
                        "archived": False,
                        "createdAt": "2024-01-01T00:00:00.000Z",
                        "updatedAt": "2026-01-01T00:00:00.000Z",
                    }
                )
        self.static_counts["hubspot_owners"] = write_json_document(
            self.root, "hubspot/owners.json", "results", owners, {"paging": None}
        )

    @staticmethod
    def _tail(info: PageInfo) -> dict:
        if info.is_last or not info.last_meta:
            return {}
        after = str(int(info.last_meta) + 1)
        return {
            "paging": {
                "next": {
                    "after": after,
                    "link": f"https://api.hubapi.com/crm/v3/objects/tickets?after={after}",
                }
            }
        }

    def _tally_sla(self, e: Escalation) -> None:
        """The ticket's goals as the warehouse should judge them once fulfilled by the world's end."""
        if e.deleted_at is not None:
            return
        end = self.end
        spans = status_spans(e.timeline, end)
        done_at = None
        if e.final_status in DONE:
            prev = None
            for t, st in e.timeline:
                if st in DONE and (prev or "new") not in DONE:
                    done_at = t
                prev = st
        fr = e.first_reply if e.first_reply is not None and e.first_reply < end else None
        for metric, fulfilled in (("first_reply_time", fr), ("total_resolution_time", done_at)):
            goal = accounts.hubspot_goals().get((PIPELINE, f"P{e.final_priority}", metric))
            if goal is None or fulfilled is None:
                continue
            target, business, running_in = goal
            clock = self.world.sla_clocks.get(("hubspot", PIPELINE)) if business else CALENDAR
            if clock is None:
                continue
            intervals = running(spans, RUNNING_IN[running_in], e.created, fulfilled)
            breached = crossing(clock, intervals, target * 60) is not None
            self.sla_outcomes[(metric, "breached" if breached else "achieved")] += 1

    def emit(self, e: Escalation) -> None:
        self.n_tickets += 1
        tid = str(TICKET_ID0 + self.n_tickets)
        e.key = f"hubspot:{tid}"
        if self.window.is_default:
            self._tally_sla(e)
        source, needs_field = HUBSPOT_SOURCE[e.channel]
        # the ticket as of the delivery's cut (the whole world when there is none)
        w = self.window
        upto, deleted_w, updated_w = w.as_of(e)
        if upto < 0 or not w.has(updated_w):
            # nothing new to deliver; the draw below keeps the generator's sequence the same
            if len(e.steps) >= 2:
                self.rng.randrange(len(e.steps) - 1)
            return
        owner = self.owner(e.final_agent)
        e.subject, e.description = self.text.request(e, f"{owner[2]} {owner[3]}" if owner else None)
        enum_kind = self.bad.pick("hubspot_tickets", ("unknown_enum",), rate=0.2)
        if enum_kind:
            source = UNKNOWN_CHANNEL["hubspot"]
            e.channel = "other"
            needs_field = False
        final = self._record(e, tid, source, needs_field, upto, deleted_w)
        line = dumps(final)
        file, pos = self.tickets.write(line, meta=tid)
        if enum_kind:
            self.bad.log("hubspot_tickets", file, pos, "unknown_enum", tid)
            self.bad.note_unknown_enum("hubspot_tickets", "properties.source_type", source)
            return
        older = None
        if len(e.steps) >= 2:
            k = self.rng.randrange(len(e.steps) - 1)
            if e.steps[k][0] < updated_w:
                older = self._record(e, tid, source, needs_field, k, False)
        allowed = ("duplicate", "malformed", "missing_id", "timestamp_without_zone", "wrong_type")
        if older is not None:
            allowed += ("stale_version",)
        kind = self.bad.pick("hubspot_tickets", allowed)
        if kind:
            self._bad_copy(final, line, kind, older)
        if self.bad.pick_extra("hubspot_tickets", ("out_of_range",)):
            text, rid = self.bad.out_of_range_json("hubspot_tickets", final, "id", "createdAt")
            f, p = self.tickets.write_extra(text)
            self.bad.log("hubspot_tickets", f, p, "out_of_range", rid)

    def _bad_copy(self, rec: dict, line: str, kind: str, older: dict | None) -> None:
        stream = self.tickets
        bad = self.bad
        rid = rec["id"]
        if kind in ("duplicate", "stale_version"):
            text = line if kind == "duplicate" else dumps(older)
            delay = (
                self.rng.randrange(1, 40)
                if kind == "duplicate"
                else self.rng.randrange(PER_PAGE // 2, PER_PAGE * 2)
            )

            def later() -> None:
                f, p = stream.write(text, good=False)
                bad.log("hubspot_tickets", f, p, kind, rid)

            stream.defer(delay, later)
            return
        if kind == "malformed" and stream.last_was_malformed:
            kind = "missing_id"  # two broken lines in a row would read as one damaged stretch
        if kind == "malformed":
            text = bad.malformed_json(line)
        elif kind == "missing_id":
            text = dumps({k: v for k, v in rec.items() if k != "id"})
            rid = None
        elif kind == "timestamp_without_zone":
            text = dumps({**rec, "createdAt": rec["createdAt"].rstrip("Z")})
        else:
            text = dumps({**rec, "archived": "true" if rec["archived"] else "false"})
        f, p = stream.write(text, good=False, malformed=kind == "malformed")
        bad.log("hubspot_tickets", f, p, kind, rid)

    def _record(
        self, e: Escalation, tid: str, source: str, needs_field: bool, upto: int, deleted: bool
    ) -> dict:
        stage_hist: list[dict] = []
        owner_hist: list[dict] = []
        status = None
        owner = None
        prio = e.priority
        first_reply = None
        closed_at = None
        skip_opening = e.agent_created
        for t, actor, ops in e.steps[: upto + 1]:
            ts = iso_ms(t)
            if actor is None:
                src, src_id = (source or "FORM"), None
            elif actor == -1:
                src, src_id = "AUTOMATION_PLATFORM", "workflow:4001"
            else:
                own = self.owner(actor)
                src, src_id = "CRM_UI", f"userId:{own[1]}"
            for op in ops:
                kind = op[0]
                if kind == "create":
                    status = op[1]
                    prio = op[2]
                    stage_hist.append(
                        {
                            "value": _stage(None, status),
                            "timestamp": ts,
                            "sourceType": src,
                            "sourceId": src_id,
                        }
                    )
                    if op[4] is not None:
                        owner = self.owner(op[4])
                        owner_hist.append(
                            {"value": owner[0], "timestamp": ts, "sourceType": src, "sourceId": src_id}
                        )
                elif kind == "status":
                    stage_hist.append(
                        {
                            "value": _stage(op[1], op[2]),
                            "timestamp": ts,
                            "sourceType": src,
                            "sourceId": src_id,
                        }
                    )
                    closed_at = (closed_at or t) if op[2] in ("solved", "closed") else None
                    status = op[2]
                elif kind == "assign":
                    new = self.owner(op[4])
                    if new != owner:
                        owner = new
                        owner_hist.append(
                            {"value": owner[0], "timestamp": ts, "sourceType": src, "sourceId": src_id}
                        )
                elif kind == "priority":
                    prio = op[2]
                elif kind == "comment" and op[1] and op[2] == "a":
                    if skip_opening:
                        skip_opening = False
                    elif first_reply is None:
                        first_reply = t
        t_last = e.steps[upto][0]
        if deleted:
            t_last = e.deleted_at
        stage_hist.reverse()
        owner_hist.reverse()
        created = iso_ms(e.created)
        props = {
            "subject": e.subject,
            "content": e.description,
            "hs_pipeline": "0",
            "hs_pipeline_stage": stage_hist[0]["value"],
            "hs_ticket_priority": HUBSPOT_PRIORITY[prio],
            "hs_ticket_category": e.category,
            "source_type": source or None,
            "createdate": created,
            "closed_date": iso_ms(closed_at) if closed_at is not None else None,
            "first_agent_reply_date": iso_ms(first_reply) if first_reply is not None else None,
            "time_to_close": str((closed_at - e.created) * 1000) if closed_at is not None else None,
            "time_to_first_agent_reply": str((first_reply - e.created) * 1000)
            if first_reply is not None
            else None,
            "hubspot_owner_id": owner[0] if owner else None,
            "hs_lastmodifieddate": iso_ms(t_last),
            "root_cause": e.root_cause,
            "market": e.market,
            "creator_tier": e.tier,
            "escalation_tier": e.esc_tier,
            "intake_channel": e.channel if needs_field else None,
            "hs_object_id": tid,
        }
        rec = {
            "id": tid,
            "properties": props,
            "propertiesWithHistory": {"hs_pipeline_stage": stage_hist, "hubspot_owner_id": owner_hist},
            "createdAt": created,
            "updatedAt": iso_ms(t_last),
            "archived": deleted,
        }
        if deleted:
            rec["archivedAt"] = iso_ms(e.deleted_at)
        rec["associations"] = {
            "contacts": {"results": [{"id": str(CONTACT_ID0 + e.requester), "type": "ticket_to_contact"}]}
        }
        return rec

    def close(self) -> None:
        self.tickets.close()
