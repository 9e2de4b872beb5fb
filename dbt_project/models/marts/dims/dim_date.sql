-- One row per calendar date from the first escalation's date (less a week) to the day after the
-- as-of date (local dates east of UTC run a day ahead). Only escalations created inside the
-- plausible window count: a far-off one loaded before the loader checked it stretches nothing.
with bounds as (
    select
        {{ add_days('cast(min(created_at) as date)', '-7') }} as first_date,
        {{ add_days('cast(' ~ as_of() ~ ' as date)', '1') }} as last_date
    from {{ ref('int_escalations__unioned') }}
    where created_at between {{ plausible_from() }} and {{ plausible_to() }}
),

days as (
    select cast(g.day_start as date) as date_day
    from bounds as b
    cross join {{ day_series(
        'cast(coalesce(b.first_date, b.last_date) as timestamp)', 'cast(b.last_date as timestamp)', 'g'
    ) }}
)

select
    date_day,
    cast(extract(year from date_day) as integer) as year_number,
    cast(extract(month from date_day) as integer) as month_number,
    cast(extract(day from date_day) as integer) as day_of_month,
    cast({{ iso_day_of_week('date_day') }} as integer) as iso_day_of_week,
    cast({{ iso_day_of_week('date_day') }} in (6, 7) as boolean) as is_weekend,
    {{ add_days('date_day', '1 - ' ~ iso_day_of_week('date_day')) }} as week_start,
    cast({{ iso_year('date_day') }} as integer) as iso_year,
    cast(extract(week from date_day) as integer) as iso_week,
    cast(date_trunc('month', date_day) as date) as month_start
from days
