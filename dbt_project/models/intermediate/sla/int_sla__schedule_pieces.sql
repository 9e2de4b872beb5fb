-- Weekly open hours of every business schedule, split at local midnight: one row per schedule,
-- day of week (0 = Sunday) and open stretch of that local day, in minutes from local midnight
-- (the end may be 1440). Zendesk intervals are minutes from Sunday 00:00 and may span days;
-- Salesforce BusinessHours has a start and end local time per day (empty = closed, equal = 24 h).
-- Zone names map through map_time_zones; a name neither the seed nor the engine knows is read as
-- UTC and flagged (dim_business_schedule.is_time_zone_recognized, a warning test).
with zones as (
    select
        source_name,
        iana_name
    from {{ ref('map_time_zones') }}
),

zendesk_schedules as (
    select
        'zendesk:' || cast(schedule_id as varchar) as schedule_key,
        {{ json_text('record', 'time_zone') }} as source_time_zone,
        {{ json_array_elements('record', 'intervals') }} as open_interval
    from {{ ref('stg_zendesk__schedules') }}
),

zendesk_intervals as (
    select
        schedule_key,
        source_time_zone,
        cast({{ json_elem_text('open_interval', 'start_time') }} as integer) as start_minute,
        cast({{ json_elem_text('open_interval', 'end_time') }} as integer) as end_minute
    from zendesk_schedules
),

zendesk_days as (
    select
        i.schedule_key,
        i.source_time_zone,
        i.start_minute,
        i.end_minute,
        d.week_day
    from zendesk_intervals as i
    cross join generate_series(0, 7) as d (week_day)
    where
        i.end_minute > i.start_minute
        and d.week_day * 1440 < i.end_minute
        and (d.week_day + 1) * 1440 > i.start_minute
),

zendesk_pieces as (
    select
        schedule_key,
        source_time_zone,
        week_day % 7 as day_of_week,
        greatest(start_minute - week_day * 1440, 0) as start_minute,
        least(end_minute - week_day * 1440, 1440) as end_minute
    from zendesk_days
),

salesforce_days as (
    {% set days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] %}
    {% for day in days %}
        select
            'salesforce:' || business_hours_id as schedule_key,
            {{ json_text('record', 'TimeZoneSidKey') }} as source_time_zone,
            {{ loop.index0 }} as day_of_week,
            nullif({{ json_text('record', day ~ 'StartTime') }}, '') as start_text,
            nullif({{ json_text('record', day ~ 'EndTime') }}, '') as end_text
        from {{ ref('stg_salesforce__business_hours') }}
        where coalesce({{ json_text('record', 'IsActive') }}, 'true') = 'true'
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

salesforce_minutes as (
    select
        schedule_key,
        source_time_zone,
        day_of_week,
        cast(substr(start_text, 1, 2) as integer) * 60 + cast(substr(start_text, 4, 2) as integer)
            as start_minute,
        cast(substr(end_text, 1, 2) as integer) * 60 + cast(substr(end_text, 4, 2) as integer)
            as end_minute
    from salesforce_days
    where start_text is not null and end_text is not null
),

salesforce_pieces as (
    select
        schedule_key,
        source_time_zone,
        day_of_week,
        start_minute,
        -- an end at or before the start is midnight at the end of the day (00:00 to 00:00 = 24 h)
        case when end_minute <= start_minute then 1440 else end_minute end as end_minute
    from salesforce_minutes
),

pieces as (
    select * from zendesk_pieces
    union all
    select * from salesforce_pieces
),

known_zones as (
    select name from {{ known_time_zones() }}
)

select
    p.schedule_key,
    p.source_time_zone,
    -- a zone the seed does not map and the engine does not know counts as UTC (and is flagged)
    coalesce(z.iana_name, k.name, 'UTC') as time_zone,
    z.iana_name is not null or k.name is not null as is_time_zone_recognized,
    cast(p.day_of_week as integer) as day_of_week,
    cast(p.start_minute as integer) as start_minute,
    cast(p.end_minute as integer) as end_minute
from pieces as p
left join zones as z on p.source_time_zone = z.source_name
left join known_zones as k on p.source_time_zone = k.name
where p.end_minute > p.start_minute
