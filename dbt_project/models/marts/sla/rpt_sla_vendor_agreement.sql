-- Agreement between our SLA verdicts and the source tools' own, per tool and metric, as of each
-- tool's export (see rpt_sla_vendor_reconciliation for the instances that differ).
with compared as (
    select
        split_part(e.escalation_key, ':', 1) as source_system,
        e.metric,
        e.sla_event_key
    from {{ ref('fct_sla_events') }} as e
    where e.vendor_is_breached is not null
),

differing as (
    select distinct sla_event_key
    from {{ ref('rpt_sla_vendor_reconciliation') }}
    where difference = 'verdict'
)

select
    c.source_system,
    c.metric,
    count(*) as instances_compared,
    count(*) - count(d.sla_event_key) as instances_agreeing,
    cast(count(*) - count(d.sla_event_key) as double) / count(*) as agreement_rate
from compared as c
left join differing as d on c.sla_event_key = d.sla_event_key
group by c.source_system, c.metric
