-- Weekly open hours of every business schedule, split at local midnight: one row per schedule,
-- day of week (0 = Sunday) and open stretch of that local day, in minutes from local midnight
-- (the end may be 1440).
--   Zendesk: intervals in minutes from Sunday 00:00 local; one may span midnight or the end of
--     the week (Zendesk writes those as two intervals, split at midnight; either way reads the
--     same), and a day may have several (09:00-12:00 and 13:00-17:00).
--   Salesforce BusinessHours: a start and end local time per day ("Z" notwithstanding); empty =
--     closed. An end at or before the start runs past midnight into the next day, so a day whose
--     start and end are both 00:00:00.000Z is open 24 hours (Salesforce's convention) and
--     22:00-06:00 is open to 06:00 the next morning.
--   HubSpot: the desk's operating hours per pipeline from the account's sla_hubspot_business_hours
--     seed (HubSpot exports none), read like Salesforce's: an end at or before the start runs
--     past midnight.
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
        'zendesk:' || cast(schedule_id as {{ dbt.type_string() }}) as schedule_key,
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
    cross join {{ integer_series(0, 7, 'd', 'week_day') }}
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
        {{ clock_text_minutes('start_text') }} as start_minute,
        {{ clock_text_minutes('end_text') }} as end_minute
    from salesforce_days
    where start_text is not null and end_text is not null
),

week_days as (
    {% for day in ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] %}
        select
            '{{ day }}' as day_name,
            {{ loop.index0 }} as day_of_week
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

hubspot_minutes as (
    select
        'hubspot:pipeline:' || h.hs_pipeline as schedule_key,
        h.time_zone as source_time_zone,
        w.day_of_week,
        {{ clock_text_minutes('h.start_time') }} as start_minute,
        {{ clock_text_minutes('h.end_time') }} as end_minute
    from {{ ref('sla_hubspot_business_hours') }} as h
    inner join week_days as w on h.day_of_week = w.day_name
),

daily_hours as (
    select * from salesforce_minutes
    union all
    select * from hubspot_minutes
),

daily_pieces as (
    -- an end at or before the start is past midnight: the day to midnight, the next from midnight
    select
        schedule_key,
        source_time_zone,
        day_of_week,
        start_minute,
        case when end_minute <= start_minute then 1440 else end_minute end as end_minute
    from daily_hours
    union all
    select
        schedule_key,
        source_time_zone,
        (day_of_week + 1) % 7 as day_of_week,
        0 as start_minute,
        end_minute
    from daily_hours
    where end_minute <= start_minute and end_minute > 0
),

pieces as (
    select * from zendesk_pieces
    union all
    select * from daily_pieces
),

known_zones as (
    select name from {{ known_time_zones() }}
),

located as (
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
)

-- pieces of one day that overlap or touch (a Saturday open from midnight after a Friday open
-- past midnight, say) are one: open time counts once
select
    schedule_key,
    source_time_zone,
    time_zone,
    is_time_zone_recognized,
    day_of_week,
    start_minute,
    end_minute
from {{ merged_intervals('located', ['schedule_key', 'source_time_zone', 'time_zone', 'is_time_zone_recognized',
    'day_of_week'], 'start_minute', 'end_minute') }} as merged
