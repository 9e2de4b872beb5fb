-- Business minutes never exceed calendar minutes, and neither is negative.
select
    status_interval_key as row_key,
    minutes_business,
    minutes_calendar
from {{ ref('fct_status_intervals') }}
where minutes_business > minutes_calendar + 1e-9 or minutes_business < 0 or minutes_calendar < 0
union all
select
    escalation_key as row_key,
    first_reply_minutes_business,
    first_reply_minutes_calendar
from {{ ref('fct_escalations') }}
where first_reply_minutes_business > first_reply_minutes_calendar + 1e-9 or first_reply_minutes_business < 0
union all
select
    escalation_key as row_key,
    full_resolution_minutes_business,
    full_resolution_minutes_calendar
from {{ ref('fct_escalations') }}
where
    full_resolution_minutes_business > full_resolution_minutes_calendar + 1e-9
    or full_resolution_minutes_business < 0
