-- Daily KPI series watched for changes, per slice: overall, and each channel, priority, issue
-- category and market; escalation volume also per root cause (where remediation plans act). One
-- row per metric, slice and local day, every day from the first day of data to the last complete
-- one (so volume is zero on quiet days), with the value, its kind (count, rate or median: how
-- fct_metric_alerts baselines and scores it) and the volume behind it:
--   escalation_volume   escalations created
--   sla_attainment      SLA instances achieved / achieved + breached
--   median_first_reply  median business minutes to first reply of the day's created escalations
--   reopen_rate         reopens / solves
--   csat_bad_rate       bad ratings / all ratings
-- A day is complete once it has ended in every market's zone: the series stops two UTC days
-- before the run's as-of instant, so a day still filling in never reads as a drop.
{% set dimensions = ['overall', 'channel', 'priority', 'issue_category', 'market'] %}
with kpis as (
    select * from {{ ref('fct_escalation_kpis_daily') }}
),

escalations as (
    select * from {{ ref('fct_escalations') }}
),

sliced as (
    {% for dimension in dimensions %}
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
        union all
    {% endfor %}
    select
        'root_cause' as slice_dimension,
        coalesce(root_cause, 'unknown') as slice_value,
        created_date_local as date_day,
        1 as created,
        null as solved,
        null as reopened,
        null as sla_achieved,
        null as sla_breached,
        null as csat_good,
        null as csat_bad
    from escalations
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
    {% for dimension in dimensions %}
        select
            '{{ dimension }}' as slice_dimension,
            {{ "'all'" if dimension == 'overall' else dimension }} as slice_value,
            created_date_local as date_day,
            {{ percentile('first_reply_minutes_business', 0.5) }} as median_first_reply,
            count(first_reply_minutes_business) as replied
        from escalations
        group by slice_dimension, slice_value, date_day
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

bounds as (
    select
        min(created_date_local) as first_day,
        least(max(created_date_local), cast(cast({{ as_of() }} as date) - 2 as date)) as last_day
    from escalations
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
        s.slice_dimension = 'root_cause' as volume_only,
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
        on
            s.slice_dimension = c.slice_dimension
            and s.slice_value = c.slice_value
            and d.date_day = c.date_day
    left join first_replies as f
        on
            s.slice_dimension = f.slice_dimension
            and s.slice_value = f.slice_value
            and d.date_day = f.date_day
)

{#- name, kind, value, the volume behind it, and whether root-cause slices carry it -#}
{% set double = type_double() %}
{% set metrics = [
    ('escalation_volume', 'count', 'cast(created as ' ~ double ~ ')', 'created', true),
    ('sla_attainment', 'rate', 'cast(sla_achieved as ' ~ double ~ ') / nullif(sla_achieved + sla_breached, 0)',
        'sla_achieved + sla_breached', false),
    ('median_first_reply', 'median', 'cast(median_first_reply as ' ~ double ~ ')', 'replied', false),
    ('reopen_rate', 'rate', 'cast(reopened as ' ~ double ~ ') / nullif(solved, 0)', 'solved', false),
    ('csat_bad_rate', 'rate', 'cast(csat_bad as ' ~ double ~ ') / nullif(csat_good + csat_bad, 0)',
        'csat_good + csat_bad', false),
] %}
{% for name, kind, observed, volume, on_root_causes in metrics %}
    select
        slice_dimension,
        slice_value,
        date_day,
        '{{ name }}' as metric,
        '{{ kind }}' as value_kind,
        {{ observed }} as observed,
        cast({{ volume }} as {{ type_double() }}) as volume
    from grid
    {% if not on_root_causes %}where not volume_only{% endif %}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
