"""The published Excel workbook: the marts' headline aggregates as formatted tables.

Read from the DuckDB snapshot of the version being published (never the warehouse a run writes),
so the workbook and the snapshot beside it always agree. Every sheet is an aggregate or a short,
capped list (a note above the table says when rows were left out); no sheet carries free text of
escalations or any requester identifier: escalations appear by key, themes by their label (top
terms of redacted text, which restricted escalations never reach), plans by their Jira title.
Weeks are ISO weeks (Monday): of local days where the mart has them (``fct_escalation_kpis_daily``,
``fct_escalations``), of UTC days where the mart counts UTC weeks (root causes, themes, voice).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
from openpyxl.workbook import Workbook

from escalations.excel.sheet import (
    CHANGE,
    COUNT,
    DATE,
    DATETIME,
    DECIMAL,
    HOURS_MINUTES,
    HOURS_MINUTES_SECONDS,
    RATE,
    SCORE,
    SIGNED_HOURS,
    BelowTarget,
    Column,
    Sheet,
    write_workbook,
)
from escalations.publish import mart_tables
from escalations.report.brief import DATA_RANGE_SQL, LABEL_SQL, Week, humanize, plan_state

KPI_WEEKS = 26  # Weekly KPIs and the SLA sheets: the last 26 ISO weeks, the running one included
ROOT_CAUSE_WEEKS = 8
ALERT_DAYS = 28
THEME_WEEKS = 12
VOICE_WEEKS = 8
MAX_LIST_ROWS = 500  # the list sheets (open P0/P1, plans, alerts, emerging themes) are capped here
SLA_TARGET = 0.95  # attainment below it is coloured in the SLA sheets
PLAN_ORDER = {"overdue": 0, "at_risk": 1, "on_track": 2, "shipped": 3}

# each sheet's Excel table: stable names, for Power Query and formulas that refer to them
TABLES = {
    "Definitions": "Definitions",
    "Weekly KPIs": "WeeklyKPIs",
    "SLA by priority": "SLAByPriority",
    "SLA by channel": "SLAByChannel",
    "Open P0-P1": "OpenP0P1",
    "Root causes": "RootCauses",
    "Remediation plans": "RemediationPlans",
    "Alerts": "Alerts",
    "Emerging themes": "EmergingThemes",
    "Voice of creators": "VoiceOfCreators",
}

# the marts each sheet reads (a sheet whose marts are missing says so instead of failing)
SOURCES = {
    "Weekly KPIs": ("fct_escalation_kpis_daily", "fct_escalations"),
    "SLA by priority": ("fct_escalation_kpis_daily",),
    "SLA by channel": ("fct_escalation_kpis_daily", "dim_channel"),
    "Open P0-P1": ("fct_escalations", "fct_sla_events", "fct_status_intervals"),
    "Root causes": ("fct_root_cause_drivers", "dim_root_cause"),
    "Remediation plans": ("fct_remediation_plans",),
    "Alerts": ("fct_metric_alerts",),
    "Emerging themes": ("fct_emerging_themes",),
    "Voice of creators": ("fct_voice_of_creator",),
}

# term, definition, the sheet it is in, the mart it comes from
DEFINITIONS = [
    ("Week", "ISO week, Monday to Sunday. KPI and SLA sheets: local days of the escalation's market; "
     "root causes, themes and voice: UTC days, as their marts count.", "all", "dim_date"),
    ("Created", "Escalations created in the week (not deleted).", "Weekly KPIs", "fct_escalation_kpis_daily"),
    ("Solved", "Escalations solved in the week (each solve counts).", "Weekly KPIs", "fct_escalation_kpis_daily"),
    ("Reopened", "Solved escalations reopened in the week.", "Weekly KPIs", "fct_escalation_kpis_daily"),
    ("Backlog at week end", "Escalations open at the end of the week's Sunday, rebuilt from the status "
     "clock; blank while that Sunday is not over.", "Weekly KPIs", "fct_escalation_kpis_daily"),
    ("SLA attainment", "SLA verdicts achieved / (achieved + breached), by the day the verdict fell; running "
     f"clocks are not counted. Below {SLA_TARGET:.0%} is coloured.", "Weekly KPIs, SLA sheets",
     "fct_escalation_kpis_daily"),
    ("Reopen rate", "Reopened / solved in the week.", "Weekly KPIs", "fct_escalation_kpis_daily"),
    ("CSAT good", "Good ratings / (good + bad ratings) given in the week.", "Weekly KPIs",
     "fct_escalation_kpis_daily"),
    ("Median first reply", "Median calendar time from creation to the first public agent reply, over the "
     "week's escalations (hours:minutes).", "Weekly KPIs", "fct_escalations"),
    ("Calls offered", "Phone calls that started in the week (Avaya ECH).", "Weekly KPIs",
     "fct_escalation_kpis_daily"),
    ("Phone service level", "Calls answered within 30 s / (calls offered - abandoned within 5 s).",
     "Weekly KPIs", "fct_escalation_kpis_daily"),
    ("Abandon rate", "(Calls abandoned - abandoned within 5 s) / (calls offered - abandoned within 5 s).",
     "Weekly KPIs", "fct_escalation_kpis_daily"),
    ("Average handle time", "Talk + hold + wrap-up time per answered call (hours:minutes:seconds).",
     "Weekly KPIs", "fct_escalation_kpis_daily"),
    ("Open P0-P1", "Open escalations of priority P0 or P1, the most urgent SLA first: the running SLA "
     "instance due soonest.", "Open P0-P1", "fct_escalations, fct_sla_events"),
    ("Owner", "The assignee (the tool's agent id) of the escalation's current status stretch; "
     "'unassigned' when none.", "Open P0-P1", "fct_status_intervals"),
    ("Hours to breach", "Wall-clock hours from the as-of instant to the SLA's due instant (in business or "
     "calendar time, as its policy says); negative and red once breached.", "Open P0-P1", "fct_sla_events"),
    ("Share", "A root cause's escalations / all escalations with a root cause that week.", "Root causes",
     "fct_root_cause_drivers"),
    ("Cumulative share", "Pareto: the share of this root cause and every one ranked above it.", "Root causes",
     "fct_root_cause_drivers"),
    ("Change vs previous 4 weeks", "(escalations - mean of the 4 weeks before) / that mean.", "Root causes",
     "fct_root_cause_drivers"),
    ("State", "Shipped; overdue (past due, not shipped); at risk (an action past due, or due within 14 days "
     "with fewer actions done than time gone); on track (the rest). Measured at the as-of date.",
     "Remediation plans", "fct_remediation_plans, fct_remediation_actions"),
    ("Effect", "(share of escalations on the root cause after shipping - before) / before; negative is "
     "fewer.", "Remediation plans", "fct_remediation_plans"),
    ("Alert", "A detected change of a metric in a slice against its same-weekday baseline: observed, "
     "expected, band, score and rule.", "Alerts", "fct_metric_alerts"),
    ("Emerging theme", "A complaint theme with at least 8 escalations in the week, 3 times its usual share "
     "or more and a score of at least 3.5.", "Emerging themes", "fct_emerging_themes"),
    ("Usual share", "The theme's share over the 8 weeks before.", "Emerging themes", "fct_emerging_themes"),
    ("Uncategorized share", "Of the theme's escalations, those agents filed under issue category unknown.",
     "Emerging themes", "fct_emerging_themes"),
    ("Repeat contacts", "Escalations from a requester who had another in the 7 days before.",
     "Voice of creators", "fct_voice_of_creator"),
    ("Good rate, bad rate", "Good (bad) ratings / ratings given in the week.", "Voice of creators",
     "fct_voice_of_creator"),
    ("Top bad-comment themes", "The three themes most frequent in bad ratings' comments, summed over "
     "language and channel: 'label (count); ...'.", "Voice of creators", "fct_voice_of_creator"),
]  # fmt: skip

WEEKLY_KPIS_SQL = """
select
    cast(date_trunc('week', date_day) as date) as week_start,
    sum(created) as created,
    sum(solved) as solved,
    sum(reopened) as reopened,
    sum(case when isodow(date_day) = 7 then backlog_open_end_of_day else 0 end) as backlog,
    sum(sla_achieved) as sla_achieved,
    sum(sla_breached) as sla_breached,
    sum(csat_good) as csat_good,
    sum(csat_bad) as csat_bad,
    sum(calls_offered) as calls_offered,
    sum(calls_answered) as calls_answered,
    sum(calls_answered_within_30s) as calls_answered_within_30s,
    sum(calls_abandoned) as calls_abandoned,
    sum(calls_abandoned_within_5s) as calls_abandoned_within_5s,
    sum(phone_average_handle_minutes * calls_answered) as handle_minutes
from marts.fct_escalation_kpis_daily
where date_day between ? and ?
group by 1
"""

WEEKLY_FIRST_REPLY_SQL = """
select cast(date_trunc('week', created_date_local) as date), median(first_reply_minutes_calendar)
from marts.fct_escalations
where created_date_local between ? and ?
group by 1
"""

SLA_SQL = """
select
    cast(date_trunc('week', date_day) as date) as week_start,
    {dimension},
    sum(sla_achieved) as achieved,
    sum(sla_breached) as breached
from marts.fct_escalation_kpis_daily
where date_day between ? and ?
group by 1, 2
having sum(sla_achieved) + sum(sla_breached) > 0
order by 1, 2
"""

# one row per open P0/P1 escalation with its running SLA instance due soonest
OPEN_SQL = """
with owners as (
    select escalation_key, assignee, team
    from marts.fct_status_intervals
    where is_current
),

running as (
    select
        escalation_key, metric, sla_status, due_at, as_of,
        row_number() over (partition by escalation_key order by due_at nulls last, metric, instance) as n
    from marts.fct_sla_events
    where fulfilled_at is null
)

select
    e.escalation_key, e.priority, e.channel, e.issue_category, coalesce(o.team, e.owning_team) as team,
    o.assignee, e.status_group, e.created_at, r.metric, r.sla_status, r.due_at,
    date_diff('second', r.as_of, r.due_at) / 3600.0 as hours_to_breach,
    count(*) over () as total
from marts.fct_escalations as e
left join owners as o on e.escalation_key = o.escalation_key
left join running as r on e.escalation_key = r.escalation_key and r.n = 1
where e.is_open and e.priority in ('P0', 'P1')
order by r.due_at nulls last, e.priority, e.created_at, e.escalation_key
limit ?
"""

ROOT_CAUSES_SQL = """
select
    week_start, root_cause, escalations, share, cumulative_share, pareto_rank, recurring_escalations,
    change_vs_previous_4_weeks
from marts.fct_root_cause_drivers
where week_start >= ? and escalations > 0
order by week_start, pareto_rank, root_cause
"""

PLANS_SQL = """
select
    plan_key, title, root_cause, owning_team, status, opened_at, due_at, shipped_at, is_overdue,
    days_past_due, actions_total, actions_done, actions_overdue, effect_pct
from marts.fct_remediation_plans
"""

ALERTS_SQL = """
select
    first_detected_at, period, severity, metric, slice_dimension, slice_value, direction, observed,
    expected, lower_bound, upper_bound, score, rule, count(*) over () as total
from marts.fct_metric_alerts
where period > ?
order by period desc, case severity when 'critical' then 0 when 'high' then 1 else 2 end, alert_key
limit ?
"""

THEMES_SQL = """
select
    week_start, label, language, escalations, share, baseline_share, uncategorized_share,
    top_issue_category, example_escalation_keys, count(*) over () as total
from marts.fct_emerging_themes
where is_emerging and week_start >= ?
order by week_start, score desc, theme_key
limit ?
"""

VOICE_SQL = """
select
    week_start, requester_type, market,
    sum(escalations), sum(repeat_contacts), sum(csat_responses), sum(csat_good), sum(csat_bad),
    list(top_bad_comment_themes) filter (where top_bad_comment_themes is not null)
from marts.fct_voice_of_creator
where week_start >= ?
group by 1, 2, 3
order by 1, 2, 3
"""

_THEME_COUNT = re.compile(r"^(.*) \((\d+)\)$")


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return None if not denominator or numerator is None else numerator / denominator


def top_themes(cells: list[str], top: int = 3) -> str | None:
    """Sum 'label (count); ...' cells of finer rows into the ``top`` labels, most first."""
    counts: dict[str, int] = {}
    for cell in cells:
        for part in cell.split("; "):
            match = _THEME_COUNT.match(part.strip())
            if match:
                counts[match[1]] = counts.get(match[1], 0) + int(match[2])
    best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return "; ".join(f"{label} ({n})" for label, n in best) or None


def _capped(what: str, shown: int, total: int) -> str:
    if total > shown:
        return f"The first {shown:,} of {total:,} {what} (capped at {MAX_LIST_ROWS:,}; the DuckDB snapshot has them all)."
    return f"All {total:,} {what}."


class _Reader:
    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn
        self.tables = set(mart_tables(conn))
        self.labels: dict[str, dict[str, str]] = {}
        for name, sql in LABEL_SQL.items():
            try:
                self.labels[name] = dict(conn.execute(sql).fetchall())
            except duckdb.Error:  # a snapshot without the dimension (or its names): keys made readable
                self.labels[name] = {}
        if "fct_emerging_themes" in self.tables:
            self.labels["theme"] = dict(
                conn.execute("select distinct theme_key, label from marts.fct_emerging_themes").fetchall()
            )
        as_of = last_created = None
        if {"fct_escalations", "fct_sla_events"} <= self.tables:
            as_of, last_created, _, _ = conn.execute(DATA_RANGE_SQL).fetchone()
        # as the weekly brief: a world that stopped receiving escalations is not current
        cap = last_created + timedelta(days=1) if last_created else None
        self.as_of: datetime | None = as_of
        self.data_through: datetime | None = min(as_of, cap) if as_of and cap else (as_of or cap)

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.conn.execute(sql, params or []).fetchall()

    def label(self, dimension: str, key: str | None) -> str | None:
        if key is None:
            return None
        return self.labels.get(dimension, {}).get(key) or humanize(key)

    def missing(self, title: str) -> list[str]:
        return [t for t in SOURCES[title] if t not in self.tables]

    def weeks(self, count: int) -> list[Week]:
        return Week.of(self.data_through.date()).history(count)

    # ---- sheets
    def weekly_kpis(self) -> Sheet:
        weeks = self.weeks(KPI_WEEKS)
        span = [weeks[0].start, weeks[-1].end]
        cursor = self.conn.execute(WEEKLY_KPIS_SQL, span)
        names = [d[0] for d in cursor.description]
        kpis = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
        first_reply = dict(self.rows(WEEKLY_FIRST_REPLY_SQL, span))
        rows = []
        for week in weeks:
            k = kpis.get(week.start)
            if k is None:
                continue
            complete = week.end < self.data_through.date()
            effective = k["calls_offered"] - k["calls_abandoned_within_5s"]
            rows.append(
                (
                    week.label,
                    week.start,
                    complete,
                    k["created"],
                    k["solved"],
                    k["reopened"],
                    k["backlog"] if complete else None,  # the Sunday's backlog once that Sunday is over
                    _ratio(k["sla_achieved"], k["sla_achieved"] + k["sla_breached"]),
                    _ratio(k["reopened"], k["solved"]),
                    _ratio(k["csat_good"], k["csat_good"] + k["csat_bad"]),
                    first_reply.get(week.start),
                    k["calls_offered"],
                    _ratio(k["calls_answered_within_30s"], effective),
                    _ratio(k["calls_abandoned"] - k["calls_abandoned_within_5s"], effective),
                    _ratio(k["handle_minutes"], k["calls_answered"]),
                )
            )
        return Sheet(
            "Weekly KPIs",
            TABLES["Weekly KPIs"],
            [
                Column("ISO week", width=10),
                Column("Week start", DATE),
                Column("Complete week"),
                Column("Created", COUNT),
                Column("Solved", COUNT),
                Column("Reopened", COUNT),
                Column("Backlog at week end", COUNT),
                Column("SLA attainment", RATE),
                Column("Reopen rate", RATE),
                Column("CSAT good", RATE),
                Column("Median first reply", HOURS_MINUTES, minutes=True),
                Column("Calls offered", COUNT),
                Column("Phone service level", RATE),
                Column("Abandon rate", RATE),
                Column("Average handle time", HOURS_MINUTES_SECONDS, minutes=True),
            ],
            rows,
            notes=[
                f"Weekly KPIs: the last {KPI_WEEKS} ISO weeks of local days (the running week last, not "
                "complete), from marts.fct_escalation_kpis_daily and marts.fct_escalations.",
            ],
            highlights=[BelowTarget("SLA attainment", SLA_TARGET)],
        )

    def sla(self, dimension: str) -> Sheet:
        weeks = self.weeks(KPI_WEEKS)
        rows = [
            (
                Week.of(start).label,
                start,
                self.label("channel", key) if dimension == "channel" else key,
                achieved,
                breached,
                _ratio(achieved, achieved + breached),
            )  # fmt: skip
            for start, key, achieved, breached in self.rows(
                SLA_SQL.format(dimension=dimension), [weeks[0].start, weeks[-1].end]
            )
        ]
        title = f"SLA by {dimension}"
        return Sheet(
            title,
            TABLES[title],
            [
                Column("ISO week", width=10),
                Column("Week start", DATE),
                Column(dimension.capitalize()),
                Column("Achieved", COUNT),
                Column("Breached", COUNT),
                Column("Attainment", RATE),
            ],
            rows,
            notes=[
                f"SLA verdicts by week and {dimension}, the last {KPI_WEEKS} ISO weeks (local days); "
                f"attainment below {SLA_TARGET:.0%} is coloured. From marts.fct_escalation_kpis_daily.",
            ],
            highlights=[BelowTarget("Attainment", SLA_TARGET)],
        )

    def open_escalations(self) -> Sheet:
        found = self.rows(OPEN_SQL, [MAX_LIST_ROWS])
        total = found[0][-1] if found else 0
        rows = [
            (
                key,
                priority,
                self.label("channel", channel),
                self.label("issue_category", category),
                self.label("team", team),
                assignee or "unassigned",
                humanize(status),
                created,
                metric,
                sla_status,
                due,
                hours,
            )  # fmt: skip
            for (
                key,
                priority,
                channel,
                category,
                team,
                assignee,
                status,
                created,
                metric,
                sla_status,
                due,
                hours,
                _,
            ) in found  # fmt: skip
        ]
        as_of = f"{self.as_of:%Y-%m-%d %H:%M} UTC" if self.as_of else "the build"
        return Sheet(
            "Open P0-P1",
            TABLES["Open P0-P1"],
            [
                Column("Escalation"),
                Column("Priority"),
                Column("Channel"),
                Column("Issue category"),
                Column("Owning team"),
                Column("Owner"),
                Column("Status"),
                Column("Created (UTC)", DATETIME),
                Column("SLA metric"),
                Column("SLA status"),
                Column("Due (UTC)", DATETIME),
                Column("Hours to breach", SIGNED_HOURS),
            ],
            rows,
            notes=[
                "Open P0 and P1 escalations, the SLA due soonest first; hours to breach are measured from "
                f"the as-of instant {as_of} (negative: breached).",
                _capped("open P0/P1 escalations", len(rows), total),
            ],
        )

    def root_causes(self) -> Sheet:
        start = self.weeks(ROOT_CAUSE_WEEKS)[0].start
        rows = [
            (
                Week.of(week).label,
                week,
                self.label("root_cause", cause),
                n,
                share,
                cumulative,
                rank,
                recurring,
                change,
            )  # fmt: skip
            for week, cause, n, share, cumulative, rank, recurring, change in self.rows(
                ROOT_CAUSES_SQL, [start]
            )
        ]
        return Sheet(
            "Root causes",
            TABLES["Root causes"],
            [
                Column("ISO week", width=10),
                Column("Week start", DATE),
                Column("Root cause"),
                Column("Escalations", COUNT),
                Column("Share", RATE),
                Column("Cumulative share", RATE),
                Column("Rank", COUNT),
                Column("Recurring escalations", COUNT),
                Column("Change vs previous 4 weeks", CHANGE),
            ],
            rows,
            notes=[
                f"Root causes by week (UTC weeks), the last {ROOT_CAUSE_WEEKS} weeks, Pareto rank first. "
                "From marts.fct_root_cause_drivers."
            ],
        )

    def plans(self) -> Sheet:
        today = (self.as_of or datetime.now()).date()
        cursor = self.conn.execute(PLANS_SQL)
        names = [d[0] for d in cursor.description]
        plans = []
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            state, reason = plan_state(row, today)
            plans.append((row, state, reason))
        plans.sort(
            key=lambda p: (
                PLAN_ORDER[p[1]],
                -(p[0]["shipped_at"].timestamp()) if p[1] == "shipped" else 0,
                p[0]["due_at"] or date.max,
                p[0]["plan_key"],
            )
        )
        rows = [
            (
                row["plan_key"],
                row["title"],
                self.label("root_cause", row["root_cause"]),
                self.label("team", row["owning_team"]) or "unassigned",
                humanize(row["status"]),
                humanize(state),
                reason,
                row["due_at"],
                row["shipped_at"],
                row["actions_done"] or 0,
                row["actions_total"] or 0,
                row["effect_pct"],
            )  # fmt: skip
            for row, state, reason in plans[:MAX_LIST_ROWS]
        ]
        return Sheet(
            "Remediation plans",
            TABLES["Remediation plans"],
            [
                Column("Plan"),
                Column("Title", width=48),
                Column("Root cause"),
                Column("Owning team"),
                Column("Status"),
                Column("State"),
                Column("Why"),
                Column("Due", DATE),
                Column("Shipped", DATE),
                Column("Actions done", COUNT),
                Column("Actions total", COUNT),
                Column("Effect", CHANGE),
            ],
            rows,
            notes=[
                "Remediation plans: overdue, at risk and on track (soonest due first), then shipped (newest "
                f"first); state measured at {today:%Y-%m-%d}. From marts.fct_remediation_plans.",
                _capped("remediation plans", len(rows), len(plans)),
            ],
        )

    def alerts(self) -> Sheet:
        since = self.data_through.date() - timedelta(days=ALERT_DAYS)
        found = self.rows(ALERTS_SQL, [since, MAX_LIST_ROWS])
        total = found[0][-1] if found else 0
        rows = [
            (
                detected,
                period,
                severity,
                humanize(metric),
                self.slice_label(dimension, value),
                direction,
                observed,
                expected,
                lower,
                upper,
                score,
                rule,
            )  # fmt: skip
            for (
                detected,
                period,
                severity,
                metric,
                dimension,
                value,
                direction,
                observed,
                expected,
                lower,
                upper,
                score,
                rule,
                _,
            ) in found  # fmt: skip
        ]
        return Sheet(
            "Alerts",
            TABLES["Alerts"],
            [
                Column("First detected (UTC)", DATETIME),
                Column("Period", DATE),
                Column("Severity"),
                Column("Metric"),
                Column("Slice"),
                Column("Direction"),
                Column("Observed", DECIMAL),
                Column("Expected", DECIMAL),
                Column("Lower bound", DECIMAL),
                Column("Upper bound", DECIMAL),
                Column("Score", SCORE),
                Column("Rule"),
            ],
            rows,
            notes=[
                f"Metric alerts of the last {ALERT_DAYS} days (by period), newest first, most severe first. "
                "From marts.fct_metric_alerts (method: docs/watch.md).",
                _capped("alerts", len(rows), total),
            ],
        )

    def slice_label(self, dimension: str | None, value: str | None) -> str:
        if dimension in (None, "overall"):
            return "All escalations"
        return f"{humanize(dimension)}: {self.label(dimension, value) if dimension in self.labels else value}"

    def emerging_themes(self) -> Sheet:
        start = self.weeks(THEME_WEEKS)[0].start
        found = self.rows(THEMES_SQL, [start, MAX_LIST_ROWS])
        total = found[0][-1] if found else 0
        rows = [
            (
                Week.of(week).label,
                week,
                label,
                language,
                n,
                share,
                baseline,
                uncategorized,
                self.label("issue_category", category),
                examples,
            )  # fmt: skip
            for week, label, language, n, share, baseline, uncategorized, category, examples, _ in found
        ]
        return Sheet(
            "Emerging themes",
            TABLES["Emerging themes"],
            [
                Column("ISO week", width=10),
                Column("Week start", DATE),
                Column("Theme", width=40),
                Column("Language"),
                Column("Escalations", COUNT),
                Column("Share", RATE),
                Column("Usual share", RATE),
                Column("Uncategorized share", RATE),
                Column("Top issue category"),
                Column("Examples", width=40),
            ],
            rows,
            notes=[
                f"Emerging complaint themes, week by week (UTC weeks), the last {THEME_WEEKS} weeks. "
                "From marts.fct_emerging_themes (method: docs/voice.md).",
                _capped("emerging theme-weeks", len(rows), total),
            ],
        )

    def voice(self) -> Sheet:
        start = self.weeks(VOICE_WEEKS)[0].start
        rows = [
            (
                Week.of(week).label,
                week,
                humanize(tier),
                market,
                n,
                repeat,
                responses,
                _ratio(good, responses),
                _ratio(bad, responses),
                top_themes(themes or []),
            )  # fmt: skip
            for week, tier, market, n, repeat, responses, good, bad, themes in self.rows(VOICE_SQL, [start])
        ]
        return Sheet(
            "Voice of creators",
            TABLES["Voice of creators"],
            [
                Column("ISO week", width=10),
                Column("Week start", DATE),
                Column("Creator tier"),
                Column("Market"),
                Column("Escalations", COUNT),
                Column("Repeat contacts", COUNT),
                Column("CSAT responses", COUNT),
                Column("Good rate", RATE),
                Column("Bad rate", RATE),
                Column("Top bad-comment themes", width=60),
            ],
            rows,
            notes=[
                f"Satisfaction by week (UTC weeks), creator tier (or user) and market, the last {VOICE_WEEKS} "
                "weeks, language and channel summed. From marts.fct_voice_of_creator.",
            ],
        )


def definitions(
    version: str, run_id: str | None, as_of: datetime | None, data_through: datetime | None
) -> Sheet:
    return Sheet(
        "Definitions",
        TABLES["Definitions"],
        [Column("Term"), Column("Definition", width=90), Column("Sheet"), Column("Source mart")],
        [
            (term, text, sheet, ", ".join(f"marts.{m.strip()}" for m in mart.split(",")))
            for term, text, sheet, mart in DEFINITIONS
        ],
        notes=[
            "Escalation Warehouse: published workbook",
            ("Version", version),
            ("As of (UTC)", as_of),
            ("Data through (UTC)", data_through),
            ("Run", run_id or "not recorded"),
            ("Source", "the DuckDB snapshot of the same version (publish/duckdb/escalations.duckdb)"),
        ],
    )


def build_sheets(
    conn: duckdb.DuckDBPyConnection, version: str, run_id: str | None
) -> tuple[list[Sheet], list[str]]:
    """Every sheet of the workbook, in order, and the marts it lacked (their sheets say so)."""
    reader = _Reader(conn)
    builders = {
        "Weekly KPIs": reader.weekly_kpis,
        "SLA by priority": lambda: reader.sla("priority"),
        "SLA by channel": lambda: reader.sla("channel"),
        "Open P0-P1": reader.open_escalations,
        "Root causes": reader.root_causes,
        "Remediation plans": reader.plans,
        "Alerts": reader.alerts,
        "Emerging themes": reader.emerging_themes,
        "Voice of creators": reader.voice,
    }
    sheets = [definitions(version, run_id, reader.as_of, reader.data_through)]
    lacking: list[str] = []
    for title, build in builders.items():
        missing = reader.missing(title)
        if missing or reader.data_through is None:
            lacking += [m for m in missing if m not in lacking]
            sheets.append(_empty(title, missing))
        else:
            sheets.append(build())
    return sheets, lacking


def _empty(title: str, missing: list[str]) -> Sheet:
    why = (
        f"Not in this version: {', '.join(f'marts.{m}' for m in missing)} is not in the snapshot."
        if missing
        else "Not in this version: the snapshot has no escalations."
    )
    return Sheet(title, TABLES[title], [Column("Note", width=60)], [], notes=[why])


def build_workbook(
    snapshot: Path, version: str, run_id: str | None = None
) -> tuple[Workbook, list[Sheet], list[str]]:
    """The workbook of the snapshot ``snapshot`` (read-only), its sheets and the marts it lacked."""
    with duckdb.connect(str(snapshot), read_only=True) as conn:
        conn.execute("set TimeZone = 'UTC'")
        sheets, lacking = build_sheets(conn, version, run_id)
    return write_workbook(sheets, title=f"Escalation Warehouse {version}"), sheets, lacking


def sheet_rows(sheets: list[Sheet]) -> dict[str, int]:
    return {s.title: len(s.rows) for s in sheets}
