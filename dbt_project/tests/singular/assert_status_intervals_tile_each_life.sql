-- The status intervals of an escalation tile its life: the first starts at creation, each starts
-- where the previous ended, none runs backwards, and the last is the current one.
with intervals as (
    select
        i.escalation_key,
        i.interval_number,
        i.valid_from,
        i.valid_to,
        i.is_current,
        lag(i.valid_to) over (partition by i.escalation_key order by i.interval_number) as previous_to,
        lead(i.interval_number) over (partition by i.escalation_key order by i.interval_number) as next_number,
        e.created_at
    from {{ ref('fct_status_intervals') }} as i
    inner join {{ ref('fct_escalations') }} as e on i.escalation_key = e.escalation_key
)

select *
from intervals
where
    (interval_number = 1 and valid_from != created_at)
    or (previous_to is not null and previous_to != valid_from)
    or valid_to < valid_from
    or (next_number is null) != is_current
