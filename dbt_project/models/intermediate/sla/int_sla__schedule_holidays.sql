-- What holidays close, per business schedule and local date of the calendar: the whole day
-- (0-1440) or a part of it (start_minute-end_minute, local minutes from midnight).
--   Zendesk: each schedule's own holidays, whole local days from start_date to end_date (several
--     days, across the turn of a year as well).
--   Salesforce: every date a Holiday closes (int_sla__salesforce_holiday_dates), for the schedules
--     it belongs to. Salesforce's API does not say which: a BusinessHoursId column in the export,
--     or the account's map_salesforce_holiday_business_hours seed (holiday Id or Name to business
--     hours Id or Name), names them; a holiday named by neither applies to every schedule.
-- One row per schedule, date and closed stretch (the same stretch from two holidays is one row).
with calendar_days as (
    select local_date from {{ ref('int_sla__calendar_days') }}
),

zendesk_holidays as (
    select
        'zendesk:' || cast(schedule_id as {{ dbt.type_string() }}) as schedule_key,
        {{ json_array_elements('record', 'holidays') }} as holiday
    from {{ ref('stg_zendesk__schedules') }}
),

zendesk_spans as (
    select
        schedule_key,
        {{ json_elem_text('holiday', 'name') }} as holiday_name,
        {{ safe_date(json_elem_text('holiday', 'start_date')) }} as first_day,
        {{ safe_date(json_elem_text('holiday', 'end_date')) }} as last_day
    from zendesk_holidays
),

zendesk_days as (
    select
        s.schedule_key,
        s.holiday_name,
        d.local_date as holiday_date,
        0 as start_minute,
        1440 as end_minute
    from zendesk_spans as s
    inner join calendar_days as d on s.first_day <= d.local_date and coalesce(s.last_day, s.first_day) >= d.local_date
),

salesforce_schedules as (
    select
        'salesforce:' || business_hours_id as schedule_key,
        business_hours_id,
        {{ json_text('record', 'Name') }} as business_hours_name
    from {{ ref('stg_salesforce__business_hours') }}
),

salesforce_holidays as (
    select
        holiday_id,
        holiday_name,
        business_hours_id
    from {{ ref('stg_salesforce__holiday') }}
),

mapped as (
    -- the account's mapping: a holiday (Id or Name) to business hours (Id or Name)
    select
        h.holiday_id,
        s.schedule_key
    from {{ ref('map_salesforce_holiday_business_hours') }} as m
    inner join salesforce_holidays as h on m.holiday = h.holiday_id or m.holiday = h.holiday_name
    inner join salesforce_schedules as s
        on m.business_hours = s.business_hours_id or m.business_hours = s.business_hours_name
),

named as (
    select
        h.holiday_id,
        'salesforce:' || h.business_hours_id as schedule_key
    from salesforce_holidays as h
    where h.business_hours_id is not null
    union
    select
        holiday_id,
        schedule_key
    from mapped
),

holiday_schedules as (
    select
        holiday_id,
        schedule_key
    from named
    union all
    -- named by neither: every Salesforce schedule
    select
        h.holiday_id,
        s.schedule_key
    from salesforce_holidays as h
    cross join salesforce_schedules as s
    where h.holiday_id not in (select holiday_id from named)
),

salesforce_days as (
    select
        hs.schedule_key,
        d.holiday_name,
        d.holiday_date,
        d.start_minute,
        d.end_minute
    from {{ ref('int_sla__salesforce_holiday_dates') }} as d
    inner join holiday_schedules as hs on d.holiday_id = hs.holiday_id
),

unioned as (
    select * from zendesk_days
    union all
    select * from salesforce_days
)

select
    schedule_key,
    holiday_date,
    cast(start_minute as integer) as start_minute,
    cast(end_minute as integer) as end_minute,
    start_minute = 0 and end_minute = 1440 as is_all_day,
    min(holiday_name) as holiday_name
from unioned
group by schedule_key, holiday_date, start_minute, end_minute
