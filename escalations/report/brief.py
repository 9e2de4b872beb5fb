"""The numbers of the weekly executive brief, read from the published DuckDB snapshot.

Everything here is a query of the marts (never the warehouse a run writes) turned into plain
dataclasses, so the HTML, the JSON and the tests read the same numbers. A week is an ISO week,
Monday to Sunday, of local days (``created_date_local``, ``fct_escalation_kpis_daily.date_day``);
``fct_root_cause_drivers`` and ``fct_incidents`` count UTC weeks, as their marts do.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import duckdb

from escalations.publish import mart_tables
from escalations.report.voice import Voice, voice_section

HISTORY_WEEKS = 12  # weeks in the volume chart and the headline sparklines, this week last
TRAILING_WEEKS = 4  # the trailing average compares with the 4 weeks before this one
ROOT_CAUSE_WEEKS = 8  # weeks in a root cause's sparkline
TOP_ROOT_CAUSES = 5
MAX_ESCALATIONS = 12  # P0/P1 escalations listed; the rest are counted
MAX_ALERTS = 6  # most severe first; more would push the printed brief past two pages
MAX_SHIPPED_PLANS = 3  # the latest shipped plans, with their effect
AT_RISK_DAYS = 14  # a plan due within this many days is checked for progress against time
PRIORITIES = ("P0", "P1", "P2", "P3")
PLAN_STATE_ORDER = ("overdue", "at_risk", "on_track", "shipped")  # what plan_state() returns

_WEEK = re.compile(r"(\d{4})-W(\d{2})")


class NoDataError(Exception):
    """The snapshot has nothing to brief for the asked week (or at all)."""


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week: Monday ``start`` to Sunday ``end``."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """``2026-W43`` -> Week; ValueError saying what is wrong otherwise."""
        match = _WEEK.fullmatch(text.strip())
        if not match:
            raise ValueError(f"not an ISO week: {text!r} (expected YYYY-Www, e.g. 2026-W43)")
        year, number = int(match[1]), int(match[2])
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            raise ValueError(f"{year} has no ISO week {number}: {text!r}") from None
        return cls(year, number)

    @classmethod
    def of(cls, day: date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    def shifted(self, weeks: int) -> Week:
        return Week.of(self.start + timedelta(weeks=weeks))

    def history(self, weeks: int) -> list[Week]:
        """The ``weeks`` weeks ending with this one, oldest first."""
        return [self.shifted(i - weeks + 1) for i in range(weeks)]


# ---- the data structure ----------------------------------------------------------------------
@dataclass
class Metric:
    """A headline number of the week, with last week, the trailing average and its history."""

    key: str
    label: str
    unit: str  # count, rate (0-1) or minutes
    better: str  # up or down: which direction is good news
    value: float | None
    last_week: float | None
    trailing_average: float | None  # mean of the weekly values of the 4 weeks before
    history: list[float | None]  # HISTORY_WEEKS weekly values, oldest first, this week last

    @property
    def change_vs_last_week(self) -> float | None:
        return _diff(self.value, self.last_week)

    @property
    def change_vs_trailing(self) -> float | None:
        return _diff(self.value, self.trailing_average)


@dataclass
class SlaSlice:
    key: str
    label: str
    achieved: int
    breached: int
    last_week_attainment: float | None

    @property
    def attainment(self) -> float | None:
        return _ratio(self.achieved, self.achieved + self.breached)


@dataclass
class Step:
    """One key step of an escalation's timeline."""

    at: datetime
    kind: str  # received, acknowledged, handoff, reply, sla_breached, resolved, resolved_again
    detail: str | None = None  # the team handed to, or the SLA metric breached


@dataclass
class Escalation:
    key: str
    priority: str
    channel: str
    issue_category: str
    owning_team: str
    status_group: str
    is_open: bool
    is_restricted: bool
    any_sla_breached: bool
    created_at: datetime
    breached_metrics: list[str]
    steps: list[Step]


@dataclass
class RootCause:
    key: str
    label: str
    escalations: int
    share: float | None
    change_vs_previous_4_weeks: float | None
    history: list[int]  # ROOT_CAUSE_WEEKS weekly counts, oldest first


@dataclass
class Plan:
    key: str
    title: str
    root_cause: str
    owning_team: str
    state: str  # overdue, at_risk, on_track, shipped
    reason: str
    due_at: date | None
    shipped_at: datetime | None
    actions_done: int
    actions_total: int
    effect_pct: float | None


@dataclass
class Alert:
    metric: str
    slice: str  # dimension=value, as the mart has it
    slice_label: str  # for people: "Channel: Email", "All escalations"
    period: date
    observed: float | None
    expected: float | None
    direction: str
    severity: str
    score: float | None
    rule: str


@dataclass
class Incidents:
    count: int
    high_urgency: int
    escalations_linked: int
    median_minutes_to_acknowledge: float | None


@dataclass
class Brief:
    week: Week
    as_of: datetime  # the build's clock (open SLA clocks, overdue plans are measured to it)
    data_through: datetime  # the data's as-of: as_of, but no later than a day after the last escalation
    is_partial: bool  # the week ends after data_through
    weeks: list[str]  # labels of the HISTORY_WEEKS weeks, oldest first
    headline: list[Metric]
    incidents: Incidents
    sla_by_channel: list[SlaSlice]
    sla_by_priority: list[SlaSlice]
    escalations_total: int  # P0/P1 created in the week
    escalations_open: int  # of them, still open
    escalations_breached: int  # of them, with an SLA breached
    escalations: list[Escalation]  # the MAX_ESCALATIONS most important of them
    root_causes: list[RootCause]
    plans: list[Plan]
    alerts: list[Alert] | None  # None: fct_metric_alerts is not built
    alerts_total: int = 0
    notes: list[str] = field(default_factory=list)
    voice: Voice | None = None  # None: the voice marts are not published

    def metric(self, key: str) -> Metric:
        return next(m for m in self.headline if m.key == key)

    @property
    def plan_counts(self) -> dict[str, int]:
        """Plans per state (every state, zeros included)."""
        return {state: sum(p.state == state for p in self.plans) for state in PLAN_STATE_ORDER}


def humanize(text: str) -> str:
    """snake_case made readable: 'waiting_on_requester' -> 'Waiting on requester'."""
    return str(text).replace("_", " ").capitalize()


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return None if not denominator or numerator is None else numerator / denominator


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


# ---- queries ---------------------------------------------------------------------------------
DATA_RANGE_SQL = """
select
    (select max(as_of) from marts.fct_sla_events) as as_of,
    max(created_at) as last_created_at,
    min(created_date_local) as first_day,
    max(created_date_local) as last_day
from marts.fct_escalations
"""

# one row per ISO week (date_trunc('week') is the Monday) of flows, SLA verdicts, CSAT and the
# backlog at the end of the week's Sunday
WEEKLY_KPIS_SQL = """
select
    cast(date_trunc('week', date_day) as date) as week_start,
    sum(created) as created,
    sum(solved) as solved,
    sum(reopened) as reopened,
    sum(sla_achieved) as sla_achieved,
    sum(sla_breached) as sla_breached,
    sum(csat_good) as csat_good,
    sum(csat_bad) as csat_bad,
    sum(case when isodow(date_day) = 7 then backlog_open_end_of_day else 0 end) as backlog
from marts.fct_escalation_kpis_daily
where date_day between ? and ?
group by 1
"""

# medians cannot be added up from the daily mart: take them over the week's escalations
WEEKLY_FIRST_REPLY_SQL = """
select
    cast(date_trunc('week', created_date_local) as date) as week_start,
    median(first_reply_minutes_calendar) as first_reply_p50
from marts.fct_escalations
where created_date_local between ? and ?
group by 1
"""

SLA_SLICE_SQL = """
select
    {dimension} as slice,
    sum(case when date_day >= ? then sla_achieved else 0 end) as achieved,
    sum(case when date_day >= ? then sla_breached else 0 end) as breached,
    sum(case when date_day < ? then sla_achieved else 0 end) as previous_achieved,
    sum(case when date_day < ? then sla_breached else 0 end) as previous_breached
from marts.fct_escalation_kpis_daily
where date_day between ? and ?
group by 1
"""

# open first, breached first, P0 before P1, oldest first
ESCALATIONS_SQL = """
select
    escalation_key, priority, channel, issue_category, owning_team, status_group, is_open,
    is_restricted, any_sla_breached, created_at, first_reply_at, first_resolved_at, last_resolved_at,
    count(*) over () as total,
    count(case when is_open then 1 end) over () as total_open,
    count(case when any_sla_breached then 1 end) over () as total_breached
from marts.fct_escalations
where priority in ('P0', 'P1') and created_date_local between ? and ?
order by is_open desc, any_sla_breached desc, priority, created_at, escalation_key
limit ?
"""

HANDOFFS_SQL = """
select escalation_key, valid_from, team
from marts.fct_status_intervals
where is_handoff and list_contains(?, escalation_key)
order by escalation_key, valid_from
"""

SLA_STEPS_SQL = """
select escalation_key, metric, fulfilled_at, is_breached, breached_at
from marts.fct_sla_events
where list_contains(?, escalation_key)
order by escalation_key, metric, instance
"""

ROOT_CAUSES_SQL = """
select root_cause, escalations, share, change_vs_previous_4_weeks
from marts.fct_root_cause_drivers
where week_start = ? and escalations > 0
order by pareto_rank
limit ?
"""

ROOT_CAUSE_HISTORY_SQL = """
select root_cause, week_start, escalations
from marts.fct_root_cause_drivers
where list_contains(?, root_cause) and week_start between ? and ?
"""

PLANS_SQL = """
select
    plan_key, title, root_cause, owning_team, status, opened_at, due_at, shipped_at, is_overdue,
    days_past_due, actions_total, actions_done, actions_overdue, effect_pct
from marts.fct_remediation_plans
order by due_at, plan_key
"""

INCIDENTS_SQL = """
select
    count(*),
    count(case when urgency = 'high' then 1 end),
    coalesce(sum(escalations_linked), 0),
    median(minutes_to_acknowledge)
from marts.fct_incidents
where created_at >= ? and created_at < ?
"""

ALERTS_SQL = """
select
    metric, slice_dimension, slice_value, slice, period, observed, expected, direction, severity, score, rule,
    count(*) over () as total
from marts.fct_metric_alerts
where period between ? and ?
order by
    case severity when 'critical' then 0 when 'high' then 1 else 2 end,
    abs(score) desc nulls last,
    alert_key
limit ?
"""

LABEL_SQL = {
    "channel": "select channel, channel_name from marts.dim_channel",
    "issue_category": "select issue_category, issue_category_name from marts.dim_issue_category",
    "root_cause": "select root_cause, root_cause_name from marts.dim_root_cause",
    "team": "select team, team_name from marts.dim_team",
}


# ---- the brief -------------------------------------------------------------------------------
def default_week(data_through: datetime) -> Week:
    """The last complete ISO week before the data's as-of."""
    return Week.of(data_through.date()).shifted(-1)


def build_brief(snapshot: Path, week: Week | None = None) -> Brief:
    """Query the published snapshot (read-only) for one week's brief (default: the last complete week)."""
    if not snapshot.exists():
        raise NoDataError(f"no published snapshot at {snapshot}: run the pipeline first (`escalations run`)")
    with duckdb.connect(str(snapshot), read_only=True) as conn:
        conn.execute("set TimeZone = 'UTC'")  # instants come back in UTC, as the marts store them
        return _Reader(conn).brief(week)


class _Reader:
    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn
        self.labels = {name: dict(conn.execute(sql).fetchall()) for name, sql in LABEL_SQL.items()}
        self.tables = mart_tables(conn)
        if "fct_emerging_themes" in self.tables:  # alerts on an emerging theme name it by its label
            self.labels["theme"] = dict(
                conn.execute("select distinct theme_key, label from marts.fct_emerging_themes").fetchall()
            )

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.conn.execute(sql, params or []).fetchall()

    def dicts(self, sql: str, params: list | None = None) -> list[dict]:
        """Rows as dicts by column name: the queries select more columns than is easy to unpack."""
        cursor = self.conn.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def label(self, dimension: str, key: str | None) -> str:
        """The dimension's display name, or the key made readable where the dimension has none."""
        if key is None:
            return "unknown"
        return self.labels[dimension].get(key) or humanize(key)

    def brief(self, week: Week | None) -> Brief:
        as_of, last_created, first_day, last_day = self.rows(DATA_RANGE_SQL)[0]
        if last_created is None:
            raise NoDataError("the snapshot has no escalations: nothing to brief")
        # A build measures to its own clock; a world that stopped receiving escalations (the
        # demo) is not current, so the data's as-of is at most a day after the last escalation.
        cap = last_created + timedelta(days=1)
        data_through = min(as_of, cap) if as_of else cap
        as_of = as_of or data_through
        week = week or default_week(data_through)
        created = self.rows(
            "select count(*) from marts.fct_escalations where created_date_local between ? and ?",
            [week.start, week.end],
        )[0][0]
        if not created:
            raise NoDataError(
                f"no escalations were created in {week.label} ({week.start} to {week.end}); "
                f"the snapshot has escalations from {first_day} to {last_day}"
            )
        counts, escalations = self.escalations(week)
        alerts, alerts_total = self.alerts(week)
        is_partial = week.end >= data_through.date()
        return Brief(
            week=week,
            as_of=as_of,
            data_through=data_through,
            is_partial=is_partial,
            weeks=[w.label for w in week.history(HISTORY_WEEKS)],
            headline=self.headline(week, first_day, data_through),
            incidents=self.incidents(week),
            sla_by_channel=self.sla_slices(week, "channel"),
            sla_by_priority=self.sla_slices(week, "priority"),
            escalations_total=counts[0],
            escalations_open=counts[1],
            escalations_breached=counts[2],
            escalations=escalations,
            root_causes=self.root_causes(week),
            plans=self.plans(as_of.date()),
            alerts=alerts,
            alerts_total=alerts_total,
            voice=voice_section(self.conn, week.start, self.tables, {}),
            notes=[f"Partial week: data through {data_through:%a %d %b %Y %H:%M} UTC."] if is_partial else [],
        )

    # ---- headline
    def headline(self, week: Week, first_day: date, data_through: datetime) -> list[Metric]:
        weeks = week.history(HISTORY_WEEKS)
        span = [weeks[0].start, week.end]
        kpis = {row["week_start"]: row for row in self.dicts(WEEKLY_KPIS_SQL, span)}
        first_reply = dict(self.rows(WEEKLY_FIRST_REPLY_SQL, span))

        def series(value) -> list[float | None]:
            """One value per week; None for a week with no rows in the daily KPI mart or that
            began before the data did (a sliver of a week is no baseline)."""
            return [
                value(kpis[w.start], w) if w.start in kpis and w.start >= first_day else None for w in weeks
            ]

        specs = [
            ("created", "Escalations created", "count", "down", series(lambda k, w: k["created"])),
            ("solved", "Solved", "count", "up", series(lambda k, w: k["solved"])),
            (
                "sla_attainment",
                "SLA attainment",
                "rate",
                "up",
                series(lambda k, w: _ratio(k["sla_achieved"], k["sla_achieved"] + k["sla_breached"])),
            ),
            (
                "first_reply_p50",
                "Median first reply",
                "minutes",
                "down",
                series(lambda k, w: first_reply.get(w.start)),
            ),
            (
                "reopen_rate",
                "Reopen rate",
                "rate",
                "down",
                series(lambda k, w: _ratio(k["reopened"], k["solved"])),
            ),
            (
                "csat_good_share",
                "CSAT good",
                "rate",
                "up",
                series(lambda k, w: _ratio(k["csat_good"], k["csat_good"] + k["csat_bad"])),
            ),
            (
                "backlog",
                "Backlog at week end",
                "count",
                "down",
                # the Sunday's backlog is known only once that Sunday is over
                series(lambda k, w: k["backlog"] if w.end < data_through.date() else None),
            ),
        ]
        return [_metric(key, label, unit, better, history) for key, label, unit, better, history in specs]

    def incidents(self, week: Week) -> Incidents:
        count, high, linked, ack = self.rows(
            INCIDENTS_SQL, [_utc(week.start), _utc(week.end + timedelta(1))]
        )[0]
        return Incidents(count, high, int(linked), ack)

    # ---- SLA by channel and priority
    def sla_slices(self, week: Week, dimension: str) -> list[SlaSlice]:
        previous = week.shifted(-1)
        rows = self.rows(
            SLA_SLICE_SQL.format(dimension=dimension),  # dimension: channel or priority, never input
            [week.start, week.start, week.start, week.start, previous.start, week.end],
        )
        slices = [
            SlaSlice(
                key=key,
                label=self.label("channel", key) if dimension == "channel" else key,
                achieved=int(achieved),
                breached=int(breached),
                last_week_attainment=_ratio(prev_achieved, prev_achieved + prev_breached),
            )
            for key, achieved, breached, prev_achieved, prev_breached in rows
            if achieved + breached
        ]
        if dimension == "priority":
            return sorted(slices, key=lambda s: (s.key not in PRIORITIES, s.key))
        return sorted(slices, key=lambda s: (-(s.achieved + s.breached), s.key))

    # ---- P0/P1 escalations and their timelines
    def escalations(self, week: Week) -> tuple[tuple[int, int, int], list[Escalation]]:
        """(P0/P1 created in the week, of them open, of them breached) and the most important ones."""
        rows = self.dicts(ESCALATIONS_SQL, [week.start, week.end, MAX_ESCALATIONS])
        keys = [r["escalation_key"] for r in rows]
        steps: dict[str, list[Step]] = {k: [] for k in keys}
        breached: dict[str, list[str]] = {k: [] for k in keys}
        if keys:
            for key, at, team in self.rows(HANDOFFS_SQL, [keys]):
                steps[key].append(Step(at, "handoff", self.label("team", team)))
            for key, metric, fulfilled_at, is_breached, breached_at in self.rows(SLA_STEPS_SQL, [keys]):
                # a first reply is the acknowledgement (first_reply_at); later replies are steps
                if metric == "next_reply_time" and fulfilled_at is not None:
                    steps[key].append(Step(fulfilled_at, "reply"))
                if is_breached:
                    breached[key].append(metric)
                    if breached_at is not None:
                        steps[key].append(Step(breached_at, "sla_breached", metric))
        escalations = []
        for row in rows:
            key = row["escalation_key"]
            timeline = [Step(row["created_at"], "received")]
            if row["first_reply_at"] is not None:
                timeline.append(Step(row["first_reply_at"], "acknowledged"))
            if row["first_resolved_at"] is not None:
                timeline.append(Step(row["first_resolved_at"], "resolved"))
            if row["last_resolved_at"] not in (None, row["first_resolved_at"]):
                timeline.append(Step(row["last_resolved_at"], "resolved_again"))
            timeline += steps[key]
            escalations.append(
                Escalation(
                    key=key,
                    priority=row["priority"],
                    channel=self.label("channel", row["channel"]),
                    issue_category=self.label("issue_category", row["issue_category"]),
                    owning_team=self.label("team", row["owning_team"]),
                    status_group=row["status_group"],
                    is_open=bool(row["is_open"]),
                    is_restricted=bool(row["is_restricted"]),
                    any_sla_breached=bool(row["any_sla_breached"]),
                    created_at=row["created_at"],
                    breached_metrics=sorted(set(breached[key])),
                    steps=sorted(timeline, key=lambda s: (s.at, _STEP_ORDER.index(s.kind))),
                )
            )
        first = rows[0] if rows else {"total": 0, "total_open": 0, "total_breached": 0}
        return (first["total"], first["total_open"], first["total_breached"]), escalations

    # ---- root causes
    def root_causes(self, week: Week) -> list[RootCause]:
        top = self.rows(ROOT_CAUSES_SQL, [week.start, TOP_ROOT_CAUSES])
        starts = [w.start for w in week.history(ROOT_CAUSE_WEEKS)]
        history = {
            (cause, start): n
            for cause, start, n in self.rows(
                ROOT_CAUSE_HISTORY_SQL, [[r[0] for r in top], starts[0], week.start]
            )
        }
        return [
            RootCause(
                key=cause,
                label=self.label("root_cause", cause),
                escalations=n,
                share=share,
                change_vs_previous_4_weeks=change,
                history=[history.get((cause, s), 0) for s in starts],
            )
            for cause, n, share, change in top
        ]

    # ---- remediation
    def plans(self, today: date) -> list[Plan]:
        plans = []
        for row in self.dicts(PLANS_SQL):
            state, reason = plan_state(row, today)
            plans.append(
                Plan(
                    key=row["plan_key"],
                    title=row["title"],
                    root_cause=self.label("root_cause", row["root_cause"]),
                    owning_team=row["owning_team"] or "unassigned",
                    state=state,
                    reason=reason,
                    due_at=row["due_at"],
                    shipped_at=row["shipped_at"],
                    actions_done=row["actions_done"] or 0,
                    actions_total=row["actions_total"] or 0,
                    effect_pct=row["effect_pct"],
                )
            )
        order = {"overdue": 0, "at_risk": 1, "on_track": 2}
        open_plans = sorted(
            (p for p in plans if p.state != "shipped"),
            key=lambda p: (order[p.state], p.due_at or date.max, p.key),
        )
        shipped = sorted((p for p in plans if p.state == "shipped"), key=lambda p: p.shipped_at, reverse=True)
        return open_plans + shipped[:MAX_SHIPPED_PLANS]

    # ---- alerts
    def alerts(self, week: Week) -> tuple[list[Alert] | None, int]:
        if "fct_metric_alerts" not in self.tables:
            return None, 0
        rows = self.dicts(ALERTS_SQL, [week.start, week.end, MAX_ALERTS])
        alerts = [
            Alert(
                metric=r["metric"],
                slice=r["slice"],
                slice_label=self.slice_label(r["slice_dimension"], r["slice_value"]),
                period=r["period"],
                observed=r["observed"],
                expected=r["expected"],
                direction=r["direction"],
                severity=r["severity"],
                score=r["score"],
                rule=r["rule"],
            )
            for r in rows
        ]
        return alerts, (rows[0]["total"] if rows else 0)

    def slice_label(self, dimension: str | None, value: str | None) -> str:
        if dimension in (None, "overall"):
            return "All escalations"
        name = self.label(dimension, value) if dimension in self.labels else value
        return f"{humanize(dimension)}: {name}"


_STEP_ORDER = ["received", "acknowledged", "reply", "handoff", "sla_breached", "resolved", "resolved_again"]


def plan_state(plan: dict, today: date) -> tuple[str, str]:
    """A remediation plan's state and why, as of ``today`` (the build's date, as ``is_overdue``).

    ``plan`` is a row of fct_remediation_plans.

    - shipped: it has shipped (``shipped_at``).
    - overdue: not shipped and past its due date (the mart's ``is_overdue``).
    - at risk: not shipped, not overdue, and an action is past its due date, or the plan is due
      within AT_RISK_DAYS days with a smaller share of its actions done than of its time (opened
      to due) gone.
    - on track: every other plan not shipped.
    """
    if plan["shipped_at"] is not None:
        return "shipped", f"shipped {plan['shipped_at']:%d %b %Y}"
    if plan["is_overdue"]:
        days = plan["days_past_due"]
        return "overdue", f"{days} day{'s' if days != 1 else ''} past due" if days else "past due"
    late = plan["actions_overdue"] or 0
    if late:
        return "at_risk", f"{late} action{'s' if late > 1 else ''} past due"
    done, total, due, opened = (
        plan["actions_done"] or 0,
        plan["actions_total"] or 0,
        plan["due_at"],
        plan["opened_at"],
    )
    if due is not None and opened is not None and (due - today).days <= AT_RISK_DAYS:
        span = (due - opened.date()).days
        time_gone = (today - opened.date()).days / span if span > 0 else 1.0
        if (done / total if total else 0.0) < time_gone:
            return "at_risk", f"due in {(due - today).days} days, {done} of {total} actions done"
    return "on_track", f"{done} of {total} actions done"


def _metric(key: str, label: str, unit: str, better: str, history: list[float | None]) -> Metric:
    trailing = [v for v in history[-1 - TRAILING_WEEKS : -1] if v is not None]
    return Metric(
        key=key,
        label=label,
        unit=unit,
        better=better,
        value=history[-1],
        last_week=history[-2],
        trailing_average=statistics.fmean(trailing) if trailing else None,
        history=history,
    )
