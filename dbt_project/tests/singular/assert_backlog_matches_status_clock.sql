-- The backlog of fct_escalation_kpis_daily at the end of each of its last 28 days = the
-- escalations open then by the status clock (fct_status_intervals), per market. Both measure at
-- the same instant, the end of the local day in the market's zone (macro day_end_at), only for
-- days that have ended by the as-of instant. A row is a market-day where they differ.
{{ config(meta={'dagster': {'ref': {'name': 'fct_escalation_kpis_daily'}}}) }}

with kpi as (
    select
        date_day,
        market,
        sum(backlog_open_end_of_day) as backlog
    from {{ ref('fct_escalation_kpis_daily') }}
    group by date_day, market
),

markets as (
    select distinct
        e.market,
        coalesce(m.time_zone, 'UTC') as time_zone
    from {{ ref('fct_escalations') }} as e
    left join {{ ref('dim_market') }} as m on e.market = m.market
),

day_ends as (
    select
        d.date_day,
        mk.market,
        {{ day_end_at('d.date_day', 'mk.time_zone') }} as day_end_at
    from {{ ref('dim_date') }} as d
    cross join markets as mk
    where
        d.date_day >= (select cast({{ dbt.dateadd('day', -28, 'max(date_day)') }} as date) from kpi)
        and d.date_day <= (select max(date_day) from kpi)
        and {{ day_end_at('d.date_day', 'mk.time_zone') }} <= {{ as_of() }}
),

open_intervals as (
    select
        i.escalation_key,
        e.market,
        i.valid_from,
        i.valid_to,
        i.is_current
    from {{ ref('fct_status_intervals') }} as i
    inner join {{ ref('fct_escalations') }} as e on i.escalation_key = e.escalation_key
    inner join {{ ref('dim_status_group') }} as g on i.status_group = g.status_group
    where g.is_open and i.valid_to >= (select min(day_end_at) from day_ends)
),

clock as (
    select
        d.date_day,
        d.market,
        count(distinct o.escalation_key) as open_escalations
    from day_ends as d
    inner join open_intervals as o
        on
            d.market = o.market
            and d.day_end_at >= o.valid_from
            -- the current stretch ends at the as-of instant but is still open then
            and (d.day_end_at < o.valid_to or (o.is_current and d.day_end_at = o.valid_to))
    group by d.date_day, d.market
)

select
    d.date_day,
    d.market,
    coalesce(k.backlog, 0) as kpi_backlog,
    coalesce(c.open_escalations, 0) as open_by_status_clock
from day_ends as d
left join kpi as k on d.date_day = k.date_day and d.market = k.market
left join clock as c on d.date_day = c.date_day and d.market = c.market
where coalesce(k.backlog, 0) != coalesce(c.open_escalations, 0)
