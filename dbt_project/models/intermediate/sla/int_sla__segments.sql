-- The SLA targets each instance's clock was held to, one row per (re-)application: the target,
-- business or calendar hours, and the policy, from applied_at until the next application. Business
-- hours are the escalation's schedule (follows_schedule: per stretch of it, as a trigger may move
-- the escalation to another) or, for a Salesforce milestone, the milestone's own BusinessHoursId.
--   Zendesk: the tool's apply_sla metric events are the record of what it applied (a priority
--     change it re-applied is a new row; a priority change whose policy has no target for the
--     metric ends the target: a row without one). Tickets with no metric events at all get the
--     policy whose conditions match (int_sla__zendesk_policy_matches) at the start and at every
--     priority change.
--   Salesforce: the milestone's own target and business hours from its start; a later priority
--     change re-applies the entitlement's target for the new priority (sla_salesforce_entitlements).
--   HubSpot: the map_hubspot_sla seed for the pipeline and priority.
{{ per_escalation_config() }}

with instances as (
    select
        i.*,
        coalesce(i.fulfilled_at, {{ as_of() }}) as window_end_at
    from {{ scoped_ref('int_sla__instances', 'i') }}
),

states as (
    select
        escalation_key,
        valid_from,
        valid_to,
        priority,
        lag(priority) over (partition by escalation_key order by valid_from) as previous_priority
    from {{ scoped_ref('int_escalations__states') }}
),

priority_changes as (
    select
        escalation_key,
        valid_from as changed_at,
        priority
    from states
    where previous_priority is not null and previous_priority != priority
),

changes_in_window as (
    -- priority changes while an instance's clock was open: each re-applies the policy
    select
        i.sla_event_key,
        i.escalation_key,
        i.metric,
        c.changed_at,
        c.priority
    from instances as i
    inner join priority_changes as c
        on i.escalation_key = c.escalation_key and i.started_at < c.changed_at and i.window_end_at > c.changed_at
),

schedules as (
    -- epoch-second bounds keep the join an equality plus a range (an OR would be a nested loop)
    select
        escalation_key,
        schedule_key,
        from_s,
        to_s
    from {{ scoped_ref('int_escalations__schedule_stretches') }}
),

-- Zendesk: the tool's record ----------------------------------------------------------------
vendor_events as (
    select
        'zendesk:' || cast(ticket_id as {{ dbt.type_string() }}) as escalation_key,
        metric as vendor_metric,
        instance_id,
        event_type,
        occurred_at,
        metric_event_id,
        sla_target_minutes,
        sla_is_business_hours,
        sla_policy_id,
        sla_policy_title
    from {{ scoped_ref('stg_zendesk__ticket_metric_events') }}
    where not is_deleted
),

vendor_matched as (
    select
        sla_event_key,
        escalation_key,
        vendor_metric,
        vendor_instance_id as instance_id
    from {{ scoped_ref('int_sla__zendesk_vendor_instances') }}
),

vendor_applied as (
    select
        m.sla_event_key,
        e.occurred_at as applied_at,
        -- text: the tool's event id; the other branches' fixed tie-breakers are text too, and sort as text
        e.metric_event_id as tie_breaker,
        'zendesk:' || e.sla_policy_id as policy_key,
        e.sla_policy_title as policy_name,
        e.sla_target_minutes as target_minutes,
        e.sla_is_business_hours as is_business_hours,
        'tool_record' as applied_by
    from vendor_matched as m
    inner join vendor_events as e
        on
            m.escalation_key = e.escalation_key
            and m.vendor_metric = e.vendor_metric
            and m.instance_id = e.instance_id
    where e.event_type = 'apply_sla'
),

vendor_gaps as (
    -- a priority change inside the window that the tool did not re-apply: no target from there
    select
        c.sla_event_key,
        c.changed_at as applied_at,
        cast(-1 as {{ type_text() }}) as tie_breaker,
        cast(null as {{ dbt.type_string() }}) as policy_key,
        cast(null as {{ dbt.type_string() }}) as policy_name,
        cast(null as integer) as target_minutes,
        cast(null as boolean) as is_business_hours,
        'priority_change_without_target' as applied_by
    from changes_in_window as c
    where
        c.sla_event_key in (select sla_event_key from vendor_applied)
        and not exists (
            select 1 from vendor_applied as a
            where a.sla_event_key = c.sla_event_key and a.applied_at = c.changed_at
        )
),

-- Zendesk without metric events: the matching policy ----------------------------------------
zendesk_recorded as (
    select distinct escalation_key from vendor_events
),

matched_points as (
    select
        i.sla_event_key,
        i.metric,
        greatest(m.applied_from, i.started_at) as applied_at,
        m.priority,
        m.sla_policy_id
    from instances as i
    inner join {{ scoped_ref('int_sla__zendesk_policy_matches', 'm') }}
        on
            i.escalation_key = m.escalation_key
            and i.window_end_at > m.applied_from
            and coalesce(m.applied_until, i.window_end_at) > i.started_at
    where i.escalation_key like 'zendesk:%' and i.escalation_key not in (select escalation_key from zendesk_recorded)
),

matched_applied as (
    select
        p.sla_event_key,
        p.applied_at,
        cast(0 as {{ type_text() }}) as tie_breaker,
        'zendesk:' || p.sla_policy_id as policy_key,
        t.policy_title as policy_name,
        t.target_minutes,
        t.is_business_hours,
        'policy_match' as applied_by
    from matched_points as p
    left join {{ ref('int_sla__zendesk_policy_metrics') }} as t
        on p.sla_policy_id = t.sla_policy_id and p.priority = t.priority and p.metric = t.metric
),

-- Salesforce -------------------------------------------------------------------------------
milestones as (
    select * from {{ scoped_ref('int_sla__salesforce_milestones') }}
),

salesforce_milestone_applied as (
    select
        i.sla_event_key,
        m.started_at as applied_at,
        cast(0 as {{ type_text() }}) as tie_breaker,
        'salesforce:milestone:' || m.milestone_name as policy_key,
        'Milestone: ' || m.milestone_name as policy_name,
        m.target_minutes,
        m.business_hours_id is not null as is_business_hours,
        'tool_record' as applied_by,
        'salesforce:' || m.business_hours_id as milestone_schedule_key
    from milestones as m
    inner join instances as i
        on m.escalation_key = i.escalation_key and m.metric = i.metric and m.instance = i.instance
),

salesforce_reapplied as (
    select
        c.sla_event_key,
        c.changed_at as applied_at,
        cast(1 as {{ type_text() }}) as tie_breaker,
        'salesforce:' || e.entitlement_process as policy_key,
        e.entitlement_process as policy_name,
        e.target_minutes,
        e.is_business_hours,
        'priority_change' as applied_by,
        cast(null as {{ dbt.type_string() }}) as milestone_schedule_key
    from changes_in_window as c
    left join {{ ref('sla_salesforce_entitlements') }} as e on c.priority = e.priority and c.metric = e.metric
    where c.escalation_key like 'salesforce:%'
),

-- HubSpot ----------------------------------------------------------------------------------
hubspot_applied as (
    select
        i.sla_event_key,
        i.started_at as applied_at,
        cast(0 as {{ type_text() }}) as tie_breaker,
        'hubspot:pipeline:' || h.hs_pipeline as policy_key,
        'HubSpot pipeline ' || h.hs_pipeline as policy_name,
        h.target_minutes,
        h.is_business_hours,
        'seed' as applied_by
    from instances as i
    inner join {{ scoped_ref('stg_hubspot__tickets', 't') }} on i.escalation_key = 'hubspot:' || t.ticket_id
    inner join states as s
        on
            i.escalation_key = s.escalation_key and i.started_at >= s.valid_from
            and i.started_at < {{ open_end('s.valid_to') }}
    inner join {{ ref('map_hubspot_sla') }} as h
        on t.pipeline_id = h.hs_pipeline and s.priority = h.priority and i.metric = h.metric
),

applied as (
    select
        *,
        cast(null as {{ dbt.type_string() }}) as milestone_schedule_key
    from vendor_applied
    union all
    select
        *,
        cast(null as {{ dbt.type_string() }}) as milestone_schedule_key
    from vendor_gaps
    union all
    select
        *,
        cast(null as {{ dbt.type_string() }}) as milestone_schedule_key
    from matched_applied
    union all
    select * from salesforce_milestone_applied
    union all
    select * from salesforce_reapplied
    union all
    select
        *,
        cast(null as {{ dbt.type_string() }}) as milestone_schedule_key
    from hubspot_applied
),

ordered as (
    select
        a.*,
        i.escalation_key,
        i.metric,
        i.instance,
        row_number() over (partition by a.sla_event_key order by a.applied_at, a.tie_breaker) as segment_number
    from applied as a
    inner join instances as i on a.sla_event_key = i.sla_event_key
)

select
    o.sla_event_key,
    o.escalation_key,
    o.metric,
    o.instance,
    cast(o.segment_number as integer) as segment_number,
    o.applied_at,
    lead(o.applied_at) over (partition by o.sla_event_key order by o.segment_number) as applied_until,
    o.applied_by,
    o.policy_key,
    o.policy_name,
    s.priority,
    o.target_minutes,
    o.is_business_hours,
    case
        when not coalesce(o.is_business_hours, false) then 'calendar'
        else coalesce(o.milestone_schedule_key, sc.schedule_key, 'calendar')
    end as clock_key,
    -- business hours of the escalation's own schedule: a clock that spans a schedule change counts
    -- each stretch on the schedule then in force (fct_sla_events); clock_key is the one at applied_at
    coalesce(o.is_business_hours, false) and o.milestone_schedule_key is null and sc.schedule_key is not null
        as follows_schedule,
    coalesce(o.is_business_hours, false) and coalesce(o.milestone_schedule_key, sc.schedule_key) is null
        as is_schedule_missing
from ordered as o
left join schedules as sc
    on
        o.escalation_key = sc.escalation_key
        and {{ epoch_s('o.applied_at') }} >= sc.from_s
        and {{ epoch_s('o.applied_at') }} < sc.to_s
left join states as s
    on
        o.escalation_key = s.escalation_key and o.applied_at >= s.valid_from
        and o.applied_at < {{ open_end('s.valid_to') }}
