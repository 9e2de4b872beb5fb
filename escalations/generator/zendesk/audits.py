"""Ticket audits: every field change, comment and trigger, with the schedule a trigger moves a ticket
to (the SLA clock it runs on)."""

from __future__ import annotations

from escalations.generator.calendars import ScheduleChain, iso_z
from escalations.generator.reference import (
    AGENT_REPLIES,
    INTERNAL_NOTES,
    REQUESTER_COMMENTS,
    ZENDESK_PRIORITY,
    ZENDESK_SCHEDULES,
)
from escalations.generator.world import Escalation
from escalations.generator.writers import dumps
from escalations.generator.zendesk.reference import MOVE_ON_HANDOFF_EVERY, REGIONS


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


class ZendeskAudits:
    """Ticket audits: every field change, comment and trigger, with the schedule a trigger moves a
    ticket to (the SLA clock it runs on). A mixin of ``ZendeskEmitter``, whose state it reads."""

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
