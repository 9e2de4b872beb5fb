"""The SQL of the weekly brief: each a plain read of a published mart (filters, sums over a
week, a median over the week's escalations); the rules that make the numbers live in the marts."""

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
    plan_key, title, root_cause, owning_team, status, plan_state, opened_at, due_at, shipped_at, is_overdue,
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
