-- Zendesk SLA policies, one row per policy, priority and metric target.
with policies as (
    select
        sla_policy_id,
        cast({{ json_text('record', 'position') }} as integer) as policy_position,
        {{ json_text('record', 'title') }} as policy_title,
        {{ json_array_elements('record', 'policy_metrics') }} as policy_metric
    from {{ ref('stg_zendesk__sla_policies') }}
),

metrics as (
    select
        sla_policy_id,
        policy_position,
        policy_title,
        {{ json_elem_text('policy_metric', 'priority') }} as zendesk_priority,
        {{ json_elem_text('policy_metric', 'metric') }} as metric,
        cast({{ json_elem_text('policy_metric', 'target') }} as integer) as target_minutes,
        {{ json_elem_text('policy_metric', 'business_hours') }} = 'true' as is_business_hours
    from policies
)

select
    m.sla_policy_id,
    m.policy_position,
    m.policy_title,
    m.zendesk_priority,
    coalesce(p.priority, 'unknown') as priority,
    m.metric,
    m.target_minutes,
    m.is_business_hours
from metrics as m
left join {{ ref('map_priorities') }} as p on p.source_system = 'zendesk' and m.zendesk_priority = p.source_value
