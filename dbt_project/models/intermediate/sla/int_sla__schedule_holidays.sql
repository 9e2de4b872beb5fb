-- Whole local days off per business schedule. Zendesk holidays belong to their schedule and may
-- span days; a Salesforce Holiday applies to the schedule its BusinessHoursId names, or to every
-- Salesforce schedule when it names none.
with zendesk_holidays as (
    select
        'zendesk:' || cast(schedule_id as varchar) as schedule_key,
        {{ json_array_elements('record', 'holidays') }} as holiday
    from {{ ref('stg_zendesk__schedules') }}
),

zendesk_spans as (
    select
        schedule_key,
        {{ json_elem_text('holiday', 'name') }} as holiday_name,
        cast({{ json_elem_text('holiday', 'start_date') }} as date) as first_day,
        cast({{ json_elem_text('holiday', 'end_date') }} as date) as last_day
    from zendesk_holidays
),

zendesk_days as (
    select
        s.schedule_key,
        s.holiday_name,
        cast(s.first_day + cast(d.day_offset as integer) as date) as holiday_date
    from zendesk_spans as s
    cross join generate_series(0, 366) as d (day_offset)
    where s.first_day + cast(d.day_offset as integer) <= s.last_day
),

salesforce_schedules as (
    select 'salesforce:' || business_hours_id as schedule_key
    from {{ ref('stg_salesforce__business_hours') }}
),

salesforce_holidays as (
    select
        nullif({{ json_text('record', 'BusinessHoursId') }}, '') as business_hours_id,
        {{ json_text('record', 'Name') }} as holiday_name,
        cast({{ json_text('record', 'ActivityDate') }} as date) as holiday_date
    from {{ ref('stg_salesforce__holiday') }}
),

salesforce_days as (
    select
        s.schedule_key,
        h.holiday_name,
        h.holiday_date
    from salesforce_holidays as h
    inner join salesforce_schedules as s
        on h.business_hours_id is null or s.schedule_key = 'salesforce:' || h.business_hours_id
),

unioned as (
    select * from zendesk_days
    union all
    select * from salesforce_days
)

select
    schedule_key,
    holiday_date,
    min(holiday_name) as holiday_name
from unioned
group by schedule_key, holiday_date
