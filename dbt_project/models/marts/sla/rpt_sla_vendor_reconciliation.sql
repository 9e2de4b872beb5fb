-- Every SLA instance where our verdict and the source tool's differ (difference = 'verdict'),
-- with both clocks side by side; every Zendesk instance whose applied policy (the tool's
-- apply_sla record, which wins) is not the one the policy conditions pick ('policy'); and every
-- Salesforce milestone whose target is not the one the case's current priority calls for, as
-- when the tool did not re-apply it after a priority change ('target'); and every Salesforce
-- milestone completed by the export, on its own clock, whose elapsed or stopped minutes are not
-- the tool's ('elapsed': our running minutes against ActualElapsedTimeInMins, our paused minutes
-- against StoppedTimeInMins, both whole minutes as the tool rounds them down; one minute either
-- way where ActualElapsedTimeInMins is not exported and is derived as Elapsed - Stopped). Our
-- verdict is taken as of the tool's export (the newest instant in that tool's data), so clocks
-- still running after it do not count as disagreements. rpt_sla_vendor_agreement has the
-- agreement rates.
-- Rebuilt whole in every build: the export instant is the newest across all escalations, so a
-- day's records move every escalation's verdict as of the export.
with policy_titles as (
    select distinct
        sla_policy_id,
        policy_title
    from {{ ref('int_sla__zendesk_policy_metrics') }}
),

exports as (
    {{ sla_vendor_exports() }}
),

events as (
    select
        e.*,
        split_part(e.escalation_key, ':', 1) as source_system
    from {{ ref('fct_sla_events') }} as e
    where e.vendor_is_breached is not null
),

compared as (
    select
        e.*,
        x.exported_at,
        -- breached as of the export: the elapsed time was above the target by then
        coalesce(e.exceeded_at <= x.exported_at, false) as is_breached_at_export
    from events as e
    inner join exports as x on e.source_system = x.source_system
),

verdicts as (
    select
        escalation_key,
        sla_event_key,
        source_system,
        metric,
        instance,
        'verdict' as difference,
        priority,
        policy_name,
        cast(null as {{ dbt.type_string() }}) as policy_by_conditions,
        target_minutes,
        is_business_hours,
        is_breached_at_export as our_is_breached,
        vendor_is_breached,
        breached_at as our_breached_at,
        vendor_breached_at,
        elapsed_minutes as our_elapsed_minutes,
        vendor_elapsed_minutes,
        paused_minutes as our_paused_minutes,
        vendor_stopped_minutes,
        exported_at
    from compared
    where is_breached_at_export != vendor_is_breached
),

tool_policies as (
    select
        s.sla_event_key,
        s.escalation_key,
        s.metric,
        s.instance,
        s.applied_at,
        s.policy_key,
        s.policy_name,
        s.priority,
        row_number() over (partition by s.sla_event_key order by s.segment_number) as application_number
    from {{ ref('int_sla__segments') }} as s
    where s.applied_by = 'tool_record' and s.escalation_key like 'zendesk:%'
),

policy_differences as (
    select
        t.escalation_key,
        t.sla_event_key,
        'zendesk' as source_system,
        t.metric,
        t.instance,
        'policy' as difference,
        t.priority,
        t.policy_name,
        pm.policy_title as policy_by_conditions,
        e.target_minutes,
        e.is_business_hours,
        c.is_breached_at_export as our_is_breached,
        e.vendor_is_breached,
        e.breached_at as our_breached_at,
        e.vendor_breached_at,
        e.elapsed_minutes as our_elapsed_minutes,
        e.vendor_elapsed_minutes,
        e.paused_minutes as our_paused_minutes,
        e.vendor_stopped_minutes,
        c.exported_at
    from tool_policies as t
    inner join {{ ref('int_sla__zendesk_policy_matches') }} as m
        on
            t.escalation_key = m.escalation_key
            and t.applied_at >= m.applied_from
            and t.applied_at < {{ open_end('m.applied_until') }}
    inner join {{ ref('fct_sla_events') }} as e on t.sla_event_key = e.sla_event_key
    left join compared as c on t.sla_event_key = c.sla_event_key
    left join policy_titles as pm on m.sla_policy_id = pm.sla_policy_id
    where t.application_number = 1 and t.policy_key != 'zendesk:' || m.sla_policy_id
),

milestones as (
    select
        escalation_key,
        metric,
        instance,
        target_minutes,
        business_hours_id is not null as is_business_hours,
        is_actual_elapsed_derived
    from {{ ref('int_sla__salesforce_milestones') }}
),

target_differences as (
    select
        c.escalation_key,
        c.sla_event_key,
        c.source_system,
        c.metric,
        c.instance,
        'target' as difference,
        c.priority,
        c.policy_name,
        'Milestone target ' || cast(m.target_minutes as {{ dbt.type_string() }}) || ' min'
        || case when m.is_business_hours then ' (business)' else ' (calendar)' end as policy_by_conditions,
        c.target_minutes,
        c.is_business_hours,
        c.is_breached_at_export as our_is_breached,
        c.vendor_is_breached,
        c.breached_at as our_breached_at,
        c.vendor_breached_at,
        c.elapsed_minutes as our_elapsed_minutes,
        c.vendor_elapsed_minutes,
        c.paused_minutes as our_paused_minutes,
        c.vendor_stopped_minutes,
        c.exported_at
    from compared as c
    inner join milestones as m
        on c.escalation_key = m.escalation_key and c.metric = m.metric and c.instance = m.instance
    where c.target_minutes != m.target_minutes or c.is_business_hours != m.is_business_hours
),

elapsed_compared as (
    -- Salesforce milestones completed by the export and measured on their own clock
    select
        c.*,
        {{ sla_elapsed_agrees('c', 'm.is_actual_elapsed_derived') }} as is_elapsed_agreeing
    from compared as c
    inner join milestones as m
        on c.escalation_key = m.escalation_key and c.metric = m.metric and c.instance = m.instance
    where {{ sla_elapsed_is_compared('c', 'c.exported_at') }}
),

elapsed_differences as (
    select
        escalation_key,
        sla_event_key,
        source_system,
        metric,
        instance,
        'elapsed' as difference,
        priority,
        policy_name,
        cast(null as {{ dbt.type_string() }}) as policy_by_conditions,
        target_minutes,
        is_business_hours,
        is_breached_at_export as our_is_breached,
        vendor_is_breached,
        breached_at as our_breached_at,
        vendor_breached_at,
        elapsed_minutes as our_elapsed_minutes,
        vendor_elapsed_minutes,
        paused_minutes as our_paused_minutes,
        vendor_stopped_minutes,
        exported_at
    from elapsed_compared
    where not is_elapsed_agreeing
)

select
    r.*,
    r.sla_event_key || ':' || r.difference as reconciliation_key
from (
    select * from verdicts
    union all
    select * from policy_differences
    union all
    select * from target_differences
    union all
    select * from elapsed_differences
) as r
