-- Salesforce CaseMilestones with the SLA metric their type measures (map_salesforce_milestones)
-- and their instance: 1, 2, ... per case and metric in start order.
{{ per_escalation_config() }}

select
    'salesforce:' || m.case_id as escalation_key,
    t.metric,
    t.milestone_name,
    row_number() over (partition by m.case_id, t.metric order by m.started_at, m.case_milestone_id) as instance,
    m.case_milestone_id,
    m.started_at,
    m.completed_at,
    m.target_minutes,
    m.business_hours_id,
    m.is_violated,
    m.elapsed_minutes
from {{ scoped_ref('stg_salesforce__case_milestones') }} as m
inner join {{ ref('map_salesforce_milestones') }} as t on m.milestone_type_id = t.milestone_type_id
