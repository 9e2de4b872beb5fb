"""Ticket metric events from the generator's own clock: measure, activate, apply_sla, pause, breach,
fulfill and update_status per SLA metric and instance."""

from __future__ import annotations

import json

from escalations.generator.calendars import CALENDAR, iso_z
from escalations.generator.reference import (
    ZENDESK_PRIORITY,
)
from escalations.generator.sla import breach_at, runs_with_exit, status_spans
from escalations.generator.world import Escalation
from escalations.generator.writers import dumps
from escalations.generator.zendesk.reference import _LOOKUP, _POLICY, policy_for

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


def _event_order(ev: tuple) -> tuple:
    return ev[0], ev[1], ev[2], ev[3]


class ZendeskMetricEvents:
    """Ticket metric events from the generator's own clock: measure, activate, apply_sla, pause,
    breach, fulfill and update_status per SLA metric and instance. A mixin of ``ZendeskEmitter``,
    whose state it reads."""

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
