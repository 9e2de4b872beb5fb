-- Every local date a Salesforce Holiday closes, over the calendar (int_sla__calendar_days), and
-- the part of that date it closes: the whole day (0-1440) or, for a partial-day holiday
-- (IsAllDay false), StartTimeInMinutes to EndTimeInMinutes in the schedule's own local time. A
-- partial holiday that ends at or before its start runs past midnight into the next date.
--
-- A one-off holiday is its ActivityDate. A recurring one (IsRecurrence) falls, from
-- RecurrenceStartDate to RecurrenceEndDateOnly (or the calendar's end), on:
--   RecursDaily         every RecurrenceInterval-th day from the start
--   RecursEveryWeekday  every Monday to Friday
--   RecursWeekly        the days of RecurrenceDayOfWeekMask (Sunday 1, Monday 2, ... Saturday 64)
--                       of every RecurrenceInterval-th week (Sunday to Saturday) from the start's
--   RecursMonthly       day RecurrenceDayOfMonth of every RecurrenceInterval-th month (a month
--                       without that day has none)
--   RecursMonthlyNth    the RecurrenceInstance-th (First..Fourth, Last) of the mask's days in
--                       every RecurrenceInterval-th month ("the last weekday": mask 62, Last)
--   RecursYearly        RecurrenceMonthOfYear's day RecurrenceDayOfMonth every year
--   RecursYearlyNth     the RecurrenceInstance-th of the mask's days of RecurrenceMonthOfYear
-- A row that names an unknown type or lacks a field its type needs closes nothing and is listed
-- by the warning test assert_sla_account_settings_understood.
with parsed as (
    select
        holiday_id,
        holiday_name,
        is_recurrence,
        recurrence_type,
        coalesce(recurrence_start_date, activity_date) as recurrence_start_date,
        recurrence_end_date,
        greatest(coalesce(recurrence_interval, 1), 1) as recurrence_interval,
        recurrence_day_of_week_mask,
        recurrence_day_of_month,
        recurrence_instance,
        recurrence_month_of_year,
        activity_date,
        case
            when is_all_day or start_time_in_minutes is null or end_time_in_minutes is null then 0
            else least(greatest(start_time_in_minutes, 0), 1440)
        end as start_minute,
        case
            when is_all_day or start_time_in_minutes is null or end_time_in_minutes is null then 1440
            else least(greatest(end_time_in_minutes, 0), 1440)
        end as end_minute
    from {{ ref('stg_salesforce__holiday') }}
),

holidays as (
    -- the recurrence's start as day, week and month numbers (as the calendar's days below), so
    -- intervals count from it even when it lies before the calendar
    select
        *,
        {{ day_number('recurrence_start_date') }} as start_day_number,
        {{ week_number('recurrence_start_date') }} as start_week_number,
        {{ month_number('recurrence_start_date') }} as start_month_number
    from parsed
),

days as (
    select
        local_date,
        {{ day_number('local_date') }} as day_number,
        {{ week_number('local_date') }} as week_number,
        {{ month_number('local_date') }} as month_number,
        {{ day_of_week('local_date') }} as day_of_week,
        {{ date_field('month', 'local_date') }} as month_of_year,
        {{ date_field('day', 'local_date') }} as day_of_month
    from {{ ref('int_sla__calendar_days') }}
),

weekday_bits as (
    -- RecurrenceDayOfWeekMask: Sunday 1, Monday 2, Tuesday 4 ... Saturday 64
    {% for bit in [1, 2, 4, 8, 16, 32, 64] %}
        select
            {{ loop.index0 }} as day_of_week,
            {{ bit }} as day_bit
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

months as (
    {% for month in ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
        'September', 'October', 'November', 'December'] %}
        select
            '{{ month }}' as month_name,
            {{ loop.index }} as month_of_year
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

instances as (
    select
        'First' as instance_name,
        1 as from_start,
        cast(null as integer) as from_end
    union all
    select
        'Second' as instance_name,
        2 as from_start,
        cast(null as integer) as from_end
    union all
    select
        'Third' as instance_name,
        3 as from_start,
        cast(null as integer) as from_end
    union all
    select
        'Fourth' as instance_name,
        4 as from_start,
        cast(null as integer) as from_end
    union all
    select
        'Last' as instance_name,
        cast(null as integer) as from_start,
        1 as from_end
),

one_off as (
    select
        h.holiday_id,
        h.activity_date as holiday_date
    from holidays as h
    inner join days as d on h.activity_date = d.local_date
    where not h.is_recurrence
),

recurring_days as (
    -- the calendar's dates within each recurring holiday's range
    select
        h.*,
        d.local_date,
        d.day_number,
        d.week_number,
        d.month_number,
        d.day_of_week,
        d.month_of_year,
        d.day_of_month
    from holidays as h
    inner join days as d
        on
            h.recurrence_start_date <= d.local_date
            and coalesce(h.recurrence_end_date, d.local_date) >= d.local_date
    where h.is_recurrence
),

simple_recurrences as (
    select
        r.holiday_id,
        r.local_date as holiday_date
    from recurring_days as r
    left join weekday_bits as b on r.day_of_week = b.day_of_week
    left join months as m on r.recurrence_month_of_year = m.month_name
    where
        (
            r.recurrence_type = 'RecursDaily'
            and (r.day_number - r.start_day_number) % r.recurrence_interval = 0
        )
        or (r.recurrence_type = 'RecursEveryWeekday' and r.day_of_week between 1 and 5)
        or (
            r.recurrence_type = 'RecursWeekly'
            and {{ bit_is_set('r.recurrence_day_of_week_mask', 'b.day_bit') }}
            and (r.week_number - r.start_week_number) % r.recurrence_interval = 0
        )
        or (
            r.recurrence_type = 'RecursMonthly'
            and r.day_of_month = r.recurrence_day_of_month
            and (r.month_number - r.start_month_number) % r.recurrence_interval = 0
        )
        or (
            r.recurrence_type = 'RecursYearly'
            and r.month_of_year = m.month_of_year
            and r.day_of_month = r.recurrence_day_of_month
        )
),

nth_candidates as (
    -- for the Nth types: every date of a month in play whose weekday is in the mask, ranked within
    -- its month from the start and from the end. Ranks count the whole month (the calendar holds
    -- whole months), even where the holiday's range starts or ends inside it.
    select
        h.holiday_id,
        h.recurrence_instance,
        h.recurrence_start_date,
        h.recurrence_end_date,
        d.local_date,
        row_number() over (partition by h.holiday_id, d.month_number order by d.local_date) as from_start,
        row_number() over (partition by h.holiday_id, d.month_number order by d.local_date desc) as from_end
    from holidays as h
    inner join days as d on h.start_month_number <= d.month_number
    inner join weekday_bits as b on d.day_of_week = b.day_of_week
    left join months as m on h.recurrence_month_of_year = m.month_name
    where
        h.is_recurrence
        and {{ bit_is_set('h.recurrence_day_of_week_mask', 'b.day_bit') }}
        and (
            (
                h.recurrence_type = 'RecursMonthlyNth'
                and (d.month_number - h.start_month_number) % h.recurrence_interval = 0
            )
            or (h.recurrence_type = 'RecursYearlyNth' and d.month_of_year = m.month_of_year)
        )
),

nth_recurrences as (
    select
        c.holiday_id,
        c.local_date as holiday_date
    from nth_candidates as c
    inner join instances as i
        on c.recurrence_instance = i.instance_name and (c.from_start = i.from_start or c.from_end = i.from_end)
    where
        c.local_date >= c.recurrence_start_date
        and c.local_date <= coalesce(c.recurrence_end_date, c.local_date)
),

occurrences as (
    select * from one_off
    union
    select * from simple_recurrences
    union
    select * from nth_recurrences
),

closures as (
    select
        o.holiday_id,
        h.holiday_name,
        o.holiday_date,
        h.start_minute,
        case when h.end_minute <= h.start_minute then 1440 else h.end_minute end as end_minute
    from occurrences as o
    inner join holidays as h on o.holiday_id = h.holiday_id
    union all
    -- a partial holiday past midnight closes the next date up to its end
    select
        o.holiday_id,
        h.holiday_name,
        {{ add_days('o.holiday_date', 1) }} as holiday_date,
        0 as start_minute,
        h.end_minute
    from occurrences as o
    inner join holidays as h on o.holiday_id = h.holiday_id
    where h.end_minute <= h.start_minute and h.end_minute > 0
)

select
    holiday_id,
    holiday_name,
    holiday_date,
    cast(start_minute as integer) as start_minute,
    cast(end_minute as integer) as end_minute
from closures
where end_minute > start_minute
