-- Where escalations wait: per month x owning team x channel x priority x status group, how long
-- escalations spent in that status group (per escalation, p50 and p90, calendar and business),
-- and that status group's share of all time spent open (new, open, waiting on the requester, on
-- hold) in the slice: the share of life waiting on the requester vs on hold vs with an agent.
-- Months and teams are those of each stretch of the status clock (fct_status_intervals).
with stretches as (
    select
        i.escalation_key,
        cast(date_trunc('month', i.valid_from) as date) as month_start,
        i.team,
        e.channel,
        e.priority,
        i.status_group,
        g.is_open,
        g.clock_state,
        i.minutes_calendar,
        i.minutes_business
    from {{ ref('fct_status_intervals') }} as i
    inner join {{ ref('fct_escalations') }} as e on i.escalation_key = e.escalation_key
    inner join {{ ref('dim_status_group') }} as g on i.status_group = g.status_group
),

per_escalation as (
    select
        month_start,
        team,
        channel,
        priority,
        status_group,
        is_open,
        clock_state,
        escalation_key,
        count(*) as stretches,
        -- rounded: float sums must not depend on the order rows are added in
        {{ round_double('sum(minutes_calendar)', 6) }} as minutes_calendar,
        {{ round_double('sum(minutes_business)', 6) }} as minutes_business
    from stretches
    group by month_start, team, channel, priority, status_group, is_open, clock_state, escalation_key
),

per_status as (
    select
        month_start,
        team,
        channel,
        priority,
        status_group,
        min(clock_state) as clock_state,
        bool_and(is_open) as is_open,
        count(*) as escalations,
        sum(stretches) as stretches,
        {{ round_double('sum(minutes_calendar)', 6) }} as minutes_calendar_total,
        {{ round_double('sum(minutes_business)', 6) }} as minutes_business_total,
        {{ percentile('minutes_calendar', 0.5) }} as minutes_calendar_p50,
        {{ percentile('minutes_calendar', 0.9) }} as minutes_calendar_p90,
        {{ percentile('minutes_business', 0.5) }} as minutes_business_p50,
        {{ percentile('minutes_business', 0.9) }} as minutes_business_p90
    from per_escalation
    group by month_start, team, channel, priority, status_group
),

open_totals as (
    select
        month_start,
        team,
        channel,
        priority,
        {{ round_double('sum(minutes_calendar_total)', 6) }} as open_minutes_calendar
    from per_status
    where is_open
    group by month_start, team, channel, priority
)

select
    cast(
        cast(s.month_start as {{ type_text() }}) || '|' || s.team || '|' || s.channel || '|' || s.priority || '|'
        || s.status_group as {{ type_text() }}
    ) as bottleneck_key,
    cast(s.month_start as date) as month_start,
    cast(s.team as {{ type_text() }}) as team,
    cast(s.channel as {{ type_text() }}) as channel,
    cast(s.priority as {{ type_text() }}) as priority,
    cast(s.status_group as {{ type_text() }}) as status_group,
    cast(s.clock_state as {{ type_text() }}) as waiting_on,
    cast(s.escalations as integer) as escalations,
    cast(s.stretches as integer) as stretches,
    cast(s.minutes_calendar_total as {{ type_double() }}) as minutes_calendar_total,
    cast(s.minutes_business_total as {{ type_double() }}) as minutes_business_total,
    cast(s.minutes_calendar_p50 as {{ type_double() }}) as minutes_calendar_p50,
    cast(s.minutes_calendar_p90 as {{ type_double() }}) as minutes_calendar_p90,
    cast(s.minutes_business_p50 as {{ type_double() }}) as minutes_business_p50,
    cast(s.minutes_business_p90 as {{ type_double() }}) as minutes_business_p90,
    cast(case
        when s.is_open then s.minutes_calendar_total / nullif(o.open_minutes_calendar, 0)
    end as {{ type_double() }}) as share_of_open_time
from per_status as s
left join open_totals as o
    on s.month_start = o.month_start and s.team = o.team and s.channel = o.channel and s.priority = o.priority
