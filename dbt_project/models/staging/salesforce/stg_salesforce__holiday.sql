-- Salesforce Holiday rows with their recurrence fields typed (int_sla__salesforce_holiday_dates
-- expands them). Empty CSV cells are null. BusinessHoursId is not an API field of Holiday: an
-- export may carry it as an extra column naming the one schedule a holiday belongs to.
with source as (
    select * from {{ source('salesforce', 'salesforce_holiday') }}
),

renamed as (
    select
        id as holiday_id,
        {{ json_text('record', 'Name') }} as holiday_name,
        {{ safe_date(json_text('record', 'ActivityDate')) }} as activity_date,
        coalesce({{ json_text('record', 'IsAllDay') }}, 'true') = 'true' as is_all_day,
        {{ safe_integer(json_text('record', 'StartTimeInMinutes')) }} as start_time_in_minutes,
        {{ safe_integer(json_text('record', 'EndTimeInMinutes')) }} as end_time_in_minutes,
        coalesce({{ json_text('record', 'IsRecurrence') }}, 'false') = 'true' as is_recurrence,
        nullif({{ json_text('record', 'RecurrenceType') }}, '') as recurrence_type,
        {{ safe_date(json_text('record', 'RecurrenceStartDate')) }} as recurrence_start_date,
        {{ safe_date(json_text('record', 'RecurrenceEndDateOnly')) }} as recurrence_end_date,
        {{ safe_integer(json_text('record', 'RecurrenceInterval')) }} as recurrence_interval,
        {{ safe_integer(json_text('record', 'RecurrenceDayOfWeekMask')) }} as recurrence_day_of_week_mask,
        {{ safe_integer(json_text('record', 'RecurrenceDayOfMonth')) }} as recurrence_day_of_month,
        nullif({{ json_text('record', 'RecurrenceInstance') }}, '') as recurrence_instance,
        nullif({{ json_text('record', 'RecurrenceMonthOfYear') }}, '') as recurrence_month_of_year,
        nullif({{ json_text('record', 'BusinessHoursId') }}, '') as business_hours_id,
        record,
        _loaded_at
    from source
)

select * from renamed
