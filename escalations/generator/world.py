"""The simulated escalation desk: plan, arrivals in creation order, and one lifecycle each.

``World`` plans the things that shape volume (PagerDuty incidents with their spikes, remediation
plans whose shipping cuts a root cause's volume or not), turns market x root cause x hour
intensities (weekday and hour-of-day seasonality in each market's local time) into exact
arrival counts, and yields escalations hour by hour in creation order, each with its whole
lifecycle already simulated. Only bounded state is kept (a ring of recent requesters for repeat
contacts); nothing grows with the number of escalations.

A lifecycle is a list of steps ``[t, actor, ops]``: actor None = requester, -1 = system
(automation), else the agent ``(team, slot)``; ops are ("create", status, priority, team, agent),
("status", old, new), ("assign", old_team, old_agent, new_team, new_agent),
("priority", old, new), ("comment", public, by) with by "a" (agent) or "r" (requester).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from escalations.generator import accounts
from escalations.generator.calendars import (
    DAY,
    HOUR,
    MINUTE,
    BusinessClock,
    epoch,
    holiday_days,
    holidays_for,
    weekdays,
)
from escalations.generator.reference import (
    CHANNEL_WEIGHTS,
    DRIVERS,
    ENGINEERING_TEAM_OF_CATEGORY,
    MARKET_SHARE,
    PARTNER_TEAMS,
    PRIORITY_SHARE,
    SCHEDULE_OF_MARKET,
    SPECIALIST_TEAMS,
    TEAM_OF_CATEGORY,
    TIER_CPM_SHARE,
    TIER_SHARE,
    TOOL_SHARE,
    TOOLS,
    ZENDESK_SCHEDULES,
    RootCause,
    markets,
    root_cause_weights,
)
from escalations.generator.voice import THEMES, VoicePlan

WEEKDAY_FACTOR = (1.15, 1.1, 1.05, 1.0, 0.95, 0.7, 0.65)  # Monday..Sunday, local
HOUR_FACTOR = (
    0.25, 0.2, 0.15, 0.15, 0.2, 0.3, 0.5, 0.8, 1.1, 1.4, 1.6, 1.6,
    1.5, 1.5, 1.5, 1.45, 1.4, 1.35, 1.3, 1.25, 1.15, 1.0, 0.7, 0.4,
)  # fmt: skip
# medians in minutes: first reply, next reply, triage (business time except P0)
FIRST_REPLY_MED = (28, 65, 230, 450)
NEXT_REPLY_MED = (40, 90, 300, 600)
TRIAGE_MED = (6, 25, 60, 120)
RECURRING_SHARE = 0.045
RECURRING_WINDOW = 7 * DAY
RING = 2048
DELETED_SHARE = 0.004
AUTO_CLOSE = 4 * DAY


@dataclass
class Incident:
    id: str
    number: int
    key: str
    title: str
    service: str
    service_id: str
    urgency: str
    created: int
    acknowledged: int
    escalated: int | None
    resolved: int
    spike_start: int
    spike_end: int
    multiplier: float
    root_causes: tuple[str, ...]
    category: str


@dataclass
class Task:
    summary: str
    created: int
    started: int | None
    done: int | None
    due: date


@dataclass
class RemediationPlan:
    key: str
    title: str
    root_cause: str
    category: str
    owning_team: str
    partner_teams: tuple[str, ...]
    outcome: str  # effective, ineffective, open_overdue, open
    opened: int
    started: int
    due: date
    shipped: int | None
    drop: float  # share of volume removed after shipping (0 when ineffective or open)
    tasks: list[Task] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    linked_at: list[int] = field(default_factory=list)  # when each linked escalation was created


class Escalation:
    __slots__ = (
        "seq",
        "tool",
        "created",
        "market",
        "region",
        "tier",
        "channel",
        "priority",
        "final_priority",
        "category",
        "root_cause",
        "esc_tier",
        "team",
        "requester",
        "new_requester",
        "recurring",
        "agent_created",
        "deleted_at",
        "steps",
        "incident",
        "timeline",
        "agent_replies",
        "requester_comments",
        "first_reply",
        "solves",
        "reopens",
        "reassignments",
        "ping_pong",
        "final_status",
        "final_team",
        "final_agent",
        "last_change",
        "priority_changes",
        "key",
        "rand",
        "language",
        "theme",
        "subject",
        "description",
    )

    def __init__(self) -> None:
        self.key = ""


class World:
    def __init__(self, seed: int, escalations: int, days: int, start: date) -> None:
        if days < 1:
            raise ValueError(f"days must be at least 1, got {days}")
        if escalations < 0:
            raise ValueError(f"escalations must be >= 0, got {escalations}")
        self.seed = seed
        self.n = escalations
        self.days = days
        self.start_date = start
        self.start = epoch(start)
        self.end = self.start + days * DAY
        self.rng = random.Random(f"{seed}:world")
        self.np = np.random.default_rng([seed, 7])
        self.rcs: list[RootCause] = [rc for rc, _ in root_cause_weights()]
        self.rc_weight = np.array([w for _, w in root_cause_weights()], dtype=float)
        self.rc_index = {rc.root_cause: i for i, rc in enumerate(self.rcs)}
        self.markets = [m for m in markets() if m.market in MARKET_SHARE]
        self.market_weight = np.array([MARKET_SHARE[m.market] for m in self.markets], dtype=float)
        self.clocks = self._clocks()
        self.sla_clocks = self._sla_clocks()
        self.voice = VoicePlan(self.start, days)
        self.rc_by_name = {rc.root_cause: rc for rc in self.rcs}
        self.incidents = self._plan_incidents()
        self.plans = self._plan_remediation()
        self._tiers = list(TIER_SHARE)
        self._tier_w = list(TIER_SHARE.values())
        self._channels = list(CHANNEL_WEIGHTS)
        self._channel_w = list(CHANNEL_WEIGHTS.values())
        self._ring: list[tuple] = []
        self._ring_pos = 0
        self._requesters = dict.fromkeys(TOOLS, 0)

    # ---- calendars ------------------------------------------------------------------------
    def _clocks(self) -> dict[str, BusinessClock]:
        first = self.start_date - timedelta(days=40)
        last = self.start_date + timedelta(days=self.days + 150)
        clocks = {}
        for region, _id, _name, _zd_tz, iana, hours in ZENDESK_SCHEDULES:
            spans = holidays_for(region, first.year, last.year)
            clocks[region] = BusinessClock(iana, weekdays(hours), holiday_days(spans), first, last)
        return clocks

    def holiday_spans(self, region: str):
        return holidays_for(region, self.start_date.year, (self.start_date + timedelta(days=self.days)).year)

    def zendesk_holiday_spans(self, region: str):
        """The holidays of the region's Zendesk schedule (schedules.json and its SLA clock)."""
        last_year = (self.start_date + timedelta(days=self.days)).year
        return accounts.zendesk_holidays(region, self.start_date.year, last_year, self.holiday_spans(region))

    def _sla_clocks(self) -> dict[tuple[str, str], BusinessClock]:
        """The clocks each tool measures business-hours SLAs on (its account settings, see
        ``accounts``): ("zendesk" | "salesforce", region) and ("hubspot", pipeline)."""
        first = self.start_date - timedelta(days=40)
        last = self.start_date + timedelta(days=self.days + 150)
        clocks: dict[tuple[str, str], BusinessClock] = {}
        for region, _id, _name, _zd_tz, iana, _hours in ZENDESK_SCHEDULES:
            spans = self.zendesk_holiday_spans(region)
            clocks[("zendesk", region)] = accounts.zendesk_clock(region, iana, spans, first, last)
            clocks[("salesforce", region)] = accounts.salesforce_clock(region, iana, first, last)
        for pipeline in accounts.hubspot_hours():
            clocks[("hubspot", pipeline)] = accounts.hubspot_clock(pipeline, first, last)
        return clocks

    # ---- plan -----------------------------------------------------------------------------
    def _plan_incidents(self) -> list[Incident]:
        rng = self.rng
        services: dict[str, list[RootCause]] = {}
        for rc in self.rcs:
            if rc.service:
                services.setdefault(rc.service, []).append(rc)
        names = sorted(services)
        count = max(4, min(8, 3 + self.days // 15))
        chosen = rng.sample(names, min(count, len(names)))
        while len(chosen) < count:
            chosen.append(names[rng.randrange(len(names))])
        span = self.end - self.start
        lo = self.start + min(DAY, span // 10)
        slot = (self.end - min(DAY, span // 10) - lo) // count
        incidents = []
        for i, service in enumerate(chosen):
            a = lo + i * slot
            created = a + rng.randrange(max(1, slot - 12 * HOUR)) if slot > 12 * HOUR else a
            created -= created % 60
            created += rng.randrange(60)
            duration = rng.randrange(1 * HOUR, 6 * HOUR)
            acked = created + rng.randrange(2 * MINUTE, 16 * MINUTE)
            escalated = created + 10 * MINUTE if acked - created > 10 * MINUTE else None
            resolved = created + duration
            rcs = services[service]
            title = {
                "identity-login": "Login service elevated 5xx",
                "payments-payouts": "Payout batch job stalled",
                "moderation-pipeline": "Moderation classifier misfiring",
                "live-streaming": "Live ingest failures",
                "upload-service": "Upload service timeouts",
                "creator-analytics": "Analytics pipeline lagging",
                "mobile-app": "Crash spike after app release",
                "edge-network": "Regional edge outage",
            }.get(service, f"{service} degraded")
            incidents.append(
                Incident(
                    id="P" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(6)),
                    number=1200 + i * 7 + rng.randrange(7),
                    key=f"{service}-{i + 1}",
                    title=title,
                    service=service,
                    service_id=f"PSVC{sorted(services).index(service) + 1:03d}",
                    urgency="high" if rng.random() < 0.75 else "low",
                    created=created,
                    acknowledged=acked,
                    escalated=escalated,
                    resolved=resolved,
                    spike_start=created,
                    spike_end=resolved + rng.randrange(2 * HOUR, 8 * HOUR),
                    multiplier=round(3.0 + 3.0 * rng.random(), 2),
                    root_causes=tuple(rc.root_cause for rc in rcs),
                    category=rcs[0].category,
                )
            )
        return incidents

    def _plan_remediation(self) -> list[RemediationPlan]:
        rng = self.rng
        ranked = sorted(self.rcs, key=lambda r: -self.rc_weight[self.rc_index[r.root_cause]])
        ranked = [rc for rc in ranked if rc.category not in ("legal", "unknown")]
        drivers = [rc for rc in ranked if rc.root_cause in DRIVERS]
        mid = [rc for rc in ranked if rc.root_cause not in DRIVERS][:12]
        picks_mid = rng.sample(mid, 5)
        outcomes = [
            ("effective", picks_mid[0]),
            ("effective", picks_mid[1]),
            ("ineffective", drivers[3]),
            ("ineffective", picks_mid[2]),
            ("open_overdue", drivers[0]),
            ("open_overdue", picks_mid[3]),
            ("open", picks_mid[4]),
        ]
        span = self.end - self.start
        plans = []
        for i, (outcome, rc) in enumerate(outcomes):
            key = f"REM-{20 + i * 5}"
            if outcome in ("effective", "ineffective"):
                shipped = self.start + int(span * (0.35 + 0.25 * rng.random()))
                shipped -= shipped % 60
                opened = shipped - rng.randrange(14 * DAY, 36 * DAY)
                due = _date(shipped + rng.randrange(-5 * DAY, 10 * DAY))
                drop = round(0.5 + 0.2 * rng.random(), 3) if outcome == "effective" else 0.0
            elif outcome == "open_overdue":
                shipped = None
                opened = self.start + int(span * 0.25 * rng.random()) - rng.randrange(0, 20 * DAY)
                due = _date(self.start + int(span * (0.4 + 0.35 * rng.random())))
                drop = 0.0
            else:
                shipped = None
                opened = self.start + int(span * (0.55 + 0.2 * rng.random()))
                due = _date(self.end + rng.randrange(14 * DAY, 30 * DAY))
                drop = 0.0
            opened -= opened % 60
            started = opened + rng.randrange(DAY, 4 * DAY)
            partners = tuple(sorted(rng.sample(PARTNER_TEAMS, rng.randrange(1, 3))))
            plan = RemediationPlan(
                key=key,
                title=_plan_title(rc),
                root_cause=rc.root_cause,
                category=rc.category,
                owning_team=ENGINEERING_TEAM_OF_CATEGORY.get(rc.category, "Creator Support Ops"),
                partner_teams=tuple(
                    p for p in partners if p != ENGINEERING_TEAM_OF_CATEGORY.get(rc.category)
                ),
                outcome=outcome,
                opened=opened,
                started=started,
                due=due,
                shipped=shipped,
                drop=drop,
            )
            plan.tasks = self._tasks(plan, i)
            plans.append(plan)
        return plans

    def _tasks(self, plan: RemediationPlan, i: int) -> list[Task]:
        rng = self.rng
        n = rng.randrange(2, 5)
        tasks = []
        end_work = plan.shipped if plan.shipped is not None else self.end - DAY
        for k in range(n):
            created = plan.opened + (k + 1) * rng.randrange(10 * MINUTE, 6 * HOUR)
            if plan.outcome in ("effective", "ineffective"):
                done = (
                    end_work
                    if k == n - 1
                    else created + int((end_work - created) * (0.3 + 0.6 * rng.random()))
                )
                started = created + (done - created) // 4
            elif plan.outcome == "open_overdue":
                done = created + rng.randrange(3 * DAY, 12 * DAY) if k == 0 else None
                if done is not None and done >= self.end:
                    done = None
                started = created + rng.randrange(DAY, 3 * DAY) if k < n - 1 else None
            else:
                done = None
                started = created + rng.randrange(DAY, 3 * DAY) if k == 0 else None
            if started is not None and started >= self.end:
                started = None
            if done is not None:
                done -= done % 60
            tasks.append(
                Task(
                    summary=_TASK_SUMMARIES[(i * 3 + k) % len(_TASK_SUMMARIES)],
                    created=created,
                    started=started,
                    done=done,
                    due=plan.due - timedelta(days=(n - 1 - k) * 3),
                )
            )
        return tasks

    # ---- intensities ----------------------------------------------------------------------
    def _season(self) -> np.ndarray:
        hours = self.days * 24
        season = np.empty((hours, len(self.markets)))
        for j, m in enumerate(self.markets):
            tz = ZoneInfo(m.time_zone)
            for h in range(hours):
                local = datetime.fromtimestamp(self.start + h * HOUR + 1800, tz)
                season[h, j] = WEEKDAY_FACTOR[local.weekday()] * HOUR_FACTOR[local.hour]
        return season

    def _modifiers(self) -> np.ndarray:
        hours = self.days * 24
        mod = np.ones((hours, len(self.rcs)))
        t_h = self.start + np.arange(hours) * HOUR
        for inc in self.incidents:
            overlap = (
                np.clip(np.minimum(t_h + HOUR, inc.spike_end) - np.maximum(t_h, inc.spike_start), 0, HOUR)
                / HOUR
            )
            for rc in inc.root_causes:
                mod[:, self.rc_index[rc]] *= 1.0 + (inc.multiplier - 1.0) * overlap
        for plan in self.plans:
            if plan.shipped is None or not plan.drop:
                continue
            after = np.clip((t_h + HOUR - plan.shipped) / HOUR, 0.0, 1.0)
            mod[:, self.rc_index[plan.root_cause]] *= 1.0 - plan.drop * after
        # emerging complaint themes add their volume (and take that share in _escalation)
        mod *= np.array([self.voice.factor(t + HOUR / 2) for t in t_h.tolist()])[:, None]
        return mod

    def expected_per_hour(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        season = self._season() * self.market_weight
        mod = self._modifiers() * self.rc_weight
        return season, mod, season.sum(axis=1) * mod.sum(axis=1)

    # ---- arrivals -------------------------------------------------------------------------
    def escalations(self) -> Iterator[Escalation]:
        season, mod, hour_total = self.expected_per_hour()
        self.hour_total = hour_total
        total = hour_total.sum()
        per_hour = (
            self.np.multinomial(self.n, hour_total / total) if self.n else np.zeros(len(hour_total), int)
        )
        seq = 0
        for h in range(self.days * 24):
            k = int(per_hour[h])
            if not k:
                continue
            cells = np.outer(season[h], mod[h]).ravel()
            counts = self.np.multinomial(k, cells / cells.sum())
            idx = np.repeat(np.arange(cells.size), counts)
            offsets = self.np.integers(0, HOUR, size=k)
            order = np.lexsort((idx, offsets))
            t_hour = self.start + h * HOUR
            for o in order.tolist():
                cell = int(idx[o])
                e = self._escalation(
                    seq, t_hour + int(offsets[o]), cell // len(self.rcs), cell % len(self.rcs)
                )
                seq += 1
                yield e

    def _escalation(self, seq: int, t: int, m: int, r: int) -> Escalation:
        rng = self.rng
        e = Escalation()
        e.seq = seq
        e.created = t
        e.rand = rng.getrandbits(32)
        market = self.markets[m]
        rc = self.rcs[r]
        recurring = None
        if rng.random() < RECURRING_SHARE and self._ring:
            cand = self._ring[rng.randrange(len(self._ring))]
            if t - cand[0] <= RECURRING_WINDOW:
                recurring = cand
        if recurring is not None:
            _t, tool, requester, mkt_i, tier, rc_i = recurring
            market = self.markets[mkt_i]
            same = self.rcs[rc_i]
            if rng.random() < 0.7 or rc.category != same.category:
                rc = same
            e.tool = tool
            e.requester = requester
            e.tier = tier
            e.new_requester = False
            e.recurring = True
            m = mkt_i
        else:
            u = rng.random()
            tool = (
                TOOLS[0] if u < TOOL_SHARE[0] else TOOLS[1] if u < TOOL_SHARE[0] + TOOL_SHARE[1] else TOOLS[2]
            )
            if rc.category == "legal" and tool == "hubspot":
                tool = "zendesk" if rng.random() < 0.7 else "salesforce"
            e.tool = tool
            self._requesters[tool] += 1
            e.requester = self._requesters[tool]
            e.tier = rng.choices(self._tiers, self._tier_w)[0]
            e.new_requester = True
            e.recurring = False
        # the theme and language people write in: an emerging complaint takes its share of the
        # escalations arriving after it starts (never legal requests), filed as agents file it
        voice = random.Random((self.seed * 1_000_003 + seq) * 7 + 3)
        emerging = self.voice.pick(t, voice.random()) if rc.category != "legal" else None
        if emerging is not None:
            rc = self.rc_by_name[VoicePlan.filed_under(emerging, voice.random())[1]]
            e.theme = emerging.theme
        else:
            e.theme = rc.root_cause if rc.root_cause in THEMES else "unknown"
        e.language = VoicePlan.language(market.market, voice.random())
        e.market = market.market
        e.region = SCHEDULE_OF_MARKET.get(market.market, "AMER")
        e.category = rc.category
        e.root_cause = rc.root_cause
        # channel
        if rc.category == "legal":
            channel = "law_enforcement" if rng.random() < 0.85 else "email"
        elif rng.random() < TIER_CPM_SHARE[e.tier]:
            channel = "creator_partner_manager"
        else:
            channel = rng.choices(self._channels, self._channel_w)[0]
        e.channel = channel
        # priority
        u = rng.random()
        p = (
            0
            if u < PRIORITY_SHARE[0]
            else 1
            if u < sum(PRIORITY_SHARE[:2])
            else 2
            if u < sum(PRIORITY_SHARE[:3])
            else 3
        )
        incident = None
        for inc in self.incidents:
            if inc.spike_start <= t < inc.spike_end and rc.root_cause in inc.root_causes:
                incident = inc
                break
        e.incident = incident.id if incident else None
        boost = (
            channel in ("executive_press", "law_enforcement")
            or e.tier == "mega"
            or rc.family == "fraud_abuse"
        )
        if p > 0 and ((boost and rng.random() < 0.35) or (incident and rng.random() < 0.25)):
            p -= 1
        e.priority = p
        e.esc_tier = (
            "tier_3"
            if p == 0 or rc.category == "legal"
            else "tier_2"
            if (p == 1 and rng.random() < 0.6) or channel == "creator_partner_manager"
            else "tier_1"
        )
        e.team = TEAM_OF_CATEGORY.get(rc.category, "creator_escalations")
        if channel == "creator_partner_manager" and e.team not in ("legal_response", "account_security"):
            e.team = "creator_escalations"
        agent_created = {"creator_partner_manager": 0.5, "phone": 0.6, "executive_press": 0.3}.get(
            channel, 0.012
        )
        e.agent_created = rng.random() < agent_created
        self._ring_add((t, e.tool, e.requester, m, e.tier, self.rc_index[rc.root_cause]))
        self._lifecycle(e)
        return e

    def _ring_add(self, item: tuple) -> None:
        ring = self._ring
        if len(ring) < RING:
            ring.append(item)
        else:
            ring[self._ring_pos] = item
            self._ring_pos = (self._ring_pos + 1) % RING

    # ---- lifecycle ------------------------------------------------------------------------
    def _lifecycle(self, e: Escalation) -> None:
        rng = self.rng
        end = self.end
        clock = self.clocks[e.region]
        lognorm = rng.lognormvariate
        steps: list[list] = []
        P = e.priority

        def emit(t: int, actor, *ops) -> int:
            if steps:
                last = steps[-1]
                if t <= last[0]:
                    t = last[0]
                    if last[1] == actor:
                        last[2].extend(ops)
                        return t
                    t += 1  # one second apart keeps the audit trail ordered
            steps.append([t, actor, list(ops)])
            return t

        def agent_after(t: int, median_min: float) -> int:
            d = int(lognorm(math.log(median_min * 60), 0.9)) + 30
            return t + d if P == 0 else clock.add(t, d)

        def requester_after(t: int, median_h: float = 3.0) -> int:
            return t + int(lognorm(math.log(median_h * 3600), 1.1)) + 60

        def new_agent(team: str) -> tuple[str, int]:
            return (team, rng.getrandbits(16))

        t0 = e.created
        team = e.team
        if e.agent_created:
            agent = new_agent(team)
            emit(t0, agent, ("create", "open", P, team, agent), ("comment", True, "a"))
            status = "open"
            if rng.random() < 0.85:
                tq = emit(requester_after(t0), None, ("comment", True, "r"))
                t_reply = agent_after(tq, NEXT_REPLY_MED[P])
            else:
                t_reply = agent_after(t0, NEXT_REPLY_MED[P] * 2)
        else:
            emit(t0, None, ("create", "new", P, team, None), ("comment", True, "r"))
            status = "new"
            agent = None
            t_reply = agent_after(t0, FIRST_REPLY_MED[P])
            ta = agent_after(t0, TRIAGE_MED[P])
            if ta > t_reply:
                ta = t_reply
            agent = new_agent(team)
            emit(ta, agent, ("assign", team, None, team, agent), ("status", "new", "open"))
            status = "open"
        # an early priority change (escalated by the triager)
        if P > 0 and rng.random() < 0.03:
            tp = steps[-1][0] + int((t_reply - steps[-1][0]) * rng.random() * 0.8)
            emit(tp, agent, ("priority", P, P - 1))
            P -= 1
        ping_back = None
        reassigns = 0
        if rng.random() < 0.07:
            tr = steps[-1][0] + int((t_reply - steps[-1][0]) * (0.2 + 0.6 * rng.random()))
            other = _other_team(rng, team)
            new = new_agent(other)
            emit(tr, agent, ("assign", team, agent, other, new), ("comment", False, "a"))
            if rng.random() < 0.3:
                ping_back = (team, agent)
            team, agent = other, new
            reassigns += 1
        t = emit(t_reply, agent, ("comment", True, "a"))
        rounds = 0
        reopens = 0
        while t < end:
            rounds += 1
            solve_p = 0.42 if rounds == 1 else 0.55 if rounds < 4 else 0.8
            if rng.random() < solve_p or rounds > 7:
                ts = emit(t, agent, ("status", status, "solved"))
                status = "solved"
                if ping_back is not None:
                    ping_back = None
                if reopens < 2 and rng.random() < 0.07:
                    tq = requester_after(ts, 10.0)
                    if tq < ts + AUTO_CLOSE:
                        tq = emit(tq, None, ("comment", True, "r"), ("status", "solved", "open"))
                        status = "open"
                        reopens += 1
                        t = emit(agent_after(tq, NEXT_REPLY_MED[P]), agent, ("comment", True, "a"))
                        rounds = 1
                        continue
                emit(ts + AUTO_CLOSE, -1, ("status", "solved", "closed"))
                status = "closed"
                break
            u = rng.random()
            if u < 0.5:
                emit(t, agent, ("status", status, "pending"))
                status = "pending"
                if rng.random() < 0.85:
                    tq = emit(requester_after(t), None, ("comment", True, "r"), ("status", "pending", "open"))
                    status = "open"
                    t_next = agent_after(tq, NEXT_REPLY_MED[P])
                else:
                    ts = emit(t + 3 * DAY + rng.randrange(6 * HOUR), agent, ("comment", False, "a"))
                    emit(ts, agent, ("status", "pending", "solved"))
                    status = "solved"
                    emit(ts + AUTO_CLOSE, -1, ("status", "solved", "closed"))
                    status = "closed"
                    break
            elif u < 0.65:
                th = emit(
                    t + rng.randrange(30, 15 * MINUTE),
                    agent,
                    ("status", status, "hold"),
                    ("comment", False, "a"),
                )
                status = "hold"
                tr = emit(th + int(lognorm(math.log(16 * 3600), 0.8)), agent, ("status", "hold", "open"))
                status = "open"
                t_next = agent_after(tr, 45)
            elif rng.random() < 0.6:
                tq = emit(requester_after(t), None, ("comment", True, "r"))
                t_next = agent_after(tq, NEXT_REPLY_MED[P])
            else:
                t_next = agent_after(t, NEXT_REPLY_MED[P] * 1.5)
            if ping_back is not None and rng.random() < 0.6:
                back_team, back_agent = ping_back
                emit(
                    t_next - rng.randrange(60, 20 * MINUTE),
                    agent,
                    ("assign", team, agent, back_team, back_agent),
                )
                team, agent = back_team, back_agent
                ping_back = None
                reassigns += 1
            elif reassigns == 0 and rng.random() < 0.06:
                other = _other_team(rng, team)
                new = new_agent(other)
                emit(t_next - rng.randrange(60, 20 * MINUTE), agent, ("assign", team, agent, other, new))
                if rng.random() < 0.3:
                    ping_back = (team, agent)
                team, agent = other, new
                reassigns += 1
            t = emit(t_next, agent, ("comment", True, "a"))

        # deletion (spam, duplicates) cuts the lifecycle
        e.deleted_at = None
        if rng.random() < DELETED_SHARE:
            td = t0 + rng.randrange(10 * MINUTE, 2 * DAY)
            if td < end:
                e.deleted_at = td
        stop = e.deleted_at if e.deleted_at is not None else end
        while steps and steps[-1][0] >= stop:
            steps.pop()
        e.steps = steps
        self._derive(e)

    @staticmethod
    def _derive(e: Escalation) -> None:
        timeline = []
        agent_replies = []
        requester_comments = []
        solves = []
        prio_changes = []
        reopens = reassign = 0
        status = team = agent = None
        prio = e.priority
        skip_opening = e.agent_created
        ping = 0
        history: list = []
        for t, _actor, ops in e.steps:
            for op in ops:
                kind = op[0]
                if kind == "create":
                    status, prio, team, agent = op[1], op[2], op[3], op[4]
                    timeline.append((t, status))
                elif kind == "status":
                    if op[1] == "solved" and op[2] == "open":
                        reopens += 1
                    status = op[2]
                    timeline.append((t, status))
                    if status == "solved":
                        solves.append(t)
                elif kind == "assign":
                    if op[2] is not None:
                        reassign += 1
                        if history and history[-1] == (op[3], op[4]):
                            ping += 1
                        history.append((op[1], op[2]))
                    team, agent = op[3], op[4]
                elif kind == "priority":
                    prio = op[2]
                    prio_changes.append((t, op[2]))
                elif kind == "comment" and op[1]:
                    if op[2] == "a":
                        if skip_opening:
                            skip_opening = False
                        else:
                            agent_replies.append(t)
                    else:
                        requester_comments.append(t)
        e.timeline = timeline
        e.agent_replies = agent_replies
        e.requester_comments = requester_comments
        e.first_reply = agent_replies[0] if agent_replies else None
        e.solves = solves
        e.reopens = reopens
        e.reassignments = reassign
        e.ping_pong = ping
        e.final_status = status
        e.final_team = team
        e.final_agent = agent
        e.final_priority = prio
        e.priority_changes = prio_changes
        e.last_change = e.steps[-1][0] if e.steps else e.created
        if e.deleted_at is not None:
            e.last_change = e.deleted_at


def _other_team(rng: random.Random, team: str) -> str:
    options = [t for t in SPECIALIST_TEAMS + ("creator_escalations",) if t != team]
    return options[rng.randrange(len(options))]


def _date(t: int) -> date:
    return datetime.fromtimestamp(t, UTC).date()


def _plan_title(rc: RootCause) -> str:
    return f"Remediate: {rc.name}"


_TASK_SUMMARIES = (
    "Add monitoring and alerting for the failure mode",
    "Ship the fix behind a feature flag",
    "Backfill affected creators",
    "Update the help-center article and macros",
    "Add a regression test to the release checklist",
    "Tune the classifier threshold for the affected surface",
    "Automate the manual reconciliation step",
    "Add step-up verification before sensitive changes",
)


def state_after(e: Escalation, k: int) -> tuple[str, int, str, tuple | None, int]:
    """(status, priority, team, agent, time) after step ``k`` of the lifecycle."""
    status = "new"
    prio = e.priority
    team = e.team
    agent = None
    for _t, _actor, ops in e.steps[: k + 1]:
        for op in ops:
            kind = op[0]
            if kind == "create":
                status, prio, team, agent = op[1], op[2], op[3], op[4]
            elif kind == "status":
                status = op[2]
            elif kind == "assign":
                team, agent = op[3], op[4]
            elif kind == "priority":
                prio = op[2]
    return status, prio, team, agent, e.steps[k][0]
