-- Agreement between our SLA verdicts and the source tools' own, per tool and metric, as of each
-- tool's export (see rpt_sla_vendor_reconciliation for the instances that differ); and, where the
-- tool exports its clock (Salesforce milestones completed by the export, on their own clock),
-- agreement of the elapsed and stopped minutes.
with exports as (
    {{ sla_vendor_exports() }}
),

milestones as (
    select
        escalation_key,
        metric,
        instance,
        is_actual_elapsed_derived
    from {{ ref('int_sla__salesforce_milestones') }}
),

compared as (
    select
        split_part(e.escalation_key, ':', 1) as source_system,
        e.metric,
        e.sla_event_key,
        {{ sla_elapsed_is_compared('e', 'x.exported_at') }} as is_elapsed_compared,
        {{ sla_elapsed_agrees('e', 'm.is_actual_elapsed_derived') }} as is_elapsed_agreeing
    from {{ ref('fct_sla_events') }} as e
    inner join exports as x on split_part(e.escalation_key, ':', 1) = x.source_system
    left join milestones as m
        on e.escalation_key = m.escalation_key and e.metric = m.metric and e.instance = m.instance
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
    cast(count(*) - count(d.sla_event_key) as {{ type_double() }}) / count(*) as agreement_rate,
    count(case when c.is_elapsed_compared then 1 end) as elapsed_compared,
    count(case when c.is_elapsed_compared and c.is_elapsed_agreeing then 1 end) as elapsed_agreeing,
    cast(count(case when c.is_elapsed_compared and c.is_elapsed_agreeing then 1 end) as {{ type_double() }})
    / nullif(count(case when c.is_elapsed_compared then 1 end), 0) as elapsed_agreement_rate
from compared as c
left join differing as d on c.sla_event_key = d.sla_event_key
group by c.source_system, c.metric
