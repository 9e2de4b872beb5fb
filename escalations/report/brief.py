"""The numbers of the weekly executive brief, read from the published DuckDB snapshot.

Everything here is a query of the marts (never the warehouse a run writes; the SQL is in
``queries.py``) turned into the plain dataclasses of ``model.py``, so the HTML, the JSON and the
tests read the same numbers; what is shown and how it is worded is in ``rules.py``. A week is an
ISO week, Monday to Sunday, of local days (``created_date_local``,
``fct_escalation_kpis_daily.date_day``); ``fct_root_cause_drivers`` and ``fct_incidents`` count
UTC weeks, as their marts do.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import duckdb

from escalations.labels import humanize
from escalations.publish import mart_tables
from escalations.report.model import (
    Alert,
    Brief,
    Escalation,
    Incidents,
    Metric,
    NoDataError,
    Plan,
    RootCause,
    SlaSlice,
    Step,
    Week,
    ratio,
)
from escalations.report.queries import (
    ALERTS_SQL,
    DATA_RANGE_SQL,
    ESCALATIONS_SQL,
    HANDOFFS_SQL,
    INCIDENTS_SQL,
    LABEL_SQL,
    PLANS_SQL,
    ROOT_CAUSE_HISTORY_SQL,
    ROOT_CAUSES_SQL,
    SLA_SLICE_SQL,
    SLA_STEPS_SQL,
    WEEKLY_FIRST_REPLY_SQL,
    WEEKLY_KPIS_SQL,
)
from escalations.report.rules import (
    HISTORY_WEEKS,
    MAX_ALERTS,
    MAX_ESCALATIONS,
    PRIORITIES,
    ROOT_CAUSE_WEEKS,
    STEP_ORDER,
    TOP_ROOT_CAUSES,
    default_week,
    headline_metric,
    listed_plans,
    plan_reason,
)
from escalations.report.voice import voice_section

__all__ = ["Brief", "NoDataError", "Week", "build_brief"]


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


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
                series(lambda k, w: ratio(k["sla_achieved"], k["sla_achieved"] + k["sla_breached"])),
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
                series(lambda k, w: ratio(k["reopened"], k["solved"])),
            ),
            (
                "csat_good_share",
                "CSAT good",
                "rate",
                "up",
                series(lambda k, w: ratio(k["csat_good"], k["csat_good"] + k["csat_bad"])),
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
        return [
            headline_metric(key, label, unit, better, history) for key, label, unit, better, history in specs
        ]

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
                last_week_attainment=ratio(prev_achieved, prev_achieved + prev_breached),
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
                    steps=sorted(timeline, key=lambda s: (s.at, STEP_ORDER.index(s.kind))),
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
        """The plans as the mart states them (``plan_state``), with why in words."""
        plans = [
            Plan(
                key=row["plan_key"],
                title=row["title"],
                root_cause=self.label("root_cause", row["root_cause"]),
                owning_team=row["owning_team"] or "unassigned",
                state=row["plan_state"],
                reason=plan_reason(row, today),
                due_at=row["due_at"],
                shipped_at=row["shipped_at"],
                actions_done=row["actions_done"] or 0,
                actions_total=row["actions_total"] or 0,
                effect_pct=row["effect_pct"],
            )
            for row in self.dicts(PLANS_SQL)
        ]
        return listed_plans(plans)

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
