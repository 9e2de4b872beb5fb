-- One row per remediation plan (a Jira Epic of the remediation project) with its owning and
-- partner teams, status history, due and shipped dates, overdue flag, actions done of total, the
-- root cause it targets and the escalations linked to it, and its measured effect: escalations
-- per week on that root cause in equal windows before and after the ship date (at most
-- effect_window_days each, whole UTC days, the ship day itself excluded), and effect_pct, the
-- change in the root cause's share of all escalations between the windows (so a change in total
-- volume is not mistaken for an effect). Negative is a drop.
with plans as (
    select * from {{ ref('int_remediation__issues') }}
    where issue_type = 'Epic'
),

actions as (
    select
        parent_key,
        count(*) as actions_total,
        count(case when status_category = 'done' then 1 end) as actions_done,
        count(case when status_category != 'done' and due_date < cast({{ as_of() }} as date) then 1 end)
            as actions_overdue
    from {{ ref('int_remediation__issues') }}
    where parent_key is not null
    group by parent_key
),

linked as (
    select
        l.issue_key,
        count(distinct e.escalation_key) as linked_escalations,
        count(*) as linked_references
    from {{ ref('int_remediation__linked_escalations') }} as l
    left join {{ ref('fct_escalations') }} as e on l.escalation_key = e.escalation_key
    group by l.issue_key
),

daily as (
    select
        cast(created_at as date) as created_date,
        root_cause,
        count(*) as escalations
    from {{ ref('fct_escalations') }}
    group by cast(created_at as date), root_cause
),

data_range as (
    select
        min(created_date) as first_date,
        max(created_date) as last_date
    from daily
),

windows as (
    select
        p.issue_key,
        p.root_cause,
        cast(p.done_at as date) as ship_date,
        cast(least(
            {{ var('effect_window_days') }},
            {{ days_between('r.first_date', 'cast(p.done_at as date)') }},
            {{ days_between('cast(p.done_at as date)', 'r.last_date') }}
        ) as integer) as window_days
    from plans as p
    cross join data_range as r
    where p.status_category = 'done' and p.done_at is not null
),

window_counts as (
    select
        w.issue_key,
        w.window_days,
        sum(case when d.created_date < w.ship_date and d.root_cause = w.root_cause then d.escalations else 0 end)
            as cause_before,
        sum(case when d.created_date > w.ship_date and d.root_cause = w.root_cause then d.escalations else 0 end)
            as cause_after,
        sum(case when d.created_date < w.ship_date then d.escalations else 0 end) as total_before,
        sum(case when d.created_date > w.ship_date then d.escalations else 0 end) as total_after
    from windows as w
    inner join daily as d
        on
            d.created_date >= {{ add_days('w.ship_date', '-w.window_days') }}
            and d.created_date <= {{ add_days('w.ship_date', 'w.window_days') }}
            and w.ship_date != d.created_date
    where w.window_days >= 7
    group by w.issue_key, w.window_days
),

plan_dates as (
    select
        issue_key,
        due_date,
        cast(created_at as date) as opened_date,
        cast({{ as_of() }} as date) as as_of_date
    from plans
),

plan_clock as (
    -- days from opening to due and to the as-of date, and from the as-of date to due (null
    -- without a due date or an opening); date - date is whole days, as in days_past_due
    select
        issue_key,
        {{ days_between('opened_date', 'due_date') }} as days_planned,
        {{ days_between('opened_date', 'as_of_date') }} as days_gone,
        {{ days_between('as_of_date', 'due_date') }} as days_to_due
    from plan_dates
),

effects as (
    select
        issue_key,
        window_days,
        cause_before * cast(7 as {{ type_double() }}) / window_days as escalations_per_week_before,
        cause_after * cast(7 as {{ type_double() }}) / window_days as escalations_per_week_after,
        cast(cause_before as {{ type_double() }}) / nullif(total_before, 0) as share_before,
        cast(cause_after as {{ type_double() }}) / nullif(total_after, 0) as share_after
    from window_counts
)

select
    cast(p.issue_key as {{ type_text() }}) as plan_key,
    cast(p.summary as {{ type_text() }}) as title,
    cast(p.root_cause as {{ type_text() }}) as root_cause,
    cast(p.owning_team as {{ type_text() }}) as owning_team,
    cast(p.partner_teams as {{ type_text() }}) as partner_teams,
    cast(p.partner_team_count as integer) as partner_team_count,
    cast(p.status as {{ type_text() }}) as status,
    cast(p.created_at as {{ type_timestamptz() }}) as opened_at,
    cast(p.started_at as {{ type_timestamptz() }}) as started_at,
    cast(p.due_date as date) as due_at,
    cast(p.done_at as {{ type_timestamptz() }}) as shipped_at,
    cast(
        p.status_category != 'done' and p.due_date < cast({{ as_of() }} as date)
        or (p.status_category = 'done' and cast(p.done_at as date) > p.due_date)
        as boolean
    ) as is_late,
    cast(p.status_category != 'done' and p.due_date < cast({{ as_of() }} as date) as boolean) as is_overdue,
    cast(case
        when p.status_category = 'done' then {{ days_between('p.due_date', 'cast(p.done_at as date)') }}
        else {{ days_between('p.due_date', 'cast(' ~ as_of() ~ ' as date)') }}
    end as integer) as days_past_due,
    -- shipped; overdue (not done and past due); at risk (an action past due, or due within
    -- remediation_at_risk_days with a smaller share of its actions done than of its time, opened
    -- to due, gone); on track (every other plan)
    cast(case
        when p.done_at is not null then 'shipped'
        when p.status_category != 'done' and p.due_date < cast({{ as_of() }} as date) then 'overdue'
        when coalesce(a.actions_overdue, 0) > 0 then 'at_risk'
        when
            pc.days_to_due <= {{ var('remediation_at_risk_days') }}
            and pc.days_gone is not null
            and coalesce(cast(a.actions_done as {{ dbt.type_float() }}) / nullif(a.actions_total, 0), 0)
            < case
                when pc.days_planned > 0 then cast(pc.days_gone as {{ dbt.type_float() }}) / pc.days_planned
                else 1.0
            end
            then 'at_risk'
        else 'on_track'
    end as {{ type_text() }}) as plan_state,
    cast(coalesce(a.actions_total, 0) as integer) as actions_total,
    cast(coalesce(a.actions_done, 0) as integer) as actions_done,
    cast(coalesce(a.actions_overdue, 0) as integer) as actions_overdue,
    cast(coalesce(l.linked_escalations, 0) as integer) as linked_escalations,
    cast(e.window_days as integer) as effect_window_days,
    cast(e.escalations_per_week_before as {{ type_double() }}) as escalations_per_week_before,
    cast(e.escalations_per_week_after as {{ type_double() }}) as escalations_per_week_after,
    cast(e.share_before as {{ type_double() }}) as share_before,
    cast(e.share_after as {{ type_double() }}) as share_after,
    cast((e.share_after - e.share_before) / nullif(e.share_before, 0) as {{ type_double() }}) as effect_pct
from plans as p
left join actions as a on p.issue_key = a.parent_key
left join linked as l on p.issue_key = l.issue_key
left join effects as e on p.issue_key = e.issue_key
left join plan_clock as pc on p.issue_key = pc.issue_key
