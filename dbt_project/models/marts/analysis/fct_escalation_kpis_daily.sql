-- Daily KPIs per local day x channel x priority x issue category x market. The day is the local
-- date in the market's time zone (dim_market; UTC for unknown markets). Flows count events on
-- that day: escalations created, solves and reopens (from the status clock, each transition
-- counted), SLA instances achieved (by fulfilment) and breached (by breach instant). The backlog
-- is reconstructed from the status clock, so history is right from day one: escalations in an
-- open status group at the end of the local day, by age (days not yet over have none). First
-- reply times are for the day's created escalations; resolution times for escalations last
-- resolved that day. Phone KPIs (channel phone, int_calls__daily): calls offered, answered,
-- answered within 30 s, abandoned (and within 5 s); service level = answered within 30 s over
-- calls offered less those abandoned within 5 s, abandon rate = abandoned after 5 s over the same,
-- average handle time = talk + hold + wrap-up over answered calls.
with escalations as (
    select
        e.escalation_key,
        e.channel,
        e.priority,
        e.issue_category,
        e.market,
        e.created_at,
        e.last_resolved_at,
        e.first_reply_minutes_calendar,
        e.first_reply_minutes_business,
        e.full_resolution_minutes_calendar,
        e.full_resolution_minutes_business,
        e.csat_score,
        coalesce(m.time_zone, 'UTC') as time_zone
    from {{ ref('fct_escalations') }} as e
    left join {{ ref('dim_market') }} as m on e.market = m.market
),

runs as (
    select
        r.escalation_key,
        r.status_group,
        r.run_from,
        r.run_to,
        lag(r.status_group) over (partition by r.escalation_key order by r.run_from) as previous_status
    from {{ ref('int_sla__status_runs') }} as r
),

transitions as (
    select
        escalation_key,
        run_from as changed_at,
        case
            when status_group in ('solved', 'closed') and coalesce(previous_status, 'new') not in ('solved', 'closed')
                then 'solved'
            when status_group not in ('solved', 'closed') and previous_status in ('solved', 'closed')
                then 'reopened'
        end as transition
    from runs
),

events as (
    select
        e.escalation_key,
        {{ local_date('e.created_at', 'e.time_zone') }} as date_day,
        1 as created,
        0 as solved,
        0 as reopened,
        0 as sla_achieved,
        0 as sla_breached,
        case when e.csat_score = 'good' then 1 else 0 end as csat_good,
        case when e.csat_score = 'bad' then 1 else 0 end as csat_bad,
        e.first_reply_minutes_calendar,
        e.first_reply_minutes_business,
        cast(null as {{ type_double() }}) as resolution_minutes_calendar,
        cast(null as {{ type_double() }}) as resolution_minutes_business
    from escalations as e
    union all
    select
        e.escalation_key,
        {{ local_date('t.changed_at', 'e.time_zone') }} as date_day,
        0 as created,
        case when t.transition = 'solved' then 1 else 0 end as solved,
        case when t.transition = 'reopened' then 1 else 0 end as reopened,
        0 as sla_achieved,
        0 as sla_breached,
        0 as csat_good,
        0 as csat_bad,
        cast(null as {{ type_double() }}) as first_reply_minutes_calendar,
        cast(null as {{ type_double() }}) as first_reply_minutes_business,
        cast(null as {{ type_double() }}) as resolution_minutes_calendar,
        cast(null as {{ type_double() }}) as resolution_minutes_business
    from transitions as t
    inner join escalations as e on t.escalation_key = e.escalation_key
    where t.transition is not null
    union all
    select
        e.escalation_key,
        {{ local_date('coalesce(s.breached_at, s.fulfilled_at)', 'e.time_zone') }} as date_day,
        0 as created,
        0 as solved,
        0 as reopened,
        case when s.sla_status = 'achieved' then 1 else 0 end as sla_achieved,
        case when s.sla_status = 'breached' then 1 else 0 end as sla_breached,
        0 as csat_good,
        0 as csat_bad,
        cast(null as {{ type_double() }}) as first_reply_minutes_calendar,
        cast(null as {{ type_double() }}) as first_reply_minutes_business,
        cast(null as {{ type_double() }}) as resolution_minutes_calendar,
        cast(null as {{ type_double() }}) as resolution_minutes_business
    from {{ ref('fct_sla_events') }} as s
    inner join escalations as e on s.escalation_key = e.escalation_key
    where s.sla_status in ('achieved', 'breached')
    union all
    select
        e.escalation_key,
        {{ local_date('e.last_resolved_at', 'e.time_zone') }} as date_day,
        0 as created,
        0 as solved,
        0 as reopened,
        0 as sla_achieved,
        0 as sla_breached,
        0 as csat_good,
        0 as csat_bad,
        cast(null as {{ type_double() }}) as first_reply_minutes_calendar,
        cast(null as {{ type_double() }}) as first_reply_minutes_business,
        e.full_resolution_minutes_calendar as resolution_minutes_calendar,
        e.full_resolution_minutes_business as resolution_minutes_business
    from escalations as e
    where e.last_resolved_at is not null
),

flows as (
    select
        ev.date_day,
        e.channel,
        e.priority,
        e.issue_category,
        e.market,
        sum(ev.created) as created,
        sum(ev.solved) as solved,
        sum(ev.reopened) as reopened,
        sum(ev.sla_achieved) as sla_achieved,
        sum(ev.sla_breached) as sla_breached,
        sum(ev.csat_good) as csat_good,
        sum(ev.csat_bad) as csat_bad,
        {{ percentile('ev.first_reply_minutes_calendar', 0.5) }} as first_reply_minutes_calendar_p50,
        {{ percentile('ev.first_reply_minutes_calendar', 0.9) }} as first_reply_minutes_calendar_p90,
        {{ percentile('ev.first_reply_minutes_business', 0.5) }} as first_reply_minutes_business_p50,
        {{ percentile('ev.first_reply_minutes_business', 0.9) }} as first_reply_minutes_business_p90,
        {{ percentile('ev.resolution_minutes_calendar', 0.5) }} as resolution_minutes_calendar_p50,
        {{ percentile('ev.resolution_minutes_calendar', 0.9) }} as resolution_minutes_calendar_p90,
        {{ percentile('ev.resolution_minutes_business', 0.5) }} as resolution_minutes_business_p50,
        {{ percentile('ev.resolution_minutes_business', 0.9) }} as resolution_minutes_business_p90
    from events as ev
    inner join escalations as e on ev.escalation_key = e.escalation_key
    group by ev.date_day, e.channel, e.priority, e.issue_category, e.market
),

zones as (
    select distinct time_zone from escalations
),

day_ends as (
    -- the end of each local day in each market's zone, as an instant; only days that have ended
    -- by the as-of instant have a backlog (a later one would be a forecast)
    select
        d.date_day,
        z.time_zone,
        {{ day_end_at('d.date_day', 'z.time_zone') }} as day_end_at
    from {{ ref('dim_date') }} as d
    cross join zones as z
    where {{ day_end_at('d.date_day', 'z.time_zone') }} <= {{ as_of() }}
),

open_runs as (
    select
        r.escalation_key,
        r.run_from,
        r.run_to
    from runs as r
    inner join {{ ref('dim_status_group') }} as g on r.status_group = g.status_group
    where g.is_open
),

backlog_rows as (
    select
        d.date_day,
        e.channel,
        e.priority,
        e.issue_category,
        e.market,
        {{ minutes_between('e.created_at', 'd.day_end_at') }} / 1440.0 as age_days
    from open_runs as r
    inner join escalations as e on r.escalation_key = e.escalation_key
    inner join day_ends as d
        on e.time_zone = d.time_zone and r.run_from <= d.day_end_at and {{ open_end('r.run_to') }} > d.day_end_at
),

backlog as (
    select
        date_day,
        channel,
        priority,
        issue_category,
        market,
        count(*) as backlog_open_end_of_day,
        count(case when age_days < 1 then 1 end) as backlog_age_under_1d,
        count(case when age_days >= 1 and age_days < 3 then 1 end) as backlog_age_1_3d,
        count(case when age_days >= 3 and age_days < 7 then 1 end) as backlog_age_3_7d,
        count(case when age_days >= 7 then 1 end) as backlog_age_7d_plus
    from backlog_rows
    group by date_day, channel, priority, issue_category, market
),

calls as (
    select * from {{ ref('int_calls__daily') }}
),

slices as (
    select
        date_day,
        channel,
        priority,
        issue_category,
        market
    from flows
    union
    select
        date_day,
        channel,
        priority,
        issue_category,
        market
    from calls
    union
    select
        date_day,
        channel,
        priority,
        issue_category,
        market
    from backlog
)

select
    cast(
        cast(s.date_day as {{ type_text() }})
        || '|'
        || s.channel
        || '|'
        || s.priority
        || '|'
        || s.issue_category
        || '|'
        || s.market
        as {{ type_text() }}
    ) as kpi_key,
    cast(s.date_day as date) as date_day,
    cast(s.channel as {{ type_text() }}) as channel,
    cast(s.priority as {{ type_text() }}) as priority,
    cast(s.issue_category as {{ type_text() }}) as issue_category,
    cast(s.market as {{ type_text() }}) as market,
    cast(coalesce(f.created, 0) as integer) as created,
    cast(coalesce(f.solved, 0) as integer) as solved,
    cast(coalesce(f.reopened, 0) as integer) as reopened,
    cast(coalesce(b.backlog_open_end_of_day, 0) as integer) as backlog_open_end_of_day,
    cast(coalesce(b.backlog_age_under_1d, 0) as integer) as backlog_age_under_1d,
    cast(coalesce(b.backlog_age_1_3d, 0) as integer) as backlog_age_1_3d,
    cast(coalesce(b.backlog_age_3_7d, 0) as integer) as backlog_age_3_7d,
    cast(coalesce(b.backlog_age_7d_plus, 0) as integer) as backlog_age_7d_plus,
    cast(coalesce(f.sla_achieved, 0) as integer) as sla_achieved,
    cast(coalesce(f.sla_breached, 0) as integer) as sla_breached,
    cast(
        cast(f.sla_achieved as {{ type_double() }}) / nullif(f.sla_achieved + f.sla_breached, 0) as {{ type_double() }}
    ) as sla_attainment_rate,
    cast(f.first_reply_minutes_calendar_p50 as {{ type_double() }}) as first_reply_minutes_calendar_p50,
    -- p90 >= p50 exactly: interpolating between two equal values can land one ulp below them
    -- (quantile_cont's (1 - d) * lo + d * hi; the 1M bench world had such a day)
    cast(
        greatest(f.first_reply_minutes_calendar_p90, f.first_reply_minutes_calendar_p50) as {{ type_double() }}
    ) as first_reply_minutes_calendar_p90,
    cast(f.first_reply_minutes_business_p50 as {{ type_double() }}) as first_reply_minutes_business_p50,
    cast(
        greatest(f.first_reply_minutes_business_p90, f.first_reply_minutes_business_p50) as {{ type_double() }}
    ) as first_reply_minutes_business_p90,
    cast(f.resolution_minutes_calendar_p50 as {{ type_double() }}) as resolution_minutes_calendar_p50,
    cast(
        greatest(f.resolution_minutes_calendar_p90, f.resolution_minutes_calendar_p50) as {{ type_double() }}
    ) as resolution_minutes_calendar_p90,
    cast(f.resolution_minutes_business_p50 as {{ type_double() }}) as resolution_minutes_business_p50,
    cast(
        greatest(f.resolution_minutes_business_p90, f.resolution_minutes_business_p50) as {{ type_double() }}
    ) as resolution_minutes_business_p90,
    cast(coalesce(f.csat_good, 0) as integer) as csat_good,
    cast(coalesce(f.csat_bad, 0) as integer) as csat_bad,
    cast(coalesce(c.calls_offered, 0) as {{ dbt.type_int() }}) as calls_offered,
    cast(coalesce(c.calls_answered, 0) as {{ dbt.type_int() }}) as calls_answered,
    cast(coalesce(c.calls_answered_within_30s, 0) as {{ dbt.type_int() }}) as calls_answered_within_30s,
    cast(coalesce(c.calls_abandoned, 0) as {{ dbt.type_int() }}) as calls_abandoned,
    cast(coalesce(c.calls_abandoned_within_5s, 0) as {{ dbt.type_int() }}) as calls_abandoned_within_5s,
    cast(
        cast(c.calls_answered_within_30s as {{ type_double() }})
        / nullif(c.calls_offered - c.calls_abandoned_within_5s, 0) as {{ type_double() }}
    ) as phone_service_level,
    cast(
        cast(c.calls_abandoned - c.calls_abandoned_within_5s as {{ type_double() }})
        / nullif(c.calls_offered - c.calls_abandoned_within_5s, 0) as {{ type_double() }}
    ) as phone_abandon_rate,
    cast(
        c.handle_seconds_answered / cast(60 as {{ type_double() }}) / nullif(c.calls_answered, 0) as {{ type_double() }}
    ) as phone_average_handle_minutes
from slices as s
left join flows as f
    on
        s.date_day = f.date_day and s.channel = f.channel and s.priority = f.priority
        and s.issue_category = f.issue_category and s.market = f.market
left join backlog as b
    on
        s.date_day = b.date_day and s.channel = b.channel and s.priority = b.priority
        and s.issue_category = b.issue_category and s.market = b.market
left join calls as c
    on
        s.date_day = c.date_day and s.channel = c.channel and s.priority = c.priority
        and s.issue_category = c.issue_category and s.market = c.market
