-- Work in progress for issue 7 (metric-change alerts), disabled until it is good enough: on the
-- demo world, daily same-weekday baselines catch 1 of 7 planted incident spikes (which last hours,
-- not days) with 1 of 27 upward volume alerts on issue categories matching one.
{{ config(enabled=false) }}
-- Daily KPI series watched for changes, per slice: overall, and each channel, priority, issue
-- category and market. One row per metric, slice and local day (every day from the first to the
-- last day of data, so volume is zero on quiet days), with the value and the volume behind it.
--   escalation_volume   escalations created
--   sla_attainment      SLA instances achieved / achieved + breached
--   median_first_reply  median calendar minutes to first reply of the day's created escalations
--   reopen_rate         reopens / solves
--   csat_bad_rate       bad ratings / all ratings
with kpis as (
    select * from {{ ref('fct_escalation_kpis_daily') }}
),

sliced as (
    {% for dimension in ['overall', 'channel', 'priority', 'issue_category', 'market'] %}
        select
            '{{ dimension }}' as slice_dimension,
            {{ "'all'" if dimension == 'overall' else dimension }} as slice_value,
            date_day,
            created,
            solved,
            reopened,
            sla_achieved,
            sla_breached,
            csat_good,
            csat_bad
        from kpis
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

counts as (
    select
        slice_dimension,
        slice_value,
        date_day,
        sum(created) as created,
        sum(solved) as solved,
        sum(reopened) as reopened,
        sum(sla_achieved) as sla_achieved,
        sum(sla_breached) as sla_breached,
        sum(csat_good) as csat_good,
        sum(csat_bad) as csat_bad
    from sliced
    group by slice_dimension, slice_value, date_day
),

first_replies as (
    {% for dimension in ['overall', 'channel', 'priority', 'issue_category', 'market'] %}
        select
            '{{ dimension }}' as slice_dimension,
            {{ "'all'" if dimension == 'overall' else dimension }} as slice_value,
            created_date_local as date_day,
            {{ percentile('first_reply_minutes_calendar', 0.5) }} as median_first_reply,
            count(first_reply_minutes_calendar) as replied
        from {{ ref('fct_escalations') }}
        group by 1, 2, 3
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

bounds as (
    select
        min(date_day) as first_day,
        max(date_day) as last_day
    from kpis
    where created > 0
),

days as (
    select d.date_day
    from {{ ref('dim_date') }} as d
    cross join bounds as b
    where d.date_day between b.first_day and b.last_day
),

slices as (
    select distinct
        slice_dimension,
        slice_value
    from counts
),

grid as (
    select
        s.slice_dimension,
        s.slice_value,
        d.date_day,
        coalesce(c.created, 0) as created,
        coalesce(c.solved, 0) as solved,
        coalesce(c.reopened, 0) as reopened,
        coalesce(c.sla_achieved, 0) as sla_achieved,
        coalesce(c.sla_breached, 0) as sla_breached,
        coalesce(c.csat_good, 0) as csat_good,
        coalesce(c.csat_bad, 0) as csat_bad,
        f.median_first_reply,
        coalesce(f.replied, 0) as replied
    from slices as s
    cross join days as d
    left join counts as c
        on s.slice_dimension = c.slice_dimension and s.slice_value = c.slice_value and d.date_day = c.date_day
    left join first_replies as f
        on s.slice_dimension = f.slice_dimension and s.slice_value = f.slice_value and d.date_day = f.date_day
)

select
    slice_dimension,
    slice_value,
    date_day,
    'escalation_volume' as metric,
    cast(created as double) as observed,
    cast(created as double) as volume
from grid
union all
select
    slice_dimension,
    slice_value,
    date_day,
    'sla_attainment' as metric,
    cast(sla_achieved as double) / nullif(sla_achieved + sla_breached, 0) as observed,
    cast(sla_achieved + sla_breached as double) as volume
from grid
union all
select
    slice_dimension,
    slice_value,
    date_day,
    'median_first_reply' as metric,
    cast(median_first_reply as double) as observed,
    cast(replied as double) as volume
from grid
union all
select
    slice_dimension,
    slice_value,
    date_day,
    'reopen_rate' as metric,
    cast(reopened as double) / nullif(solved, 0) as observed,
    cast(solved as double) as volume
from grid
union all
select
    slice_dimension,
    slice_value,
    date_day,
    'csat_bad_rate' as metric,
    cast(csat_bad as double) / nullif(csat_good + csat_bad, 0) as observed,
    cast(csat_good + csat_bad as double) as volume
from grid
