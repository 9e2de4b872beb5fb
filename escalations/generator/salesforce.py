"""Salesforce Bulk API 2.0 query results: Case, CaseHistory and CaseMilestone parts, plus
BusinessHours.csv, Holiday.csv and User.csv.

CaseHistory has a ``created`` row, Status and Priority Picklist rows, and two rows per owner change
(DataType EntityId with the Ids, then Text with the display names). A hold is "On Hold", or for
one case in three "Pending Vendor". CaseMilestone has First Response and Resolution per case with
IsViolated from the generator's own clock on the case's BusinessHours (``accounts``): the target
date is the instant the (business) time over the running stretches reaches the target; a case is
stopped, and with it both milestones' clocks, while its status is one the account lists in
sla_salesforce_stopped_statuses (Waiting on Customer, Pending Vendor). ElapsedTimeInMins counts
from the start to completion (or the export) on the milestone's clock, StoppedTimeInMins the part
of it the case was stopped, ActualElapsedTimeInMins the difference, each rounded down to whole
minutes. Milestones keep the target of the priority the case had when the entitlement applied (a
later priority change does not re-apply them).
"""

from __future__ import annotations

import random
from pathlib import Path

from escalations.generator import accounts
from escalations.generator.bad import FAR_TIMESTAMPS, BadRecords
from escalations.generator.calendars import CALENDAR, DAY, iso_ms
from escalations.generator.delivery import FULL, Window
from escalations.generator.reference import (
    SALESFORCE_BUSINESS_HOURS,
    SALESFORCE_ORIGIN,
    SALESFORCE_PRIORITY,
    SALESFORCE_STATUS,
    UNKNOWN_CHANNEL,
    ZENDESK_SCHEDULES,
    milestone_types,
    person_name,
    team_rows,
)
from escalations.generator.sla import crossing, running, status_spans
from escalations.generator.voice import VoiceText, person
from escalations.generator.world import Escalation, World
from escalations.generator.writers import CsvParts, dumps, render_row

ROWS_PER_PART = 5000
CASE_HEADER = [
    "Id", "CaseNumber", "Status", "Priority", "Origin", "Reason", "Type", "Subject", "IsEscalated", "IsClosed",
    "ClosedDate", "CreatedDate", "OwnerId", "ContactId", "BusinessHoursId", "EntitlementId", "LastModifiedDate",
    "SystemModstamp", "IsDeleted", "Issue_Category__c", "Root_Cause__c", "Market__c", "Creator_Tier__c",
    "Escalation_Tier__c", "Description", "SuppliedName", "SuppliedEmail", "SuppliedPhone",
]  # fmt: skip
HISTORY_HEADER = [
    "Id",
    "CaseId",
    "Field",
    "DataType",
    "OldValue",
    "NewValue",
    "CreatedDate",
    "CreatedById",
    "IsDeleted",
]
MILESTONE_HEADER = [
    "Id", "CaseId", "MilestoneTypeId", "StartDate", "TargetDate", "CompletionDate", "IsCompleted", "IsViolated",
    "ElapsedTimeInMins", "StoppedTimeInMins", "ActualElapsedTimeInMins", "TargetResponseInMins", "BusinessHoursId",
]  # fmt: skip
BH_HEADER = ["Id", "Name", "IsDefault", "IsActive", "TimeZoneSidKey"] + [
    f"{d}{k}"
    for d in ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
    for k in ("StartTime", "EndTime")
]
HOLIDAY_HEADER = [
    "Id", "Name", "ActivityDate", "IsAllDay", "StartTimeInMinutes", "EndTimeInMinutes", "IsRecurrence",
    "RecurrenceType", "RecurrenceStartDate", "RecurrenceEndDateOnly", "RecurrenceInterval", "RecurrenceDayOfWeekMask",
    "RecurrenceDayOfMonth", "RecurrenceInstance", "RecurrenceMonthOfYear", "BusinessHoursId",
]  # fmt: skip
USER_HEADER = ["Id", "Name", "Email", "Department", "IsActive", "UserType"]

REASON = {
    "account_security": "Account Security",
    "monetization": "Monetization",
    "content_moderation": "Content Removal",
    "live_moderation": "Live",
    "creator_tools": "Creator Tools",
    "safety": "Safety",
    "legal": "Legal",
    "platform": "Technical",
    "unknown": "Other",
}
FIRST_RESPONSE_MIN = (60, 120, 480, 960)
RESOLUTION_MIN = (1440, 1440, 2880, 4800)
ENTITLEMENT = ("5505g000000EntP0AAE", "5505g000000EntStAAE")
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
VENDOR_HOLD_EVERY = 3  # one case in N puts its holds as "Pending Vendor" (a stopped status)


def sf_id(prefix: str, n: int, suffix: str = "AAA") -> str:
    """An 18-character Salesforce-style id: key prefix + pod + base62 counter + checksum-like suffix."""
    digits = []
    for _ in range(5):
        n, r = divmod(n, 62)
        digits.append(_B62[r])
    return prefix + "".join(reversed(digits)) + suffix


class SalesforceEmitter:
    def __init__(
        self, root: Path, world: World, bad: BadRecords, seed: int, disagreements, window: Window = FULL
    ) -> None:
        self.root = root
        self.world = world
        self.bad = bad
        self.rng = random.Random(f"{seed}:salesforce")
        self.text = VoiceText(seed)
        # see ZendeskEmitter: bad copies do not move the world's draws in a delivery with a cut
        self.bad_rng = self.rng if window.is_default else random.Random(f"{seed}:salesforce-bad:{window}")
        self.window = window
        self.disagreements = disagreements
        self.end = world.end
        pre = window.prefix
        self.cases = CsvParts(
            root, "salesforce/Case", CASE_HEADER, "salesforce_case", ROWS_PER_PART, bad, prefix=pre
        )
        self.history = CsvParts(
            root,
            "salesforce/CaseHistory",
            HISTORY_HEADER,
            "salesforce_case_history",
            ROWS_PER_PART,
            bad,
            prefix=pre,
        )
        self.milestones = CsvParts(
            root,
            "salesforce/CaseMilestone",
            MILESTONE_HEADER,
            "salesforce_case_milestone",
            ROWS_PER_PART,
            bad,
            prefix=pre,
        )
        self.streams = {
            "salesforce_case": self.cases,
            "salesforce_case_history": self.history,
            "salesforce_case_milestone": self.milestones,
        }
        self.static_counts: dict[str, int] = {}
        self.n_cases = 0
        self.n_history = 0
        self.n_milestones = 0
        self.vendor_hold_cases = 0  # cases (not deleted) stopped in "Pending Vendor" at least once
        self.milestone_types = milestone_types()
        self._quote_part: dict[str, str] = {}
        self._users = self._make_users()

    # ---- users ----------------------------------------------------------------------------
    def _make_users(self) -> dict[str, list[tuple[str, str, str]]]:
        rng = random.Random(f"{self.world.seed}:salesforce-users")
        users: dict[str, list] = {}
        n = 0
        for dept, _team in team_rows("salesforce"):
            pool = []
            for _ in range(rng.randrange(5, 9)):
                first, last = person_name(n + 101)
                pool.append(
                    (
                        sf_id("0055g00000", 1000 + n, "AAB"),
                        f"{first} {last}",
                        f"{first}.{last}.{n}@support.example.com".lower(),
                    )
                )
                n += 1
            users[dept] = pool
        self.integration_user = (
            sf_id("0055g00000", 999, "AAB"),
            "Integration User",
            "integration@example.com",
        )
        self.triage = [
            (sf_id("0055g00000", 990 + i, "AAB"), f"{f} Lead", f"{f.lower()}.lead@support.example.com")
            for i, f in enumerate(("Priya", "Marco", "Hana"))
        ]
        return users

    def _dept(self, team: str) -> str:
        rows = team_rows("salesforce")
        for dept, t in rows:
            if t == team:
                return dept
        return "Content Review" if team == "live_safety" else "Creator Escalations"

    def user(self, agent) -> tuple[str, str, str]:
        pool = self._users[self._dept(agent[0])]
        return pool[agent[1] % len(pool)]

    def write_reference(self) -> None:
        users = CsvParts(
            self.root, "", USER_HEADER, "salesforce_user", 10**9, None, single_file="salesforce/User.csv"
        )
        users.write([*self.integration_user[:3], "Systems", "true", "Standard"])
        for uid, name, email in self.triage:
            users.write([uid, name, email, "Creator Escalations", "true", "Standard"])
        for dept, pool in self._users.items():
            for uid, name, email in pool:
                users.write([uid, name, email, dept, "true", "Standard"])
        users.close()
        self.static_counts["salesforce_user"] = users.records

        bh = CsvParts(
            self.root,
            "",
            BH_HEADER,
            "salesforce_business_hours",
            10**9,
            None,
            single_file="salesforce/BusinessHours.csv",
        )
        for region, _sid, _name, _zd, iana, _desk_hours in ZENDESK_SCHEDULES:
            bid, name = SALESFORCE_BUSINESS_HOURS[region]
            row = [bid, name, "true" if region == "AMER" else "false", "true", iana]
            hours = accounts.SALESFORCE_HOURS[region]
            for day in range(7):  # Sunday..Saturday; empty = closed
                row += list(hours.get(day, ("", "")))
            bh.write(row)
        bh.close()
        self.static_counts["salesforce_business_hours"] = bh.records

        hol = CsvParts(
            self.root,
            "",
            HOLIDAY_HEADER,
            "salesforce_holiday",
            10**9,
            None,
            single_file="salesforce/Holiday.csv",
        )
        for n, h in enumerate(accounts.SALESFORCE_HOLIDAYS, start=1):
            recurring = h.recurrence_type is not None
            hol.write(
                [
                    sf_id("0C05g00000", n, "AAE"),
                    h.name,
                    "" if h.activity_date is None else h.activity_date.isoformat(),
                    "false" if h.minutes else "true",
                    "" if h.minutes is None else str(h.minutes[0]),
                    "" if h.minutes is None else str(h.minutes[1]),
                    "true" if recurring else "false",
                    h.recurrence_type or "",
                    "" if h.start is None else h.start.isoformat(),
                    "" if h.end is None else h.end.isoformat(),
                    "" if h.interval is None else str(h.interval),
                    "" if h.mask is None else str(h.mask),
                    "" if h.day_of_month is None else str(h.day_of_month),
                    h.instance or "",
                    h.month or "",
                    SALESFORCE_BUSINESS_HOURS[h.business_hours_region][0] if h.business_hours_region else "",
                ]
            )
        hol.close()
        self.static_counts["salesforce_holiday"] = hol.records

    # ---- one case -------------------------------------------------------------------------
    def emit(self, e: Escalation) -> None:
        rng = self.rng
        self.n_cases += 1
        case_id = sf_id("5005g00000", self.n_cases, "AAV")
        e.key = f"salesforce:{case_id}"
        contact = sf_id("0035g00000", e.requester, "AA1")
        origins = SALESFORCE_ORIGIN[e.channel]
        origin = origins[e.rand % len(origins)]
        prio0 = e.priority
        priorities = SALESFORCE_PRIORITY
        sf_prio = [p[e.rand % len(p)] for p in priorities]
        region = e.region
        bh_id = SALESFORCE_BUSINESS_HOURS[region][0]
        creator = self.user(e.steps[0][1]) if e.agent_created else self.integration_user
        triage = self.triage[e.rand % len(self.triage)]
        vendor_hold = self.vendor_hold(e)
        held_for_vendor = False
        w = self.window
        agent = self.user(e.final_agent)[1] if e.final_agent is not None else None
        e.subject, e.description = self.text.request(e, agent)
        # web-to-case and email-to-case keep what the sender typed into the form or the mail header
        who = person(e.market, e.requester)
        supplied = (
            [who.name, who.email, who.phone if e.channel == "web_form" else ""]
            if e.channel in ("web_form", "email")
            else ["", "", ""]
        )
        description = " ".join(e.description.split("\n"))  # one physical line per row in these parts

        # walk the lifecycle: history rows and the state of the case after each step
        status = None
        owner = None
        prio = prio0
        escalated = prio0 == 0
        closed_at = None
        rows: list[list[str]] = []
        snapshots: list[tuple] = []
        for t, actor, ops in e.steps:
            ts = iso_ms(t)
            by = creator if actor is None else self.integration_user if actor == -1 else self.user(actor)
            for op in ops:
                kind = op[0]
                if kind == "create":
                    status = "New" if op[1] == "new" else "Working"
                    owner = self.user(op[4]) if op[4] is not None else triage
                    rows.append(["created", "", "", "", ts, creator[0], t])
                elif kind == "status":
                    new = SALESFORCE_STATUS[op[2]]
                    if op[2] == "hold" and vendor_hold:
                        new = "Pending Vendor"
                        if not held_for_vendor and w.has(t) and e.deleted_at is None:
                            held_for_vendor = True
                            self.vendor_hold_cases += 1
                    if op[2] == "open" and op[1] in ("pending", "hold", "solved"):
                        new = "In Progress"
                    if new != status:
                        rows.append(["Status", "Picklist", status, new, ts, by[0], t])
                        status = new
                    if op[2] in ("solved", "closed"):
                        closed_at = closed_at or t
                    elif op[2] == "open":
                        closed_at = None
                elif kind == "assign":
                    new_owner = self.user(op[4])
                    if new_owner != owner:
                        rows.append(["Owner", "EntityId", owner[0], new_owner[0], ts, by[0], t])
                        rows.append(["Owner", "Text", owner[1], new_owner[1], ts, by[0], t])
                        owner = new_owner
                    if op[2] is not None and status in ("Working", "In Progress"):
                        rows.append(["Status", "Picklist", status, "Escalated", ts, by[0], t])
                        status = "Escalated"
                        escalated = True
                elif kind == "priority":
                    rows.append(["Priority", "Picklist", sf_prio[op[1]], sf_prio[op[2]], ts, by[0], t])
                    prio = op[2]
                    escalated = escalated or op[2] == 0
            snapshots.append((status, owner, prio, escalated, closed_at, t))

        deleted = e.deleted_at is not None
        # the case as of the delivery's cut (the whole world when there is none)
        w = self.window
        upto, deleted_w, updated_w = w.as_of(e)
        write_case = upto >= 0 and w.has(updated_w)
        enum_kind = self.bad.pick("salesforce_case", ("unknown_enum",), rate=0.2) if write_case else None
        if enum_kind:
            origin = UNKNOWN_CHANNEL["salesforce"]
            e.channel = "other"

        def case_row(snap, modified: int, is_deleted: bool) -> list[str]:
            st, own, pr, esc, closed, _t = snap
            is_closed = st in ("Resolved", "Closed")
            return [
                case_id,
                f"{self.n_cases + 10000:08d}",
                st,
                sf_prio[pr],
                origin,
                REASON.get(e.category, "Other"),
                "Problem" if e.category in ("platform", "creator_tools") or e.incident else "Question",
                e.subject,
                "true" if esc else "false",
                "true" if is_closed else "false",
                iso_ms(closed) if is_closed and closed is not None else "",
                iso_ms(e.created),
                own[0],
                contact,
                bh_id,
                ENTITLEMENT[0 if prio0 == 0 else 1],
                iso_ms(modified),
                iso_ms(modified),
                "true" if is_deleted else "false",
                e.category,
                e.root_cause,
                e.market,
                e.tier,
                e.esc_tier,
                description,
                *supplied,
            ]

        older = None
        if len(snapshots) >= 2:
            k = rng.randrange(len(snapshots) - 1)
            if write_case and snapshots[k][5] < updated_w:
                older = case_row(snapshots[k], snapshots[k][5], False)
        if write_case:
            self._write_case(
                e, case_id, case_row(snapshots[upto], updated_w, deleted_w), older, enum_kind, origin
            )

        for field, dtype, old, new, ts, by, t in rows:
            self.n_history += 1
            if not w.has(t):
                continue
            row = [
                sf_id("0175g00000", self.n_history, "AAA"),
                case_id,
                field,
                dtype,
                old,
                new,
                ts,
                by,
                "false",
            ]
            self.history.write(row)
            kind = self.bad.pick(
                "salesforce_case_history",
                ("duplicate", "malformed", "missing_id", "timestamp_without_zone", "wrong_type"),
            )
            if kind:
                self._bad_row(
                    self.history, "salesforce_case_history", row, kind, None, created_col=6, bool_col=8
                )

        if not deleted:  # cases that get deleted (within two days) never export milestones
            self._milestones(e, case_id, bh_id, prio0)

    @staticmethod
    def vendor_hold(e: Escalation) -> bool:
        """Whether the case's holds are "Pending Vendor" (stopped) rather than "On Hold"."""
        return (e.rand >> 16) % VENDOR_HOLD_EVERY == 0

    def running_statuses(self, e: Escalation) -> frozenset[str]:
        """The lifecycle statuses in which the case is not stopped (its milestone clocks run)."""
        stopped = accounts.stopped_statuses()
        vendor = self.vendor_hold(e)
        return frozenset(
            s
            for s in ("new", "open", "pending", "hold", "solved", "closed")
            if ("Pending Vendor" if s == "hold" and vendor else SALESFORCE_STATUS[s]) not in stopped
        )

    def _write_case(self, e: Escalation, case_id: str, final: list[str], older, enum_kind, origin) -> None:
        file, pos = self.cases.write(final)
        if enum_kind:
            self.bad.log("salesforce_case", file, pos, "unknown_enum", case_id)
            self.bad.note_unknown_enum("salesforce_case", "Origin", origin)
        else:
            allowed = ("duplicate", "malformed", "missing_id", "timestamp_without_zone", "wrong_type")
            if older is not None:
                allowed += ("stale_version",)
            kind = self.bad.pick("salesforce_case", allowed)
            if kind:
                self._bad_row(self.cases, "salesforce_case", final, kind, older, created_col=11, bool_col=8)
            extra = self.bad.pick_extra("salesforce_case", ("out_of_range", "encoding"))
            if extra:
                bad_row = list(final)
                if extra == "out_of_range":  # CreatedDate
                    n = self.bad.variant("salesforce_case", extra)
                    bad_row[11] = FAR_TIMESTAMPS[n % 2] + bad_row[11][19:]
                else:  # the Subject as a Latin-1 export would write it
                    bad_row[7] = self.bad.undecodable(bad_row[7])
                f, p = self.cases.write_extra(render_row(bad_row))
                self.bad.log("salesforce_case", f, p, extra, case_id)

    def _bad_row(
        self, stream: CsvParts, table: str, row: list[str], kind: str, older, created_col: int, bool_col: int
    ) -> None:
        bad = self.bad
        rid = row[0]
        if kind == "duplicate":

            def dup() -> None:
                f, p = stream.write(row)
                bad.log(table, f, p, "duplicate", rid)

            stream.defer(self.bad_rng.randrange(1, 40), dup)
            return
        if kind == "stale_version":

            def stale() -> None:
                f, p = stream.write(older)
                bad.log(table, f, p, "stale_version", rid)

            stream.defer(self.bad_rng.randrange(ROWS_PER_PART // 4, ROWS_PER_PART), stale)
            return
        if kind == "malformed":
            # at most one unbalanced quote per part: two would pair up and swallow the rows between
            mode = "quote" if table == "salesforce_case" or self.bad_rng.random() < 0.3 else "columns"
            target = stream.next_file()
            if self._quote_part.get(table) == target:
                mode = "columns"
            if mode == "quote":
                self._quote_part[table] = target
            text = bad.malformed_csv(render_row(row), mode)
        elif kind == "missing_id":
            text = render_row(["", *row[1:]])
            rid = None
        elif kind == "timestamp_without_zone":
            bad_row = list(row)
            bad_row[created_col] = bad_row[created_col].rstrip("Z")
            text = render_row(bad_row)
        else:  # wrong_type: a boolean column that is not true/false
            bad_row = list(row)
            bad_row[bool_col] = "yes" if bad_row[bool_col] == "true" else "no"
            text = render_row(bad_row)
        f, p = stream.write_text(text, malformed=kind == "malformed")
        bad.log(table, f, p, kind, rid)

    def _milestones(self, e: Escalation, case_id: str, bh_id: str, prio: int) -> None:
        """First Response and Resolution of one case, as of the delivery's cut.

        Their clocks move while a case is open, so a delta holds every milestone whose row at the
        cut differs from its row at the delta's start (a closed case's milestones no longer move).
        """
        w = self.window
        n0 = self.n_milestones
        self.n_milestones += 2  # ids belong to the world, whatever is delivered
        if not w.before_cut(e.created):
            return
        rows = self._milestone_rows(e, case_id, bh_id, prio, w.now(self.end), n0)
        first_time = not w.is_delta or e.created >= w.since
        if not first_time:
            settled = (
                e.first_reply is not None
                and e.first_reply < w.since
                and bool(e.solves)
                and e.solves[0] < w.since
            )
            if settled:
                return
            before = self._milestone_rows(e, case_id, bh_id, prio, w.since, n0)
            rows = [(row, note) for (row, note), (old, _) in zip(rows, before, strict=True) if row != old]
        for row, note in rows:
            self.milestones.write(row)
            if note is not None and first_time:
                self.disagreements.write(note)

    def _milestone_rows(
        self, e: Escalation, case_id: str, bh_id: str, prio: int, now: int, n0: int
    ) -> list[tuple[list[str], str | None]]:
        business = prio != 0
        clock = self.world.sla_clocks[("salesforce", e.region)] if business else CALENDAR
        spans = status_spans(e.timeline, now)
        running_in = self.running_statuses(e)
        fr = e.first_reply if e.first_reply is not None and e.first_reply < now else None
        solved = e.solves[0] if e.solves and e.solves[0] < now else None
        out = []
        for i, (metric, target_min, done) in enumerate(
            (
                ("first_reply_time", FIRST_RESPONSE_MIN[prio], fr),
                ("total_resolution_time", RESOLUTION_MIN[prio], solved),
            )
        ):
            start = e.created
            stop = done if done is not None else now
            iv = [(a, b) for a, b in running(spans, running_in, start, stop)]
            actual = sum(clock.between(a, b) for a, b in iv)  # the clock ran
            total = clock.between(start, stop)  # ElapsedTimeInMins
            stopped = total - actual
            # the target date: where the running clock reaches the target (projected from now if open)
            projected = iv + ([(stop, stop + 400 * DAY)] if done is None else [])
            target_at = crossing(clock, projected, target_min * 60)
            if target_at is None:  # met before the target: the clock would have reached it later
                target_at = clock.add(stop, target_min * 60 - actual)
            violated = (done if done is not None else now) > target_at
            row = [
                sf_id("5525g00000", n0 + i + 1, "AAE"),
                case_id,
                self.milestone_types[metric],
                iso_ms(start),
                iso_ms(target_at),
                iso_ms(done) if done is not None else "",
                "true" if done is not None else "false",
                "true" if violated else "false",
                str(total // 60),
                str(stopped // 60),
                str(actual // 60),
                str(target_min),
                bh_id if business else "",
            ]
            note = None
            # a disagreement only where the priority changed while the milestone's clock ran
            if any(start < tc < stop for tc, _ in e.priority_changes):
                note = (
                    dumps(
                        {
                            "escalation_key": e.key,
                            "kind": "salesforce_milestone_target_not_reapplied",
                            "metric": metric,
                            "milestone_target_minutes": target_min,
                            "priority_at_creation": f"P{prio}",
                            "final_priority": f"P{e.final_priority}",
                        }
                    )
                    + "\n"
                )
            out.append((row, note))
        return out

    def close(self) -> None:
        for s in self.streams.values():
            s.close()
