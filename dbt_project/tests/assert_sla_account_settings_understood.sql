-- Account settings the SLA engine cannot use, each with what is wrong (a warning: the rest of the
-- calendars and clocks still build). Fix the export or the seed named in `setting`.
{{ config(severity='warn') }}

with holidays as (
    select * from {{ ref('stg_salesforce__holiday') }}
),

holiday_problems as (
    select
        'Holiday.csv' as setting,
        holiday_id as item,
        case
            when not is_recurrence and activity_date is null then 'one-off holiday without an ActivityDate'
            when is_recurrence and recurrence_type not in (
                'RecursDaily', 'RecursEveryWeekday', 'RecursWeekly', 'RecursMonthly', 'RecursMonthlyNth',
                'RecursYearly', 'RecursYearlyNth'
            ) then 'unknown RecurrenceType ' || coalesce(recurrence_type, '(empty)')
            when is_recurrence and coalesce(recurrence_start_date, activity_date) is null
                then 'recurring holiday without a RecurrenceStartDate'
            when
                recurrence_type in ('RecursWeekly', 'RecursMonthlyNth', 'RecursYearlyNth')
                and coalesce(recurrence_day_of_week_mask, 0) not between 1 and 127
                then 'RecurrenceDayOfWeekMask must be 1-127'
            when
                recurrence_type in ('RecursMonthly', 'RecursYearly')
                and coalesce(recurrence_day_of_month, 0) not between 1 and 31
                then 'RecurrenceDayOfMonth must be 1-31'
            when
                recurrence_type in ('RecursMonthlyNth', 'RecursYearlyNth')
                and coalesce(recurrence_instance, '') not in ('First', 'Second', 'Third', 'Fourth', 'Last')
                then 'RecurrenceInstance must be First, Second, Third, Fourth or Last'
            when
                recurrence_type in ('RecursYearly', 'RecursYearlyNth')
                and coalesce(recurrence_month_of_year, '') not in (
                    'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
                    'October', 'November', 'December'
                ) then 'RecurrenceMonthOfYear must be a month name'
            when not is_all_day and (start_time_in_minutes is null or end_time_in_minutes is null)
                then 'partial-day holiday without StartTimeInMinutes/EndTimeInMinutes: read as all day'
        end as problem
    from holidays
),

schedules as (
    select
        business_hours_id,
        {{ json_text('record', 'Name') }} as business_hours_name
    from {{ ref('stg_salesforce__business_hours') }}
),

mapping_problems as (
    select
        'map_salesforce_holiday_business_hours' as setting,
        m.holiday || ' -> ' || m.business_hours as item,
        case
            when not exists (
                select 1 from holidays as h
                where m.holiday = h.holiday_id or m.holiday = h.holiday_name
            ) then 'no Holiday has this Id or Name'
            when not exists (
                select 1 from schedules as s
                where m.business_hours = s.business_hours_id or m.business_hours = s.business_hours_name
            ) then 'no BusinessHours has this Id or Name'
        end as problem
    from {{ ref('map_salesforce_holiday_business_hours') }} as m
),

hours_problems as (
    select
        'sla_hubspot_business_hours' as setting,
        hs_pipeline || ' ' || day_of_week || ' ' || start_time || '-' || end_time as item,
        case
            when
                coalesce(day_of_week, '') not in (
                    'Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'
                )
                then 'day_of_week must be Sunday ... Saturday'
            when
                length(start_time) != 5 or length(end_time) != 5
                or coalesce({{ clock_text_minutes('start_time') }}, 9999) > 1440
                or coalesce({{ clock_text_minutes('end_time') }}, 9999) > 1440
                then 'times must be HH:MM, 00:00 to 24:00'
        end as problem
    from {{ ref('sla_hubspot_business_hours') }}
),

stopped_problems as (
    select
        'sla_salesforce_stopped_statuses' as setting,
        s.status as item,
        'not a Salesforce status in map_statuses' as problem
    from {{ ref('sla_salesforce_stopped_statuses') }} as s
    left join {{ ref('map_statuses') }} as m on m.source_system = 'salesforce' and s.status = m.source_value
    where m.source_value is null
),

goal_problems as (
    select
        'map_hubspot_sla' as setting,
        hs_pipeline || ' ' || metric as item,
        'one running_in per pipeline and metric' as problem
    from {{ ref('map_hubspot_sla') }}
    group by hs_pipeline, metric
    having count(distinct running_in) > 1
)

select * from holiday_problems
where problem is not null
union all
select * from mapping_problems
where problem is not null
union all
select * from hours_problems
where problem is not null
union all
select * from stopped_problems
union all
select * from goal_problems
