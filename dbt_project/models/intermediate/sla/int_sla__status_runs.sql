-- Stretches of one status group per escalation (owner changes merged away), tiling its life:
-- the input of every SLA clock. The current stretch has no end (run_to is null).
{{ per_escalation_config() }}

with states as (
    select
        escalation_key,
        valid_from,
        valid_to,
        status_group,
        lag(status_group) over (partition by escalation_key order by valid_from) as previous_status
    from {{ scoped_ref('int_escalations__states') }}
),

numbered as (
    select
        *,
        sum(case when previous_status is null or previous_status != status_group then 1 else 0 end) over (
            partition by escalation_key order by valid_from rows between unbounded preceding and current row
        ) as run_number
    from states
)

select
    escalation_key,
    run_number,
    min(status_group) as status_group,
    min(valid_from) as run_from,
    case when bool_or(valid_to is null) then null else max(valid_to) end as run_to
from numbered
group by escalation_key, run_number
