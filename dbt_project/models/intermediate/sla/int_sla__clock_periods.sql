-- Every clock the SLA engine counts on: each business schedule's open periods, plus 'calendar',
-- one period from 1970 on, so calendar time is the same lookup (open seconds = elapsed seconds).
select
    schedule_key,
    start_s,
    end_s,
    open_before_s
from {{ ref('int_sla__business_periods') }}
union all
select
    'calendar' as schedule_key,
    cast(0 as bigint) as start_s,
    cast({{ 2 ** 40 }} as bigint) as end_s,
    cast(0 as bigint) as open_before_s
