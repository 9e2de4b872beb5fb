-- SLA verdicts agree with their own clocks: a breach has an instant after the start and no later
-- than fulfilment; an achieved or open instance has not run past its target; only open ones have
-- minutes to breach; every instance of an escalation that breached shows in any_sla_breached.
select
    sla_event_key,
    sla_status
from {{ ref('fct_sla_events') }}
where
    (is_breached != (breached_at is not null))
    or (is_breached != (sla_status = 'breached'))
    or (breached_at < started_at)
    or (breached_at > fulfilled_at)
    or (not is_breached and elapsed_minutes > target_minutes + 1e-9)
    or ((minutes_to_breach is not null) != (sla_status in ('active', 'paused')))
    or (minutes_to_breach < 0)
    or (sla_status = 'achieved' and fulfilled_at is null)
    or (sla_status in ('active', 'paused') and fulfilled_at is not null)
union all
select
    e.escalation_key as sla_event_key,
    'any_sla_breached mismatch' as sla_status
from {{ ref('fct_escalations') }} as e
where
    coalesce(e.any_sla_breached, false) != (e.sla_breaches > 0)
