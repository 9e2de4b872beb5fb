"""What people read for the warehouse's codes: one home for the names of metrics, alert rules and
plan states, read by the weekly brief (``escalations/report``) and the notices
(``escalations/watch``) alike, so a metric is called the same everywhere.

The codes themselves come from the marts (``fct_metric_alerts.metric`` and ``rule``,
``fct_sla_events.metric``, ``fct_remediation_plans.plan_state``); a code missing here is shown as
it is, made readable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AlertMetric:
    label: str
    unit: str  # count, rate (0-1) or minutes: how its observed and expected values are written


# fct_metric_alerts.metric
ALERT_METRICS = {
    "escalation_volume": AlertMetric("Escalation volume", "count"),
    "sla_attainment": AlertMetric("SLA attainment", "rate"),
    "median_first_reply": AlertMetric("Median first reply", "minutes"),
    "reopen_rate": AlertMetric("Reopen rate", "rate"),
    "csat_bad_rate": AlertMetric("CSAT bad rate", "rate"),
    "emerging_theme": AlertMetric("Emerging theme", "count"),
}

# fct_metric_alerts.rule
ALERT_RULES = {
    "beyond_3_sigma": "beyond 3 sigma",
    "two_of_three_2sigma": "2 of 3 days beyond 2 sigma",
    "eight_in_a_row": "8 days in a row on one side",
    "sustained_shift": "sustained shift (7-day mean)",
    "intraday_spike": "intraday spike",
    "emerging_theme": "emerging theme (3x its share of the 8 weeks before)",
}

# fct_sla_events.metric
SLA_METRICS = {
    "first_reply_time": "First reply",
    "next_reply_time": "Next reply",
    "periodic_update_time": "Periodic update",
    "pausable_update_time": "Pausable update",
    "requester_wait_time": "Requester wait",
    "agent_work_time": "Agent work",
    "total_resolution_time": "Resolution",
}

# fct_remediation_plans.plan_state, in the order the brief lists them
PLAN_STATES = {"overdue": "Overdue", "at_risk": "At risk", "on_track": "On track", "shipped": "Shipped"}


def humanize(text: str) -> str:
    """snake_case made readable: 'waiting_on_requester' -> 'Waiting on requester'."""
    return str(text).replace("_", " ").capitalize()


def alert_metric_label(metric: str) -> str:
    known = ALERT_METRICS.get(metric)
    return known.label if known else humanize(metric)


def alert_metric_unit(metric: str) -> str:
    known = ALERT_METRICS.get(metric)
    return known.unit if known else "count"


def alert_rule_label(rule: str) -> str:
    return ALERT_RULES.get(rule, rule)


def sla_metric_label(metric: str) -> str:
    return SLA_METRICS.get(metric, metric)
