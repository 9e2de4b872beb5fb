-- One row per business schedule (Zendesk schedules, Salesforce BusinessHours, HubSpot pipeline
-- operating hours).
with schedules as (
    select * from {{ ref('int_sla__schedules') }}
),

weekly as (
    select
        schedule_key,
        min(source_time_zone) as source_time_zone,
        min(time_zone) as time_zone,
        bool_and(is_time_zone_recognized) as is_time_zone_recognized,
        sum(end_minute - start_minute) as open_minutes_per_week
    from {{ ref('int_sla__schedule_pieces') }}
    group by schedule_key
),

holidays as (
    select
        schedule_key,
        count(distinct holiday_date) as holiday_days
    from {{ ref('int_sla__schedule_holidays') }}
    group by schedule_key
),

periods as (
    select
        schedule_key,
        min(period_start_at) as calendar_from,
        max(period_end_at) as calendar_to
    from {{ ref('int_sla__business_periods') }}
    group by schedule_key
)

select
    s.schedule_key,
    s.source_system,
    s.schedule_id,
    s.schedule_name,
    w.time_zone,
    w.source_time_zone,
    coalesce(w.is_time_zone_recognized, true) as is_time_zone_recognized,
    s.is_default,
    cast(coalesce(w.open_minutes_per_week, 0) as integer) as open_minutes_per_week,
    coalesce(w.open_minutes_per_week, 0) = 10080 as is_24x7,
    cast(coalesce(h.holiday_days, 0) as integer) as holiday_days,
    p.calendar_from,
    p.calendar_to
from schedules as s
left join weekly as w on s.schedule_key = w.schedule_key
left join holidays as h on s.schedule_key = h.schedule_key
left join periods as p on s.schedule_key = p.schedule_key
