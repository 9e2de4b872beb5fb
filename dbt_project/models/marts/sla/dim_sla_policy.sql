-- One row per SLA policy, priority and metric: the targets every source holds escalations to.
-- Zendesk policies with their position and conditions (first match by position applies);
-- Salesforce entitlement targets (sla_salesforce_entitlements seed) and the milestone types whose
-- own target each CaseMilestone carries; HubSpot pipeline targets (map_hubspot_sla seed).
with zendesk_conditions as (
    select
        sla_policy_id,
        {{ ordered_string_agg(
            "condition_set || ': ' || field || ' ' || operator || ' ' || coalesce(condition_value, '')",
            "'; '",
            ['condition_set', 'field', 'operator', 'condition_value'],
        ) }} as conditions,
        bool_and(is_supported) as conditions_supported
    from {{ ref('int_sla__zendesk_policy_conditions') }}
    group by sla_policy_id
),

zendesk as (
    select
        'zendesk:' || m.sla_policy_id as policy_key,
        'zendesk' as source_system,
        m.policy_title as policy_name,
        m.policy_position,
        m.priority,
        m.metric,
        m.target_minutes,
        m.is_business_hours,
        coalesce(c.conditions, 'always') as conditions,
        coalesce(c.conditions_supported, true) as conditions_supported
    from {{ ref('int_sla__zendesk_policy_metrics') }} as m
    left join zendesk_conditions as c on m.sla_policy_id = c.sla_policy_id
),

salesforce_entitlements as (
    select
        'salesforce:' || entitlement_process as policy_key,
        'salesforce' as source_system,
        entitlement_process as policy_name,
        cast(null as integer) as policy_position,
        priority,
        metric,
        target_minutes,
        is_business_hours,
        'case priority (entitlement process); the clock stops while the case is stopped' as conditions,
        true as conditions_supported
    from {{ ref('sla_salesforce_entitlements') }}
),

salesforce_milestones as (
    select
        'salesforce:milestone:' || milestone_name as policy_key,
        'salesforce' as source_system,
        'Milestone: ' || milestone_name as policy_name,
        cast(null as integer) as policy_position,
        'any' as priority,
        metric,
        cast(null as integer) as target_minutes,
        cast(null as boolean) as is_business_hours,
        'target and business hours carried by each CaseMilestone' as conditions,
        true as conditions_supported
    from {{ ref('map_salesforce_milestones') }}
),

hubspot as (
    select
        'hubspot:pipeline:' || hs_pipeline as policy_key,
        'hubspot' as source_system,
        'HubSpot pipeline ' || hs_pipeline as policy_name,
        cast(null as integer) as policy_position,
        priority,
        metric,
        target_minutes,
        is_business_hours,
        'pipeline ' || hs_pipeline || ' and ticket priority; clock runs in: ' || running_in as conditions,
        true as conditions_supported
    from {{ ref('map_hubspot_sla') }}
),

unioned as (
    select * from zendesk
    union all
    select * from salesforce_entitlements
    union all
    select * from salesforce_milestones
    union all
    select * from hubspot
)

select
    cast(policy_key || ':' || priority || ':' || metric as {{ type_text() }}) as sla_policy_key,
    cast(policy_key as {{ type_text() }}) as policy_key,
    cast(source_system as {{ type_text() }}) as source_system,
    cast(policy_name as {{ type_text() }}) as policy_name,
    cast(policy_position as integer) as policy_position,
    cast(priority as {{ type_text() }}) as priority,
    cast(metric as {{ type_text() }}) as metric,
    cast(target_minutes as integer) as target_minutes,
    cast(is_business_hours as boolean) as is_business_hours,
    cast(conditions as {{ type_text() }}) as conditions,
    cast(conditions_supported as boolean) as conditions_supported
from unioned
