"""What the weekly brief shows and how it words it: how many weeks, rows and alerts, the
trailing average a headline number is compared with, the order plans are listed in and why a
plan is in its state.

The business rules themselves live in the marts, never here: a plan's state (overdue, at risk,
on track, shipped) is ``fct_remediation_plans.plan_state`` (dbt var ``remediation_at_risk_days``),
the backlog at a day's end is ``fct_escalation_kpis_daily.backlog_open_end_of_day``.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime
from functools import cache

import yaml

from escalations.config import DBT_PROJECT_DIR
from escalations.report.model import Metric, Plan, Week

HISTORY_WEEKS = 12  # weeks in the volume chart and the headline sparklines, this week last
TRAILING_WEEKS = 4  # the trailing average compares with the 4 weeks before this one
ROOT_CAUSE_WEEKS = 8  # weeks in a root cause's sparkline
TOP_ROOT_CAUSES = 5
MAX_ESCALATIONS = 12  # P0/P1 escalations listed; the rest are counted
MAX_ALERTS = 6  # most severe first; more would push the printed brief past two pages
MAX_SHIPPED_PLANS = 3  # the latest shipped plans, with their effect
PRIORITIES = ("P0", "P1", "P2", "P3")
STEP_ORDER = ["received", "acknowledged", "reply", "handoff", "sla_breached", "resolved", "resolved_again"]


@cache
def at_risk_days() -> int:
    """The window of the mart's at-risk rule (dbt var ``remediation_at_risk_days``), for the
    brief's footnote that explains the states."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    return int(project["vars"]["remediation_at_risk_days"])


def default_week(data_through: datetime) -> Week:
    """The last complete ISO week before the data's as-of."""
    return Week.of(data_through.date()).shifted(-1)


def plan_reason(plan: dict, today: date) -> str:
    """Why a plan is in its state (``plan_state`` of its fct_remediation_plans row), in words, as
    of ``today`` (the build's date, the one the mart measures to)."""
    state = plan["plan_state"]
    done, total = plan["actions_done"] or 0, plan["actions_total"] or 0
    if state == "shipped":
        return f"shipped {plan['shipped_at']:%d %b %Y}"
    if state == "overdue":
        days = plan["days_past_due"]
        return f"{days} day{'s' if days != 1 else ''} past due" if days else "past due"
    if state == "at_risk":
        late = plan["actions_overdue"] or 0
        if late:
            return f"{late} action{'s' if late > 1 else ''} past due"
        return f"due in {(plan['due_at'] - today).days} days, {done} of {total} actions done"
    return f"{done} of {total} actions done"


def listed_plans(plans: list[Plan]) -> list[Plan]:
    """Open plans, overdue first, then at risk, then on track, each by due date; then the latest
    MAX_SHIPPED_PLANS shipped."""
    order = {"overdue": 0, "at_risk": 1, "on_track": 2}
    open_plans = sorted(
        (p for p in plans if p.state != "shipped"),
        key=lambda p: (order[p.state], p.due_at or date.max, p.key),
    )
    shipped = sorted((p for p in plans if p.state == "shipped"), key=lambda p: p.shipped_at, reverse=True)
    return open_plans + shipped[:MAX_SHIPPED_PLANS]


def headline_metric(key: str, label: str, unit: str, better: str, history: list[float | None]) -> Metric:
    """A headline number: this week, last week and the mean of the TRAILING_WEEKS weeks before."""
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
