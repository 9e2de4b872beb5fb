-- Weekly root-cause drivers (ISO weeks from Monday, UTC): escalations per root cause, its share of
-- the week, the Pareto rank and cumulative share, recurring escalations (the same requester and
-- issue category again within 7 days, or linked to a Zendesk problem ticket), the repeat-requester
-- rate (escalations whose requester had raised the same root cause before), the reopen rate, and
-- the change against the average of the 4 weeks before. Weeks with no escalation on a root cause
-- that occurs at all are kept with zeros, so trailing averages are honest.
with escalations as (
    select
        e.escalation_key,
        e.root_cause,
        e.issue_category,
        e.requester_key,
        e.created_at,
        e.reopen_count,
        cast(date_trunc('week', e.created_at) as date) as week_start,
        t.problem_id
    from {{ ref('fct_escalations') }} as e
    -- one equality (the key), so the join stays a hash join: with `source_system = 'zendesk' and
    -- native_id = ...` it ran as a nested loop (minutes at 1M escalations)
    left join {{ ref('stg_zendesk__tickets') }} as t
        on e.escalation_key = 'zendesk:' || t.ticket_id
),

flags as (
    select
        *,
        coalesce(
            lag(created_at) over (
                partition by requester_key, issue_category order by created_at, escalation_key
            ) >= created_at - interval '7 days',
            false
        ) as is_repeat_within_7d,
        row_number() over (
            partition by requester_key, root_cause order by created_at, escalation_key
        ) > 1 as is_repeat_requester
    from escalations
),

weekly as (
    select
        week_start,
        root_cause,
        count(*) as escalations,
        count(case when is_repeat_within_7d or problem_id is not null then 1 end) as recurring_escalations,
        count(case when is_repeat_requester then 1 end) as repeat_requester_escalations,
        count(case when reopen_count > 0 then 1 end) as reopened_escalations
    from flags
    group by week_start, root_cause
),

weeks as (
    select distinct week_start from escalations
),

causes as (
    select distinct root_cause from escalations
),

grid as (
    select
        w.week_start,
        c.root_cause,
        coalesce(x.escalations, 0) as escalations,
        coalesce(x.recurring_escalations, 0) as recurring_escalations,
        coalesce(x.repeat_requester_escalations, 0) as repeat_requester_escalations,
        coalesce(x.reopened_escalations, 0) as reopened_escalations
    from weeks as w
    cross join causes as c
    left join weekly as x on w.week_start = x.week_start and c.root_cause = x.root_cause
),

ranked as (
    select
        *,
        sum(escalations) over (partition by week_start) as week_escalations,
        row_number() over (partition by week_start order by escalations desc, root_cause asc) as pareto_rank,
        -- of doubles: Postgres' avg of integers is numeric, whose ratios round apart from DuckDB's
        avg(cast(escalations as {{ type_double() }})) over (
            partition by root_cause order by week_start rows between 4 preceding and 1 preceding
        ) as previous_4_weeks_average,
        count(*) over (
            partition by root_cause order by week_start rows between 4 preceding and 1 preceding
        ) as previous_weeks
    from grid
),

cumulated as (
    select
        *,
        sum(escalations) over (
            partition by week_start order by pareto_rank rows between unbounded preceding and current row
        ) as cumulative_escalations
    from ranked
)

select
    cast(cast(week_start as {{ type_text() }}) || '|' || root_cause as {{ type_text() }}) as driver_key,
    cast(week_start as date) as week_start,
    cast(root_cause as {{ type_text() }}) as root_cause,
    cast(escalations as integer) as escalations,
    cast(week_escalations as integer) as week_escalations,
    cast(cast(escalations as {{ type_double() }}) / nullif(week_escalations, 0) as {{ type_double() }}) as share,
    cast(
        cast(cumulative_escalations as {{ type_double() }}) / nullif(week_escalations, 0) as {{ type_double() }}
    ) as cumulative_share,
    cast(pareto_rank as integer) as pareto_rank,
    cast(recurring_escalations as integer) as recurring_escalations,
    cast(
        cast(recurring_escalations as {{ type_double() }}) / nullif(escalations, 0) as {{ type_double() }}
    ) as recurring_rate,
    cast(
        cast(repeat_requester_escalations as {{ type_double() }}) / nullif(escalations, 0) as {{ type_double() }}
    ) as repeat_requester_rate,
    cast(
        cast(reopened_escalations as {{ type_double() }}) / nullif(escalations, 0) as {{ type_double() }}
    ) as reopen_rate,
    cast(
        case when previous_weeks = 4 then previous_4_weeks_average end as {{ type_double() }}
    ) as previous_4_weeks_average,
    cast(case
        when previous_weeks = 4 and previous_4_weeks_average > 0
            then (escalations - previous_4_weeks_average) / previous_4_weeks_average
    end as {{ type_double() }}) as change_vs_previous_4_weeks
from cumulated
