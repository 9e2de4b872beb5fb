"""One escalation as Zendesk exports: ``ZendeskEmitter.emit`` writes its ticket versions, audits,
metric events, rating and requester through the record kinds' mixins, and the incremental pages'
tails."""

from __future__ import annotations

import base64
import random
from pathlib import Path

from escalations.generator.bad import BadRecords
from escalations.generator.calendars import DAY
from escalations.generator.delivery import FULL, Window
from escalations.generator.reference import (
    UNKNOWN_CHANNEL,
    ZENDESK_SCHEDULES,
    ZENDESK_VIA,
)
from escalations.generator.voice import VoiceText, VoiceTruth
from escalations.generator.world import Escalation, World, state_after
from escalations.generator.writers import JsonPages, PageInfo, dumps
from escalations.generator.zendesk.accounts import ZendeskAccounts
from escalations.generator.zendesk.audits import ZendeskAudits
from escalations.generator.zendesk.metric_events import DONE, ZendeskMetricEvents
from escalations.generator.zendesk.reference import (
    BASE,
    EARLIER_VERSION_SHARE,
    PER_PAGE,
    POLICY_OVERRIDE_EVERY,
    REQUESTER_ID0,
    TICKET_ID0,
)
from escalations.generator.zendesk.tickets import ZendeskTickets


class ZendeskEmitter(ZendeskAccounts, ZendeskTickets, ZendeskAudits, ZendeskMetricEvents):
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

    def close(self) -> None:
        for s in self.streams.values():
            s.close()
