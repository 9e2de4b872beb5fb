-- Every local date the business calendars reason about: one row per date of every month the
-- calendar touches. The calendar itself (is_in_calendar) runs from `calendar_days_before` days
-- before the first escalation to `calendar_days_after` days after the last one or the as-of
-- instant; the rest of its first and last months is here too, so a recurring holiday such as
-- "the last Monday of May" is counted within its whole month. Only escalations created inside
-- the plausible window count: one far-off timestamp loaded before the loader checked the window
-- must not stretch the calendar over centuries.
with escalation_span as (
    select
        min(created_at) as first_at,
        greatest(max(created_at), {{ as_of() }}) as last_at
    from {{ ref('int_escalations__unioned') }}
    where created_at between {{ plausible_from() }} and {{ plausible_to() }}
),

calendar_range as (
    select
        {{ add_days('cast(coalesce(first_at, ' ~ as_of() ~ ') as date)', -(var('calendar_days_before') | int)) }}
            as first_day,
        {{ add_days('cast(coalesce(last_at, ' ~ as_of() ~ ') as date)', var('calendar_days_after') | int) }}
            as last_day
    from escalation_span
),

month_range as (
    select
        first_day,
        last_day,
        cast({{ dbt.date_trunc('month', 'first_day') }} as date) as first_month_day,
        cast({{ dbt.last_day('last_day', 'month') }} as date) as last_month_day
    from calendar_range
),

days as (
    select
        cast(g.day_start as date) as local_date,
        r.first_day,
        r.last_day
    from month_range as r
    cross join {{ day_series('cast(r.first_month_day as ' ~ dbt.type_timestamp() ~ ')',
        'cast(r.last_month_day as ' ~ dbt.type_timestamp() ~ ')', 'g') }}
),

fields as (
    select
        local_date,
        local_date >= first_day and local_date <= last_day as is_in_calendar,
        {{ day_number('local_date') }} as day_number,
        {{ day_of_week('local_date') }} as day_of_week
    from days
)

select
    local_date,
    is_in_calendar,
    -- the local midnight as if it were UTC: wall-clock seconds of the date (business periods)
    cast(day_number as bigint) * 86400 as day_s,
    day_of_week
from fields
